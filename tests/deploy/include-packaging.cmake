# Test shim: pulls cmake/SignpostPackaging.cmake into a configure run when the
# root CMakeLists.txt does not include() it yet. Pass as
#   cmake --preset release -DCMAKE_PROJECT_INCLUDE=<repo>/tests/deploy/include-packaging.cmake
# CMAKE_PROJECT_INCLUDE runs inside project(), before any target exists, so the
# include is deferred to the end of the top-level directory -- the same place
# the lead's include() goes. SignpostPackaging.cmake has an include guard, so
# this is harmless once the root includes it itself.
get_filename_component(_signpost_pkg "${CMAKE_CURRENT_LIST_DIR}/../../cmake/SignpostPackaging.cmake" ABSOLUTE)
# Arguments of a deferred call are expanded when it runs, so bake the path in now.
cmake_language(EVAL CODE "cmake_language(DEFER DIRECTORY \"${CMAKE_SOURCE_DIR}\" CALL include \"${_signpost_pkg}\")")
