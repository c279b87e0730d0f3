/* The train and prune subcommands end to end (MNN_EXE): files written (trained
 * network, history, confusion, predictions, pruned network, sweep CSV), the
 * same seed gives byte-identical history files, -q prints nothing, and errors
 * are one line that names the problem, with no output file left behind. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test_util.h"

static char exe[1024], src[1024], dir[256];

static int sh(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int sh(char *out, size_t cap, const char *fmt, ...) {
  char cmd[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  char full[4400];
  snprintf(full, sizeof full, "cd %s && %s 2>&1", dir, cmd);
  FILE *p = popen(full, "r");
  size_t n = 0;
  if (out) out[0] = '\0';
  if (p && out)
    while (n + 1 < cap && fgets(out + n, (int)(cap - n), p)) n += strlen(out + n);
  else if (p) {
    char buf[512];
    while (fgets(buf, sizeof buf, p)) {
    }
  }
  int st = p ? pclose(p) : -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *fp = fopen(path, "rb");
  if (!fp) return NULL;
  fseek(fp, 0, SEEK_END);
  long n = ftell(fp);
  rewind(fp);
  char *s = malloc(n + 1);
  s[fread(s, 1, n, fp)] = '\0';
  fclose(fp);
  return s;
}

static int exists(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return access(path, F_OK) == 0;
}

int main(void) {
  const char *e = getenv("MNN_EXE"), *s = getenv("MNN_SOURCE_DIR");
  if (!e || !s) {
    fprintf(stderr, "MNN_EXE and MNN_SOURCE_DIR must be set (ctest sets them)\n");
    return 1;
  }
  snprintf(exe, sizeof exe, "%s", e);
  snprintf(src, sizeof src, "%s", s);
  snprintf(dir, sizeof dir, "/tmp/mnn_test_train_XXXXXX");
  if (!mkdtemp(dir)) return 1;
  char out[16384];
  CHECK(sh(out, sizeof out, "%s lattice paper -o paper.xml -q", exe) == 0);
  const char *iris = "--task iris --epochs 5 --data";
  /* two runs with one seed, one with another */
  for (int run = 0; run < 3; ++run)
    CHECK(sh(out, sizeof out, "%s train paper.xml %s %s/cases/data/iris.csv --seed %d -o t%d.xml --history h%d.csv "
             "--confusion c%d.csv --predictions p%d.csv",
             exe, iris, src, run == 2 ? 8 : 7, run, run, run, run) == 0);
  CHECK_CONTAINS(out, "confusion matrix");
  CHECK_CONTAINS(out, "epoch 5/5");
  char *h0 = slurp("h0.csv"), *h1 = slurp("h1.csv"), *h2 = slurp("h2.csv");
  CHECK(h0 && h1 && h2);
  if (h0 && h1 && h2) {
    CHECK(!strcmp(h0, h1));
    CHECK(strcmp(h0, h2) != 0);
    CHECK(!strncmp(h0, "epoch,loss,test_loss,train_accuracy,test_accuracy\n0,", 52));
    int lines = 0;
    for (char *p = h0; *p; ++p) lines += *p == '\n';
    CHECK(lines == 7); /* header + epochs 0..5 */
  }
  char *t0 = slurp("t0.xml"), *t1 = slurp("t1.xml");
  CHECK(t0 && t1 && !strcmp(t0, t1));
  char *c0 = slurp("c0.csv"), *p0 = slurp("p0.csv");
  CHECK(c0 && strstr(c0, "set,true,setosa,versicolor,virginica") && strstr(c0, "test,virginica"));
  CHECK(p0 && strstr(p0, "sample,set,label,predicted,ux_8,ux_2,ux_3"));
  free(h0), free(h1), free(h2), free(t0), free(t1), free(c0), free(p0);

  /* quiet */
  CHECK(sh(out, sizeof out, "%s train paper.xml --task behaviour --epochs 3 -q", exe) == 0);
  CHECK(out[0] == '\0');
  /* behaviour prints both displacements */
  CHECK(sh(out, sizeof out, "%s train paper.xml --task behaviour --target right --epochs 3", exe) == 0);
  CHECK_CONTAINS(out, "u_y of node 14:");
  CHECK_CONTAINS(out, "u_y of node 13:");
  /* regression, reference path, and a retrain from the Iris-trained network */
  CHECK(sh(out, sizeof out, "%s train t0.xml --task regression --epochs 3 --per-sample --history r.csv -q", exe) == 0);
  char *r = slurp("r.csv");
  CHECK(r && !strncmp(r, "epoch,loss,test_loss,train_mse,test_mse\n", 40));
  free(r);

  /* errors: one line, no output files */
  CHECK(sh(out, sizeof out, "%s train paper.xml --task mnist -o bad.xml", exe) == 2);
  CHECK_CONTAINS(out, "unknown task 'mnist'");
  CHECK(sh(out, sizeof out, "%s train paper.xml --task iris --outputs 8:x,99:x --data %s/cases/data/iris.csv -o bad.xml",
           exe, src) == 1);
  CHECK_CONTAINS(out, "no node 99");
  CHECK(sh(out, sizeof out, "%s train paper.xml --task iris --outputs 8:x,1:x,3:x --data %s/cases/data/iris.csv", exe,
           src) == 1);
  CHECK_CONTAINS(out, "node 1 is fixed");
  CHECK(sh(out, sizeof out, "%s train paper.xml --task iris --data nowhere.csv --history bad.csv -o bad.xml", exe) == 1);
  CHECK_CONTAINS(out, "nowhere.csv");
  CHECK(sh(out, sizeof out, "%s train paper.xml --task iris --lr fast", exe) == 2);
  CHECK_CONTAINS(out, "--lr");
  CHECK(!exists("bad.xml") && !exists("bad.csv"));

  /* prune by id, with evaluation; then the sweep */
  CHECK(sh(out, sizeof out, "%s prune t0.xml --bonds 7,12 -o pruned.xml --task iris --epochs 0 --data %s/cases/data/iris.csv",
           exe, src) == 0);
  CHECK_CONTAINS(out, "before pruning");
  CHECK(exists("pruned.xml"));
  char *pr = slurp("pruned.xml");
  CHECK(pr && !strstr(pr, "<bond id=\"7\" ") && !strstr(pr, "<bond id=\"12\" ") && strstr(pr, "<bond id=\"13\" "));
  free(pr);
  /* removing bond 2 (1-6) leaves a mechanism: prune warns, train refuses */
  CHECK(sh(out, sizeof out, "%s prune t0.xml --bonds 2 -o loose.xml", exe) == 0);
  CHECK_CONTAINS(out, "1 zero mode");
  CHECK(sh(out, sizeof out, "%s train loose.xml --task behaviour --epochs 2 -o bad.xml --history bad.csv", exe) == 1);
  CHECK_CONTAINS(out, "zero mode");
  CHECK(!exists("bad.xml") && !exists("bad.csv"));
  /* with a task, a stable pruned network is evaluated before and after pruning,
   * one with a mechanism before pruning only */
  CHECK(sh(out, sizeof out, "%s prune t0.xml --bonds 3 -o stable.xml --task iris --epochs 0 --data %s/cases/data/iris.csv",
           exe, src) == 0);
  CHECK_CONTAINS(out, "before pruning");
  CHECK_CONTAINS(out, "after pruning");
  CHECK(!strstr(out, "zero mode") && exists("stable.xml"));
  CHECK(sh(out, sizeof out, "%s prune t0.xml --bonds 2 -o loose2.xml --task iris --epochs 0 --data %s/cases/data/iris.csv",
           exe, src) == 0);
  CHECK_CONTAINS(out, "before pruning");
  CHECK_CONTAINS(out, "1 zero mode");
  CHECK(!strstr(out, "after pruning") && exists("loose2.xml"));
  CHECK(sh(out, sizeof out, "%s prune t0.xml --bonds 500 -o bad.xml", exe) == 1);
  CHECK_CONTAINS(out, "no bond 500");
  CHECK(sh(out, sizeof out, "%s prune t0.xml --sweep --task iris --data %s/cases/data/iris.csv --csv sweep.csv", exe,
           src) == 0);
  CHECK_CONTAINS(out, "destabilising");
  char *sw = slurp("sweep.csv");
  CHECK(sw && !strncmp(sw, "bond,role,zero_modes,loss,accuracy,retrained_accuracy\n", 54));
  int rows = 0;
  for (char *p = sw; p && *p; ++p) rows += *p == '\n';
  CHECK(rows == 29);
  free(sw);
  /* usage errors: exit 2, one line naming the problem, no file */
  const char *usage[][2] = {{"--sweep", "--task"},
                            {"--bonds 7 --sweep --task iris -o bad.xml", "either --bonds"},
                            {"--bonds 7", "-o PRUNED.xml"},
                            {"--sweep --task iris --retrain -1 --csv bad.csv", "--retrain -1"},
                            {"t0.xml --bonds 7 -o bad.xml", "exactly one network file"}};
  for (size_t i = 0; i < sizeof usage / sizeof usage[0]; ++i) {
    CHECK(sh(out, sizeof out, "%s prune t0.xml %s", exe, usage[i][0]) == 2);
    CHECK_CONTAINS(out, usage[i][1]);
    CHECK_MSG(strchr(out, '\n') == out + strlen(out) - 1, "not one line: %s", out);
  }
  CHECK(!exists("bad.xml") && !exists("bad.csv"));

  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  return mnn_test_finish();
}
