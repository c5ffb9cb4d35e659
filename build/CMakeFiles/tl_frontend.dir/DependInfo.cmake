
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/analyzer/frontend/cursor.c" "CMakeFiles/tl_frontend.dir/analyzer/frontend/cursor.c.o" "gcc" "CMakeFiles/tl_frontend.dir/analyzer/frontend/cursor.c.o.d"
  "/work/main/analyzer/frontend/lower_expr.c" "CMakeFiles/tl_frontend.dir/analyzer/frontend/lower_expr.c.o" "gcc" "CMakeFiles/tl_frontend.dir/analyzer/frontend/lower_expr.c.o.d"
  "/work/main/analyzer/frontend/lower_stmt.c" "CMakeFiles/tl_frontend.dir/analyzer/frontend/lower_stmt.c.o" "gcc" "CMakeFiles/tl_frontend.dir/analyzer/frontend/lower_stmt.c.o.d"
  "/work/main/analyzer/frontend/parse.c" "CMakeFiles/tl_frontend.dir/analyzer/frontend/parse.c.o" "gcc" "CMakeFiles/tl_frontend.dir/analyzer/frontend/parse.c.o.d"
  "/work/main/analyzer/frontend/path.c" "CMakeFiles/tl_frontend.dir/analyzer/frontend/path.c.o" "gcc" "CMakeFiles/tl_frontend.dir/analyzer/frontend/path.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build/CMakeFiles/tl_ir.dir/DependInfo.cmake"
  "/work/main/build/CMakeFiles/tl_rules.dir/DependInfo.cmake"
  "/work/main/build/CMakeFiles/tl_util.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
