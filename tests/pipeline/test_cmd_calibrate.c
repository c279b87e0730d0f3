/* mnn calibrate --length-classes end to end: a truss with two bond lengths (12 mm
 * sides, 17 mm diagonals) is meshed and calibrated against its 3D FEM; the file
 * gets one factor per length, the fit beats the single factor, --dry-run writes
 * nothing, and a bad input node gives one error line. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "network_file.h"
#include "cli_test_util.h"
#include "test_util.h"


static const char *truss =
    "<?xml version=\"1.0\"?>\n<network thickness=\"0.002\">\n"
    "<node id=\"1\" x=\"0\" y=\"0\"/><node id=\"2\" x=\"0.012\" y=\"0\"/><node id=\"3\" x=\"0.024\" y=\"0\"/>\n"
    "<node id=\"4\" x=\"0\" y=\"0.012\"/><node id=\"5\" x=\"0.012\" y=\"0.012\"/><node id=\"6\" x=\"0.024\" y=\"0.012\"/>\n"
    "<bond id=\"1\" from=\"1\" to=\"2\" width=\"0.0018\"/><bond id=\"2\" from=\"2\" to=\"3\" width=\"0.002\"/>\n"
    "<bond id=\"3\" from=\"4\" to=\"5\" width=\"0.0022\"/><bond id=\"4\" from=\"5\" to=\"6\" width=\"0.002\"/>\n"
    "<bond id=\"5\" from=\"1\" to=\"4\" width=\"0.002\"/><bond id=\"6\" from=\"2\" to=\"5\" width=\"0.0019\"/>\n"
    "<bond id=\"7\" from=\"3\" to=\"6\" width=\"0.002\"/><bond id=\"8\" from=\"1\" to=\"5\" width=\"0.002\"/>\n"
    "<bond id=\"9\" from=\"2\" to=\"6\" width=\"0.0021\"/>\n"
    "<support node=\"1\"/><support node=\"4\"/>\n</network>\n";

/* The number after "label" in the output, or -1. */
static double number_after(const char *label) {
  const char *p = strstr(output, label);
  return p ? atof(p + strlen(label)) : -1;
}

int main(void) {
  if (!getenv("MNN_EXE")) return fprintf(stderr, "MNN_EXE must be set (ctest sets it)\n"), 1;
  char dir[] = "/tmp/mnn_test_calibrate_XXXXXX", net[512], msh[512], cal[512], args[2048];
  CHECK(mkdtemp(dir) != NULL);
  snprintf(net, sizeof net, "%s/truss.xml", dir);
  snprintf(msh, sizeof msh, "%s/truss.msh", dir);
  snprintf(cal, sizeof cal, "%s/calibrated.xml", dir);
  FILE *fp = fopen(net, "w");
  CHECK(fp != NULL);
  if (!fp) return mnn_test_finish();
  fputs(truss, fp);
  fclose(fp);

  snprintf(args, sizeof args, "mesh %s -o %s --refine 0.5 -q", net, msh);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);

  snprintf(args, sizeof args, "calibrate %s %s --length-classes --dry-run -o %s", net, msh, cal);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  printf("%s", output);
  CHECK(access(cal, F_OK) != 0); /* --dry-run wrote nothing */
  double diff_one = number_after("with the file's factors, ");
  const char *p = strstr(output, "per bond-length class");
  double diff_classes = -1;
  if (p && (p = strstr(p, "relative Frobenius difference "))) diff_classes = atof(p + strlen("relative Frobenius difference "));
  printf("single factor leaves %.4f, two classes leave %.4f\n", diff_one, diff_classes);
  CHECK(diff_one > 0 && diff_classes > 0 && diff_classes < diff_one);

  snprintf(args, sizeof args, "calibrate %s %s --length-classes -o %s -q", net, msh, cal);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  mnn_error err;
  mnn_network *c = mnn_network_read(cal, &err);
  CHECK_MSG(c != NULL, "%s", err.message);
  if (c) {
    CHECK(c->calibration.n_classes == 2);
    CHECK_CLOSE(c->calibration.class_length[0], 0.012, 1e-9, 0);
    CHECK_CLOSE(c->calibration.class_length[1], 0.012 * 1.4142135623730951, 1e-9, 0);
    /* the FEM is softer than the bar model: factors below 1, and different */
    for (int k = 0; k < 2; ++k) CHECK(c->calibration.class_factor[k] > 0.6 && c->calibration.class_factor[k] < 1.05);
    CHECK(c->calibration.factor > 0.6 && c->calibration.factor < 1.0);
    CHECK(fabs(c->calibration.class_factor[0] - c->calibration.class_factor[1]) > 0.02);
    CHECK(mnn_bond_stiffness_factor(c, 7) == c->calibration.class_factor[1]); /* bond 8 is a diagonal */
  }
  mnn_network_free(c);

  /* factor and joint compliance: the truss has widths 1.8-2.2 mm, enough to tell them apart */
  snprintf(args, sizeof args, "calibrate %s %s --joint-compliance -o %s", net, msh, cal);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  printf("%s", output);
  double rms = number_after("rms difference ");
  printf("factor + joint compliance leave %.4f, one factor %.4f\n", rms, diff_one);
  CHECK(rms > 0 && rms < diff_one); /* two parameters fit better than one */
  c = mnn_network_read(cal, &err);
  CHECK_MSG(c != NULL, "%s", err.message);
  if (c) {
    CHECK(c->calibration.joint_compliance > 0 && c->calibration.n_classes == 0 && c->calibration.factor > 0);
  }
  mnn_network_free(c);
  snprintf(args, sizeof args, "calibrate %s %s %s %s --dry-run", net, msh, net, msh);
  CHECK(run_mnn(args) != 0);
  CHECK_CONTAINS(output, "only with --joint-compliance");
  CHECK(one_line());
  snprintf(args, sizeof args, "calibrate %s %s --joint-compliance --length-classes", net, msh);
  CHECK(run_mnn(args) != 0);
  CHECK_CONTAINS(output, "choose one");
  snprintf(args, sizeof args, "calibrate %s %s %s %s --joint-compliance -o %s", net, msh, net, msh, cal);
  CHECK(run_mnn(args) != 0);
  CHECK_CONTAINS(output, "drop -o");

  snprintf(args, sizeof args, "calibrate %s %s --inputs 9 --dry-run", net, msh);
  CHECK(run_mnn(args) != 0);
  CHECK_CONTAINS(output, "no node 9");
  CHECK(one_line());

  snprintf(args, sizeof args, "rm -rf '%s'", dir);
  CHECK(system(args) == 0);
  return mnn_test_finish();
}
