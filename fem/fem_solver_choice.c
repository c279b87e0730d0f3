/* The FEM's solver choice: a direct Cholesky through the options database, the
 * one place that spells these options for mnn fem, mnn calibrate and mnn run. */
#include <string.h>
#include "fem.h"

int mnn_fem_use_direct_solver(const char *package, mnn_error *err) {
  if (PetscOptionsSetValue(NULL, "-fem_ksp_type", "preonly") || PetscOptionsSetValue(NULL, "-fem_pc_type", "cholesky") ||
      PetscOptionsSetValue(NULL, "-fem_pc_factor_mat_solver_type", package) ||
      (!strcmp(package, "mumps") && PetscOptionsSetValue(NULL, "-fem_mat_mumps_icntl_24", "1")))
    return mnn_fail(err, "PETSc does not take the %s Cholesky options", package);
  return 0;
}
