/* The second guard against singular FEM systems (the first is the bar model's
 * zero-mode check in mnn_fem_create): after MUMPS has factorised the operator
 * with null-pivot detection on (ICNTL(24) = 1, set with the direct solver), a
 * null pivot is an error instead of a solution of about 1e9 m. */
#include <string.h>
#include <petscksp.h>
#include "fem_internal.h"

PetscErrorCode mnn_fem_check_null_pivots(KSP ksp) {
  PC pc;
  PCType type;
  MatSolverType package = NULL;
  PetscFunctionBeginUser;
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCGetType(pc, &type));
  if (strcmp(type, PCCHOLESKY) && strcmp(type, PCLU)) PetscFunctionReturn(0);
  PetscCall(PCFactorGetMatSolverType(pc, &package));
  if (!package || strcmp(package, MATSOLVERMUMPS)) PetscFunctionReturn(0);
  Mat F;
  PetscInt null_pivots = 0;
  PetscCall(PCFactorGetMatrix(pc, &F));
  PetscCall(MatMumpsGetInfog(F, 28, &null_pivots));
  PetscCheck(null_pivots == 0, PetscObjectComm((PetscObject)ksp), PETSC_ERR_MAT_LU_ZRPVT,
             "MUMPS found %d null pivot(s): the stiffness matrix is singular (a part of the solid can move "
             "freely): check the supports and that every bond joins the solid", (int)null_pivots);
  PetscFunctionReturn(0);
}
