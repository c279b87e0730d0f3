/* Starting and stopping PETSc for the commands that run the FEM (mnn fem, mnn
 * calibrate, mnn insitu, mnn run): mnn's own arguments come before "--", PETSc's
 * after it, a direct Cholesky can be chosen by name, and rank 0's result is
 * shared; for the stages of `mnn run` that solve on a case's mesh: PETSc started
 * once, with the case's solver and options. */
#ifndef MNN_CLI_PETSC_H
#define MNN_CLI_PETSC_H

#include "error.h"

/* The index of "--" in argv, or argc without one: mnn's arguments are argv[0..split). */
int mnn_cli_petsc_split(int argc, char **argv);

/* PetscInitialize with argv[0] and the arguments after "--", then, for solver "mumps"
 * or "cholmod", that Cholesky for the "fem_" solver (cholmod on one rank only);
 * NULL keeps the options as given (the iterative default). On failure PETSc is not left running
 * and err says why. command names the command in messages. */
int mnn_cli_petsc_start(int argc, char **argv, int split, const char *solver, const char *command, mnn_error *err);

/* For the stages of `mnn run` that run the FEM (the FEM stage, the measurement
 * stage, the FEM rounds of training): starts PETSc without arguments unless it is
 * running already (it then stays running until the program finalises it); when
 * direct, the "fem_" solver becomes MUMPS' Cholesky (one factorisation serves the
 * forward, adjoint and response solves); then options (a case's <fem options="...">,
 * checked when the case was read by mnn_petsc_options_check; NULL or "" for none)
 * are inserted last, so they win over the defaults. Returns 0, or -1 with err
 * saying why (PETSc could not start, MUMPS is missing, PETSc refused an option). */
int mnn_run_petsc_ready(int direct, const char *options, mnn_error *err);

/* PetscFinalize at the end of a command whose run returned rc: rc when the run
 * failed (err keeps its fault), else 0, or -1 with err set when PETSc did not shut
 * down cleanly (the results may not be complete). command names the command. */
int mnn_cli_petsc_stop(int rc, const char *command, mnn_error *err);

/* For a step rank 0 alone does (writing a file): returns rank 0's rc on every rank
 * of PETSC_COMM_WORLD (call it on every rank, with each rank's own rc), or -1 with
 * err set when MPI cannot broadcast it. */
int mnn_cli_rank_zero_rc(int rc, mnn_error *err);

/* Checks PETSc options that come from a file (a case's <fem options="...">), where
 * they must not reach beyond the solver: only options of the "fem_" solver from
 * an allow-list (-fem_ksp_*, -fem_pc_*, -fem_mg_levels_* and -fem_mg_coarse_* of
 * those, -fem_mat_mumps_icntl_N / _cntl_N, -fem_mat_type), each with at most one
 * plain value (letters, digits, _ . + -). Viewers, monitors and logs (which take
 * file targets such as ":/some/file") and everything else are refused with one
 * line naming the option. Command-line options after `--` are the user's own and
 * are not checked. */
int mnn_petsc_options_check(const char *options, mnn_error *err);

#endif
