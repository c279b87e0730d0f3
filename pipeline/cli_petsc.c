/* Starting and stopping PETSc: for mnn fem, calibrate, insitu and run (arguments
 * after "--", solver choice, rank 0's result shared) and for the stages of
 * `mnn run` (the case's solver and options); the allow-list of solver options a
 * case file may pass. */
#include "cli_petsc.h"

#include <ctype.h>
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
  int rc = 0;
  if (MPI_Comm_size(PETSC_COMM_WORLD, &size) != MPI_SUCCESS)
    rc = mnn_fail(err, "%s: MPI cannot say how many ranks run: check the MPI installation (mpiexec)", command);
  else if (solver && !strcmp(solver, "cholmod") && size > 1)
    rc = mnn_fail(err, "%s: --solver cholmod runs on one rank only: use --solver mumps under mpiexec", command);
  else if (solver && mnn_fem_use_direct_solver(solver, err))
    rc = -1;
  return rc ? mnn_cli_petsc_stop(rc, command, err) : 0;
}

int mnn_cli_petsc_stop(int rc, const char *command, mnn_error *err) {
  PetscErrorCode fin = PetscFinalize();
  if (rc) return rc;
  return fin ? mnn_fail(err, "%s: PETSc did not shut down cleanly (error %d): the outputs may be incomplete, run it again",
                        command, (int)fin)
             : 0;
}

int mnn_cli_rank_zero_rc(int rc, mnn_error *err) {
  if (MPI_Bcast(&rc, 1, MPI_INT, 0, PETSC_COMM_WORLD) != MPI_SUCCESS)
    return mnn_fail(err, "MPI cannot share rank 0's result with the other ranks: check the MPI installation");
  return rc;
}

int mnn_run_petsc_ready(int direct, const char *options, mnn_error *err) {
  PetscBool up = PETSC_FALSE;
  if (PetscInitialized(&up) != 0) return mnn_fail(err, "PETSc could not say whether it is running");
  if (!up && PetscInitializeNoArguments() != 0) return mnn_fail(err, "PETSc could not start");
  if (direct && mnn_fem_use_direct_solver("mumps", err)) return -1;
  if (options && options[0] && PetscOptionsInsertString(NULL, options) != 0)
    return mnn_fail(err, "<fem options=\"%s\">: PETSc does not accept these options", options);
  return 0;
}

/* Solver option names (without "-fem_") a case file may set: exact names, or
 * prefixes ending in '_' followed by any name of the same kind. */
static const char *const allowed_options[] = {
    "ksp_type", "ksp_rtol", "ksp_atol", "ksp_divtol", "ksp_max_it", "ksp_norm_type", "ksp_pc_side",
    "ksp_initial_guess_nonzero", "ksp_gmres_restart", "pc_type", "pc_factor_mat_solver_type",
    "pc_factor_mat_ordering_type", "pc_factor_shift_type", "pc_factor_shift_amount", "pc_gamg_", "pc_mg_",
    "pc_sor_", "mat_type", "mat_mumps_icntl_", "mat_mumps_cntl_", NULL};

/* Is name (an option without "-fem_") on the list? */
static int allowed_name(const char *name) {
  if (!strncmp(name, "mg_levels_", 10) || !strncmp(name, "mg_coarse_", 10)) {
    const char *rest = name + 10;
    while (isdigit((unsigned char)*rest)) ++rest; /* mg_levels_1_ */
    if (*rest == '_') ++rest;
    return (!strncmp(rest, "ksp_", 4) || !strncmp(rest, "pc_", 3)) && allowed_name(rest);
  }
  for (int i = 0; allowed_options[i]; ++i) {
    size_t n = strlen(allowed_options[i]);
    if (allowed_options[i][n - 1] == '_' ? !strncmp(name, allowed_options[i], n) && name[n]
                                         : !strcmp(name, allowed_options[i]))
      return 1;
  }
  return 0;
}

/* Is the token an option name ("-x", not a negative number such as "-1e-3")? */
static int is_option(const char *t) { return t[0] == '-' && !isdigit((unsigned char)t[1]) && t[1] != '.'; }

/* A value that is a number or a name: no file or viewer target (":", "/"). */
static int plain_value(const char *v) {
  for (; *v; ++v)
    if (!isalnum((unsigned char)*v) && !strchr("_.+-", *v)) return 0;
  return 1;
}

int mnn_petsc_options_check(const char *options, mnn_error *err) {
  char *copy = strdup(options), *save = NULL;
  if (!copy) return mnn_fail(err, "out of memory");
  int rc = 0, values = 1;
  for (char *t = strtok_r(copy, " \t\r\n", &save); t && !rc; t = strtok_r(NULL, " \t\r\n", &save)) {
    if (is_option(t)) {
      const char *name = t + 1 + (t[1] == '-');
      if (strncmp(name, "fem_", 4) || !allowed_name(name + 4))
        rc = mnn_fail(err, "option '%.100s' is not a solver option a case file may set: use -fem_ksp_*, -fem_pc_*, "
                      "-fem_mg_*, -fem_mat_mumps_* (docs/formats.md), or give it to `mnn fem` after --", t);
      values = 0;
    } else if (values++ > 0) {
      rc = mnn_fail(err, "'%.100s' follows no option: write -fem_OPTION VALUE pairs", t);
    } else if (!plain_value(t)) {
      rc = mnn_fail(err, "value '%.100s' is not a plain number or name (a file or viewer target is not accepted)", t);
    }
  }
  free(copy);
  return rc;
}
