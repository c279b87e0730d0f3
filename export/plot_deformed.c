/* The deformed shape of a network under one load case, drawn by gnuplot: the
 * undeformed part in light grey, and on top the bond centre lines and node
 * positions of two deformed models (the trained bar model and the FEM of the
 * part), with the displacements magnified by a factor the title states. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "plot.h"

/* Centre lines of every bond with nodes moved by mag * u (mm), one block per bond. */
static void write_deformed(FILE *fp, const mnn_network *net, const double *u, double mag) {
  for (int b = 0; b < net->n_bonds; ++b) {
    int e[2] = {net->bond_a[b], net->bond_b[b]};
    for (int k = 0; k < 2; ++k)
      fprintf(fp, "%.9g %.9g\n", (net->x[e[k]] + mag * u[2 * e[k]]) * 1e3, (net->y[e[k]] + mag * u[2 * e[k] + 1]) * 1e3);
    fputs("\n\n", fp);
  }
}

/* A round magnification (1, 2 or 5 times a power of ten) that shows the largest
 * displacement umax as about a sixth of the part's size. */
static double pick_magnification(const mnn_network *net, double umax) {
  double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
  for (int i = 0; i < net->n_nodes; ++i) {
    xmin = fmin(xmin, net->x[i]), xmax = fmax(xmax, net->x[i]);
    ymin = fmin(ymin, net->y[i]), ymax = fmax(ymax, net->y[i]);
  }
  double size = fmax(xmax - xmin, ymax - ymin);
  if (!(umax > 0) || !(size > 0)) return 1;
  double want = size / 6 / umax, p = pow(10, floor(log10(want))), steps[3] = {1, 2, 5}, best = p;
  for (int k = 0; k < 3; ++k)
    if (steps[k] * p <= want) best = steps[k] * p;
  return best;
}

int mnn_plot_deformed(const mnn_network *net, const double *u_a, const char *label_a, const double *u_b,
                      const char *label_b, const char *title, const char *svg_path, double *magnification,
                      mnn_error *err) {
  if (!net || net->n_nodes <= 0) return mnn_fail(err, "%s: the network has no nodes to draw", svg_path);
  double umax = 0;
  for (int i = 0; i < 2 * net->n_nodes; ++i) {
    if (!isfinite(u_a[i]) || (u_b && !isfinite(u_b[i])))
      return mnn_fail(err, "%s: displacement of node %d is not a number: the FEM stage did not record the deformation",
                      svg_path, net->node_id[i / 2]);
    umax = fmax(umax, fabs(u_a[i]));
    if (u_b) umax = fmax(umax, fabs(u_b[i]));
  }
  double mag = pick_magnification(net, umax);
  if (magnification) *magnification = mag;
  char paths[3][512] = {"", "", ""};
  FILE *fp[3] = {NULL, NULL, NULL};
  int bad = 0;
  for (int k = 0; k < 3 && !bad; ++k) bad = !(fp[k] = mnn_plot_data_file(paths[k], sizeof paths[k], err));
  if (!bad) {
    for (int b = 0; b < net->n_bonds; ++b) mnn_plot_bond_polygon(fp[0], net, b, 0);
    write_deformed(fp[1], net, u_a, mag);
    if (u_b) write_deformed(fp[2], net, u_b, mag);
  }
  for (int k = 0; k < 3; ++k)
    if (fp[k]) bad |= ferror(fp[k]) || fclose(fp[k]) != 0;
  if (bad) {
    for (int k = 0; k < 3; ++k)
      if (paths[k][0]) unlink(paths[k]);
    return mnn_fail(err, "%s: cannot write gnuplot's data (disk full?)", svg_path);
  }
  char full_title[256];
  snprintf(full_title, sizeof full_title, "%s (displacements x %g)", title ? title : "deformed shape", mag);
  char *qtitle = mnn_gnuplot_quote(full_title), *qa = mnn_gnuplot_quote(label_a ? label_a : "model"),
       *qb = mnn_gnuplot_quote(label_b ? label_b : "FEM");
  mnn_script sc = {0};
  mnn_script_add(&sc, "set terminal svg size 600,450 fixed enhanced font 'sans,11' background rgb 'white'\n");
  mnn_script_add(&sc, "set output '@OUTPUT@'\nset title %s noenhanced\n", qtitle ? qtitle : "''");
  mnn_script_add(&sc, "set size ratio -1\nset xlabel 'x (mm)'\nset ylabel 'y (mm)'\nset grid lc rgb '#eeeeee'\n");
  mnn_script_add(&sc, "set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05\nset key outside bottom center horizontal\n");
  mnn_script_add(&sc, "plot '%s' using 1:2 with filledcurves closed fc rgb '#e0e0e0' fs solid 1.0 border lc rgb '#c0c0c0' "
                      "title 'undeformed part', \\\n", paths[0]);
  mnn_script_add(&sc, "  '%s' using 1:2 with linespoints lw 2.5 lc rgb '#1f78b4' pt 7 ps 0.8 title %s noenhanced", paths[1],
                 qa ? qa : "''");
  if (u_b)
    mnn_script_add(&sc, ", \\\n  '%s' using 1:2 with linespoints lw 2.5 dt 2 lc rgb '#e31a1c' pt 6 ps 1.0 title %s noenhanced",
                   paths[2], qb ? qb : "''");
  mnn_script_add(&sc, "\n");
  int rc;
  if (sc.failed || !qtitle || !qa || !qb) rc = mnn_fail(err, "%s: out of memory", svg_path);
  else rc = mnn_gnuplot_render(sc.text, svg_path, err);
  free(sc.text);
  free(qtitle);
  free(qa);
  free(qb);
  for (int k = 0; k < 3; ++k) unlink(paths[k]);
  return rc;
}
