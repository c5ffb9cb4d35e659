file(REMOVE_RECURSE
  "CMakeFiles/tl_ir.dir/analyzer/ir/ir.c.o"
  "CMakeFiles/tl_ir.dir/analyzer/ir/ir.c.o.d"
  "libtl_ir.a"
  "libtl_ir.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/tl_ir.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
