/* Pictures drawn by gnuplot (a real plotting program; the Debian package
 * gnuplot-nox): mnn writes a data file and a script, runs gnuplot on them and
 * moves the finished SVG into place. gnuplot is found through $MNN_GNUPLOT or
 * the PATH; a missing gnuplot is a clear error. */
#ifndef MNN_PLOT_H
#define MNN_PLOT_H

#include "error.h"
#include "network.h"

/* The gnuplot program to run (malloc'd), or NULL with an error saying what to install. */
char *mnn_gnuplot_find(mnn_error *err);

/* Runs gnuplot on script_text, which must write its picture to the file named by
 * the placeholder @OUTPUT@ (quoted by the caller's script: set output '@OUTPUT@').
 * The picture is written under a temporary name and renamed to out_path only
 * when gnuplot succeeds and the file is not empty. */
int mnn_gnuplot_render(const char *script_text, const char *out_path, mnn_error *err);

/* The network drawn to scale (mm) with every bond at its width, necks at half
 * width next to the node discs. With bond_values (one per bond, NULL for none) the
 * bonds are coloured by that value on a diverging palette centred on 0, with a
 * colour bar titled value_label. title may be NULL. */
int mnn_plot_network(const mnn_network *net, const double *bond_values, const char *value_label, const char *title,
                     const char *svg_path, mnn_error *err);

/* Marks of a task on the network picture: input forces (arrows in the force's
 * direction, "in 1: F_y") and outputs (rings with a name, e.g. the class). */
typedef struct mnn_plot_input { int node; char component; double force; } mnn_plot_input;
typedef struct mnn_plot_output { int node; char name[48]; } mnn_plot_output;
typedef struct mnn_plot_marks {
  int n_inputs, n_outputs;
  const mnn_plot_input *inputs;
  const mnn_plot_output *outputs;
} mnn_plot_marks;
/* mnn_plot_network with the task's marks (marks may be NULL). */
int mnn_plot_network_marked(const mnn_network *net, const double *bond_values, const char *value_label,
                            const mnn_plot_marks *marks, const char *title, const char *svg_path, mnn_error *err);

/* The deformed shape under one load case: the undeformed part in light grey (bonds
 * at their widths), and the bond centre lines of the two deformed models (u_a, e.g.
 * the trained bar model, and u_b, e.g. the FEM; 2 per node in network order, m),
 * displacements magnified so that the largest shows as about a sixth of the part's
 * size; the factor is in the title and returned in *magnification (may be NULL). */
int mnn_plot_deformed(const mnn_network *net, const double *u_a, const char *label_a, const double *u_b,
                      const char *label_b, const char *title, const char *svg_path, double *magnification,
                      mnn_error *err);

/* Training curves from a history CSV whose header names the columns, the first
 * being the epoch (e.g. "epoch,loss,train_accuracy,test_accuracy"): columns whose
 * name contains "loss" in the left panel (a logarithmic axis when they span more
 * than a decade), the others (accuracies, MSE) in the right panel. */
int mnn_plot_training_curves(const char *history_csv, const char *title, const char *svg_path, mnn_error *err);

/* The Fig. 1 plot: numerical error of the gradient against the step size, log-log,
 * from a CSV "step,forward_error,central_error[,...]" (every column after the first
 * is one curve; zero errors cannot show on a log axis and are left out of the
 * curve; a column that is zero everywhere, as the adjoint's, is named in the key). */
int mnn_plot_error_vs_step(const char *csv, const char *title, const char *svg_path, mnn_error *err);

/* Reads a CSV header line into at most max_columns names (each malloc'd);
 * returns the number of columns or -1 with an error naming the file. */
int mnn_csv_header(const char *csv, char **names, int max_columns, mnn_error *err);

/* For the plot functions: a new temporary data file (path filled in, opened for
 * writing) that the caller removes; and a string quoted for gnuplot ('...'). */
#include <stdio.h>
FILE *mnn_plot_data_file(char *path, size_t size, mnn_error *err);
/* A growing script text; failed is set when memory runs out. */
typedef struct { char *text; size_t len, cap; int failed; } mnn_script;
void mnn_script_add(mnn_script *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *mnn_gnuplot_quote(const char *text);
/* Bond b's outline in mm (width to scale, necks at half width) as one closed data
 * block "x y value" for gnuplot's filledcurves. */
void mnn_plot_bond_polygon(FILE *fp, const mnn_network *net, int b, double value);

#endif
