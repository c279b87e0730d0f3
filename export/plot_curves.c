/* Curves drawn by gnuplot straight from CSV files: the training history (loss in
 * one panel, accuracies or MSE beside it) and the Fig. 1 error-vs-step plot
 * (log-log, one curve per error column). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plot.h"

#define MAX_COLUMNS 32

static void free_names(char **names, int n) {
  for (int i = 0; i < n; ++i) free(names[i]);
}

/* Number of data rows (non-empty lines after the header). */
static int count_rows(const char *csv) {
  FILE *fp = fopen(csv, "r");
  if (!fp) return 0;
  char line[4096];
  int rows = -1;
  while (fgets(line, sizeof line, fp))
    if (strspn(line, " \t\r\n") < strlen(line)) ++rows;
  fclose(fp);
  return rows < 0 ? 0 : rows;
}

/* Smallest and largest positive value of column col (0-based) over the data rows. */
static void column_range(const char *csv, int col, double *lo, double *hi) {
  FILE *fp = fopen(csv, "r");
  if (!fp) return;
  char line[4096];
  int first = 1;
  while (fgets(line, sizeof line, fp)) {
    if (first) {
      first = 0;
      continue;
    }
    char *p = line;
    for (int c = 0; c < col && p; ++c) {
      p = strchr(p, ',');
      if (p) ++p;
    }
    double v = p ? strtod(p, NULL) : 0;
    if (v > 0) *lo = v < *lo ? v : *lo, *hi = v > *hi ? v : *hi;
  }
  fclose(fp);
}

/* 1 if column col (0-based) has a positive value in some data row. */
static int column_has_positive(const char *csv, int col) {
  double lo = INFINITY, hi = 0;
  column_range(csv, col, &lo, &hi);
  return hi > 0;
}

static int render(mnn_script *sc, char *qcsv, char *qtitle, const char *svg_path, mnn_error *err) {
  int rc;
  if (sc->failed || !qcsv || !qtitle) rc = mnn_fail(err, "%s: out of memory", svg_path);
  else rc = mnn_gnuplot_render(sc->text, svg_path, err);
  free(sc->text);
  free(qcsv);
  free(qtitle);
  return rc;
}

/* A readable name for a history column ("test_accuracy" -> "test accuracy"). */
static void column_label(const char *name, char *out, size_t n) {
  snprintf(out, n, "%s", !strcmp(name, "loss") ? "training loss" : name);
  for (char *p = out; *p; ++p)
    if (*p == '_') *p = ' ';
}

/* One panel: the columns whose name does (want_loss) or does not contain "loss". */
static void add_panel(mnn_script *sc, const char *qcsv, char **names, int n, int want_loss) {
  mnn_script_add(sc, "plot");
  int first = 1;
  for (int i = 1; i < n; ++i) {
    if ((strstr(names[i], "loss") != NULL) != want_loss) continue;
    char label[96];
    column_label(names[i], label, sizeof label);
    char *qname = mnn_gnuplot_quote(label);
    mnn_script_add(sc, "%s %s skip 1 using 1:%d with lines lw 2.5 title %s noenhanced", first ? "" : ",", qcsv ? qcsv : "''",
                   i + 1, qname ? qname : "''");
    free(qname);
    first = 0;
  }
  mnn_script_add(sc, "\n");
}

int mnn_plot_training_curves(const char *csv, const char *title, const char *svg_path, mnn_error *err) {
  char *names[MAX_COLUMNS];
  int n = mnn_csv_header(csv, names, MAX_COLUMNS, err);
  if (n < 0) return -1;
  if (count_rows(csv) == 0) {
    free_names(names, n);
    return mnn_fail(err, "%s: no data rows after the header: the training wrote no history", csv);
  }
  int n_loss = 0, n_metric = 0, accuracy = 0;
  double lo = INFINITY, hi = 0;
  for (int i = 1; i < n; ++i) {
    if (strstr(names[i], "loss")) {
      ++n_loss;
      column_range(csv, i, &lo, &hi);
    } else {
      ++n_metric;
      accuracy |= strstr(names[i], "accuracy") != NULL;
    }
  }
  char *qcsv = mnn_gnuplot_quote(csv), *qtitle = mnn_gnuplot_quote(title ? title : "training");
  char *qx = mnn_gnuplot_quote(names[0]);
  mnn_script sc = {0};
  int panels = (n_loss > 0) + (n_metric > 0);
  mnn_script_add(&sc, "set terminal svg size %d,420 fixed enhanced font 'sans,12' background rgb 'white'\n",
                 panels > 1 ? 1000 : 600);
  mnn_script_add(&sc, "set output '@OUTPUT@'\nset datafile separator ','\n");
  mnn_script_add(&sc, "set multiplot layout 1,%d title %s noenhanced\n", panels, qtitle ? qtitle : "''");
  mnn_script_add(&sc, "set xlabel %s noenhanced\nset grid\nset key top right box opaque\n", qx ? qx : "''");
  if (n_loss > 0) {
    /* a log axis only when the loss spans more than a decade: a flat softmax loss
     * (1.098617 -> 1.098592) must show its change, not a straight line */
    if (hi > 10 * lo) mnn_script_add(&sc, "set logscale y\nset format y '10^{%%L}'\n");
    else mnn_script_add(&sc, "unset logscale y\nset format y '%%.7g'\n");
    mnn_script_add(&sc, "set ylabel 'loss' noenhanced\nset title 'loss'\n");
    add_panel(&sc, qcsv, names, n, 1);
  }
  if (n_metric > 0) {
    mnn_script_add(&sc, "unset logscale y\nset format y '%%g'\n");
    if (accuracy) mnn_script_add(&sc, "set yrange [0:1.02]\nset ylabel 'accuracy'\nset title 'accuracy'\nset key bottom right\n");
    else mnn_script_add(&sc, "set logscale y\nset format y '10^{%%L}'\nset ylabel 'metric'\nset title 'metric'\n");
    add_panel(&sc, qcsv, names, n, 0);
  }
  mnn_script_add(&sc, "unset multiplot\n");
  free(qx);
  free_names(names, n);
  return render(&sc, qcsv, qtitle, svg_path, err);
}

int mnn_plot_error_vs_step(const char *csv, const char *title, const char *svg_path, mnn_error *err) {
  char *names[MAX_COLUMNS];
  int n = mnn_csv_header(csv, names, MAX_COLUMNS, err);
  if (n < 0) return -1;
  if (count_rows(csv) == 0) {
    free_names(names, n);
    return mnn_fail(err, "%s: no data rows after the header: expected step,forward_error,central_error rows", csv);
  }
  char *qcsv = mnn_gnuplot_quote(csv), *qtitle = mnn_gnuplot_quote(title ? title : "gradient error against step size");
  mnn_script sc = {0};
  mnn_script_add(&sc, "set terminal svg size 800,520 fixed enhanced font 'sans,12' background rgb 'white'\n");
  mnn_script_add(&sc, "set output '@OUTPUT@'\nset datafile separator ','\nset title %s noenhanced\n", qtitle ? qtitle : "''");
  mnn_script_add(&sc, "set logscale xy\nset format x '10^{%%L}'\nset format y '10^{%%L}'\nset grid\n");
  char *qx = mnn_gnuplot_quote(names[0]);
  mnn_script_add(&sc, "set xlabel %s noenhanced\nset ylabel 'relative error of the gradient'\n", qx ? qx : "''");
  free(qx);
  mnn_script_add(&sc, "set key outside right top\nplot");
  for (int i = 1; i < n; ++i) {
    if (!column_has_positive(csv, i)) {
      /* an exact method (the adjoint): no point on a log axis, but say so in the key */
      size_t len = strlen(names[i]) + 48;
      char *label = malloc(len);
      if (label) snprintf(label, len, "%s: zero at every step", names[i]);
      char *qlabel = mnn_gnuplot_quote(label ? label : names[i]);
      mnn_script_add(&sc, "%s NaN with lines lw 2 title %s noenhanced", i > 1 ? "," : "", qlabel ? qlabel : "''");
      free(label), free(qlabel);
      continue;
    }
    char *qname = mnn_gnuplot_quote(names[i]);
    mnn_script_add(&sc, "%s %s skip 1 using 1:($%d > 0 ? $%d : 1/0) with linespoints lw 2 pt 7 ps 0.6 title %s noenhanced",
                   i > 1 ? "," : "", qcsv ? qcsv : "''", i + 1, i + 1, qname ? qname : "''");
    free(qname);
  }
  mnn_script_add(&sc, "\n");
  free_names(names, n);
  return render(&sc, qcsv, qtitle, svg_path, err);
}
