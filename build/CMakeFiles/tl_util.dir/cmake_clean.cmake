file(REMOVE_RECURSE
  "CMakeFiles/tl_util.dir/analyzer/util/util.c.o"
  "CMakeFiles/tl_util.dir/analyzer/util/util.c.o.d"
  "libtl_util.a"
  "libtl_util.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/tl_util.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
