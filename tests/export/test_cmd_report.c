/* `mnn report`: reads a report, prints its discrepancies, renders the HTML page
 * with the network pictures; bad input gives one error line and a non-zero exit. */
#include <stdlib.h>
#include <unistd.h>
#include "report.h"
#include "export/export_test_util.h"
#include "test_util.h"

int main(void) {
  const char *exe = getenv("MNN_EXE");
  CHECK_MSG(exe != NULL, "MNN_EXE is not set: run through ctest");
  if (!exe) return mnn_test_finish();
  mnn_error err;
  char dir[] = "/tmp/mnn_test_cmd_report_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char cmd[2048], path[600];
  int status;

  snprintf(cmd, sizeof cmd, "'%s' lattice paper -o '%s/net.xml' 2>&1", exe, dir);
  free(run_command(cmd, &status));
  CHECK(status == 0);

  mnn_report *r = mnn_report_create();
  snprintf(r->case_name, sizeof r->case_name, "cli");
  r->has_network = 1, r->n_nodes = 14, r->n_bonds = 28;
  r->bonds = calloc(28, sizeof *r->bonds);
  for (int b = 0; b < 28; ++b) {
    r->bonds[b].id = b + 1, r->bonds[b].width = 0.002;
    r->bonds[b].has_gradients = 1, r->bonds[b].bar_gradient = 1 + b, r->bonds[b].fem_gradient = (1 + b) * (b == 27 ? -1 : 1.01);
  }
  mnn_report_add_output(r, 14, 'y', -8.0521e-4, -9.3e-4, &err);
  /* a case that trains the part in situ: bond 28's flipped gradient is an error */
  mnn_report_thresholds th;
  mnn_report_thresholds_default(&th);
  th.in_situ = 1;
  CHECK(mnn_report_compute(r, &th, &err) == 0);
  snprintf(path, sizeof path, "%s/report.xml", dir);
  CHECK(mnn_report_write(r, path, &err) == 0);
  mnn_report_free(r);

  snprintf(cmd, sizeof cmd, "'%s' report '%s/report.xml' --html '%s/page.html' --network '%s/net.xml' 2>&1", exe, dir, dir, dir);
  char *out = run_command(cmd, &status);
  CHECK_MSG(status == 0, "%s", out ? out : "");
  if (out) {
    CHECK_CONTAINS(out, "report of case 'cli'");
    CHECK_CONTAINS(out, "gradient: cosine");
    CHECK_CONTAINS(out, "warning: output u_y of node 14");
    /* the verdict, as the report holds it, last */
    CHECK_CONTAINS(out, "verdict: printability not checked; the part's task was not checked (no FEM)");
    CHECK_CONTAINS(out, "ERROR   gradient agreement (for training the part in situ): cosine");
    CHECK_CONTAINS(out, "wrote ");
    free(out);
  }
  snprintf(path, sizeof path, "%s/page_network.svg", dir);
  CHECK(access(path, F_OK) == 0);
  snprintf(path, sizeof path, "%s/page_gradient.svg", dir);
  CHECK(access(path, F_OK) == 0);
  snprintf(path, sizeof path, "%s/page.html", dir);
  CHECK(access(path, F_OK) == 0);

  /* --fail-on-error: bond 28 (the largest gradient) flips sign: an error */
  snprintf(cmd, sizeof cmd, "'%s' report -q --fail-on-error '%s/report.xml' 2>&1", exe, dir);
  out = run_command(cmd, &status);
  CHECK(status == 1);
  if (out) {
    CHECK_CONTAINS(out, "error discrepancies (see above)");
    free(out);
  }

  /* bad input: a file that is not a report */
  snprintf(cmd, sizeof cmd, "'%s' report '%s/net.xml' 2>&1", exe, dir);
  out = run_command(cmd, &status);
  CHECK(status == 1);
  if (out) {
    CHECK_CONTAINS(out, "net.xml:");
    CHECK_CONTAINS(out, "does not follow the schema");
    free(out);
  }
  snprintf(cmd, sizeof cmd, "'%s' report '%s/report.xml' --network '%s/net.xml' 2>&1", exe, dir, dir);
  out = run_command(cmd, &status);
  CHECK(status == 2);
  if (out) {
    CHECK_CONTAINS(out, "add --html");
    free(out);
  }
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK(system(cmd) == 0);
  return mnn_test_finish();
}
