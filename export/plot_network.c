/* The network drawn to scale by gnuplot: every bond a filled polygon of its
 * width with half-width necks next to the nodes, node discs on top (supported
 * nodes in their own colour), node ids as labels; optionally the bonds coloured
 * by one value each on a diverging palette with a colour bar; optionally the
 * task's input forces as arrows and its outputs as named rings. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "plot.h"

/* Writes bond b's outline in mm (one closed block), with its value in column 3. */
void mnn_plot_bond_polygon(FILE *fp, const mnn_network *net, int b, double value) {
  double ax = net->x[net->bond_a[b]], ay = net->y[net->bond_a[b]];
  double dx, dy;
  mnn_bond_direction(net, b, &dx, &dy);
  double nx = -dy, ny = dx;
  double L = mnn_bond_length(net, b), w = net->width[b];
  double neck_end = fmin(net->joint.node_radius + net->joint.neck_length, 0.5 * L);
  /* (along, across) corners, counter-clockwise */
  const double s[12] = {0, neck_end, neck_end, L - neck_end, L - neck_end, L, L, L - neck_end, L - neck_end,
                        neck_end, neck_end, 0};
  const double t[12] = {-w / 4, -w / 4, -w / 2, -w / 2, -w / 4, -w / 4, w / 4, w / 4, w / 2, w / 2, w / 4, w / 4};
  for (int k = 0; k <= 12; ++k) {
    int i = k % 12;
    fprintf(fp, "%.9g %.9g %.9g\n", (ax + s[i] * dx + t[i] * nx) * 1e3, (ay + s[i] * dy + t[i] * ny) * 1e3, value);
  }
  fputc('\n', fp);
}

/* Arrows for the input forces and rings with names for the outputs. */
static void add_marks(mnn_script *sc, const mnn_network *net, const mnn_plot_marks *m) {
  double r = net->joint.node_radius * 1e3, len = 9.0;
  for (int i = 0; i < m->n_inputs; ++i) {
    int k = mnn_network_node_index(net, m->inputs[i].node);
    if (k < 0) continue;
    double x = net->x[k] * 1e3, y = net->y[k] * 1e3, f = m->inputs[i].force;
    double dx = m->inputs[i].component == 'x' ? (f < 0 ? -1 : 1) : 0, dy = m->inputs[i].component == 'y' ? (f < 0 ? -1 : 1) : 0;
    mnn_script_add(sc, "set arrow from %.6g,%.6g to %.6g,%.6g head filled size 1.8,25 lw 3 lc rgb '#d95f02' front\n",
                   x + dx * r, y + dy * r, x + dx * (r + len), y + dy * (r + len));
    mnn_script_add(sc, "set label 'in %d: F_%c' at %.6g,%.6g %s boxed tc rgb '#d95f02' font 'sans,11' front\n", i + 1,
                   m->inputs[i].component, x + dx * (r + len) + (dy != 0 ? 1.0 : 0), y + dy * (r + len + 1.5),
                   dy != 0 ? "left" : "center");
  }
  for (int o = 0; o < m->n_outputs; ++o) {
    int k = mnn_network_node_index(net, m->outputs[o].node);
    if (k < 0) continue;
    double x = net->x[k] * 1e3, y = net->y[k] * 1e3;
    mnn_script_add(sc, "set object circle at %.6g,%.6g size %.6g fs empty border lc rgb '#7570b3' lw 3 front\n", x, y,
                   r * 1.7);
    char *q = mnn_gnuplot_quote(m->outputs[o].name);
    mnn_script_add(sc, "set label %s at %.6g,%.6g center boxed tc rgb '#5e3c99' font 'sans,10' front noenhanced\n",
                   q ? q : "''", x, y + r * 1.7 + 1.8);
    free(q);
  }
}

int mnn_plot_network(const mnn_network *net, const double *bond_values, const char *value_label, const char *title,
                     const char *svg_path, mnn_error *err) {
  return mnn_plot_network_marked(net, bond_values, value_label, NULL, title, svg_path, err);
}

int mnn_plot_network_marked(const mnn_network *net, const double *bond_values, const char *value_label,
                            const mnn_plot_marks *marks, const char *title, const char *svg_path, mnn_error *err) {
  if (!net || net->n_nodes <= 0) return mnn_fail(err, "%s: the network has no nodes to draw", svg_path);
  char bonds_path[512] = "", nodes_path[512] = "";
  FILE *bonds = mnn_plot_data_file(bonds_path, sizeof bonds_path, err);
  if (!bonds) return -1;
  FILE *nodes = mnn_plot_data_file(nodes_path, sizeof nodes_path, err);
  if (!nodes) {
    fclose(bonds);
    unlink(bonds_path);
    return -1;
  }
  double vmax = 0;
  for (int b = 0; b < net->n_bonds; ++b) {
    double v = bond_values ? bond_values[b] : 0;
    if (isfinite(v)) vmax = fmax(vmax, fabs(v));
    mnn_plot_bond_polygon(bonds, net, b, isfinite(v) ? v : 0);
  }
  int n_fixed = 0;
  for (int i = 0; i < net->n_nodes; ++i) {
    fprintf(nodes, "%.9g %.9g %.9g %d %d\n", net->x[i] * 1e3, net->y[i] * 1e3, net->joint.node_radius * 1e3,
            net->fixed[i] ? 1 : 0, net->node_id[i]);
    n_fixed += net->fixed[i] != 0;
  }
  int bad = ferror(bonds) || ferror(nodes);
  bad |= fclose(bonds) != 0;
  bad |= fclose(nodes) != 0;
  if (bad) {
    unlink(bonds_path), unlink(nodes_path);
    return mnn_fail(err, "%s: cannot write gnuplot's data (disk full?)", svg_path);
  }
  if (vmax == 0) vmax = 1;

  char *qtitle = mnn_gnuplot_quote(title ? title : "");
  char *qlabel = mnn_gnuplot_quote(value_label ? value_label : "");
  mnn_script sc = {0};
  mnn_script_add(&sc, "set terminal svg size 600,450 fixed enhanced font 'sans,11' background rgb 'white'\n");
  mnn_script_add(&sc, "set output '@OUTPUT@'\n");
  if (title) mnn_script_add(&sc, "set title %s noenhanced\n", qtitle);
  mnn_script_add(&sc, "set size ratio -1\nset xlabel 'x (mm)'\nset ylabel 'y (mm)'\nset grid lc rgb '#dddddd'\n");
  /* room for the input arrows (9 mm and their labels) beyond the outermost nodes */
  if (marks && marks->n_inputs > 0) mnn_script_add(&sc, "set offsets 3, 3, 7, 15\n");
  else mnn_script_add(&sc, "set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05\n");
  mnn_script_add(&sc, "set key outside bottom center horizontal\n");
  if (marks) {
    mnn_script_add(&sc, "set style textbox opaque noborder margins 1,1\n");
    add_marks(&sc, net, marks);
  }
  const char *bond_style;
  if (bond_values) {
    mnn_script_add(&sc, "set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')\n");
    mnn_script_add(&sc, "set cbrange [%.9g:%.9g]\nset cblabel %s noenhanced\nset colorbox\n", -vmax, vmax, qlabel);
    bond_style = "with filledcurves closed fillcolor palette z fs solid 1.0 border lc rgb '#404040'";
  } else {
    mnn_script_add(&sc, "unset colorbox\n");
    bond_style = "with filledcurves closed fillcolor rgb '#7f7f7f' fs solid 1.0 border lc rgb '#404040'";
  }
  mnn_script_add(&sc, "plot '%s' using 1:2:3 %s title 'bond (width to scale)', \\\n", bonds_path, bond_style);
  /* outlines, so that bonds near the palette's white stay visible */
  mnn_script_add(&sc, "  '%s' using 1:2 with lines lc rgb '#606060' lw 0.6 notitle, \\\n", bonds_path);
  mnn_script_add(&sc, "  '%s' using ($4 == 0 ? $1 : 1/0):2:3 with circles fc rgb '#262626' fs solid 1.0 title 'node', \\\n",
                 nodes_path);
  if (n_fixed > 0)
    mnn_script_add(&sc, "  '%s' using ($4 == 1 ? $1 : 1/0):2:3 with circles fc rgb '#1b7837' fs solid 1.0 title 'supported node', \\\n",
                   nodes_path);
  if (marks && marks->n_inputs > 0)
    mnn_script_add(&sc, "  NaN with lines lw 3 lc rgb '#d95f02' title 'input force', \\\n");
  if (marks && marks->n_outputs > 0)
    mnn_script_add(&sc, "  NaN with lines lw 3 lc rgb '#7570b3' title 'output (class)', \\\n");
  if (net->n_nodes <= 80)
    mnn_script_add(&sc, "  '%s' using 1:2:(sprintf('%%d', $5)) with labels tc rgb 'white' font 'sans,8' notitle\n", nodes_path);
  else
    mnn_script_add(&sc, "  1/0 notitle\n");
  int rc;
  if (sc.failed || !qtitle || !qlabel) rc = mnn_fail(err, "%s: out of memory", svg_path);
  else rc = mnn_gnuplot_render(sc.text, svg_path, err);
  free(sc.text);
  free(qtitle);
  free(qlabel);
  unlink(bonds_path);
  unlink(nodes_path);
  return rc;
}
