/* The bar model's commands run as a user would (MNN_EXE): `mnn respond` prints
 * the CSV displacements (docs/model.md's check at node 14) and elongations, `mnn
 * gradient` writes its two CSV files with an adjoint that matches the forward
 * differences, and bad input gives one error line and a non-zero exit. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "network.h"
#include "network_file.h"
#include "test_util.h"

static char g_dir[] = "/tmp/mnn_test_bar_commands_XXXXXX";

/* Runs a shell command; stdout into out (NUL-terminated), stderr into err. */
static int run(const char *cmd, char *out, size_t out_size, char *errbuf, size_t err_size) {
  char full[4096], errpath[512];
  snprintf(errpath, sizeof errpath, "%s/stderr.txt", g_dir);
  snprintf(full, sizeof full, "%s 2>%s", cmd, errpath);
  FILE *p = popen(full, "r");
  if (!p) return -1;
  size_t n = fread(out, 1, out_size - 1, p);
  out[n] = 0;
  int status = pclose(p);
  FILE *e = fopen(errpath, "r");
  n = e ? fread(errbuf, 1, err_size - 1, e) : 0;
  errbuf[n] = 0;
  if (e) fclose(e);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int count_lines(const char *s) {
  int n = 0;
  for (; *s; ++s) n += *s == '\n';
  return n;
}

static char *read_text(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  char *buf = calloc(1 << 20, 1);
  size_t n = fread(buf, 1, (1 << 20) - 1, f);
  buf[n] = 0;
  fclose(f);
  return buf;
}

int main(void) {
  const char *exe = getenv("MNN_EXE");
  if (!exe) {
    fprintf(stderr, "MNN_EXE is not set: run this test through ctest\n");
    return 1;
  }
  CHECK(mkdtemp(g_dir) != NULL);
  mnn_error err;
  char net_path[512], cmd[2048], path[600];
  static char out[1 << 16], errs[1 << 12];
  snprintf(net_path, sizeof net_path, "%s/paper.xml", g_dir);
  mnn_network *net = mnn_lattice_paper(&err);
  CHECK(net && mnn_network_write(net, net_path, &err) == 0);

  /* respond: docs/model.md's second check through the command line */
  snprintf(cmd, sizeof cmd, "'%s' respond '%s' --load 13:0:-0.098", exe, net_path);
  CHECK(run(cmd, out, sizeof out, errs, sizeof errs) == 0);
  CHECK(strncmp(out, "node,ux,uy\n", 11) == 0);
  CHECK(count_lines(out) == 15);
  const char *row = strstr(out, "\n14,");
  double ux = 0, uy = 0;
  CHECK(row && sscanf(row + 4, "%lf,%lf", &ux, &uy) == 2);
  CHECK_CLOSE(uy * 1e3, -0.80521, 5e-6, 0);
  CHECK(strstr(out, "\n1,0.000000000e+00,0.000000000e+00\n") != NULL);
  snprintf(cmd, sizeof cmd, "'%s' respond '%s' --load 11:0:-0.049 --elongations", exe, net_path);
  CHECK(run(cmd, out, sizeof out, errs, sizeof errs) == 0);
  CHECK(count_lines(out) == 15 + 1 + 29);
  CHECK_CONTAINS(out, "\n\nbond,elongation\n");
  row = strstr(out, "\n13,");
  CHECK(row && sscanf(row + 4, "%lf,%lf", &ux, &uy) == 2);
  CHECK_CLOSE(uy * 1e3, -0.524293, 5e-7, 0);
  /* a load on a support is a warning; -q prints nothing but errors */
  snprintf(cmd, sizeof cmd, "'%s' respond '%s' --load 1:0:-0.1 --load 13:0:-0.098", exe, net_path);
  CHECK(run(cmd, out, sizeof out, errs, sizeof errs) == 0);
  CHECK_CONTAINS(errs, "mnn: warning: respond: node 1 is a support");
  snprintf(cmd, sizeof cmd, "'%s' respond '%s' --load 1:0:-0.1 --load 13:0:-0.098 -q", exe, net_path);
  CHECK(run(cmd, out, sizeof out, errs, sizeof errs) == 0);
  CHECK_MSG(errs[0] == '\0' && count_lines(out) == 15, "-q printed: %s", errs);

  /* gradient: both files, the adjoint against the best forward difference */
  snprintf(cmd, sizeof cmd, "'%s' gradient '%s' -o '%s/study'", exe, net_path, g_dir);
  CHECK(run(cmd, out, sizeof out, errs, sizeof errs) == 0);
  CHECK_CONTAINS(out, "adjoint 1 factorisation(s) + 2 solves");
  CHECK_CONTAINS(out, "forward differences 421 factorisations + 421 solves");
  snprintf(path, sizeof path, "%s/study/gradient_steps.csv", g_dir);
  char *steps = read_text(path);
  CHECK(steps != NULL);
  if (steps) {
    CHECK(strncmp(steps, "step,forward_error,central_error\n", 33) == 0);
    CHECK(count_lines(steps) == 16);
    double h, fe, ce, best = 1;
    for (const char *l = strchr(steps, '\n'); l && sscanf(l + 1, "%lf,%lf,%lf", &h, &fe, &ce) == 3; l = strchr(l + 1, '\n'))
      best = fmin(best, fe);
    CHECK_MSG(best < 1e-5, "best forward-difference error %g", best);
    CHECK(strstr(steps, "1.000000e-12,") != NULL && strstr(steps, "1.000000e+02,") != NULL);
  }
  snprintf(path, sizeof path, "%s/study/gradient_bonds.csv", g_dir);
  char *bonds = read_text(path);
  CHECK(bonds != NULL);
  if (bonds) {
    CHECK(strncmp(bonds, "bond,from,to,adjoint,forward_difference\n", 40) == 0);
    CHECK(count_lines(bonds) == 29);
    int b, a, c, n = 0;
    double adj, fd, maxadj = 0, maxdiff = 0;
    for (const char *l = strchr(bonds, '\n'); l && sscanf(l + 1, "%d,%d,%d,%lf,%lf", &b, &a, &c, &adj, &fd) == 5;
         l = strchr(l + 1, '\n'), ++n)
      maxadj = fmax(maxadj, fabs(adj)), maxdiff = fmax(maxdiff, fabs(adj - fd));
    CHECK(n == 28);
    CHECK_MSG(maxdiff < 1e-5 * maxadj, "adjoint vs forward differences %g of %g", maxdiff, maxadj);
  }
  free(steps), free(bonds);

  /* bad input: a bond to a node that does not exist */
  snprintf(path, sizeof path, "%s/bad.xml", g_dir);
  FILE *f = fopen(path, "w");
  fprintf(f, "<network thickness=\"0.002\" youngs-modulus=\"5.5e5\" poisson-ratio=\"0.45\">\n"
             "  <node id=\"1\" x=\"0\" y=\"0\"/>\n  <node id=\"2\" x=\"0.016\" y=\"0\"/>\n"
             "  <bond id=\"1\" from=\"1\" to=\"7\" width=\"0.002\"/>\n  <support node=\"1\"/>\n</network>\n");
  fclose(f);
  for (int which = 0; which < 2; ++which) {
    if (which == 0) snprintf(cmd, sizeof cmd, "'%s' respond '%s' --load 2:0:-0.1", exe, path);
    else snprintf(cmd, sizeof cmd, "'%s' gradient '%s' -o '%s/bad_study'", exe, path, g_dir);
    CHECK(run(cmd, out, sizeof out, errs, sizeof errs) != 0);
    CHECK(out[0] == 0);
    CHECK(count_lines(errs) == 1);
    CHECK_CONTAINS(errs, "mnn: error:");
    CHECK_CONTAINS(errs, "bad.xml");
  }
  snprintf(path, sizeof path, "%s/bad_study", g_dir);
  CHECK(access(path, F_OK) != 0); /* nothing written */
  /* a mechanism: support 5 removed */
  net->fixed[4] = 0;
  snprintf(path, sizeof path, "%s/loose.xml", g_dir);
  CHECK(mnn_network_write(net, path, &err) == 0);
  snprintf(cmd, sizeof cmd, "'%s' respond '%s' --load 13:0:-0.098", exe, path);
  CHECK(run(cmd, out, sizeof out, errs, sizeof errs) != 0);
  CHECK(out[0] == 0 && count_lines(errs) == 1);
  CHECK_CONTAINS(errs, "1 zero mode (mechanism)");
  /* bad options */
  snprintf(cmd, sizeof cmd, "'%s' respond '%s' --load 13:x:1", exe, net_path);
  CHECK(run(cmd, out, sizeof out, errs, sizeof errs) != 0 && count_lines(errs) == 1);
  snprintf(cmd, sizeof cmd, "'%s' respond '%s'", exe, net_path);
  CHECK(run(cmd, out, sizeof out, errs, sizeof errs) != 0 && count_lines(errs) == 1);
  CHECK_CONTAINS(errs, "--load");
  snprintf(cmd, sizeof cmd, "'%s' gradient '%s' --output-node 99 -o '%s/x'", exe, net_path, g_dir);
  CHECK(run(cmd, out, sizeof out, errs, sizeof errs) != 0 && count_lines(errs) == 1);
  CHECK_CONTAINS(errs, "output node 99");

  mnn_network_free(net);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  CHECK(system(cmd) == 0);
  return mnn_test_finish();
}
