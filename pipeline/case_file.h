/* Case files (schemas/case.xsd, docs/formats.md): one study of the paper or
 * beyond, read into an mnn_case: the start network, the steps that run in order
 * (train, prune, prune sweep, gradient study), and the settings of the mesh, FEM,
 * STL, printer and report stages. Everything is checked before any work starts. */
#ifndef MNN_CASE_FILE_H
#define MNN_CASE_FILE_H

#include "training.h"
#include "material_file.h"
#include "meshing.h"
#include "network.h"
#include "printability.h"
#include "report.h"

#define MNN_CASE_MAX_STEPS 16
#define MNN_CASE_MAX_FEM_ROUNDS 64 /* <train fem-rounds>: each round meshes and solves the FEM */
#define MNN_CASE_MAX_PRUNE 256
#define MNN_CASE_PATH 1024
#define MNN_CASE_MAX_MEASUREMENTS 16

typedef enum { MNN_STEP_TRAIN, MNN_STEP_PRUNE, MNN_STEP_PRUNE_SWEEP, MNN_STEP_GRADIENT_STUDY } mnn_case_step_kind;

typedef struct mnn_case_step {
  mnn_case_step_kind kind;
  long line;                        /* line in the case file, for messages */
  mnn_task task;                    /* TRAIN */
  int fem_rounds;                   /* TRAIN: multi-fidelity rounds after it (last TRAIN only; default 0) */
  int fem_round_epochs;             /* TRAIN: epochs per round (default: the task's epochs) */
  int n_prune;                      /* PRUNE: bond ids */
  int prune_ids[MNN_CASE_MAX_PRUNE];
  mnn_prune_settings sweep;         /* PRUNE_SWEEP (uses the task of the last TRAIN before it) */
  mnn_gradient_study_options study; /* GRADIENT_STUDY */
} mnn_case_step;

typedef struct mnn_case {
  char name[128], title[256];
  char path[MNN_CASE_PATH];         /* the case file as given */
  char dir[MNN_CASE_PATH];          /* its folder: relative paths inside are relative to it */
  mnn_network *network;             /* the start network, with the case's material settings */
  char network_file[MNN_CASE_PATH]; /* source file, "" when generated */
  int n_steps;
  mnn_case_step steps[MNN_CASE_MAX_STEPS];
  int mesh_enabled, fem_enabled, stl_enabled;
  mnn_mesh_options mesh;
  int fem_order;                    /* default 2 */
  int fem_direct;                   /* 1 (default): MUMPS Cholesky, one factorisation for every solve;
                                       0: mnn fem's iterative default (CG + P2->P1 p-multigrid) */
  char fem_options[512];            /* extra PETSc options, e.g. "-fem_ksp_rtol 1e-8" */
  char fem_material_file[MNN_CASE_PATH]; /* <fem material>: the FEM's material record, "" for none
                                       (then the FEM takes the network's E and nu) */
  mnn_material fem_material;        /* read from it */
  /* <measurement> elements: measured parts, evaluated by the measurement stage */
  int n_measurements;
  char measurement_file[MNN_CASE_MAX_MEASUREMENTS][MNN_CASE_PATH];
  int measurement_fit[MNN_CASE_MAX_MEASUREMENTS];  /* 1: the FEM's modulus is fitted on it */
  double measurement_sd_warning, measurement_sd_error; /* |FEM - measured| / sd thresholds (2, 3) */
  int fem_ranks;                    /* MPI ranks of the FEM stage (default 1: in the mnn run process) */
  int stl_ascii;
  mnn_printer_profile printer;
  int print_strict;
  mnn_report_thresholds thresholds;
} mnn_case;

/* Reads, validates and checks a case file (mnn_case_check included). On error
 * returns NULL with "file:line: what: what to do" in err. */
mnn_case *mnn_case_read(const char *path, mnn_error *err);
void mnn_case_free(mnn_case *c);

/* The checks that need no solve but the zero-mode analysis: every step's node and
 * bond ids exist in the network as it is at that step, the data files exist and
 * parse, a pruned network has no zero modes. */
int mnn_case_check(const mnn_case *c, mnn_error *err);

/* Index of the last TRAIN step (the task the later stages validate), or -1. */
int mnn_case_final_task(const mnn_case *c);

/* Files the training stage reads (the case file, a network file, data files):
 * fills up to max paths and returns how many. */
int mnn_case_inputs(const mnn_case *c, const char **paths, int max);

#endif
