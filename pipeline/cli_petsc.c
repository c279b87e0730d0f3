/* Starting PETSc for mnn fem and mnn calibrate: arguments after "--", solver choice. */
#include "cli_petsc.h"

#include <stdlib.h>
#include <string.h>
#include "fem.h"

int mnn_cli_petsc_split(int argc, char **argv) {
  for (int i = 1; i < argc; ++i)
    if (!strcmp(argv[i], "--")) return i;
  return argc;
}

int mnn_cli_petsc_start(int argc, char **argv, int split, const char *solver, const char *command, mnn_error *err) {
  /* PETSc keeps the argument vector it was given: it lives until the process ends */
  static char **pargv = NULL;
  int pargc = 1;
  free(pargv);
  pargv = malloc(sizeof(char *) * (size_t)(argc + 2));
  if (!pargv) return mnn_fail(err, "%s: out of memory", command);
  pargv[0] = argv[0];
  for (int i = split + 1; i < argc; ++i) pargv[pargc++] = argv[i];
  pargv[pargc] = NULL;
  char **pa = pargv;
  if (PetscInitialize(&pargc, &pa, NULL, NULL)) return mnn_fail(err, "%s: PETSc could not start", command);
  PetscMPIInt size = 1;
  MPI_Comm_size(PETSC_COMM_WORLD, &size);
  int rc = 0;
  if (solver && !strcmp(solver, "cholmod") && size > 1)
    rc = mnn_fail(err, "%s: --solver cholmod runs on one rank only: use --solver mumps under mpiexec", command);
  else if (solver && mnn_fem_use_direct_solver(solver, err))
    rc = -1;
  if (rc) PetscFinalize();
  return rc;
}
