# Part of the dependency rule of docs/design.md: each library of barmodel/ has one
# public header, the only .h at the top of its folder; every other header of it sits
# in its internal/ folder, and no file outside the library includes one of those,
# neither by name ("task.h") nor by path ("internal/task.h"). A cmake -P script, run
# by test_dependency_rule (through check_dependency_rule.cmake) and, on a probe file
# that breaks the rule, by test_dependency_rule_catches.
# Inputs: MNN_SOURCE_DIR; MNN_LIBRARY_DIRS, "barmodel/network|barmodel/solver|...";
# MNN_EXTRA_FILES (optional, "|"-separated): more files to check as if they sat
# outside every library.
cmake_minimum_required(VERSION 3.20)

if(NOT COMMAND fail)
  function(fail msg)
    message(FATAL_ERROR "dependency rule (docs/design.md): ${msg}")
  endfunction()
endif()

string(REPLACE "|" ";" library_dirs "${MNN_LIBRARY_DIRS}")
string(REPLACE "|" ";" extra_files "${MNN_EXTRA_FILES}")
if(NOT library_dirs)
  fail("no library folders given to check")
endif()

# one public header per library; the private ones by file name
set(private_names "")
foreach(lib IN LISTS library_dirs)
  file(GLOB public RELATIVE "${MNN_SOURCE_DIR}/${lib}" "${MNN_SOURCE_DIR}/${lib}/*.h")
  list(LENGTH public n_public)
  if(NOT n_public EQUAL 1)
    fail("${lib} has ${n_public} headers at its top (${public}): one public header, the others in ${lib}/internal/")
  endif()
  set(public_${lib} "${public}")
  file(GLOB_RECURSE private "${MNN_SOURCE_DIR}/${lib}/internal/*.h")
  foreach(p IN LISTS private)
    get_filename_component(name "${p}" NAME)
    list(APPEND private_names "${name}")
    set(owner_${name} "${lib}")
  endforeach()
endforeach()
if(NOT private_names)
  fail("no private headers found under ${MNN_LIBRARY_DIRS}: is MNN_SOURCE_DIR right?")
endif()

# every C file of the tree (build folders, which hold a CMakeCache.txt, left out)
file(GLOB top LIST_DIRECTORIES true "${MNN_SOURCE_DIR}/*")
set(sources "")
foreach(dir IN LISTS top)
  get_filename_component(base "${dir}" NAME)
  if(IS_DIRECTORY "${dir}" AND NOT base MATCHES "^\\." AND NOT EXISTS "${dir}/CMakeCache.txt")
    file(GLOB_RECURSE found "${dir}/*.c" "${dir}/*.h")
    list(APPEND sources ${found})
  endif()
endforeach()

set(violations "")
foreach(file IN LISTS sources extra_files)
  file(RELATIVE_PATH rel "${MNN_SOURCE_DIR}" "${file}")
  get_filename_component(dir "${file}" DIRECTORY)
  file(STRINGS "${file}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
  foreach(line IN LISTS includes)
    string(REGEX MATCH "\"([^\"]+)\"" _ "${line}")
    set(included "${CMAKE_MATCH_1}")
    get_filename_component(name "${included}" NAME)
    if(NOT DEFINED owner_${name})
      continue()
    endif()
    set(lib "${owner_${name}}")
    if(rel MATCHES "^${lib}/")
      continue() # the library's own files
    endif()
    if(EXISTS "${dir}/${included}" AND NOT "${dir}/${included}" MATCHES "/${lib}/internal/")
      continue() # a header of the includer's own folder that has the same name
    endif()
    list(APPEND violations "${rel} includes \"${included}\", private to ${lib}: include ${public_${lib}}")
  endforeach()
endforeach()
if(violations)
  foreach(v IN LISTS violations) # one line each (a FATAL_ERROR message is re-wrapped)
    message(NOTICE "${v}")
  endforeach()
  list(LENGTH violations n)
  fail("${n} include(s) of a private header of barmodel's libraries, listed above")
endif()
message(STATUS "barmodel's libraries: one public header each; no file outside a library includes its internal/ headers")
