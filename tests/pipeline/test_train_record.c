/* The train stage's record (pipeline/stage_train_record.h): a filled struct
 * round-trips bit for bit through the file under the keys the report and the FEM
 * stage have always read; a case that trained nothing reads back as such; a
 * record that trained but lacks a summary key, a phase or a round's value, or
 * has rounds without their correction, fails naming the key; the FEM stage's
 * mnn_fem_correction_take gives the rounds and C; more phases than the record
 * holds fail on writing, and a case with more FEM rounds than it holds is refused
 * before anything runs; the record's schema (schemas/record-train.xsd) takes what
 * the writer writes and refuses a misspelt key. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli_test_util.h"
#include "stage_train_record.h"
#include "test_util.h"

static char dir[] = "/tmp/mnn_test_train_record_XXXXXX";
static char path[300], saved[300];

/* Same bits. */
static int same(double a, double b) { return !memcmp(&a, &b, sizeof a); }

/* Copies the saved record to path, then runs sed's script on it (delete a key's
 * line, or change a value) and takes the record with n_correction; take's result. */
static int take_edited(const char *script, int n_correction, mnn_train_record *t, mnn_error *err) {
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "cp %s %s && sed -i '%s' %s", saved, path, script, path);
  CHECK(system(cmd) == 0);
  mnn_record *rec = mnn_record_read(path, err);
  int rc = rec ? mnn_train_record_take(rec, n_correction, t, err) : -1;
  mnn_record_free(rec);
  return rc;
}

/* The saved record with one more <value name=key>: read against the train
 * record's schema (schemas/record-train.xsd), it fails naming the key. */
static void check_schema_refuses(const char *key) {
  char cmd[1200];
  mnn_error err = {{0}};
  snprintf(cmd, sizeof cmd, "sed 's|</record>|<value name=\"%s\" value=\"1\"/></record>|' %s > %s", key, saved, path);
  CHECK(system(cmd) == 0);
  mnn_record *rec = mnn_record_read_typed(path, &mnn_train_record_table, &err);
  CHECK_MSG(rec == NULL, "%s read", key);
  CHECK_CONTAINS(err.message, key);
  mnn_record_free(rec);
}

/* The edit makes take fail with a message naming what. */
static void check_fails(const char *script, int n_correction, const char *what) {
  mnn_train_record t;
  mnn_error err = {{0}};
  CHECK_MSG(take_edited(script, n_correction, &t, &err) != 0, "%s: read", script);
  CHECK_CONTAINS(err.message, what);
}

static void fill(mnn_train_record *a) {
  mnn_train_record_init(a);
  a->phases = 2, a->has_summary = 1;
  snprintf(a->phase[0], sizeof a->phase[0], "iris");
  snprintf(a->phase[1], sizeof a->phase[1], "regression");
  snprintf(a->task, sizeof a->task, "regression");
  snprintf(a->loss_name, sizeof a->loss_name, "mse");
  a->epochs = 5000, a->initial_loss = 1.0 / 3, a->final_loss = 2.5e-9 / 7, a->seconds = 0.125;
  a->updates = 7000000000L, a->solves = 123456789L;
  a->accuracy[MNN_TRAIN_FINAL_TEST] = 0.9555555555555556, a->has_accuracy[MNN_TRAIN_FINAL_TEST] = 1;
  for (int i = 0; i < 4; ++i) a->mse[i] = 1e-7 / (i + 3), a->has_mse[i] = 1;
  a->baseline_c = 100, a->baseline_train_accuracy = 0.97142857142857142, a->has_baseline = 1;
  a->pruned_bonds = 3, a->has_pruned_bonds = 1;
  a->gradient_study_best_forward_error = 1.5e-7 / 9, a->has_gradient_study = 1;
  a->fem_rounds = 2, a->has_fem_rounds = 1;
  a->round[0] = (mnn_train_round){0.032276376640996668, 1.2307444493622414e-08};
  a->round[1] = (mnn_train_round){0.0039156426602093347, -0.0};
  a->n_correction = 3, a->has_correction = 1;
  a->correction[0] = -5.7e-4 / 3, a->correction[1] = 2.6e-4, a->correction[2] = 0;
}

static void check_round_trip(void) {
  mnn_train_record a, b;
  mnn_error err;
  fill(&a);
  CHECK_MSG(mnn_train_record_write(&a, path, &err) == 0, "%s", err.message);
  mnn_record *rec = mnn_record_read_typed(path, &mnn_train_record_table, &err);
  CHECK_MSG(rec != NULL, "%s", err.message);
  if (!rec) return;
  /* the names on disk: what the report and the FEM stage have always read */
  const char *keys[] = {"phases", "phase.1", "phase.2", "task", "loss-name", "epochs", "initial-loss", "final-loss",
                        "seconds", "updates", "solves", "final-test-accuracy", "initial-train-mse", "final-test-mse",
                        "baseline-c", "baseline-train-accuracy", "pruned-bonds", "gradient-study-best-forward-error",
                        "fem-rounds", "fem-round.1.model-difference", "fem-round.2.final-loss", "fem-correction.2"};
  for (size_t k = 0; k < sizeof keys / sizeof *keys; ++k)
    CHECK_MSG(mnn_record_get_text(rec, keys[k]) != NULL, "%s not written", keys[k]);
  const char *absent[] = {"phase.0", "phase.3", "initial-train-accuracy", "baseline-test-accuracy", "fem-round.0.final-loss",
                          "fem-round.3.model-difference", "fem-correction.3"};
  for (size_t k = 0; k < sizeof absent / sizeof *absent; ++k)
    CHECK_MSG(mnn_record_get_text(rec, absent[k]) == NULL, "%s written", absent[k]);
  CHECK(!strcmp(mnn_record_stage(rec), "train"));
  CHECK_MSG(mnn_train_record_take(rec, 3, &b, &err) == 0, "%s", err.message);
  CHECK(b.phases == 2 && !strcmp(b.phase[0], "iris") && !strcmp(b.phase[1], "regression") && b.has_summary);
  CHECK(!strcmp(b.task, "regression") && !strcmp(b.loss_name, "mse") && b.epochs == 5000);
  CHECK(same(b.initial_loss, a.initial_loss) && same(b.final_loss, a.final_loss) && same(b.seconds, a.seconds));
  CHECK(b.updates == a.updates && b.solves == a.solves);
  for (int i = 0; i < 4; ++i) {
    CHECK(b.has_accuracy[i] == a.has_accuracy[i] && b.has_mse[i] == 1 && same(b.mse[i], a.mse[i]));
    if (a.has_accuracy[i]) CHECK(same(b.accuracy[i], a.accuracy[i]));
  }
  CHECK(b.has_baseline && !b.has_baseline_test && same(b.baseline_c, 100) &&
        same(b.baseline_train_accuracy, a.baseline_train_accuracy));
  CHECK(b.has_pruned_bonds && b.pruned_bonds == 3 && b.has_gradient_study &&
        same(b.gradient_study_best_forward_error, a.gradient_study_best_forward_error));
  CHECK(b.has_fem_rounds && b.fem_rounds == 2 && b.has_correction);
  for (int r = 0; r < 2; ++r)
    CHECK(same(b.round[r].model_difference, a.round[r].model_difference) &&
          same(b.round[r].final_loss, a.round[r].final_loss));
  for (int e = 0; e < 3; ++e) CHECK(same(b.correction[e], a.correction[e]));

  /* the FEM stage's view: the rounds and C */
  double C[4] = {42, 42, 42, 42};
  int rounds = -1;
  CHECK_MSG(mnn_fem_correction_take(rec, 3, &rounds, C, &err) == 0, "%s", err.message);
  CHECK(rounds == 2 && same(C[0], a.correction[0]) && same(C[2], 0) && C[3] == 42);
  mnn_record_free(rec);

  /* edited records */
  char cmd[700];
  snprintf(cmd, sizeof cmd, "cp %s %s", path, saved);
  CHECK(system(cmd) == 0);
  check_fails("/name=\"updates\"/d", 3, "updates missing");
  check_fails("/name=\"task\"/d", 3, "task");
  check_fails("/name=\"phase.2\"/d", 3, "phase.2");
  check_fails("/name=\"fem-round.2.final-loss\"/d", 3, "fem-round.2.final-loss missing");
  check_fails("/name=\"fem-correction/d", 3, "fem-correction.0");
  check_fails("s/name=\"fem-rounds\" value=\"2\"/name=\"fem-rounds\" value=\"1.5\"/", 3, "fem-rounds not an integer");
  check_fails("s/name=\"fem-rounds\" value=\"2\"/name=\"fem-rounds\" value=\"65\"/", 3, "fem-rounds");
  check_fails("s/name=\"final-test-mse\" value=\"[^\"]*\"/name=\"final-test-mse\" value=\"many\"/", 3,
              "final-test-mse not a number");
  check_fails("", 4, "fem-correction.3 missing"); /* a longer task than the correction recorded */
  /* misspelt keys: the schema refuses them */
  check_schema_refuses("phase.x");
  check_schema_refuses("fem-round.1.final_loss");
  check_schema_refuses("baseline-test");
  check_schema_refuses("final-test-accuracies");
  /* the report needs no correction, and an absent optional metric reads as absent */
  mnn_train_record t;
  mnn_error e2;
  CHECK_MSG(take_edited("/name=\"fem-correction/d", 0, &t, &e2) == 0, "%s", e2.message);
  CHECK(take_edited("/name=\"pruned-bonds\"/d", 3, &t, &e2) == 0 && !t.has_pruned_bonds && t.pruned_bonds == 0);
}

/* A case without a training step: phases 0, no summary, and nothing to correct. */
static void check_untrained(void) {
  mnn_train_record a, b;
  mnn_error err;
  mnn_train_record_init(&a);
  CHECK_MSG(mnn_train_record_write(&a, path, &err) == 0, "%s", err.message);
  mnn_record *rec = mnn_record_read(path, &err);
  CHECK(rec && mnn_record_get_text(rec, "task") == NULL && mnn_record_get_text(rec, "fem-rounds") == NULL);
  CHECK(rec && mnn_train_record_take(rec, 3, &b, &err) == 0 && b.phases == 0 && !b.has_summary && b.fem_rounds == 0);
  double C[1] = {42};
  int rounds = -1;
  CHECK(rec && mnn_fem_correction_take(rec, 1, &rounds, C, &err) == 0 && rounds == 0 && C[0] == 42);
  mnn_record_free(rec);
  /* more phases than the record holds: refused on writing, naming the count */
  a.phases = MNN_TRAIN_RECORD_PHASES + 1;
  CHECK(mnn_train_record_write(&a, path, &err) != 0);
  CHECK_CONTAINS(err.message, "phases");
}

/* A case asking for more FEM rounds than the record holds is refused by the case
 * check, with one line, before any stage runs. */
static void check_case_limit(void) {
  if (!getenv("MNN_EXE")) return;
  char casefile[400], args[1200];
  snprintf(casefile, sizeof casefile, "%s/rounds.xml", dir);
  FILE *f = fopen(casefile, "w");
  CHECK(f != NULL);
  if (!f) return;
  fprintf(f, "<?xml version=\"1.0\"?>\n<case name=\"rounds\">\n<network source=\"triangle\" top=\"3\" rows=\"2\"/>\n"
             "<train fem-rounds=\"%d\" loss=\"mse\" features=\"1\" targets=\"-0.0004\" epochs=\"5\">"
             "<input node=\"4\" scale=\"-0.02\"/><output node=\"5\"/></train>\n</case>\n",
          MNN_TRAIN_RECORD_ROUNDS + 1);
  CHECK(fclose(f) == 0);
  snprintf(args, sizeof args, "run %s -o %s/out", casefile, dir);
  CHECK(run_mnn(args) != 0);
  CHECK_CONTAINS(output, "use at most 64");
  CHECK(one_line());
  snprintf(args, sizeof args, "%s/out/train.record.xml", dir);
  CHECK(access(args, F_OK) != 0);
}

int main(void) {
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/train.record.xml", dir);
  snprintf(saved, sizeof saved, "%s/saved.record.xml", dir);
  check_round_trip();
  check_untrained();
  check_case_limit();
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
  return mnn_test_finish();
}
