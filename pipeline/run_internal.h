/* Shared between run_case.c and the stage files (stage_*.c): the case's output
 * paths and one function per stage. */
#ifndef MNN_RUN_INTERNAL_H
#define MNN_RUN_INTERNAL_H

#include "case_file.h"
#include "run_case.h"
#include "stage_record.h"
#include "train.h"

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

int mnn_stage_train(const mnn_run_ctx *ctx, mnn_error *err);
int mnn_stage_mesh(const mnn_run_ctx *ctx, mnn_error *err);
int mnn_stage_fem(const mnn_run_ctx *ctx, mnn_error *err);
int mnn_stage_stl(const mnn_run_ctx *ctx, mnn_error *err);
int mnn_stage_report(const mnn_run_ctx *ctx, mnn_error *err);
int mnn_stage_measure(const mnn_run_ctx *ctx, mnn_error *err);
/* The files the measurement stage reads besides the program, the case and the FEM
 * material: each measurement file and the network file it names (stage_measure.c).
 * net_paths holds the network paths; returns the number of entries put in paths. */
/* The measurement stage's record into the report's measurements section, with the
 * case's sd thresholds (stage_measure.c). */
struct mnn_report;
int mnn_measure_fill_report(struct mnn_report *r, const mnn_record *rec, const mnn_case *c, mnn_error *err);
int mnn_measure_inputs(const mnn_case *c, const char **paths, char net_paths[][MNN_CASE_PATH]);
/* The FEM stage on `ranks` MPI ranks: starts the launcher (mpiexec or
 * $MNN_MPIEXEC) with this program's `run CASE -o DIR --fem-stage`, waits, and
 * checks that the stage's record was written (stage_fem_ranks.c). */
int mnn_stage_fem_ranks(const mnn_run_ctx *ctx, int ranks, mnn_error *err);

#endif
