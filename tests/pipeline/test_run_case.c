/* End-to-end: `mnn run` on a small case runs every stage and writes a valid STL
 * and a report that validates; a rerun skips every stage; the cache is keyed on
 * content (a touched case or an identical program reruns nothing, a changed
 * program reruns all, a damaged output its stage, a copied folder of this case is
 * no cache for another case, whose stages all run); a second run into a locked folder is
 * refused; stale temporary files go; deleting the mesh reruns the mesh stage; bad case files give
 * one error line, a non-zero exit, and leave the output folder as it was. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include "cli_test_util.h"
#include "report.h"
#include "test_util.h"

static char out_dir[] = "/tmp/mnn_test_run_XXXXXX";

static int count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) ++n;
  return n;
}

static int ran(const char *stage) {
  char skipped[64];
  snprintf(skipped, sizeof skipped, "%s: up to date, skipped", stage);
  return strstr(output, skipped) == NULL;
}

static void file_path(char *out, const char *name) { snprintf(out, 1024, "%s/%s", out_dir, name); }

static time_t mtime(const char *name) {
  char p[1024];
  file_path(p, name);
  struct stat st;
  return stat(p, &st) == 0 ? st.st_mtime : 0;
}

/* The listing of the output folder with sizes and times, to compare before/after. */
static void listing(char *buf, size_t n) {
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "ls -l --time-style=full-iso %s", out_dir);
  FILE *p = popen(cmd, "r");
  size_t k = p ? fread(buf, 1, n - 1, p) : 0;
  buf[k] = '\0';
  if (p) pclose(p);
}

static void expect_bad_case(const char *name, const char *body, const char *message) {
  char path[1200], args[3000], before[8192], after[8192];
  snprintf(path, sizeof path, "%s/../%s.xml", out_dir, name);
  FILE *f = fopen(path, "w");
  fputs(body, f);
  fclose(f);
  listing(before, sizeof before);
  snprintf(args, sizeof args, "run %s -o %s", path, out_dir);
  int rc = run_mnn(args);
  CHECK_MSG(rc != 0, "%s: exit %d", name, rc);
  CHECK_CONTAINS(output, message);
  CHECK_MSG(count(output, "mnn: error:") == 1 && count(output, "\n") == 1, "%s: not one error line: %s", name, output);
  listing(after, sizeof after);
  CHECK_MSG(strcmp(before, after) == 0, "%s changed the output folder", name);
  unlink(path);
}

int main(void) {
  if (!getenv("MNN_EXE") || !getenv("MNN_SOURCE_DIR")) {
    fprintf(stderr, "MNN_EXE and MNN_SOURCE_DIR must be set (ctest sets them)\n");
    return 1;
  }
  CHECK(mkdtemp(out_dir) != NULL);
  char case_path[1024], args[3000], p[1024];
  snprintf(case_path, sizeof case_path, "%s/tests/pipeline/cases/small.xml", getenv("MNN_SOURCE_DIR"));
  /* the case is copied so that the test can touch it */
  char copy[1200];
  snprintf(copy, sizeof copy, "%s/case.xml", out_dir);
  snprintf(args, sizeof args, "cp %s %s", case_path, copy);
  CHECK(system(args) == 0);
  snprintf(args, sizeof args, "run %s -o %s/out", copy, out_dir);
  strcat(out_dir, "/out");

  /* first run: every stage */
  int rc = run_mnn(args);
  CHECK_MSG(rc == 0, "first run failed: %s", output);
  CHECK(ran("train") && ran("mesh") && ran("fem") && ran("stl") && ran("report"));
  const char *files[] = {"network.xml", "trained.xml", "history.csv", "model.msh", "fields.vtu",
                         "model.stl",   "report.xml",  "report.html"};
  for (size_t i = 0; i < sizeof files / sizeof *files; ++i) CHECK_MSG(mtime(files[i]) != 0, "missing %s", files[i]);
  /* the report validates and reads back, with bar and FEM side by side */
  mnn_error err;
  file_path(p, "report.xml");
  mnn_report *r = mnn_report_read(p, &err);
  CHECK_MSG(r != NULL, "%s", err.message);
  if (r) {
    CHECK(r->has_training && r->has_mesh && r->has_fem && r->has_stl && r->has_summary);
    CHECK(r->n_outputs == 1 && r->outputs[0].node == 5 && r->outputs[0].bar < 0 && r->outputs[0].fem < 0);
    CHECK(r->stl_parts == 1 && r->stl_bad_edges == 0 && r->stl_facets > 0);
    CHECK(r->n_bonds == 7 && r->bonds[0].has_gradients);
    CHECK(r->final_loss < r->initial_loss);
    /* calibration on the case's own response: a factor near the FEM's softness, and
     * output differences that do not grow */
    double factor = NAN, before = NAN, after = NAN;
    for (int i = 0; i < r->n_metrics; ++i) {
      if (!strcmp(r->metrics[i].name, "calibration-stiffness-factor")) factor = r->metrics[i].value;
      if (!strcmp(r->metrics[i].name, "displacement-max-relative-difference-before-calibration")) before = r->metrics[i].value;
      if (!strcmp(r->metrics[i].name, "displacement-max-relative-difference-after-calibration")) after = r->metrics[i].value;
    }
    CHECK_MSG(factor > 0.3 && factor < 1.5, "calibration factor %g", factor);
    CHECK_MSG(after <= before, "after %g before %g", after, before);
  }
  mnn_report_free(r);
  char cmd[2400];
  snprintf(cmd, sizeof cmd, "xmllint --noout --schema %s/schemas/report.xsd %s 2>/dev/null", getenv("MNN_SOURCE_DIR"), p);
  CHECK(system(cmd) == 0);
  /* ADMesh's own reading of the STL: no errors */
  file_path(p, "model.stl");
  snprintf(cmd, sizeof cmd, "admesh %s > %s.admesh.txt 2>&1", p, out_dir);
  CHECK(system(cmd) == 0);

  /* the stl stage as its own command, and its one-line error */
  snprintf(cmd, sizeof cmd, "stl %s/trained.xml -o %s/cmd.stl", out_dir, out_dir);
  CHECK_MSG(run_mnn(cmd) == 0 && strstr(output, "1 part(s), 0 bad edges"), "%s", output);
  snprintf(cmd, sizeof cmd, "stl %s/trained.xml", out_dir);
  CHECK(run_mnn(cmd) != 0 && strstr(output, "no output file") && count(output, "\n") == 1);
  snprintf(p, sizeof p, "%s/cmd.stl", out_dir);
  unlink(p);

  /* second run: nothing to do; the temporary files of killed runs (a process id
   * that no longer runs) go, those of a running process stay */
  char stale1[1200], stale2[1200], live[1200];
  snprintf(stale1, sizeof stale1, "%s/.report_training.tmp.999999999.0.svg", out_dir);
  snprintf(stale2, sizeof stale2, "%s/.model.tmp.999999999.aB3xYz", out_dir);
  snprintf(live, sizeof live, "%s/.model.tmp.%ld.aB3xYz", out_dir, (long)getpid());
  const char *temps[] = {stale1, stale2, live};
  for (int i = 0; i < 3; ++i) {
    FILE *tf = fopen(temps[i], "w");
    CHECK(tf && fclose(tf) == 0);
  }
  rc = run_mnn(args);
  CHECK(rc == 0);
  CHECK_MSG(count(output, "up to date, skipped") == 5, "%s", output);
  CHECK(access(stale1, F_OK) != 0 && access(stale2, F_OK) != 0 && access(live, F_OK) == 0);
  unlink(live);

  /* two runs into one folder: the second is refused while the first holds the lock */
  int lock_fd = open(out_dir, O_RDONLY | O_DIRECTORY);
  CHECK(lock_fd >= 0 && flock(lock_fd, LOCK_EX | LOCK_NB) == 0);
  rc = run_mnn(args);
  CHECK_MSG(rc == 1 && count(output, "mnn: error:") == 1 && strstr(output, "another mnn run is writing into this folder"),
            "%d %s", rc, output);
  close(lock_fd);

  /* deleting the mesh reruns the mesh stage; Gmsh makes the same file again, so
   * the FEM (keyed on the mesh's content) is up to date; the report reads the mesh
   * stage's new record (its time) and reruns */
  file_path(p, "model.msh");
  unlink(p);
  rc = run_mnn(args);
  CHECK(rc == 0);
  CHECK_MSG(!ran("train") && ran("mesh") && !ran("fem") && !ran("stl") && ran("report"), "%s", output);

  /* the cache is keyed on content: touching the case changes nothing (a changed
   * case reruns everything: the other case at the end, and test_stage) */
  sleep(1);
  struct utimbuf now = {time(NULL), time(NULL)};
  utime(copy, &now);
  rc = run_mnn(args);
  CHECK_MSG(rc == 0 && count(output, "up to date, skipped") == 5, "%s", output);

  /* a damaged output reruns its stage, even when it is newer than every input;
   * the stage makes the same STL and record again, so the report is up to date */
  file_path(p, "model.stl");
  FILE *sf = fopen(p, "r+b");
  CHECK(sf && fputc('X', sf) != EOF && fclose(sf) == 0);
  rc = run_mnn(args);
  CHECK_MSG(rc == 0 && !ran("train") && !ran("mesh") && !ran("fem") && ran("stl") && !ran("report"), "%s", output);
  /* a damaged report reruns the report stage, whose gnuplot removes what killed
   * runs left in TMPDIR */
  file_path(p, "report.html");
  sf = fopen(p, "ab");
  CHECK(sf && fputc('X', sf) != EOF && fclose(sf) == 0);
  char tmpdir[1200], stale_plot[1300];
  snprintf(tmpdir, sizeof tmpdir, "%.*s/tmp", (int)(strlen(out_dir) - 4), out_dir);
  snprintf(stale_plot, sizeof stale_plot, "%s/mnn_plot_999999999_Ab12Cd.gp", tmpdir);
  CHECK(mkdir(tmpdir, 0777) == 0);
  FILE *pf = fopen(stale_plot, "w");
  CHECK(pf && fclose(pf) == 0);
  setenv("TMPDIR", tmpdir, 1);
  rc = run_mnn(args);
  unsetenv("TMPDIR");
  CHECK_MSG(rc == 0 && !ran("train") && !ran("mesh") && !ran("fem") && !ran("stl") && ran("report"), "%s", output);
  CHECK(access(stale_plot, F_OK) != 0);

  /* the program is an input of every stage: an identical copy of mnn (newer than
   * every output) is the same program and redoes nothing; a changed program redoes
   * them all, and then nothing */
  char exe_copy[1200], saved_exe[1024];
  snprintf(saved_exe, sizeof saved_exe, "%s", getenv("MNN_EXE"));
  snprintf(exe_copy, sizeof exe_copy, "%.*s/mnn-copy", (int)(strlen(out_dir) - 4), out_dir);
  snprintf(cmd, sizeof cmd, "cp %s %s", saved_exe, exe_copy);
  sleep(1);
  CHECK(system(cmd) == 0);
  setenv("MNN_EXE", exe_copy, 1);
  rc = run_mnn(args);
  CHECK_MSG(rc == 0 && count(output, "up to date, skipped") == 5, "%s", output);
  FILE *ef = fopen(exe_copy, "ab"); /* a byte past the end of the ELF file: it still runs */
  CHECK(ef && fputc(0, ef) != EOF && fclose(ef) == 0);
  rc = run_mnn(args);
  CHECK(rc == 0);
  CHECK_MSG(ran("train") && ran("mesh") && ran("fem") && ran("stl") && ran("report"), "%s", output);
  rc = run_mnn(args);
  CHECK_MSG(rc == 0 && count(output, "up to date, skipped") == 5, "%s", output);
  setenv("MNN_EXE", saved_exe, 1);
  unlink(exe_copy);

  /* bad case files: one error line, nothing in the output folder changes */
  const char *head = "<?xml version=\"1.0\"?>\n<case name=\"bad\">\n<network source=\"triangle\" top=\"3\" rows=\"2\"/>\n";
  char body[2048];
  expect_bad_case("malformed", "<?xml version=\"1.0\"?>\n<case name=\"bad\">\n<network", "malformed XML");
  snprintf(body, sizeof body, "%s<mesh refine=\"fine\"/>\n</case>\n", head);
  expect_bad_case("schema", body, "does not follow the schema");
  snprintf(body, sizeof body, "%s<train loss=\"mse\" features=\"1\" targets=\"0\"><input node=\"9\"/><output node=\"5\"/></train>\n</case>\n", head);
  expect_bad_case("unknown_node", body, "9");
  snprintf(body, sizeof body, "<?xml version=\"1.0\"?>\n<case name=\"bad\">\n<network source=\"paper\"/>\n"
           "<train preset=\"iris\" data=\"no/such/iris.csv\"/>\n</case>\n");
  expect_bad_case("missing_data", body, "no/such/iris.csv");
  snprintf(body, sizeof body, "<?xml version=\"1.0\"?>\n<case name=\"bad\">\n<network source=\"paper\" width-min=\"0.003\" width-max=\"0.001\"/>\n</case>\n");
  expect_bad_case("reversed_bounds", body, "width bounds");
  /* a case file cannot reach a file through PETSc's viewers: refused, the file kept */
  char victim[1200];
  snprintf(victim, sizeof victim, "%s/../victim.txt", out_dir);
  FILE *vf = fopen(victim, "w");
  CHECK(vf && fputs("keep me\n", vf) >= 0 && fclose(vf) == 0);
  snprintf(body, sizeof body, "%s<fem options=\"-log_view :%s\"/>\n</case>\n", head, victim);
  expect_bad_case("options_log_view", body, "<fem options>: option '-log_view' is not a solver option");
  snprintf(body, sizeof body, "%s<fem options=\"-fem_ksp_type cg -fem_ksp_monitor :%s\"/>\n</case>\n", head, victim);
  expect_bad_case("options_monitor", body, "option '-fem_ksp_monitor' is not a solver option");
  struct stat vst;
  CHECK(stat(victim, &vst) == 0 && vst.st_size == 8);
  unlink(victim);
  snprintf(body, sizeof body, "%s<prune bonds=\"1,2\"/>\n</case>\n", head);
  expect_bad_case("zero_modes", body, "zero mode");
  const char *train = "loss=\"mse\" features=\"1\" targets=\"-0.0004\" epochs=\"5\"><input node=\"4\" scale=\"-0.02\"/>"
                      "<output node=\"5\"/></train>\n";
  snprintf(body, sizeof body, "%s<train fem-rounds=\"1\" %s<train %s</case>\n", head, train, train);
  expect_bad_case("rounds_not_last", body, "only the last <train> step");
  snprintf(body, sizeof body, "%s<train fem-rounds=\"1\" %s<fem enabled=\"false\"/>\n</case>\n", head, train);
  expect_bad_case("rounds_without_fem", body, "enable <mesh> and <fem>");

  /* multi-fidelity rounds: the FEM checks the corrected model that was trained,
   * and agrees with it far better than with the plain bar model */
  snprintf(body, sizeof body,
           "%s<train fem-rounds=\"1\" fem-round-epochs=\"5\" lr=\"0.002\" batch=\"1\" "
           "loss=\"mse\" features=\"1\" targets=\"-0.0004\" epochs=\"20\"><input node=\"4\" scale=\"-0.02\"/>"
           "<output node=\"5\"/></train>\n<mesh refine=\"0.6\" across-neck=\"2\"/>\n<fem order=\"1\"/>\n<stl enabled=\"false\"/>\n</case>\n",
           head);
  char rounds_case[1200], rounds_out[1200];
  snprintf(rounds_case, sizeof rounds_case, "%s/../rounds.xml", out_dir);
  snprintf(rounds_out, sizeof rounds_out, "%s/../rounds-out", out_dir);
  FILE *rf = fopen(rounds_case, "w");
  CHECK(rf != NULL);
  if (rf) fputs(body, rf), fclose(rf);
  snprintf(cmd, sizeof cmd, "run %s -o %s", rounds_case, rounds_out);
  CHECK_MSG(run_mnn(cmd) == 0, "%s", output);
  CHECK_CONTAINS(output, "FEM round 1");
  snprintf(p, sizeof p, "%s/report.xml", rounds_out);
  r = mnn_report_read(p, &err);
  CHECK_MSG(r != NULL, "%s", err.message);
  if (r) {
    double rounds = NAN, corrected = NAN, diff1 = NAN;
    for (int i = 0; i < r->n_metrics; ++i) {
      if (!strcmp(r->metrics[i].name, "fem-rounds")) rounds = r->metrics[i].value;
      if (!strcmp(r->metrics[i].name, "fem-corrected-model")) corrected = r->metrics[i].value;
      if (!strcmp(r->metrics[i].name, "fem-round-1-model-difference")) diff1 = r->metrics[i].value;
    }
    double out_diff = r->n_outputs == 1 ? fabs(r->outputs[0].fem - r->outputs[0].bar) / fabs(r->outputs[0].fem) : NAN;
    printf("FEM rounds: plain bar model %.2f%% from the FEM; trained corrected model %.3f%%\n", 100 * diff1, 100 * out_diff);
    CHECK(rounds == 1 && corrected == 1);
    CHECK(diff1 > 0.02);
    CHECK(out_diff < 0.25 * diff1);
  }
  mnn_report_free(r);
  snprintf(cmd, sizeof cmd, "rm -rf %s %s", rounds_case, rounds_out);
  CHECK(system(cmd) == 0);

  /* a copy of this folder (cp -a, times kept) is no cache for another case, even
   * one whose file is older than every output (as a checked-out case file is):
   * every stage of the other case runs */
  char other_case[1200], other_out[1200];
  snprintf(other_case, sizeof other_case, "%s/../other.xml", out_dir);
  snprintf(other_out, sizeof other_out, "%s/../other-out", out_dir);
  snprintf(cmd, sizeof cmd, "sed 's/targets=\"-0.0004\"/targets=\"-0.0005\"/' %s > %s && cp -a %s %s", copy,
           other_case, out_dir, other_out);
  CHECK(system(cmd) == 0);
  struct utimbuf long_ago = {1000000000, 1000000000};
  CHECK(utime(other_case, &long_ago) == 0);
  snprintf(cmd, sizeof cmd, "run %s -o %s", other_case, other_out);
  CHECK_MSG(run_mnn(cmd) == 0 && ran("train") && ran("mesh") && ran("fem") && ran("stl") && ran("report"), "%s",
            output);

  snprintf(cmd, sizeof cmd, "rm -rf %.*s", (int)(strlen(out_dir) - 4), out_dir);
  CHECK(system(cmd) == 0);
  return mnn_test_finish();
}
