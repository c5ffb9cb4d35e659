file(REMOVE_RECURSE
  "CMakeFiles/tl_frontend.dir/analyzer/frontend/cursor.c.o"
  "CMakeFiles/tl_frontend.dir/analyzer/frontend/cursor.c.o.d"
  "CMakeFiles/tl_frontend.dir/analyzer/frontend/lower_expr.c.o"
  "CMakeFiles/tl_frontend.dir/analyzer/frontend/lower_expr.c.o.d"
  "CMakeFiles/tl_frontend.dir/analyzer/frontend/lower_stmt.c.o"
  "CMakeFiles/tl_frontend.dir/analyzer/frontend/lower_stmt.c.o.d"
  "CMakeFiles/tl_frontend.dir/analyzer/frontend/parse.c.o"
  "CMakeFiles/tl_frontend.dir/analyzer/frontend/parse.c.o.d"
  "CMakeFiles/tl_frontend.dir/analyzer/frontend/path.c.o"
  "CMakeFiles/tl_frontend.dir/analyzer/frontend/path.c.o.d"
  "libtl_frontend.a"
  "libtl_frontend.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/tl_frontend.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
