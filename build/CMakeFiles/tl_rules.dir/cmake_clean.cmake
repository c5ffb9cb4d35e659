file(REMOVE_RECURSE
  "CMakeFiles/tl_rules.dir/analyzer/rules/rules.c.o"
  "CMakeFiles/tl_rules.dir/analyzer/rules/rules.c.o.d"
  "libtl_rules.a"
  "libtl_rules.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/tl_rules.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
