file(REMOVE_RECURSE
  "CMakeFiles/tl_reports.dir/reports/text.c.o"
  "CMakeFiles/tl_reports.dir/reports/text.c.o.d"
  "libtl_reports.a"
  "libtl_reports.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/tl_reports.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
