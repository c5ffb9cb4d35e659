
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/reports/text.c" "CMakeFiles/tl_reports.dir/reports/text.c.o" "gcc" "CMakeFiles/tl_reports.dir/reports/text.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build/CMakeFiles/tl_engine.dir/DependInfo.cmake"
  "/work/main/build/CMakeFiles/tl_ir.dir/DependInfo.cmake"
  "/work/main/build/CMakeFiles/tl_util.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
