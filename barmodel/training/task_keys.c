/* The task's settable keys as one table: (key, parser, field, range). The command
 * line (--KEY VALUE, pipeline/cli_task.c) and the case reader (<train KEY="VALUE">
 * and its <input>/<output> children, pipeline/case_file.c) both set a task through
 * it, so a key, its syntax and its checks exist once. */
#include "task.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- value parsers: text to one number, one message per failure ---- */

/* A finite double in *v, or a message naming key. */
static int parse_double(const char *key, const char *s, double *v, mnn_error *err) {
  char *end = NULL;
  errno = 0;
  double d = strtod(s, &end);
  if (end == s || *end || errno == ERANGE || !isfinite(d)) return mnn_fail(err, "%s '%s': not a number", key, s);
  *v = d;
  return 0;
}

/* A decimal integer in lo..hi in *v, or a message naming key. */
static int parse_int(const char *key, const char *s, long lo, long hi, long *v, mnn_error *err) {
  char *end = NULL;
  errno = 0;
  long d = strtol(s, &end, 10);
  if (end == s || *end || errno == ERANGE) return mnn_fail(err, "%s '%s': not an integer", key, s);
  if (d < lo || d > hi) return mnn_fail(err, "%s %ld: out of range %ld..%ld", key, d, lo, hi);
  *v = d;
  return 0;
}

/* ---- field parsers: one per kind of field, named in the table ---- */

#define FIELD(t, k, type) ((type *)((char *)(t) + (k)->field))

/* double: any finite number, or in [lo, hi] when lo < hi (open at lo when
 * MNN_KEY_OPEN_LO is set, open at hi when MNN_KEY_OPEN_HI is). */
static int set_double(const mnn_task_key *k, mnn_task *t, const char *value, mnn_error *err) {
  double d;
  if (parse_double(k->key, value, &d, err)) return -1;
  if (k->lo < k->hi) {
    int below = (k->flags & MNN_KEY_OPEN_LO) ? !(d > k->lo) : !(d >= k->lo);
    int above = (k->flags & MNN_KEY_OPEN_HI) ? !(d < k->hi) : !(d <= k->hi);
    if (below || above) return mnn_fail(err, "%s %g: %s", k->key, d, k->syntax);
  }
  *FIELD(t, k, double) = d;
  return 0;
}

/* int in [lo, hi]. */
static int set_int(const mnn_task_key *k, mnn_task *t, const char *value, mnn_error *err) {
  long l;
  if (parse_int(k->key, value, (long)k->lo, (long)k->hi, &l, err)) return -1;
  *FIELD(t, k, int) = (int)l;
  return 0;
}

/* uint64_t, any non-negative decimal integer. */
static int set_u64(const mnn_task_key *k, mnn_task *t, const char *value, mnn_error *err) {
  char *end = NULL;
  errno = 0;
  unsigned long long u = strtoull(value, &end, 10);
  if (end == value || *end || errno == ERANGE || value[0] == '-')
    return mnn_fail(err, "%s '%s': not a non-negative integer", k->key, value);
  *FIELD(t, k, uint64_t) = (uint64_t)u;
  return 0;
}

/* A comma list of at most MNN_TASK_MAX_IO doubles into a double array. */
static int set_list(const mnn_task_key *k, mnn_task *t, const char *value, mnn_error *err) {
  double v[MNN_TASK_MAX_IO];
  int n = 0;
  const char *p = value;
  for (;;) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    char item[64];
    if (n == MNN_TASK_MAX_IO) return mnn_fail(err, "%s: more than %d values", k->key, MNN_TASK_MAX_IO);
    if (len >= sizeof item) return mnn_fail(err, "%s '%.*s': not a number", k->key, (int)len, p);
    memcpy(item, p, len);
    item[len] = '\0';
    if (parse_double(k->key, item, &v[n++], err)) return -1;
    if (!comma) break;
    p = comma + 1;
  }
  memcpy(FIELD(t, k, double), v, sizeof(double) * (size_t)n);
  return 0;
}

/* The loss by name. */
static int set_loss(const mnn_task_key *k, mnn_task *t, const char *value, mnn_error *err) {
  int kind = mnn_loss_from_name(value);
  if (kind < 0) return mnn_fail(err, "%s '%s': use %s", k->key, value, k->syntax);
  *FIELD(t, k, mnn_loss_kind) = (mnn_loss_kind)kind;
  return 0;
}

/* The width bounds by name. */
static int set_bounds(const mnn_task_key *k, mnn_task *t, const char *value, mnn_error *err) {
  mnn_bound_kind b;
  if (!strcmp(value, "sigmoid")) b = MNN_BOUND_SIGMOID;
  else if (!strcmp(value, "project")) b = MNN_BOUND_PROJECT;
  else return mnn_fail(err, "%s '%s': use %s", k->key, value, k->syntax);
  *FIELD(t, k, mnn_bound_kind) = b;
  return 0;
}

/* Text into a char array of k->hi bytes: the path of a CSV file also switches
 * the task's data to MNN_DATA_CSV (MNN_KEY_CSV). */
static int set_text(const mnn_task_key *k, mnn_task *t, const char *value, mnn_error *err) {
  size_t size = (size_t)k->hi;
  if (strlen(value) >= size) return mnn_fail(err, "%s: longer than %zu characters", k->key, size - 1);
  memcpy(FIELD(t, k, char), value, strlen(value) + 1);
  if (k->flags & MNN_KEY_CSV) t->data = MNN_DATA_CSV;
  return 0;
}

int mnn_task_add_dof(mnn_task *t, int input, const char *node, const char *component, const char *scale,
                     mnn_error *err) {
  int n = input ? t->n_inputs : t->n_outputs;
  if (n == MNN_TASK_MAX_IO)
    return mnn_fail(err, "more than %d %ss: a task has at most %d", MNN_TASK_MAX_IO, input ? "input" : "output",
                    MNN_TASK_MAX_IO);
  long id;
  if (!node) return mnn_fail(err, "no node: give the node id");
  if (parse_int("node", node, 1, INT_MAX, &id, err)) return -1;
  int comp = component ? mnn_task_component(component) : 1;
  if (comp < 0) return mnn_fail(err, "component '%s': use x or y", component);
  double s = 1.0;
  if (scale && !input) return mnn_fail(err, "an output has no scale: remove it");
  if (scale && parse_double("scale", scale, &s, err)) return -1;
  if (input) t->inputs[t->n_inputs++] = (mnn_task_input){(int)id, comp, s};
  else t->outputs[t->n_outputs++] = (mnn_task_output){(int)id, comp};
  return 0;
}

/* "NODE:x|y[:SCALE],..." for inputs (MNN_KEY_INPUTS) or outputs: replaces the
 * list, each entry through mnn_task_add_dof. */
static int set_dofs(const mnn_task_key *k, mnn_task *t, const char *value, mnn_error *err) {
  int input = (k->flags & MNN_KEY_INPUTS) != 0;
  mnn_task copy = *t; /* the task is left as it was when an entry fails */
  if (input) copy.n_inputs = 0;
  else copy.n_outputs = 0;
  char buf[2048];
  if (strlen(value) >= sizeof buf) return mnn_fail(err, "%s: longer than %zu characters", k->key, sizeof buf - 1);
  memcpy(buf, value, strlen(value) + 1);
  int n = 0;
  for (char *p = buf, *item; (item = strsep(&p, ",")) != NULL; ++n) {
    char text[sizeof buf], *q = item, *f[3] = {0};
    memcpy(text, item, strlen(item) + 1);
    int nf = 0;
    for (char *tok; nf < 3 && (tok = strsep(&q, ":")) != NULL;) f[nf++] = tok;
    if (nf < 2 || q || (!input && nf == 3))
      return mnn_fail(err, "%s: entry %d '%s': write %s", k->key, n + 1, text, k->syntax);
    mnn_error why;
    if (mnn_task_add_dof(&copy, input, f[0], f[1], f[2], &why))
      return mnn_fail(err, "%s: entry %d '%s': %s; write %s", k->key, n + 1, text, why.message, k->syntax);
  }
  *t = copy;
  return 0;
}

#define AT(member) offsetof(mnn_task, member)

const mnn_task_key mnn_task_key_table[] = {
    {"loss", set_loss, AT(loss), 0, 0, 0, "ce, softmax, mse or squared"},
    {"softmax-length", set_double, AT(softmax_length), 0, INFINITY, MNN_KEY_OPEN_LO | MNN_KEY_OPEN_HI,
     "must be positive (m)"},
    {"label", set_int, AT(fixed_label), 0, MNN_TASK_MAX_IO - 1, 0, "CLASS (0-based output index)"},
    {"inputs", set_dofs, AT(inputs), 0, 0, MNN_KEY_INPUTS, "NODE:x or NODE:y[:SCALE], e.g. 14:y:-0.049"},
    {"outputs", set_dofs, AT(outputs), 0, 0, 0, "NODE:x or NODE:y, e.g. 8:x"},
    {"targets", set_list, AT(fixed_target), 0, 0, 0, "T1,T2,... (m, one per output)"},
    {"features", set_list, AT(fixed_x), 0, 0, 0, "X1,X2,... (the fixed sample, one per input)"},
    {"data", set_text, AT(csv_path), 0, MNN_TASK_PATH_LEN, MNN_KEY_CSV, "FILE.csv"},
    {"scale-columns", set_int, AT(csv_scale_columns), 0, 1, 0, "0 or 1"},
    {"samples", set_int, AT(regression_samples), 1, INT_MAX, 0, "N"},
    {"force-min", set_double, AT(regression_force_min), 0, 0, 0, "F (N)"},
    {"force-max", set_double, AT(regression_force_max), 0, 0, 0, "F (N)"},
    {"slopes", set_list, AT(regression_slopes), 0, 0, 0, "S1,S2,... (m/N, one per output)"},
    {"noise", set_double, AT(regression_noise), 0, INFINITY, MNN_KEY_OPEN_HI, "must be >= 0 (m)"},
    {"train-fraction", set_double, AT(train_fraction), 0, 0, 0, "F in (0, 1]"},
    {"lr", set_double, AT(adam.lr), 0, 0, 0, "X"},
    {"beta1", set_double, AT(adam.beta1), 0, 0, 0, "X"},
    {"beta2", set_double, AT(adam.beta2), 0, 0, 0, "X"},
    {"eps", set_double, AT(adam.eps), 0, 0, 0, "X"},
    {"start-margin", set_double, AT(adam.start_margin), 0, 0.5, MNN_KEY_OPEN_HI,
     "use a share of the width range in [0, 0.5)"},
    {"bounds", set_bounds, AT(adam.bound), 0, 0, 0, "sigmoid or project"},
    {"steepness", set_double, AT(adam.steepness), 0, 0, 0, "S"},
    {"epochs", set_int, AT(epochs), 0, INT_MAX, 0, "N"},
    {"batch", set_int, AT(batch_size), 1, INT_MAX, 0, "N"},
    {"seed", set_u64, AT(seed), 0, 0, 0, "N"},
    {"report-every", set_int, AT(report_every), 0, INT_MAX, 0, "N"},
    {"name", set_text, AT(name), 0, sizeof(((mnn_task *)0)->name), 0, "TEXT"},
};
const int mnn_task_n_keys = (int)(sizeof mnn_task_key_table / sizeof *mnn_task_key_table);

const mnn_task_key *mnn_task_key_find(const char *key) {
  for (int i = 0; i < mnn_task_n_keys; ++i)
    if (!strcmp(mnn_task_key_table[i].key, key)) return &mnn_task_key_table[i];
  return NULL;
}

int mnn_task_set(mnn_task *t, const char *key, const char *value, mnn_error *err) {
  const mnn_task_key *k = mnn_task_key_find(key);
  if (!k) return mnn_fail(err, "unknown task setting '%s'", key);
  return k->parse(k, t, value, err);
}
