/* Shared between run_case.c and the stage files (stage_*.c): the case's output
 * paths and one function per stage. */
#ifndef MNN_RUN_INTERNAL_H
#define MNN_RUN_INTERNAL_H

#include "case_file.h"
#include "run_case.h"
#include "stage_record.h"
#include "training.h"

#define MNN_RUN_PATH 1200

typedef struct mnn_run_ctx {
  const mnn_case *c;
  mnn_run_summary *summary;       /* the report stage fills the discrepancy counts */
  char network[MNN_RUN_PATH];     /* start network */
  char trained[MNN_RUN_PATH];     /* trained network */
  char history[MNN_RUN_PATH];     /* history of the last training step */
  char train_rec[MNN_RUN_PATH];
  char mesh[MNN_RUN_PATH];
  char mesh_rec[MNN_RUN_PATH];
  char vtu[MNN_RUN_PATH];
  char fem_rec[MNN_RUN_PATH];
  char stl[MNN_RUN_PATH];
  char stl_rec[MNN_RUN_PATH];
  char measure_rec[MNN_RUN_PATH];
  char material[MNN_RUN_PATH];    /* the FEM material fitted by the measurement stage */
  char report[MNN_RUN_PATH];
  char html[MNN_RUN_PATH];
  char dir[MNN_RUN_PATH];
  int fem_ranks;                  /* > 1: the FEM stage runs under mpiexec on that many ranks */
} mnn_run_ctx;

/* A path inside the output folder. */
void mnn_run_path(const mnn_run_ctx *ctx, const char *name, char *out);

/* The stages of `mnn run` (run_case.c runs them in the order train, mesh, fem,
 * measure, stl, report, each when the case has it). Each reads the case
 * (ctx->c) and the files of the stages before it, and writes its outputs and its
 * record at ctx's paths; it returns 0, or -1 with err saying why after the stage's
 * name ("mesh stage: ..."). run_case.c then seals the record with the keys of the
 * stage's inputs and outputs (stage.h) and skips the stage on a later run while
 * they still match. */

/* The case's steps in order (train, prune, pruning sweep, gradient study) on a copy
 * of the case's network. Writes ctx->network (the start network), ctx->trained,
 * ctx->history (the last training step's; a header-only one without training;
 * earlier training steps write history-N.csv), the CSVs of the sweep and the study
 * in ctx->dir, and ctx->train_rec. */
int mnn_stage_train(const mnn_run_ctx *ctx, mnn_error *err);
/* ctx->trained as a tetrahedral mesh with the case's mesh settings into ctx->mesh;
 * its counts, quality and time into ctx->mesh_rec. */
int mnn_stage_mesh(const mnn_run_ctx *ctx, mnn_error *err);
/* The final task's validated sample (the first test sample, else the first
 * training sample) in the bar model and in the 3D FEM on ctx->mesh: ctx->trained
 * with the case's FEM material, and, when the task was trained against the FEM,
 * the train record's last correction in the bar model. Starts PETSc unless it is
 * running. Writes ctx->vtu and ctx->fem_rec (outputs, gradients, response matrix,
 * calibration, the task in both models); on several ranks every rank computes the
 * same record and rank 0 writes it. Fails when the case has no <train> step. */
int mnn_stage_fem(const mnn_run_ctx *ctx, mnn_error *err);
/* The print solid's boundary of ctx->trained as STL in mm into ctx->stl (ASCII when
 * the case asks for it), its facets, volume, parts and repairs into ctx->stl_rec. */
int mnn_stage_stl(const mnn_run_ctx *ctx, mnn_error *err);
/* Reads ctx->trained and the records of the stages the case has (train always;
 * mesh, fem, stl and measure when enabled), checks printability against the
 * case's printer, computes the verdict and writes ctx->report and ctx->html with
 * its pictures; puts the report's warning and error counts in ctx->summary. */
int mnn_stage_report(const mnn_run_ctx *ctx, mnn_error *err);
/* The case's measured parts (<measurement>): meshes each network once per network
 * file (measure-K-NAME.msh in ctx->dir), solves the FEM once per part, fits the
 * FEM's Young's modulus on the parts marked fit and predicts the rest. Starts PETSc
 * unless it is running. Writes ctx->material when a part was fitted, and
 * ctx->measure_rec. */
int mnn_stage_measure(const mnn_run_ctx *ctx, mnn_error *err);
/* The files the measurement stage reads besides the program, the case and the FEM
 * material: each measurement file and the network file it names (stage_measure.c).
 * net_paths holds the network paths; returns the number of entries put in paths. */
int mnn_measure_inputs(const mnn_case *c, const char **paths, char net_paths[][MNN_CASE_PATH]);
/* The measurement stage's record into the report's measurements section, with the
 * case's sd thresholds (stage_measure.c). */
struct mnn_report;
int mnn_measure_fill_report(struct mnn_report *r, const mnn_record *rec, const mnn_case *c, mnn_error *err);
/* The FEM stage on `ranks` MPI ranks: starts the launcher (mpiexec or
 * $MNN_MPIEXEC) with this program's `run CASE -o DIR --fem-stage`, waits, and
 * checks that the stage's record was written (stage_fem_ranks.c). */
int mnn_stage_fem_ranks(const mnn_run_ctx *ctx, int ranks, mnn_error *err);

#endif
