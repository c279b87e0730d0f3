# Finds every external dependency; a missing one stops configure with the Debian
# package that provides it (scripts/install-deps.sh installs them all).
find_package(PkgConfig REQUIRED)

function(mnn_require_pkg var module debian)
  pkg_check_modules(${var} IMPORTED_TARGET ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR "mnn: ${module} not found: install the Debian package '${debian}' (or run scripts/install-deps.sh)")
  endif()
endfunction()

mnn_require_pkg(PETSC petsc petsc-dev)
mnn_require_pkg(LIBXML2 libxml-2.0 libxml2-dev)
mnn_require_pkg(ADMESH libadmesh libadmesh-dev)

find_package(MPI COMPONENTS C)
if(NOT MPI_C_FOUND)
  message(FATAL_ERROR "mnn: MPI not found: install the Debian package 'petsc-dev' (it brings Open MPI)")
endif()

find_path(GMSH_INCLUDE_DIR gmshc.h)
find_library(GMSH_LIBRARY gmsh)
if(NOT GMSH_INCLUDE_DIR OR NOT GMSH_LIBRARY)
  message(FATAL_ERROR "mnn: Gmsh SDK (gmshc.h, libgmsh) not found: install the Debian package 'libgmsh-dev'")
endif()
add_library(mnn::gmsh INTERFACE IMPORTED)
target_include_directories(mnn::gmsh INTERFACE ${GMSH_INCLUDE_DIR})
target_link_libraries(mnn::gmsh INTERFACE ${GMSH_LIBRARY})

find_path(CHOLMOD_INCLUDE_DIR cholmod.h PATH_SUFFIXES suitesparse)
find_library(CHOLMOD_LIBRARY cholmod)
if(NOT CHOLMOD_INCLUDE_DIR OR NOT CHOLMOD_LIBRARY)
  message(FATAL_ERROR "mnn: CHOLMOD not found: install the Debian package 'libsuitesparse-dev'")
endif()
add_library(mnn::cholmod INTERFACE IMPORTED)
target_include_directories(mnn::cholmod INTERFACE ${CHOLMOD_INCLUDE_DIR})
target_link_libraries(mnn::cholmod INTERFACE ${CHOLMOD_LIBRARY})

find_library(MATH_LIBRARY m)
