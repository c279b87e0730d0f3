/* The report of one case (report.xml, schemas/report.xsd, docs/formats.md):
 * what the pipeline ran and measured, the bar model against the FEM for every
 * output and every bond, the summaries, the STL, printability and the list of
 * discrepancies with their severities. The pipeline fills an mnn_report, export
 * computes the summaries and discrepancies, writes it and reads it back.
 * Sections whose stage did not run stay absent (their has_* flag is 0). */
#ifndef MNN_REPORT_H
#define MNN_REPORT_H

#include "error.h"
#include "network.h"
#include "printability.h"
#include "stl_export.h"

#define MNN_REPORT_TEXT 256
#define MNN_REPORT_MAX_IO 64 /* inputs and classes of a task: training's MNN_TASK_MAX_IO (export does not depend on training) */

typedef struct mnn_report_tool {
  char name[64], version[64];
} mnn_report_tool;

typedef struct mnn_report_metric {
  char name[64];
  double value;
} mnn_report_metric;

/* One output displacement: bar model and FEM, m. */
typedef struct mnn_report_output {
  int node;             /* node id */
  char component;       /* 'x' or 'y' */
  double bar, fem;      /* m */
  double relative_difference;  /* computed: |fem - bar| / max(|bar|, |fem|) (0 if both 0) */
  double scaled_difference;    /* computed: |fem - bar| / the task's output scale (the largest
                                  output), which is what the severity follows */
} mnn_report_output;

/* One bond: final width and the loss gradient from the bar model and the FEM. */
typedef struct mnn_report_bond {
  int id;               /* bond id */
  double width;         /* m */
  int has_gradients;
  double bar_gradient, fem_gradient;  /* same variable for both (see gradient_variable) */
  double relative_difference;  /* computed: |fem - bar| / max(|bar|, |fem|) */
  double scaled_difference;    /* computed: |fem - bar| / max_i |bar_i| */
  int sign_agrees;             /* computed: same sign, or both below the sign floor */
} mnn_report_bond;

typedef enum { MNN_SEVERITY_INFO = 0, MNN_SEVERITY_WARNING = 1, MNN_SEVERITY_ERROR = 2 } mnn_severity;

typedef struct mnn_report_discrepancy {
  mnn_severity severity;
  char kind[32];        /* "displacement", "gradient", "gradient-sign", "gradient-cosine", "accuracy",
                           "stl", "printability", ... */
  char subject[64];     /* "node 14 y", "bond 7", "summary", "part" */
  double value, threshold;
  char message[MNN_REPORT_TEXT];
} mnn_report_discrepancy;

/* Severity thresholds; a case may set them (docs/formats.md gives the defaults). */
typedef struct mnn_report_thresholds {
  double displacement_warning, displacement_error;   /* relative difference per output */
  double gradient_warning, gradient_error;           /* scaled difference per bond */
  double cosine_warning, cosine_error;               /* gradient cosine below these */
  double accuracy_warning, accuracy_error;           /* |fem - bar| test accuracy */
  double sign_floor;   /* bonds whose |gradient| is below this fraction of the largest are
                          not checked for sign agreement */
  double mse_warning, mse_error;                     /* FEM test MSE / trained test MSE - 1 */
  double difference_warning, difference_error;       /* behaviour: loss of the trained difference,
                                                        1 - FEM difference / trained difference */
  int in_situ;         /* the case declares that the part is trained in situ: then the gradient
                          agreement decides errors; otherwise it is information and warnings */
} mnn_report_thresholds;

#define MNN_REPORT_DISPLACEMENT_WARNING 0.05
#define MNN_REPORT_DISPLACEMENT_ERROR 0.25
#define MNN_REPORT_GRADIENT_WARNING 0.10
#define MNN_REPORT_GRADIENT_ERROR 0.50
#define MNN_REPORT_COSINE_WARNING 0.99
#define MNN_REPORT_COSINE_ERROR 0.90
#define MNN_REPORT_ACCURACY_WARNING 0.01
#define MNN_REPORT_ACCURACY_ERROR 0.05
#define MNN_REPORT_MSE_WARNING 0.25
#define MNN_REPORT_MSE_ERROR 1.0
#define MNN_REPORT_DIFFERENCE_WARNING 0.10
#define MNN_REPORT_DIFFERENCE_ERROR 0.50
#define MNN_REPORT_SIGN_FLOOR 0.01
void mnn_report_thresholds_default(mnn_report_thresholds *t);

/* One input load of the validated sample (for the pictures and the page). */
typedef struct mnn_report_input {
  int node;
  char component;       /* 'x' or 'y' */
  double force;         /* N */
} mnn_report_input;

/* Displacement of one node under the validated sample in both models (m). */
typedef struct mnn_report_node_u {
  int node;
  double bar[2], fem[2];
} mnn_report_node_u;

/* What the task asks of the part, in both models (the FEM stage fills it). Task
 * kinds: "classification" (a data set with classes), "regression" (targets),
 * "behaviour" (one fixed sample: the trained difference between the chosen
 * output and the others, or the MSE to its targets). Metrics are NAN when not known. */
typedef struct mnn_report_task {
  int has;
  char kind[16];
  int sample;                  /* 1-based data row the outputs, bonds and deformation tables use */
  char sample_set[8];          /* "test", "train" or "fixed" */
  int n_inputs;
  mnn_report_input inputs[MNN_REPORT_MAX_IO];
  int n_classes;
  char class_names[MNN_REPORT_MAX_IO][32];
  double bar_train, fem_train; /* accuracy (classification) or MSE in m^2 */
  double bar_test, fem_test;
  double bar_margin, fem_margin; /* classification: smallest class margin over the test set among the
                                    samples each model classifies right (m); behaviour: the trained
                                    difference |y_chosen| - max |y_other| (m) */
  double output_scale;         /* m: largest |output| of the validated sample in the trained model */
  int n_test, n_disagree;      /* classification: test samples, and those the FEM classes otherwise */
  int confusion_bar[MNN_REPORT_MAX_IO * MNN_REPORT_MAX_IO]; /* test set, [true * n_classes + predicted] */
  int confusion_fem[MNN_REPORT_MAX_IO * MNN_REPORT_MAX_IO];
  int n_nodes;                 /* deformation under the validated sample; 0 if not recorded */
  mnn_report_node_u *nodes;
} mnn_report_task;

/* The verdict: the report's answer in four lines, in this order, computed once by
 * mnn_report_compute and rendered by `mnn run`, `mnn report` and the page. */
typedef enum {
  MNN_VERDICT_MET = 0,         /* nothing to do */
  MNN_VERDICT_WARNING = 1,     /* met, with something to look at */
  MNN_VERDICT_NOT_MET = 2,     /* an error: the todo says what to do */
  MNN_VERDICT_NOT_CHECKED = 3  /* the case has no stage or data to judge it */
} mnn_verdict_status;

#define MNN_VERDICT_LINES 4
typedef struct mnn_verdict_line {
  char topic[16];              /* "printable", "task", "measurements", "gradient" */
  char title[64];              /* what a person reads: "printable", "does the part do the task", ... */
  mnn_verdict_status status;
  char finding[512];           /* the numbers */
  char todo[512];              /* what to do when not met (empty when met) */
} mnn_verdict_line;

typedef struct mnn_verdict {
  int has;
  char headline[192];          /* e.g. "printable; the part classifies the test set as trained" */
  mnn_verdict_line lines[MNN_VERDICT_LINES];
} mnn_verdict;

typedef struct mnn_report {
  /* case and tools */
  char case_name[128];
  char case_file[MNN_REPORT_TEXT];
  char created[32];            /* UTC, ISO 8601; filled by the writer when empty */
  int n_tools;
  mnn_report_tool *tools;

  /* network */
  int has_network;
  int n_nodes, n_bonds;        /* n_bonds is also the length of bonds[] */
  double thickness, youngs_modulus, poisson_ratio;   /* m, Pa, - */
  mnn_report_bond *bonds;
  char gradient_variable[64];  /* what the gradients are taken with respect to, e.g. "width" */

  /* training */
  int has_training;
  char task[64], loss_name[64];
  int epochs;
  double initial_loss, final_loss, training_seconds;
  int n_metrics;
  mnn_report_metric *metrics;

  /* mesh */
  int has_mesh;
  long mesh_nodes, mesh_elements;
  int mesh_order;
  double mesh_min_quality, mesh_mean_quality, mesh_volume;  /* volume in m^3 */

  /* FEM run */
  int has_fem;
  long fem_dofs;
  int fem_ranks, fem_iterations;
  char fem_solver[128];
  double fem_assembly_seconds, fem_solve_seconds, fem_total_seconds;

  /* outputs (bar vs FEM) */
  int n_outputs;
  mnn_report_output *outputs;

  /* test-set accuracy (when there is a data set) */
  int has_accuracy;
  double bar_test_accuracy, fem_test_accuracy;

  /* the task in both models (FEM stage) and the verdict */
  mnn_report_task task_check;
  int in_situ;                 /* the case declares in situ training (thresholds.in_situ) */
  mnn_verdict verdict;

  /* summary (computed by mnn_report_compute) */
  int has_summary;
  int has_gradient_summary, has_displacement_summary;
  double gradient_cosine, gradient_relative_l2, gradient_max_relative_difference, gradient_max_scaled_difference;
  double gradient_sign_agreement;          /* fraction of checked bonds */
  double displacement_max_relative_difference, displacement_relative_l2;
  double displacement_max_scaled_difference;   /* largest |fem - bar| / output scale */

  /* STL */
  int has_stl;
  char stl_file[MNN_REPORT_TEXT];
  int stl_facets, stl_parts, stl_bad_edges, stl_repaired;
  double stl_volume_mm3, stl_size_mm[3];
  char stl_repairs[256];

  /* printability */
  int has_printability;
  int print_strict;            /* 1: violations are errors (--strict) */
  mnn_print_check print;

  /* measured parts against the models (report_measurements.h; NULL when none) */
  struct mnn_report_measurements *measurements;

  /* discrepancies (computed by mnn_report_compute, plus any the pipeline adds) */
  int n_discrepancies;
  mnn_report_discrepancy *discrepancies;
} mnn_report;

/* A zeroed report; NULL when out of memory. */
mnn_report *mnn_report_create(void);
void mnn_report_free(mnn_report *r);

int mnn_report_add_tool(mnn_report *r, const char *name, const char *version, mnn_error *err);
int mnn_report_add_metric(mnn_report *r, const char *name, double value, mnn_error *err);
/* Network counts, material and one bond entry per bond with its final width. */
int mnn_report_set_network(mnn_report *r, const mnn_network *net, mnn_error *err);
/* Gradients of the bond with this id (the network must be set). */
int mnn_report_set_bond_gradient(mnn_report *r, int bond_id, double bar, double fem, mnn_error *err);
int mnn_report_add_output(mnn_report *r, int node_id, char component, double bar, double fem, mnn_error *err);
int mnn_report_add_discrepancy(mnn_report *r, mnn_severity severity, const char *kind, const char *subject,
                               double value, double threshold, const char *message, mnn_error *err);
void mnn_report_set_stl(mnn_report *r, const char *file, const mnn_stl_stats *stl);
void mnn_report_set_printability(mnn_report *r, const mnn_print_check *check, int strict);

/* Computes the per-output and per-bond differences, the summaries and the
 * discrepancy list from the thresholds (NULL: the defaults). Removes earlier
 * computed discrepancies of the kinds it computes, so it can run again. */
int mnn_report_compute(mnn_report *r, const mnn_report_thresholds *t, mnn_error *err);

/* The verdict from the report's sections and discrepancies (mnn_report_compute
 * calls it; exposed for tests and for a report read back without a verdict). */
void mnn_report_verdict(mnn_report *r, const mnn_report_thresholds *t);
/* The verdict as text lines for a terminal: the headline, then one line per topic
 * with its status and finding, and "what to do" under every line not met. Calls
 * emit(line, ctx) once per line (no newline in line). */
void mnn_verdict_lines(const mnn_verdict *v, void (*emit)(const char *line, void *ctx), void *ctx);
const char *mnn_verdict_status_name(mnn_verdict_status s);
/* The verdict's lines through mnn_info (nothing when the report has no verdict),
 * with the count of notes the page folds under each line. */
void mnn_report_print_verdict(const mnn_report *r);
/* The verdict topic ("printable", "task", "measurements", "gradient") whose line a
 * discrepancy of this kind is folded under. */
const char *mnn_verdict_topic_of_kind(const char *kind);
/* Deformation of the validated sample: room for n nodes (zeroed). */
int mnn_report_task_set_nodes(mnn_report *r, int n, mnn_error *err);

/* Counts of discrepancies by severity. */
int mnn_report_count(const mnn_report *r, mnn_severity severity);
const char *mnn_severity_name(mnn_severity s);

/* Writes report.xml (atomically), numbers with %.17g so that they read back equal. */
int mnn_report_write(const mnn_report *r, const char *path, mnn_error *err);
/* Reads and validates a report written by mnn_report_write. NULL on error. */
mnn_report *mnn_report_read(const char *path, mnn_error *err);

/* The schema, compiled in. */
extern const char mnn_report_xsd[];

#endif
