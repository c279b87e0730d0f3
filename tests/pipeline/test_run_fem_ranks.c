/* `mnn run --fem-ranks 2`: the FEM stage under mpiexec on two ranks gives the
 * report the same numbers as one rank in process (outputs, every bond's FEM
 * gradient, test metrics and summaries, to 1e-6: the CG rtol is 1e-8), with
 * the iterative P2 solver whose iterations depend on the partition; the
 * report says 2 ranks. A launcher that cannot start, and a damaged train record
 * under the FEM stage run on its own, are one error line each and leave the
 * earlier outputs alone. */
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli_test_util.h"
#include "fem_results.h"
#include "network_file.h"
#include "report.h"
#include "stage_fem_record.h"
#include "test_util.h"

static char dir[] = "/tmp/mnn_test_ranks_XXXXXX";

static const char *case_xml =
    "<?xml version=\"1.0\"?>\n"
    "<case name=\"ranks\" title=\"FEM on two ranks\">\n"
    "  <network source=\"triangle\" top=\"3\" rows=\"2\"/>\n"
    "  <train name=\"small\" loss=\"mse\" features=\"1\" targets=\"-0.0004\" epochs=\"20\" batch=\"1\" lr=\"0.01\">\n"
    "    <input node=\"4\" component=\"y\" scale=\"-0.02\"/>\n"
    "    <output node=\"5\" component=\"y\"/>\n"
    "    <output node=\"4\" component=\"x\"/>\n"
    "  </train>\n"
    "  <mesh refine=\"0.6\" across-neck=\"2\"/>\n"
    "  <fem order=\"2\" solver=\"iterative\"/>\n"
    "  <stl enabled=\"false\"/>\n"
    "</case>\n";

static mnn_report *report(const char *sub) {
  char p[1024];
  mnn_error err;
  snprintf(p, sizeof p, "%s/%s/report.xml", dir, sub);
  mnn_report *r = mnn_report_read(p, &err);
  CHECK_MSG(r != NULL, "%s", err.message);
  return r;
}

/* |a - b| within 1e-6 of max(|a|, |b|, scale) */
static int close_to(double a, double b, double scale) {
  return fabs(a - b) <= 1e-6 * fmax(fmax(fabs(a), fabs(b)), scale);
}

int main(void) {
  CHECK(mkdtemp(dir) != NULL);
  char casefile[1100], cmd[4096];
  snprintf(casefile, sizeof casefile, "%s/case.xml", dir);
  FILE *f = fopen(casefile, "w");
  CHECK(f != NULL);
  if (!f) return mnn_test_finish();
  fputs(case_xml, f);
  fclose(f);

  snprintf(cmd, sizeof cmd, "run %s -o %s/one", casefile, dir);
  CHECK_MSG(run_mnn(cmd) == 0, "%s", output);
  /* progress at every iteration: from rank 0 only (one first line per solve) */
  setenv("MNN_PROGRESS_EVERY", "0", 1);
  snprintf(cmd, sizeof cmd, "run %s -o %s/two --fem-ranks 2", casefile, dir);
  CHECK_MSG(run_mnn(cmd) == 0, "%s", output);
  unsetenv("MNN_PROGRESS_EVERY");
  CHECK_MSG(strstr(output, "fem: on 2 ranks: mpiexec -n 2") != NULL, "%s", output);
  const char *first[] = {"fem: forward solve: iteration 1,", "fem: adjoint solve: iteration 1,"};
  for (int k = 0; k < 2; ++k) {
    const char *at = strstr(output, first[k]);
    CHECK_MSG(at != NULL && strstr(at + 1, first[k]) == NULL, "'%s' not exactly once in: %s", first[k], output);
  }

  mnn_report *a = report("one"), *b = report("two");
  if (a && b) {
    CHECK(a->has_fem && b->has_fem);
    CHECK_MSG(a->fem_ranks == 1 && b->fem_ranks == 2, "ranks %d and %d", a->fem_ranks, b->fem_ranks);
    CHECK(a->fem_dofs == b->fem_dofs && a->fem_dofs > 10000);
    CHECK(a->n_outputs == 2 && b->n_outputs == 2);
    double umax = 0, gmax = 0;
    for (int o = 0; o < a->n_outputs; ++o) umax = fmax(umax, fabs(a->outputs[o].fem));
    for (int i = 0; i < a->n_bonds; ++i) gmax = fmax(gmax, fabs(a->bonds[i].fem_gradient));
    for (int o = 0; o < a->n_outputs && o < b->n_outputs; ++o) {
      CHECK_MSG(a->outputs[o].bar == b->outputs[o].bar, "output %d: bar model differs", o);
      CHECK_MSG(close_to(a->outputs[o].fem, b->outputs[o].fem, umax), "output %d: FEM %.12g on 1 rank, %.12g on 2", o,
                a->outputs[o].fem, b->outputs[o].fem);
    }
    CHECK(a->n_bonds == b->n_bonds && a->n_bonds == 7);
    int bad = 0;
    for (int i = 0; i < a->n_bonds && i < b->n_bonds; ++i)
      bad += !a->bonds[i].has_gradients || !close_to(a->bonds[i].fem_gradient, b->bonds[i].fem_gradient, gmax);
    CHECK_MSG(bad == 0, "%d bonds' FEM gradients differ between 1 and 2 ranks", bad);
    CHECK(close_to(a->gradient_cosine, b->gradient_cosine, 1));
    CHECK(close_to(a->displacement_max_relative_difference, b->displacement_max_relative_difference, 1));
    printf("1 vs 2 ranks: %ld DOFs, u = %.9g / %.9g m\n", a->fem_dofs, a->outputs[0].fem, b->outputs[0].fem);
  }
  mnn_report_free(a);
  mnn_report_free(b);

  /* the response matrix the stage took from its forward solve (one input: R = y / f)
   * equals the one `mnn fem --response` gets from unit-force solves */
  {
    char path[1100];
    mnn_error err;
    snprintf(path, sizeof path, "%s/one/trained.xml", dir);
    mnn_network *net = mnn_network_read(path, &err);
    CHECK_MSG(net != NULL, "%s", err.message);
    snprintf(path, sizeof path, "%s/one/fem.record.xml", dir);
    mnn_record *rec = net ? mnn_record_read_typed(path, &mnn_fem_record_table, &err) : NULL;
    CHECK_MSG(rec != NULL, "%s", err.message);
    mnn_fem_record *fr = calloc(1, sizeof *fr);
    CHECK(fr && rec &&
          mnn_fem_record_take(rec, net->n_bonds, net->bond_id, net->n_nodes, net->node_id, fr, &err) == 0);
    snprintf(cmd, sizeof cmd, "fem %s/one/trained.xml %s/one/model.msh --load 4:0:-0.02 --output-node 5:y --output-node 4:x "
             "--response --no-vtu -q -o %s/resp", dir, dir, dir);
    CHECK_MSG(run_mnn(cmd) == 0, "%s", output);
    snprintf(path, sizeof path, "%s/resp/fem-results.xml", dir);
    mnn_fem_results *res = mnn_fem_results_read(path, &err);
    CHECK_MSG(res != NULL, "%s", err.message);
    CHECK(fr && fr->response_solves == 0 && fr->n_outputs == 2 && fr->n_inputs == 1);
    const int out_node[2] = {5, 4}, out_comp[2] = {1, 0};
    for (int o = 0; o < 2 && fr && res; ++o) {
      double r_stage = fr->response[o], r_fem = NAN;
      for (int k = 0; k < res->n_response; ++k)
        if (res->response_out_node[k] == out_node[o] && res->response_out_component[k] == out_comp[o] &&
            res->response_in_node[k] == 4 && res->response_in_component[k] == 1)
          r_fem = res->response_value[k];
      CHECK_MSG(close_to(r_stage, r_fem, 0), "response of output %d: %.12g from the forward solve, %.12g from a unit "
                "force", o, r_stage, r_fem);
    }
    if (fr) mnn_fem_record_clear(fr);
    free(fr);
    mnn_record_free(rec);
    mnn_network_free(net);
    mnn_fem_results_free(res);
  }

  /* a launcher that cannot start: one line, non-zero, the record untouched */
  char rec[1100];
  snprintf(rec, sizeof rec, "%s/two/fem.record.xml", dir);
  struct stat before, after;
  CHECK(stat(rec, &before) == 0);
  /* a missing FEM output makes only the FEM stage (and the report) run again
   * (stages are keyed on content: a touched mesh would change nothing) */
  char vtu[1100];
  snprintf(vtu, sizeof vtu, "%s/two/fields.vtu", dir);
  CHECK(unlink(vtu) == 0);
  snprintf(cmd, sizeof cmd, "run %s -o %s/two --fem-ranks 2", casefile, dir);
  setenv("MNN_MPIEXEC", "/nonexistent/mpiexec", 1);
  CHECK(run_mnn(cmd) != 0);
  unsetenv("MNN_MPIEXEC");
  CHECK_MSG(strstr(output, "mnn: error: fem stage: cannot start /nonexistent/mpiexec") != NULL, "%s", output);
  CHECK_MSG(strstr(output, "train: up to date") != NULL && strstr(output, "mesh: up to date") != NULL, "%s", output);
  CHECK(stat(rec, &after) == 0 && after.st_mtime == before.st_mtime && after.st_size == before.st_size);

  /* the FEM stage on its own (--fem-stage, as each rank runs it) with a damaged
   * train record: one line naming the record, non-zero, the FEM record untouched */
  char train_rec[1100];
  snprintf(rec, sizeof rec, "%s/one/fem.record.xml", dir);
  snprintf(train_rec, sizeof train_rec, "%s/one/train.record.xml", dir);
  CHECK(stat(rec, &before) == 0);
  f = fopen(train_rec, "w");
  CHECK(f && fputs("not a record\n", f) >= 0 && fclose(f) == 0);
  snprintf(cmd, sizeof cmd, "run %s -o %s/one --fem-stage", casefile, dir);
  CHECK(run_mnn(cmd) != 0);
  const char *line = strstr(output, "mnn: error: fem stage: ");
  CHECK_MSG(line && strstr(line, "train.record.xml") && !strstr(line + 1, "mnn: error:"), "%s", output);
  CHECK(stat(rec, &after) == 0 && after.st_mtime == before.st_mtime && after.st_size == before.st_size);

  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
  return mnn_test_finish();
}
