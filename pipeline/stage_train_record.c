/* The train stage's record as one field table over mnn_train_record. The keys are
 * those the record has always had (train.record.xml keeps its names). */
#include "stage_train_record.h"

#include <string.h>

#define N_FIELDS(t) ((int)(sizeof(t) / sizeof *(t)))
#define T mnn_train_record
#define REF(m) MNN_FIELD_REF(T, m)
/* the last training step's summary: written when the case trained */
#define SUMMARY(key, kind, m) {MNN_FIELD(T, key, kind, m), .optional = 1, .present = REF(has_summary)}
#define SUMMARY_TEXT(key, m) {MNN_TEXT(T, key, m), .optional = 1, .present = REF(has_summary)}
/* written when its flag is set; absent: NaN (or 0) and the flag 0 */
#define D_IF(key, m, flag) {MNN_FIELD(T, key, MNN_FIELD_DOUBLE, m), .optional = 1, .present = REF(flag)}
#define METRIC(set, i) D_IF(set "-accuracy", accuracy[i], has_accuracy[i]), D_IF(set "-mse", mse[i], has_mse[i])

#define TEN(b) b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10
static const int numbers[] = {TEN(0), TEN(10), TEN(20), TEN(30), TEN(40), TEN(50), TEN(60)};
_Static_assert(sizeof numbers / sizeof *numbers >= MNN_TRAIN_RECORD_ROUNDS &&
                   sizeof numbers / sizeof *numbers >= MNN_TRAIN_RECORD_PHASES,
               "a key number for every phase and round");

static const mnn_record_field round_fields[] = {
    {MNN_FIELD(mnn_train_round, "model-difference", MNN_FIELD_DOUBLE, model_difference)},
    {MNN_FIELD(mnn_train_round, "final-loss", MNN_FIELD_DOUBLE, final_loss)},
};

static const mnn_record_field train_fields[] = {
    {MNN_FIELD(T, "phases", MNN_FIELD_INT, phases)},
    {MNN_FIELD(T, "phase.%d", MNN_FIELD_TEXT, phase), .size = sizeof(((T *)0)->phase[0]),
     .count = MNN_TRAIN_RECORD_PHASES, .length = REF(phases), .ids = REF(number)},
    SUMMARY_TEXT("task", task),
    SUMMARY_TEXT("loss-name", loss_name),
    SUMMARY("epochs", MNN_FIELD_INT, epochs),
    SUMMARY("initial-loss", MNN_FIELD_DOUBLE, initial_loss),
    SUMMARY("final-loss", MNN_FIELD_DOUBLE, final_loss),
    SUMMARY("seconds", MNN_FIELD_DOUBLE, seconds),
    SUMMARY("updates", MNN_FIELD_LONG, updates),
    SUMMARY("solves", MNN_FIELD_LONG, solves),
    METRIC("initial-train", MNN_TRAIN_INITIAL_TRAIN),
    METRIC("initial-test", MNN_TRAIN_INITIAL_TEST),
    METRIC("final-train", MNN_TRAIN_FINAL_TRAIN),
    METRIC("final-test", MNN_TRAIN_FINAL_TEST),
    D_IF("baseline-c", baseline_c, has_baseline),
    D_IF("baseline-train-accuracy", baseline_train_accuracy, has_baseline),
    D_IF("baseline-test-accuracy", baseline_test_accuracy, has_baseline_test),
    {MNN_FIELD(T, "pruned-bonds", MNN_FIELD_INT, pruned_bonds), .optional = 1, .present = REF(has_pruned_bonds)},
    D_IF("gradient-study-best-forward-error", gradient_study_best_forward_error, has_gradient_study),
    {MNN_FIELD(T, "fem-rounds", MNN_FIELD_INT, fem_rounds), .optional = 1, .present = REF(has_fem_rounds)},
    {MNN_FIELD(T, "fem-round.%d.", MNN_FIELD_GROUP, round), .size = sizeof(mnn_train_round),
     .count = MNN_TRAIN_RECORD_ROUNDS, .length = REF(fem_rounds), .ids = REF(number), .sub = round_fields,
     .n_sub = N_FIELDS(round_fields)},
    {MNN_FIELD(T, "fem-correction.%d", MNN_FIELD_DOUBLE, correction), .count = MNN_TASK_MAX_IO * MNN_TASK_MAX_IO,
     .length = REF(n_correction), .optional = 1, .present = REF(has_correction)},
};

extern const char mnn_record_train_xsd[];
const mnn_record_table mnn_train_record_table = {"train", train_fields, N_FIELDS(train_fields), mnn_record_train_xsd};

void mnn_train_record_init(mnn_train_record *t) {
  memset(t, 0, sizeof *t);
  t->number = numbers;
}

int mnn_train_record_write(const mnn_train_record *t, const char *path, mnn_error *err) {
  return mnn_record_write_struct(&mnn_train_record_table, t, path, err);
}

int mnn_train_record_take(const mnn_record *rec, int n_correction, mnn_train_record *t, mnn_error *err) {
  mnn_train_record_init(t);
  t->n_correction = n_correction;
  if (mnn_record_take(rec, t, train_fields, N_FIELDS(train_fields), err)) return -1;
  /* the summary's keys share one flag: a record that trained must have each */
  for (int k = 0; k < N_FIELDS(train_fields) && t->phases > 0; ++k)
    if (train_fields[k].present == REF(has_summary) && !mnn_record_get_text(rec, train_fields[k].key))
      return mnn_fail(err, "train record: %s missing: rerun the stage with --force", train_fields[k].key);
  t->has_summary = t->phases > 0;
  if (t->fem_rounds > 0 && n_correction > 0 && !t->has_correction)
    return mnn_fail(err, "train record: fem-rounds without its fem-correction values (fem-correction.0): rerun the "
                         "stage with --force");
  return 0;
}

int mnn_fem_correction_take(const mnn_record *rec, int n, int *rounds, double *C, mnn_error *err) {
  mnn_train_record t;
  *rounds = 0;
  if (mnn_train_record_take(rec, n, &t, err)) return -1;
  if (t.fem_rounds > 0) memcpy(C, t.correction, sizeof(double) * (size_t)n);
  *rounds = t.fem_rounds;
  return 0;
}
