file(REMOVE_RECURSE
  "CMakeFiles/tl_engine.dir/analyzer/engine/engine.c.o"
  "CMakeFiles/tl_engine.dir/analyzer/engine/engine.c.o.d"
  "CMakeFiles/tl_engine.dir/analyzer/engine/facts.c.o"
  "CMakeFiles/tl_engine.dir/analyzer/engine/facts.c.o.d"
  "CMakeFiles/tl_engine.dir/analyzer/engine/objrun.c.o"
  "CMakeFiles/tl_engine.dir/analyzer/engine/objrun.c.o.d"
  "CMakeFiles/tl_engine.dir/analyzer/engine/summary.c.o"
  "CMakeFiles/tl_engine.dir/analyzer/engine/summary.c.o.d"
  "libtl_engine.a"
  "libtl_engine.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/tl_engine.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
