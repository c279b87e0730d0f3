/* The task's key table (barmodel/training/task_keys.c): every key in the table has
 * a case here (a new key without one fails), each good value lands in the key's
 * field and nowhere else, each bad value fails with a message naming the key and
 * leaves the task as it was; range edges; the "inputs"/"outputs" lists and the
 * attribute form (mnn_task_add_dof) give the same task. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "training.h"
#include "test_util.h"

typedef struct {
  const char *key, *good, *bad;
  size_t size;   /* bytes of the field the good value changes */
  size_t also;   /* offset of a second field the key may change ((size_t)-1: none) */
} key_case;

#define NONE ((size_t)-1)
#define SZ(member) sizeof(((mnn_task *)0)->member)
#define TEXT(x) #x
#define NUMBER_TEXT(x) TEXT(x)

static const key_case cases[] = {
    {"loss", "ce", "hinge", SZ(loss), NONE},
    {"softmax-length", "2e-4", "0", SZ(softmax_length), NONE},
    {"label", "2", NUMBER_TEXT(MNN_TASK_MAX_IO), SZ(fixed_label), NONE}, /* one past the last class */
    {"inputs", "14:y:-0.049,12:x", "14:z", SZ(inputs) + SZ(n_inputs), NONE},
    {"outputs", "8:x,2:x,3:x", "8:x:1", SZ(outputs) + SZ(n_outputs), NONE},
    {"targets", "-0.0005,-0.0008", "1,,2", SZ(fixed_target), NONE},
    {"features", "0.5,2", "a", SZ(fixed_x), NONE},
    {"data", "cases/data/iris.csv", NULL, SZ(csv_path), offsetof(mnn_task, data)},
    {"scale-columns", "0", "2", SZ(csv_scale_columns), NONE},
    {"samples", "50", "0", SZ(regression_samples), NONE},
    {"force-min", "-0.1", "inf", SZ(regression_force_min), NONE},
    {"force-max", "0.1", "0.1x", SZ(regression_force_max), NONE},
    {"slopes", "0,0.016,0.004,0.016", "0;1", SZ(regression_slopes), NONE},
    {"noise", "1e-4", "-1e-4", SZ(regression_noise), NONE},
    {"train-fraction", "0.5", "half", SZ(train_fraction), NONE},
    {"lr", "0.1", "abc", SZ(adam.lr), NONE},
    {"beta1", "0.8", "", SZ(adam.beta1), NONE},
    {"beta2", "0.99", "nan", SZ(adam.beta2), NONE},
    {"eps", "1e-6", "1e999", SZ(adam.eps), NONE},
    {"start-margin", "0.01", "0.5", SZ(adam.start_margin), NONE},
    {"bounds", "project", "clip", SZ(adam.bound), NONE},
    {"steepness", "5", "5 ", SZ(adam.steepness), NONE},
    {"epochs", "7", "-1", SZ(epochs), NONE},
    {"batch", "4", "0", SZ(batch_size), NONE},
    {"seed", "18446744073709551615", "-1", SZ(seed), NONE},
    {"report-every", "3", "1.5", SZ(report_every), NONE},
    {"name", "fig9", "a-name-longer-than-the-sixty-three-characters-that-the-task-keeps-for-it", SZ(name), NONE},
};
#define N_CASES ((int)(sizeof cases / sizeof *cases))

static const key_case *case_of(const char *key) {
  for (int i = 0; i < N_CASES; ++i)
    if (!strcmp(cases[i].key, key)) return &cases[i];
  return NULL;
}

/* Byte i of the task lies in [off, off + size). */
static int inside(size_t i, size_t off, size_t size) { return off != NONE && i >= off && i < off + size; }

static void check_table(void) {
  /* the table and the cases list the same keys */
  for (int i = 0; i < mnn_task_n_keys; ++i)
    CHECK_MSG(case_of(mnn_task_key_table[i].key) != NULL, "key %s has no test case", mnn_task_key_table[i].key);
  for (int i = 0; i < N_CASES; ++i) CHECK_MSG(mnn_task_key_find(cases[i].key) != NULL, "no key %s", cases[i].key);
  CHECK(mnn_task_n_keys == N_CASES);
  CHECK(mnn_task_key_find("nonsense") == NULL);

  mnn_error err;
  for (int i = 0; i < mnn_task_n_keys; ++i) {
    const mnn_task_key *k = &mnn_task_key_table[i];
    const key_case *c = case_of(k->key);
    if (!c) continue;
    /* good value: changes the key's field (and only it) */
    mnn_task *t0 = malloc(sizeof *t0), *t = malloc(sizeof *t);
    CHECK(t0 && t);
    if (!t0 || !t) return;
    mnn_task_defaults(t0);
    memcpy(t, t0, sizeof *t);
    CHECK_MSG(mnn_task_set(t, k->key, c->good, &err) == 0, "%s=%s: %s", k->key, c->good, err.message);
    size_t field = k->field, changed = 0, stray = 0;
    if (!strcmp(k->key, "inputs")) field = offsetof(mnn_task, n_inputs);
    if (!strcmp(k->key, "outputs")) field = offsetof(mnn_task, n_outputs);
    for (size_t b = 0; b < sizeof *t; ++b) {
      if (((unsigned char *)t)[b] == ((unsigned char *)t0)[b]) continue;
      if (inside(b, field, c->size) || inside(b, c->also, sizeof(int))) ++changed;
      else ++stray;
    }
    CHECK_MSG(changed > 0, "%s=%s changed nothing", k->key, c->good);
    CHECK_MSG(stray == 0, "%s=%s changed %zu bytes outside its field", k->key, c->good, stray);
    /* bad value: fails naming the key, the task unchanged */
    if (c->bad) {
      memcpy(t0, t, sizeof *t);
      CHECK_MSG(mnn_task_set(t, k->key, c->bad, &err) != 0, "%s='%s' accepted", k->key, c->bad);
      CHECK_CONTAINS(err.message, k->key);
      CHECK_MSG(!memcmp(t, t0, sizeof *t), "%s='%s' changed the task although it failed", k->key, c->bad);
    }
    free(t0);
    free(t);
  }
  mnn_task t;
  mnn_task_defaults(&t);
  CHECK(mnn_task_set(&t, "nonsense", "1", &err) != 0);
  CHECK_CONTAINS(err.message, "nonsense");
}

static void check_values(void) {
  mnn_error err;
  mnn_task t;
  mnn_task_defaults(&t);
  CHECK(mnn_task_set(&t, "softmax-length", "1e-9", &err) == 0 && t.softmax_length == 1e-9);
  CHECK(mnn_task_set(&t, "noise", "0", &err) == 0 && t.regression_noise == 0);
  CHECK(mnn_task_set(&t, "start-margin", "0", &err) == 0 && t.adam.start_margin == 0);
  CHECK(mnn_task_set(&t, "start-margin", "0.4999", &err) == 0 && t.adam.start_margin == 0.4999);
  CHECK(mnn_task_set(&t, "label", "31", &err) == 0 && t.fixed_label == 31);
  CHECK(mnn_task_set(&t, "seed", "18446744073709551615", &err) == 0 && t.seed == UINT64_MAX);
  CHECK(mnn_task_set(&t, "seed", "18446744073709551616", &err) != 0);
  CHECK(mnn_task_set(&t, "loss", "softmax", &err) == 0 && t.loss == MNN_LOSS_CE_SOFTMAX);
  CHECK(mnn_task_set(&t, "bounds", "sigmoid", &err) == 0 && t.adam.bound == MNN_BOUND_SIGMOID);
  CHECK(mnn_task_set(&t, "data", "x.csv", &err) == 0 && t.data == MNN_DATA_CSV && !strcmp(t.csv_path, "x.csv"));
  CHECK(mnn_task_set(&t, "slopes", "1,2,3", &err) == 0 && t.regression_slopes[2] == 3 && t.regression_slopes[3] == 0);
  char many[512] = "0";
  for (int i = 1; i <= MNN_TASK_MAX_IO; ++i) strcat(many, ",1");
  CHECK(mnn_task_set(&t, "features", many, &err) != 0);
  CHECK_CONTAINS(err.message, "more than");

  /* the list form and the attribute form give the same inputs and outputs */
  mnn_task a, b;
  mnn_task_defaults(&a);
  mnn_task_defaults(&b);
  CHECK(mnn_task_set(&a, "inputs", "14:y:-0.049,12:x,13:1:2.5", &err) == 0);
  CHECK(mnn_task_set(&a, "outputs", "8:x,2:y", &err) == 0);
  b.n_inputs = b.n_outputs = 0;
  CHECK(mnn_task_add_dof(&b, 1, "14", "y", "-0.049", &err) == 0);
  CHECK(mnn_task_add_dof(&b, 1, "12", "x", NULL, &err) == 0);
  CHECK(mnn_task_add_dof(&b, 1, "13", NULL, "2.5", &err) == 0);
  CHECK(mnn_task_add_dof(&b, 0, "8", "x", NULL, &err) == 0);
  CHECK(mnn_task_add_dof(&b, 0, "2", "y", NULL, &err) == 0);
  CHECK(a.n_inputs == 3 && b.n_inputs == 3 && a.n_outputs == 2 && b.n_outputs == 2);
  for (int i = 0; i < 3; ++i)
    CHECK(a.inputs[i].node_id == b.inputs[i].node_id && a.inputs[i].component == b.inputs[i].component &&
          a.inputs[i].scale == b.inputs[i].scale);
  for (int o = 0; o < 2; ++o)
    CHECK(a.outputs[o].node_id == b.outputs[o].node_id && a.outputs[o].component == b.outputs[o].component);
  CHECK(a.inputs[0].scale == -0.049 && a.inputs[1].component == 0 && a.inputs[1].scale == 1 && a.inputs[2].component == 1);
  /* the list replaces what was there; a bad entry keeps the old list */
  CHECK(mnn_task_set(&a, "inputs", "5:x", &err) == 0 && a.n_inputs == 1 && a.inputs[0].node_id == 5);
  CHECK(mnn_task_set(&a, "inputs", "6:x,7:q", &err) != 0 && a.n_inputs == 1 && a.inputs[0].node_id == 5);
  CHECK_CONTAINS(err.message, "entry 2 '7:q'");
  /* attribute-form errors */
  CHECK(mnn_task_add_dof(&b, 1, "0", "y", NULL, &err) != 0);
  CHECK(mnn_task_add_dof(&b, 1, NULL, "y", NULL, &err) != 0);
  CHECK(mnn_task_add_dof(&b, 0, "3", "y", "2", &err) != 0);
  CHECK_CONTAINS(err.message, "no scale");
  CHECK(mnn_task_add_dof(&b, 1, "3", "y", "big", &err) != 0);
  CHECK_CONTAINS(err.message, "scale");
  CHECK(b.n_inputs == 3 && b.n_outputs == 2);
  while (b.n_inputs < MNN_TASK_MAX_IO) CHECK(mnn_task_add_dof(&b, 1, "3", "y", NULL, &err) == 0);
  CHECK(mnn_task_add_dof(&b, 1, "3", "y", NULL, &err) != 0);
  CHECK_CONTAINS(err.message, "more than");
}

int main(void) {
  check_table();
  check_values();
  return mnn_test_finish();
}
