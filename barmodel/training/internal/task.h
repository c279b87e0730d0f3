/* A training task: which forces the data drive (inputs), which displacements are
 * read (outputs), the loss, the data, the optimiser and the schedule. A plain
 * struct: mnn_task_defaults() fills every field with the defaults documented
 * below, mnn_task_preset() fills one of the paper's tasks, and the pipeline's
 * case-file reader or `mnn train` options override single fields. SI units. */
#ifndef MNN_TASK_H
#define MNN_TASK_H

#include <stdint.h>
#include "adam.h"
#include "dataset.h"
#include "loss.h"
#include "network.h"

#define MNN_TASK_MAX_IO 64
#define MNN_TASK_PATH_LEN 1024
/* Bounds that catch a typo before it runs for days: the paper's longest
 * schedule is 5000 epochs of 100 samples. */
#define MNN_TASK_MAX_EPOCHS 10000000
#define MNN_TASK_MAX_SAMPLES 10000000

/* Input i: force component on a node = scale * feature i of the sample (N). */
typedef struct mnn_task_input {
  int node_id;    /* user id (1-based) of the loaded node; no default (required) */
  int component;  /* 0 = x, 1 = y; default 1 */
  double scale;   /* N per unit of the feature; default 1 */
} mnn_task_input;

/* Output o: one displacement component of a node (m). */
typedef struct mnn_task_output {
  int node_id;    /* user id (1-based); no default (required) */
  int component;  /* 0 = x, 1 = y; default 1 */
} mnn_task_output;

typedef enum {
  MNN_DATA_FIXED = 0,  /* one sample given in the task (fixed_x, fixed_target / fixed_label) */
  MNN_DATA_REGRESSION, /* the synthetic regression set (regression_* fields) */
  MNN_DATA_CSV         /* a table read from csv_path */
} mnn_data_kind;

typedef struct mnn_task {
  char name[64];                 /* name in messages and history headers; default "task" */

  int n_inputs;                  /* number of inputs = features per sample; default 0 */
  mnn_task_input inputs[MNN_TASK_MAX_IO];
  int n_outputs;                 /* number of outputs = classes for classification; default 0 */
  mnn_task_output outputs[MNN_TASK_MAX_IO];

  mnn_loss_kind loss;            /* default MNN_LOSS_MSE */
  double softmax_length;         /* m, for MNN_LOSS_CE_SOFTMAX; default 1e-4 */

  mnn_data_kind data;            /* default MNN_DATA_FIXED */
  /* MNN_DATA_FIXED: one sample */
  double fixed_x[MNN_TASK_MAX_IO];      /* features (n_inputs); default all 1 */
  double fixed_target[MNN_TASK_MAX_IO]; /* m, targets per output (squared losses); default 0 */
  int fixed_label;                      /* class = output index, 0-based (cross-entropy); default 0 */
  /* MNN_DATA_REGRESSION: feature F uniform in [force_min, force_max], target_o = slope_o * F + noise */
  int regression_samples;        /* default 100 */
  double regression_force_min;   /* N, default -0.196 */
  double regression_force_max;   /* N, default +0.196 */
  double regression_slopes[MNN_TASK_MAX_IO]; /* m/N per output; default 0 */
  double regression_noise;       /* m, standard deviation of Gaussian noise; default 0 */
  /* MNN_DATA_CSV: features first; then the class name (cross-entropy) or one numeric
   * target column per output (squared losses) */
  char csv_path[MNN_TASK_PATH_LEN]; /* default "" */
  int csv_scale_columns;         /* 1: divide each feature column by its maximum |value|; default 1 */

  double train_fraction;         /* share of samples in the training set; default 0.7 (1 for FIXED data) */

  /* optimiser and schedule */
  mnn_adam_settings adam;        /* defaults of mnn_adam_defaults(): lr 0.005, 0.9, 0.999, 1e-8, sigmoid, steepness 10, start margin 1e-3 */
  int epochs;                    /* passes over the training set; default 100 (0: evaluate only) */
  int batch_size;                /* samples per update; default 16 (the last batch of an epoch may be smaller) */
  uint64_t seed;                 /* one seed for the data (noise), the split and the batch order; default 1 */
  int report_every;              /* epochs between progress lines; default: epochs / 10, at least 1 */
} mnn_task;

/* Every field to its documented default. */
void mnn_task_defaults(mnn_task *t);

/* The paper's tasks (docs/model.md), on the paper's node numbering:
 *   "fig1"            F_y = -0.098 N on node 13, output u_y of node 14, loss (u + 0.025 m)^2
 *   "behaviour"       F_y = -0.049 N on node 11, outputs u_y of nodes 14 (L) and 13 (R);
 *                     variant "left"/"right" picks the node that should move more;
 *                     loss "ce" (default), "softmax" or "mse" (targets -0.8 mm for the chosen
 *                     node, -0.5 mm for the other); lr 0.005, steepness 10, 1000 epochs, batch 1
 *   "regression"      F_y in [-0.196, 0.196] N on node 11, outputs u_x, u_y of 13 and 14,
 *                     slopes (0, 0.016, 0.004, 0.016) m/N, MSE, lr 0.1, batch 16,
 *                     5000 epochs, steepness 10; variant "noisy" adds sigma = 1e-4 m
 *   "iris"            features / column max * -0.049 N as F_y on nodes 14, 12, 13, 10,
 *                     outputs |u_x| of nodes 8, 2, 3, cross-entropy p_c = |u_c| / sum |u|,
 *                     lr 0.006, batch 16, 100 epochs, steepness 5, data csv_path
 *                     (default cases/data/iris.csv, relative to the working directory)
 * variant may be NULL or "" for the default. Fails on unknown names. */
int mnn_task_preset(mnn_task *t, const char *name, const char *variant, mnn_error *err);

/* Checks the task against a network: node ids exist, inputs and outputs are free
 * DOFs, counts and the schedule are in range, the Adam settings are valid
 * (mnn_adam_check), loss and data agree. Messages name the node ids. */
int mnn_task_check(const mnn_task *t, const mnn_network *net, mnn_error *err);

/* Builds the task's data set (generated or read), checked against the task. */
mnn_dataset *mnn_task_dataset(const mnn_task *t, mnn_error *err);

/* The seeds derived from task->seed for each random stream (distinct streams). */
uint64_t mnn_task_seed_data(const mnn_task *t);
uint64_t mnn_task_seed_split(const mnn_task *t);
uint64_t mnn_task_seed_batches(const mnn_task *t);

/* Parses "x"/"y" (also "0"/"1") into a component; -1 if neither. */
int mnn_task_component(const char *s);

/* ---- setting a task from text (task_keys.c) ----
 * One table lists every settable key: its name (the `--KEY VALUE` option of the
 * commands that take a task and the <train KEY="VALUE"> attribute of case files),
 * the parser that reads the text into the field at offset `field` of mnn_task, a
 * range (lo, hi; what it bounds depends on the parser: the value of a number, the
 * size of a text field) with flags, and the syntax that messages and help show:
 *   loss ce|softmax|mse|squared      softmax-length M      label CLASS (0-based)
 *   inputs NODE:x|y:SCALE,...        outputs NODE:x|y,...  targets T1,T2,... (m)
 *   features X1,X2,... (fixed sample)  data FILE.csv        scale-columns 0|1
 *   samples N  force-min N  force-max N  slopes S1,S2,... (m/N)  noise SIGMA (m)
 *   train-fraction F  lr X  beta1 X  beta2 X  eps X  bounds sigmoid|project  steepness S
 *   start-margin Z (share of the width range, sigmoid restarts)
 *   epochs N  batch N  seed N  report-every N  name TEXT */
typedef struct mnn_task_key mnn_task_key;
typedef int (*mnn_task_parser)(const mnn_task_key *k, mnn_task *t, const char *value, mnn_error *err);
enum {
  MNN_KEY_OPEN_LO = 1, /* numbers: the range excludes lo */
  MNN_KEY_OPEN_HI = 2, /* numbers: the range excludes hi */
  MNN_KEY_INPUTS = 4,  /* the inputs list (else outputs) */
  MNN_KEY_CSV = 8      /* a CSV path: also sets data = MNN_DATA_CSV */
};
struct mnn_task_key {
  const char *key;       /* option and attribute name */
  mnn_task_parser parse; /* text -> field; the message names the key and says what is expected */
  size_t field;          /* offsetof(mnn_task, ...) */
  double lo, hi;         /* range (numbers: no check when lo >= hi), size (text) */
  unsigned flags;        /* MNN_KEY_* */
  const char *syntax;    /* what a value looks like, for messages and help */
};
extern const mnn_task_key mnn_task_key_table[];
extern const int mnn_task_n_keys;

/* The table's entry for key, or NULL. */
const mnn_task_key *mnn_task_key_find(const char *key);

/* Sets one field from text through the table. Fails with one message naming the
 * key for an unknown key or a bad value; on failure the task is unchanged. */
int mnn_task_set(mnn_task *t, const char *key, const char *value, mnn_error *err);

/* Appends one input (input != 0) or output from its parts as case files give them
 * as attributes (<input node="14" component="y" scale="-0.049"/>): node id
 * (required), component x|y (NULL: y), scale (inputs only; NULL: 1). The "inputs" and
 * "outputs" keys parse each list entry with this same function. */
int mnn_task_add_dof(mnn_task *t, int input, const char *node, const char *component, const char *scale,
                     mnn_error *err);

#endif
