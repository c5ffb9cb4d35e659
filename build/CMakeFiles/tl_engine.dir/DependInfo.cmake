
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/analyzer/engine/engine.c" "CMakeFiles/tl_engine.dir/analyzer/engine/engine.c.o" "gcc" "CMakeFiles/tl_engine.dir/analyzer/engine/engine.c.o.d"
  "/work/main/analyzer/engine/facts.c" "CMakeFiles/tl_engine.dir/analyzer/engine/facts.c.o" "gcc" "CMakeFiles/tl_engine.dir/analyzer/engine/facts.c.o.d"
  "/work/main/analyzer/engine/objrun.c" "CMakeFiles/tl_engine.dir/analyzer/engine/objrun.c.o" "gcc" "CMakeFiles/tl_engine.dir/analyzer/engine/objrun.c.o.d"
  "/work/main/analyzer/engine/summary.c" "CMakeFiles/tl_engine.dir/analyzer/engine/summary.c.o" "gcc" "CMakeFiles/tl_engine.dir/analyzer/engine/summary.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build/CMakeFiles/tl_ir.dir/DependInfo.cmake"
  "/work/main/build/CMakeFiles/tl_util.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
