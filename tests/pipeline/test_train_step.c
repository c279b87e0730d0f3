/* One training step for `mnn train` and the train stage of `mnn run`
 * (pipeline/train_step.h): on the same start network and task, the stage and the
 * command write the same history, trained network and confusion matrix, byte for
 * byte (a classification with a data set and split, and a noisy regression with
 * its own seed); and a history that cannot be written fails before training,
 * leaving no trained network. The task's data set and split are one function
 * (mnn_train_data_open) for `mnn prune` too: the pruning sweep of the command and
 * of the stage, retraining on the split of a seed of its own, write the same table. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli_test_util.h"
#include "test_util.h"

static char dir[] = "/tmp/mnn_test_train_step_XXXXXX";

/* 1 when the two files hold the same bytes (and both exist). */
static int same_file(const char *a, const char *b) {
  char cmd[1400];
  snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
  return system(cmd) == 0;
}

/* Writes dir/name.xml, a case on the paper's network with the steps (XML) and no
 * mesh, FEM or STL, and runs it into dir/name: 0 when it ran. */
static int run_steps(const char *name, const char *steps) {
  char path[600], args[1400];
  snprintf(path, sizeof path, "%s/%s.xml", dir, name);
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  int bad = fprintf(f, "<?xml version=\"1.0\"?>\n<case name=\"%s\">\n<network source=\"paper\"/>\n%s\n"
                       "<mesh enabled=\"false\"/>\n<fem enabled=\"false\"/>\n<stl enabled=\"false\"/>\n</case>\n",
                    name, steps) < 0;
  if (fclose(f) != 0 || bad) return -1;
  snprintf(args, sizeof args, "run %s -o %s/%s -q", path, dir, name);
  return run_mnn(args);
}

/* Runs a case of one <train> step (attributes train), then mnn train with options
 * on its start network, and compares the outputs. */
static void same_as_stage(const char *name, const char *train, const char *options, int classify) {
  char steps[600], args[4096], a[700], b[700];
  snprintf(steps, sizeof steps, "<train %s/>", train);
  CHECK_MSG(run_steps(name, steps) == 0, "%s", output);
  snprintf(args, sizeof args, "train %s/%s/network.xml %s --history %s/%s-h.csv --confusion %s/%s-c.csv -o %s/%s-t.xml -q",
           dir, name, options, dir, name, dir, name, dir, name);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  snprintf(a, sizeof a, "%s/%s/history.csv", dir, name);
  snprintf(b, sizeof b, "%s/%s-h.csv", dir, name);
  CHECK_MSG(same_file(a, b), "%s: the stage's and the command's histories differ", name);
  snprintf(a, sizeof a, "%s/%s/trained.xml", dir, name);
  snprintf(b, sizeof b, "%s/%s-t.xml", dir, name);
  CHECK_MSG(same_file(a, b), "%s: the stage's and the command's trained networks differ", name);
  snprintf(a, sizeof a, "%s/%s/network.xml", dir, name);
  CHECK_MSG(!same_file(a, b), "%s: training changed no width", name);
  if (classify) {
    snprintf(a, sizeof a, "%s/%s/confusion.csv", dir, name);
    snprintf(b, sizeof b, "%s/%s-c.csv", dir, name);
    CHECK_MSG(same_file(a, b), "%s: the stage's and the command's confusion matrices differ", name);
  }
}

/* A case that trains iris with seed 4 and then sweeps with retraining, and
 * `mnn prune --sweep` on its trained network with the same task: the same table. */
static void same_sweep_as_stage(const char *data) {
  char args[4096], a[700], b[700];
  CHECK_MSG(run_steps("sweep", "<train preset=\"iris\" seed=\"4\" epochs=\"5\"/>\n<prune-sweep retrain-epochs=\"2\"/>") == 0,
            "%s", output);
  snprintf(args, sizeof args, "prune %s/sweep/trained.xml --sweep --task iris --seed 4 --data %s --retrain 2 --csv %s/sweep-c.csv -q",
           dir, data, dir);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  snprintf(a, sizeof a, "%s/sweep/prune_sweep.csv", dir);
  snprintf(b, sizeof b, "%s/sweep-c.csv", dir);
  CHECK_MSG(same_file(a, b), "the stage's and the command's pruning sweeps differ");
}

int main(void) {
  if (!getenv("MNN_EXE") || !getenv("MNN_SOURCE_DIR"))
    return fprintf(stderr, "MNN_EXE and MNN_SOURCE_DIR must be set (ctest sets them)\n"), 1;
  CHECK(mkdtemp(dir) != NULL);
  char options[1200], args[4096], path[600];
  snprintf(options, sizeof options, "--task iris --epochs 12 --data %s/cases/data/iris.csv", getenv("MNN_SOURCE_DIR"));
  same_as_stage("iris", "preset=\"iris\" epochs=\"12\"", options, 1);
  same_as_stage("noisy", "preset=\"regression\" variant=\"noisy\" seed=\"3\" epochs=\"20\"",
                "--task regression --noisy --seed 3 --epochs 20", 0);

  snprintf(path, sizeof path, "%s/cases/data/iris.csv", getenv("MNN_SOURCE_DIR"));
  same_sweep_as_stage(path);

  /* the history is opened before training: a folder that is not there fails at
   * once, with one line, and no trained network is written */
  snprintf(args, sizeof args, "train %s/iris/network.xml %s --history %s/no/such/h.csv -o %s/bad.xml", dir, options,
           dir, dir);
  CHECK(run_mnn(args) == 1);
  CHECK_CONTAINS(output, "no/such/h.csv");
  CHECK(one_line());
  snprintf(path, sizeof path, "%s/bad.xml", dir);
  CHECK(access(path, F_OK) != 0);

  snprintf(args, sizeof args, "rm -rf '%s'", dir);
  CHECK(system(args) == 0);
  return mnn_test_finish();
}
