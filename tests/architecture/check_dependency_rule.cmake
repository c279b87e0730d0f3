# The dependency rule of docs/design.md, checked two ways (cmake -P script, run by
# ctest as test_dependency_rule):
# 1. Link graph: configures the source tree into a scratch directory with
#    `cmake --graphviz` and reads each user's dependency file (deps.dot.<target>,
#    every library the target links, transitively). A user that reaches
#    mnn_bar_solver, mnn_training, mnn_calibration, mnn_barmodel or CHOLMOD fails.
# 2. Symbols: the undefined symbols of each user's static library (nm) must not be
#    defined by the forbidden libraries, so code that calls the solver fails even
#    when the executable that links it happens to pull the solver in.
# 0. Headers (first, it is quick): check_private_headers.cmake, over the library
#    folders MNN_LIBRARY_DIRS: one public header each, no file outside a library
#    including its internal/ headers.
# Inputs: MNN_SOURCE_DIR, MNN_SCRATCH_DIR, MNN_NM, MNN_LIBRARY_DIRS, and MNN_USERS
# and MNN_FORBIDDEN as "target=library-file|..." lists.
cmake_minimum_required(VERSION 3.20)

function(fail msg)
  message(FATAL_ERROR "dependency rule (docs/design.md): ${msg}")
endfunction()

# "a=x|b=y" -> names "a;b" in <out>_names and <out>_<name> = file
function(parse_pairs text out)
  string(REPLACE "|" ";" pairs "${text}")
  set(names "")
  foreach(pair IN LISTS pairs)
    string(REGEX MATCH "^([^=]+)=(.*)$" _ "${pair}")
    list(APPEND names "${CMAKE_MATCH_1}")
    set(${out}_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}" PARENT_SCOPE)
  endforeach()
  set(${out}_names "${names}" PARENT_SCOPE)
endfunction()

# 0. the headers
include("${CMAKE_CURRENT_LIST_DIR}/check_private_headers.cmake")

parse_pairs("${MNN_USERS}" user)
parse_pairs("${MNN_FORBIDDEN}" forbidden)
if(NOT user_names OR NOT forbidden_names)
  fail("no targets given to check")
endif()

# 1. the link graph
file(REMOVE_RECURSE "${MNN_SCRATCH_DIR}")
execute_process(COMMAND ${CMAKE_COMMAND} -S "${MNN_SOURCE_DIR}" -B "${MNN_SCRATCH_DIR}"
                        "--graphviz=${MNN_SCRATCH_DIR}/deps.dot"
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  fail("cmake --graphviz failed: ${err}")
endif()
set(forbidden_labels ${forbidden_names} mnn_barmodel mnn::cholmod cholmod)
foreach(target IN LISTS user_names)
  set(dot "${MNN_SCRATCH_DIR}/deps.dot.${target}")
  if(NOT EXISTS "${dot}")
    fail("cmake --graphviz wrote no ${dot}")
  endif()
  file(STRINGS "${dot}" edges REGEX "// ")
  set(links "")
  foreach(edge IN LISTS edges)
    string(REGEX MATCH "// ([^ ]+) -> ([^ ]+)$" _ "${edge}")
    list(APPEND links "${CMAKE_MATCH_2}")
  endforeach()
  if(NOT "mnn_network" IN_LIST links)
    fail("${target} does not link mnn_network (links: ${links})")
  endif()
  foreach(link IN LISTS links)
    foreach(bad IN LISTS forbidden_labels)
      if(link STREQUAL bad OR link MATCHES "libcholmod")
        fail("${target} links ${link}; meshing, fem, export and the file readers may use barmodel's network library only")
      endif()
    endforeach()
  endforeach()
  message(STATUS "${target}: links mnn_network, not the solver, training, calibration or CHOLMOD")
endforeach()

# 2. the symbols
function(library_symbols file kind out)
  execute_process(COMMAND "${MNN_NM}" -g ${kind} "${file}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE text ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    fail("${MNN_NM} ${file}: ${err}")
  endif()
  string(REGEX MATCHALL "[ \t][A-Za-z][ \t][A-Za-z_][A-Za-z0-9_]*" lines "${text}")
  set(names "")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[ \t][A-Za-z][ \t]" "" name "${line}")
    list(APPEND names "${name}")
  endforeach()
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

set(defined "")
foreach(lib IN LISTS forbidden_names)
  library_symbols("${forbidden_${lib}}" --defined-only syms)
  if(NOT syms)
    fail("${forbidden_${lib}} defines no symbols")
  endif()
  foreach(s IN LISTS syms)
    list(APPEND defined "${s}")
    set(owner_${s} ${lib})
  endforeach()
endforeach()
foreach(target IN LISTS user_names)
  library_symbols("${user_${target}}" --undefined-only used)
  foreach(s IN LISTS used)
    if(DEFINED owner_${s})
      fail("${target} uses ${s} from ${owner_${s}}")
    endif()
  endforeach()
  message(STATUS "${target}: uses no symbol of ${forbidden_names}")
endforeach()
