file(REMOVE_RECURSE
  "CMakeFiles/timerlint.dir/analyzer/cli/main.c.o"
  "CMakeFiles/timerlint.dir/analyzer/cli/main.c.o.d"
  "timerlint"
  "timerlint.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/timerlint.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
