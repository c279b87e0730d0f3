/* Pictures by gnuplot and the HTML page: the SVG files are produced, parse as
 * XML and hold real drawing (one filled polygon per bond at least, curves as
 * paths); a missing gnuplot or a failing run is a clear error that leaves no
 * file behind; the page shows the tables and links the pictures. */
#include <dirent.h>
#include <libxml/parser.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include "network.h"
#include "plot.h"
#include "report.h"
#include "report_html.h"
#include "export/export_test_util.h"
#include "test_util.h"

static void count_elements(xmlNodePtr n, const char *name, int *count) {
  for (; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name)) ++*count;
    count_elements(n->children, name, count);
  }
}

/* Parses an SVG; returns the number of <name> elements, or -1 if it does not parse. */
static int svg_count(const char *path, const char *name) {
  xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) return -1;
  xmlNodePtr root = xmlDocGetRootElement(doc);
  int count = 0;
  if (root && !strcmp((const char *)root->name, "svg")) count_elements(root, name, &count);
  else count = -1;
  xmlFreeDoc(doc);
  return count;
}

int main(void) {
  mnn_error err;
  char dir[] = "/tmp/mnn_test_pictures_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[512], csv[512], fd_csv[512], cmd[700];
  mnn_network *net = mnn_lattice_paper(&err);
  for (int b = 0; b < net->n_bonds; ++b) net->width[b] = 0.0015 + 0.001 * b / (net->n_bonds - 1);

  char *gp = mnn_gnuplot_find(&err);
  CHECK_MSG(gp != NULL, "gnuplot is needed for this test: %s", err.message);
  free(gp);

  /* the network to scale */
  snprintf(path, sizeof path, "%s/network.svg", dir);
  CHECK_MSG(mnn_plot_network(net, NULL, NULL, "paper network", path, &err) == 0, "%s", err.message);
  int polygons = svg_count(path, "polygon");
  CHECK_MSG(polygons >= net->n_bonds + net->n_nodes, "%d polygons", polygons);
  CHECK(svg_count(path, "path") > 10);
  char *svg = slurp(path);
  CHECK(svg && strstr(svg, "paper network"));
  CHECK(svg && strstr(svg, ">14<"));  /* node labels */
  free(svg);

  /* coloured by a value per bond: the fills use more than one colour */
  double *values = malloc(sizeof(double) * (size_t)net->n_bonds);
  for (int b = 0; b < net->n_bonds; ++b) values[b] = sin(b);
  values[0] = 1, values[1] = -1; /* both ends of the scale */
  snprintf(path, sizeof path, "%s/gradient.svg", dir);
  CHECK_MSG(mnn_plot_network(net, values, "difference", "coloured", path, &err) == 0, "%s", err.message);
  svg = slurp(path);
  CHECK(svg && strstr(svg, "rgb(178,  24,  43)") && strstr(svg, "rgb( 33, 102, 172)")); /* both ends of the palette */
  free(svg);
  free(values);

  /* training curves from a history CSV */
  snprintf(csv, sizeof csv, "%s/history it's.csv", dir);  /* a quote in the name */
  FILE *fp = fopen(csv, "w");
  fprintf(fp, "epoch,loss,train_accuracy,test_accuracy\n");
  for (int e = 0; e <= 100; ++e) fprintf(fp, "%d,%.6g,%.4f,%.4f\n", e, 1.32 * exp(-e / 40.0) + 0.6, 0.3 + 0.0065 * e, 0.3 + 0.0066 * e);
  fclose(fp);
  snprintf(path, sizeof path, "%s/training.svg", dir);
  CHECK_MSG(mnn_plot_training_curves(csv, "iris", path, &err) == 0, "%s", err.message);
  CHECK(svg_count(path, "path") > 10);
  svg = slurp(path);
  /* two panels (loss, accuracy) with readable names, and a fixed size for the page */
  CHECK(svg && strstr(svg, "test accuracy") && strstr(svg, "training loss") && strstr(svg, ">accuracy<"));
  CHECK(svg && strstr(svg, "width=\"1000\"") && strstr(svg, "height=\"420\""));
  free(svg);
  /* a flat loss (the Iris softmax with a 1 m length: 1.098617 -> 1.098592) is drawn on
   * a linear axis whose labels show the change, not as a straight line at 10^0 */
  snprintf(csv, sizeof csv, "%s/flat.csv", dir);
  fp = fopen(csv, "w");
  fprintf(fp, "epoch,loss,test_accuracy\n");
  for (int e = 0; e <= 10; ++e) fprintf(fp, "%d,%.9g,%.3f\n", e, 1.098617 - 2.5e-6 * e, 0.3 + 0.06 * e);
  fclose(fp);
  snprintf(path, sizeof path, "%s/flat.svg", dir);
  CHECK_MSG(mnn_plot_training_curves(csv, "flat", path, &err) == 0, "%s", err.message);
  svg = slurp(path);
  CHECK(svg && strstr(svg, "1.0986") && strstr(svg, "10^{") == NULL && strstr(svg, ">10<") == NULL);
  free(svg);

  /* the task's marks: input arrows and named output rings */
  mnn_plot_input ins[2] = {{14, 'y', -0.04}, {13, 'x', 0.02}};
  mnn_plot_output outs[1] = {{8, "out 1: setosa"}};
  mnn_plot_marks marks = {2, 1, ins, outs};
  snprintf(path, sizeof path, "%s/marked.svg", dir);
  CHECK_MSG(mnn_plot_network_marked(net, NULL, NULL, &marks, "marked", path, &err) == 0, "%s", err.message);
  svg = slurp(path);
  CHECK(svg && strstr(svg, "out 1: setosa") && strstr(svg, "input force") && strstr(svg, "output (class)"));
  CHECK(svg && strstr(svg, "in 1: F") && strstr(svg, "in 2: F"));
  free(svg);

  /* the deformed shape: both models, magnification in the title */
  double *ua = calloc(2 * (size_t)net->n_nodes, sizeof *ua), *ub = calloc(2 * (size_t)net->n_nodes, sizeof *ub), mag = 0;
  for (int i = 0; i < net->n_nodes; ++i) ua[2 * i + 1] = -1e-4 * i, ub[2 * i + 1] = -1.1e-4 * i;
  snprintf(path, sizeof path, "%s/deformed.svg", dir);
  CHECK_MSG(mnn_plot_deformed(net, ua, "trained model", ub, "FEM of the part", "deformed", path, &mag, &err) == 0, "%s",
            err.message);
  /* largest displacement 1.43 mm, part 68 mm wide: a sixth of it is 11 mm, so x 5 */
  CHECK(mag == 5);
  svg = slurp(path);
  CHECK(svg && strstr(svg, "displacements x 5") && strstr(svg, "trained model") && strstr(svg, "FEM of the part"));
  free(svg);
  ub[3] = NAN;
  snprintf(path, sizeof path, "%s/deformed-nan.svg", dir);
  CHECK(mnn_plot_deformed(net, ua, NULL, ub, NULL, NULL, path, NULL, &err) != 0);
  CHECK_CONTAINS(err.message, "not a number");
  CHECK(!file_exists(path));
  free(ua);
  free(ub);

  /* the Fig. 1 plot, log-log, zero errors left out */
  snprintf(fd_csv, sizeof fd_csv, "%s/fd.csv", dir);
  fp = fopen(fd_csv, "w");
  fprintf(fp, "step,forward_error,central_error,adjoint_error\n");
  for (int k = -12; k <= 2; ++k) {
    double h = pow(10, k);
    fprintf(fp, "%.3g,%.6g,%.6g,0\n", h, 1e-16 / h + 0.3 * h, 1e-16 / h + 0.01 * h * h);
  }
  fclose(fp);
  snprintf(path, sizeof path, "%s/error.svg", dir);
  CHECK_MSG(mnn_plot_error_vs_step(fd_csv, NULL, path, &err) == 0, "%s", err.message);
  CHECK(svg_count(path, "path") > 10);
  svg = slurp(path);
  CHECK(svg && strstr(svg, "central_error") && strstr(svg, "10^{") == NULL); /* enhanced text rendered, not raw */
  CHECK(svg && strstr(svg, "adjoint_error: zero at every step"));
  free(svg);

  /* errors: missing CSV, empty CSV, missing folder, missing gnuplot */
  snprintf(path, sizeof path, "%s/none.svg", dir);
  CHECK(mnn_plot_training_curves("/nonexistent/history.csv", NULL, path, &err) != 0);
  CHECK_CONTAINS(err.message, "/nonexistent/history.csv: cannot open");
  snprintf(csv, sizeof csv, "%s/empty.csv", dir);
  fp = fopen(csv, "w");
  fprintf(fp, "epoch,loss\n");
  fclose(fp);
  CHECK(mnn_plot_training_curves(csv, NULL, path, &err) != 0);
  CHECK_CONTAINS(err.message, "no data rows");
  CHECK(!file_exists(path));
  snprintf(path, sizeof path, "%s/missing/network.svg", dir);
  CHECK(mnn_plot_network(net, NULL, NULL, NULL, path, &err) != 0);
  CHECK_CONTAINS(err.message, "cannot write into the folder");
  CHECK(!file_exists(path));
  /* gnuplot's own failure: a loss column with no number in it */
  snprintf(csv, sizeof csv, "%s/zero.csv", dir);
  fp = fopen(csv, "w");
  fprintf(fp, "epoch,loss\n0,none\n1,none\n");
  fclose(fp);
  snprintf(path, sizeof path, "%s/zero.svg", dir);
  CHECK(mnn_plot_training_curves(csv, NULL, path, &err) != 0);
  CHECK_CONTAINS(err.message, "gnuplot failed: ");
  CHECK(!file_exists(path));
  setenv("MNN_GNUPLOT", "/bin/false", 1);  /* a program that fails without a word */
  CHECK(mnn_plot_network(net, NULL, NULL, NULL, path, &err) != 0);
  CHECK_CONTAINS(err.message, "gnuplot failed: no picture was written");
  CHECK(!file_exists(path));
  setenv("MNN_GNUPLOT", "/nonexistent/gnuplot", 1);
  snprintf(path, sizeof path, "%s/nognuplot.svg", dir);
  CHECK(mnn_plot_network(net, NULL, NULL, NULL, path, &err) != 0);
  CHECK_CONTAINS(err.message, "MNN_GNUPLOT");
  unsetenv("MNN_GNUPLOT");
  char *saved_path = strdup(getenv("PATH") ? getenv("PATH") : "");
  setenv("PATH", "/nonexistent", 1);
  CHECK(mnn_plot_network(net, NULL, NULL, NULL, path, &err) != 0);
  CHECK_CONTAINS(err.message, "gnuplot-nox");
  setenv("PATH", saved_path, 1);
  free(saved_path);
  CHECK(!file_exists(path));
  CHECK(temp_files_in(dir) == 0);

  /* the HTML page with its pictures */
  mnn_report *r = mnn_report_create();
  snprintf(r->case_name, sizeof r->case_name, "iris <test>");
  mnn_report_add_tool(r, "mnn", "0.1.0", &err);
  mnn_report_set_network(r, net, &err);
  for (int b = 0; b < net->n_bonds; ++b) mnn_report_set_bond_gradient(r, net->bond_id[b], cos(b), cos(b) * 1.1, &err);
  mnn_report_add_output(r, 14, 'y', -8e-4, -9.2e-4, &err);
  r->has_training = 1, r->epochs = 100, r->initial_loss = 1.32, r->final_loss = 0.652;
  mnn_report_add_metric(r, "test-accuracy", 0.964, &err);
  CHECK(mnn_report_compute(r, NULL, &err) == 0);
  snprintf(path, sizeof path, "%s/iris.html", dir);
  snprintf(csv, sizeof csv, "%s/history it's.csv", dir);
  mnn_html_sources src = {net, csv, fd_csv};
  CHECK_MSG(mnn_report_html_with_pictures(r, &src, path, &err) == 0, "%s", err.message);
  char *html = slurp(path);
  CHECK(html != NULL);
  if (html) {
    CHECK_CONTAINS(html, "<img src=\"iris_network.svg\"");
    CHECK_CONTAINS(html, "<img src=\"iris_gradient.svg\"");
    CHECK_CONTAINS(html, "<img src=\"iris_training.svg\"");
    CHECK_CONTAINS(html, "<img src=\"iris_error_vs_step.svg\"");
    CHECK_CONTAINS(html, "iris &lt;test&gt;");
    CHECK_CONTAINS(html, "cosine between the two gradients");
    /* the verdict comes first, its discrepancies folded under its lines */
    CHECK(strstr(html, "Verdict: ") && strstr(html, "Verdict: ") < strstr(html, "<img"));
    CHECK_CONTAINS(html, "<li class=\"warning\">warning: output u_y of node 14");
    CHECK_CONTAINS(html, "width=\"1000\" height=\"420\"");
    CHECK(strstr(html, "<script") == NULL);
    free(html);
  }
  const char *pics[] = {"iris_network.svg", "iris_gradient.svg", "iris_training.svg", "iris_error_vs_step.svg"};
  for (int i = 0; i < 4; ++i) {
    snprintf(path, sizeof path, "%s/%s", dir, pics[i]);
    CHECK_MSG(svg_count(path, "path") > 5, "%s", pics[i]);
  }
  /* a failing picture stops the page: nothing half-made */
  snprintf(path, sizeof path, "%s/broken.html", dir);
  mnn_html_sources bad = {NULL, "/nonexistent.csv", NULL};
  CHECK(mnn_report_html_with_pictures(r, &bad, path, &err) != 0);
  CHECK(!file_exists(path));
  CHECK(temp_files_in(dir) == 0);
  mnn_report_free(r);
  mnn_network_free(net);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK(system(cmd) == 0);
  return mnn_test_finish();
}
