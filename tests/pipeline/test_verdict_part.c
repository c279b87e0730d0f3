/* End to end, the verdict of `mnn run` judges the part by its task:
 * - a network whose necks are thinner than the printer's smallest feature is
 *   "NOT printable", an error with what to do;
 * - the flagship's protocol (calibrated bar model, Iris) on a coarse P1 mesh (a few
 *   seconds of CPU) gives a clean verdict; then the FEM runs on a part with one critical bond (bond 1,
 *   2.4 mm in the trained network) thinned to the 1 mm minimum while the trained
 *   model keeps it: the report shows the accuracy drop as an error;
 * and the verdict lines of `mnn run` are those of report.xml (`mnn report`). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli_test_util.h"
#include "report.h"
#include "stage.h"
#include "stage_record.h"
#include "test_util.h"

static char dir[] = "/tmp/mnn_test_verdict_XXXXXX";

static void write_case(const char *name, const char *body) {
  char path[600];
  snprintf(path, sizeof path, "%s/%s.xml", dir, name);
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (!f) return;
  fputs(body, f);
  fclose(f);
}

/* The lines of output from "verdict:" on. */
static const char *verdict_lines(void) {
  const char *v = strstr(output, "verdict: ");
  return v ? v : "";
}

/* Sets bond `id`'s width in a network file to `width` (m), writing to out. */
static void thin_bond(const char *in, const char *out, int id, const char *width) {
  char *text = NULL;
  FILE *f = fopen(in, "r");
  CHECK(f != NULL);
  if (!f) return;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  text = malloc((size_t)n + 1);
  size_t got = fread(text, 1, (size_t)n, f);
  text[got] = 0;
  fclose(f);
  char key[64];
  snprintf(key, sizeof key, "<bond id=\"%d\" ", id);
  char *bond = strstr(text, key), *w = bond ? strstr(bond, "width=\"") : NULL, *end = w ? strchr(w + 7, '"') : NULL;
  CHECK(bond && w && end && w < strchr(bond, '>'));
  if (!end) return free(text);
  FILE *o = fopen(out, "w");
  fprintf(o, "%.*swidth=\"%s%s", (int)(w - text), text, width, end);
  fclose(o);
  free(text);
}

int main(void) {
  const char *src = getenv("MNN_SOURCE_DIR");
  if (!getenv("MNN_EXE") || !src) {
    fprintf(stderr, "MNN_EXE and MNN_SOURCE_DIR must be set (ctest sets them)\n");
    return 1;
  }
  CHECK(mkdtemp(dir) != NULL);
  char body[4096], args[4096];

  /* a neck of 0.25 mm (bonds of 0.5 mm) against the printer's 0.3 mm: no mesh or FEM needed */
  snprintf(body, sizeof body,
           "<case name=\"thin\">\n"
           "  <network source=\"paper\" width=\"0.0005\" width-min=\"0.0004\" width-max=\"0.003\"/>\n"
           "  <train preset=\"iris\" data=\"%s/cases/data/iris.csv\" epochs=\"0\"/>\n"
           "  <mesh enabled=\"false\"/>\n  <fem enabled=\"false\"/>\n  <stl enabled=\"false\"/>\n"
           "</case>\n", src);
  write_case("thin", body);
  snprintf(args, sizeof args, "run %s/thin.xml -o %s/thin", dir, dir);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  CHECK_CONTAINS(verdict_lines(), "verdict: NOT printable; the part's task was not checked (no FEM)");
  CHECK_CONTAINS(verdict_lines(), "ERROR   printable: ");
  CHECK_CONTAINS(verdict_lines(), "thinnest neck 0.25 mm, limit 0.3");
  CHECK_CONTAINS(verdict_lines(), "what to do: widen the bonds");

  /* the flagship's protocol on a coarse mesh: the part does what was trained */
  snprintf(body, sizeof body,
           "<case name=\"part\">\n"
           "  <network source=\"paper\" width-min=\"0.001\" width-max=\"0.003\" stiffness-factor=\"0.9944\" "
           "joint-compliance=\"5.297e-4\"/>\n"
           "  <train preset=\"iris\" data=\"%s/cases/data/iris.csv\" loss=\"softmax\" softmax-length=\"1e-5\"/>\n"
           "  <mesh refine=\"0.3\" across-neck=\"2\"/>\n  <fem order=\"1\"/>\n  <stl enabled=\"false\"/>\n"
           "</case>\n", src);
  write_case("part", body);
  snprintf(args, sizeof args, "run %s/part.xml -o %s/part", dir, dir);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  CHECK_CONTAINS(verdict_lines(), "verdict: printable; the part classifies the test set as trained");
  CHECK(strstr(verdict_lines(), "ERROR") == NULL);

  /* the FEM of a damaged part: bond 1 thinned to the minimum in the mesh only.
   * `mnn run` keys its stages on content, so a replaced model.msh would be made
   * again; the test seals the mesh stage's record with the new mesh's key (as if
   * the mesh stage had made it), so that `mnn run` keeps it and redoes the FEM and
   * the report */
  char trained[700], damaged[700], mesh[700];
  snprintf(trained, sizeof trained, "%s/part/trained.xml", dir);
  snprintf(damaged, sizeof damaged, "%s/damaged.xml", dir);
  snprintf(mesh, sizeof mesh, "%s/part/model.msh", dir);
  thin_bond(trained, damaged, 1, "0.001");
  sleep(1); /* a newer modification time than the trained network's */
  snprintf(args, sizeof args, "mesh %s -o %s --refine 0.3 --across-neck 2 -q", damaged, mesh);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  char rec_path[700], out_key[MNN_STAGE_KEY_LEN];
  snprintf(rec_path, sizeof rec_path, "%s/part/mesh.record.xml", dir);
  const char *mesh_out[] = {mesh};
  mnn_stage_key("outputs", mesh_out, 1, out_key);
  mnn_error err = {{0}};
  mnn_record *rec = mnn_record_read(rec_path, &err);
  CHECK_MSG(rec && mnn_record_set_text(rec, MNN_RECORD_OUTPUT_KEY, out_key) == 0 && mnn_record_write(rec, rec_path, &err) == 0,
            "%s", err.message);
  mnn_record_free(rec);
  snprintf(args, sizeof args, "run %s/part.xml -o %s/part", dir, dir);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  CHECK_CONTAINS(output, "mesh: up to date, skipped");
  CHECK_CONTAINS(verdict_lines(), "the part does NOT classify");
  CHECK_CONTAINS(verdict_lines(), "ERROR   does the part do the task: ");
  CHECK_CONTAINS(verdict_lines(), "what to do: ");

  /* the report holds the same verdict, and `mnn report` prints the same lines */
  char report[700], from_run[8192];
  snprintf(from_run, sizeof from_run, "%s", verdict_lines());
  snprintf(report, sizeof report, "%s/part/report.xml", dir);
  mnn_report *r = mnn_report_read(report, &err);
  CHECK_MSG(r != NULL, "%s", err.message);
  if (r) {
    CHECK(r->verdict.lines[1].status == MNN_VERDICT_NOT_MET);
    CHECK(r->task_check.fem_test < r->task_check.bar_test - 0.05);
    int accuracy_error = 0;
    for (int i = 0; i < r->n_discrepancies; ++i)
      accuracy_error |= !strcmp(r->discrepancies[i].kind, "accuracy") && r->discrepancies[i].severity == MNN_SEVERITY_ERROR;
    CHECK(accuracy_error);
    mnn_report_free(r);
  }
  snprintf(args, sizeof args, "report %s", report);
  CHECK(run_mnn(args) == 0);
  CHECK_MSG(!strcmp(verdict_lines(), from_run), "mnn run:\n%s\nmnn report:\n%s", from_run, verdict_lines());

  snprintf(args, sizeof args, "rm -rf '%s'", dir);
  CHECK(system(args) == 0);
  return mnn_test_finish();
}
