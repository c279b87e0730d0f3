/* `mnn run`: a case's stages in order (train -> mesh -> fem -> stl -> report), each
 * writing its outputs atomically into the case's output folder and skipped when
 * its outputs are newer than its inputs. */
#ifndef MNN_RUN_CASE_H
#define MNN_RUN_CASE_H

#include "case_file.h"

typedef struct mnn_run_options {
  const char *out_dir;   /* output folder (created) */
  int force;             /* 1: redo every stage */
  int fem_ranks;         /* > 0: MPI ranks of the FEM stage, overriding the case's <fem ranks> */
} mnn_run_options;

/* What ran and what was skipped, for the summary and the tests. */
typedef struct mnn_run_summary {
  int ran_train, ran_mesh, ran_fem, ran_stl, ran_report, ran_measure;
  int n_warnings, n_errors;   /* discrepancies in the report */
  double seconds;
} mnn_run_summary;

/* Runs the case's stages into o->out_dir and fills summary. A stage that needs
 * PETSc starts it and leaves it running: PETSc cannot start again in a process
 * once finalised, so the program (cmd_run.c), not this library call, finalises it.
 * Returns 0, or -1 with err set by the stage that failed. */
int mnn_run_case(const mnn_case *c, const mnn_run_options *o, mnn_run_summary *summary, mnn_error *err);

/* Only the FEM stage, unconditionally, on PETSC_COMM_WORLD: what `mpiexec -n N
 * mnn run CASE -o DIR --fem-stage` runs for a case whose FEM has N ranks. The
 * earlier stages' outputs must be in the folder. Starts PETSc (and with it MPI)
 * if it is not up; the caller, which owns the process, ends it with
 * PetscFinalize. Ranks other than 0 print nothing but errors. */
int mnn_run_fem_stage(const mnn_case *c, const mnn_run_options *o, mnn_error *err);

#endif
