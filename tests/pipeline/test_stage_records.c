/* Typed stage records (stage_record.h field tables, stage_records.h): the mesh and
 * STL stages' statistics round-trip through the record file bit for bit, the STL
 * record's repaired flag and "none" summary, a missing key or a non-integer count
 * fails naming the key, and the generic put/take
 * handle every kind and every form of field (optional, counted, matrix, text array,
 * indexed by id, nested heap groups): bit for bit through the file, a missing
 * required key, a malformed optional key and a count beyond the struct named; the
 * FEM record (stage_fem_record.h) and the measure record (stage_measure_record.h)
 * the same way (the train record: test_train_record.c). */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include "stage_fem_record.h"
#include "stage_measure_record.h"
#include "stage_records.h"
#include "test_util.h"

static char dir[] = "/tmp/mnn_test_stage_records_XXXXXX";

static void check_mesh(void) {
  char path[256];
  snprintf(path, sizeof path, "%s/mesh.record.xml", dir);
  mnn_mesh_stats st = {1234567890123L, 987654321L, 1.0 / 3, 0.7 + 1e-15, 1.5e-6 / 7, 12.345678901234567, 42};
  mnn_error err;
  CHECK_MSG(mnn_mesh_record_write(&st, path, &err) == 0, "%s", err.message);
  mnn_record *rec = mnn_record_read(path, &err);
  CHECK_MSG(rec != NULL, "%s", err.message);
  mnn_mesh_stats back;
  CHECK(rec && mnn_mesh_record_take(rec, &back, &err) == 0);
  CHECK(back.n_nodes == st.n_nodes && back.n_tetrahedra == st.n_tetrahedra && back.min_quality == st.min_quality &&
        back.mean_quality == st.mean_quality && back.volume == st.volume && back.seconds == st.seconds &&
        back.n_poor == st.n_poor);
  CHECK(rec && !strcmp(mnn_record_stage(rec), "mesh"));
  mnn_record_free(rec);

  /* a key missing, a count that is not an integer */
  mnn_test_write_text(path, "<record stage=\"mesh\"><value name=\"nodes\" value=\"10\"/>"
                   "<value name=\"min-quality\" value=\"0.5\"/></record>");
  rec = mnn_record_read(path, &err);
  CHECK(rec && mnn_mesh_record_take(rec, &back, &err) != 0);
  CHECK_CONTAINS(err.message, "tetrahedra missing");
  mnn_record_free(rec);
  mnn_test_write_text(path, "<record stage=\"mesh\"><value name=\"nodes\" value=\"10.5\"/></record>");
  rec = mnn_record_read(path, &err);
  CHECK(rec && mnn_mesh_record_take(rec, &back, &err) != 0);
  CHECK_CONTAINS(err.message, "nodes not an integer");
  mnn_record_free(rec);
}

static void check_stl(void) {
  char path[256];
  snprintf(path, sizeof path, "%s/stl.record.xml", dir);
  mnn_stl_stats st;
  memset(&st, 0, sizeof st);
  st.facets = 19374, st.volume_mm3 = 1529.3123456789, st.parts = 1, st.bad_edges = 0;
  st.reversed_all = 1; /* turned round counts as repaired */
  st.facets_added = 5;  /* not recorded */
  for (int k = 0; k < 3; ++k) st.min_mm[k] = -k - 0.1, st.max_mm[k] = 64 + k / 3.0;
  mnn_error err;
  CHECK_MSG(mnn_stl_record_write(&st, path, &err) == 0, "%s", err.message);
  mnn_record *rec = mnn_record_read(path, &err);
  mnn_stl_stats back;
  CHECK(rec && mnn_stl_record_take(rec, &back, &err) == 0);
  CHECK(back.facets == st.facets && back.volume_mm3 == st.volume_mm3 && back.parts == 1 && back.bad_edges == 0);
  CHECK(back.repaired == 1 && !strcmp(back.repairs, "none") && back.facets_added == 0 && back.reversed_all == 0);
  for (int k = 0; k < 3; ++k) CHECK(back.min_mm[k] == st.min_mm[k] && back.max_mm[k] == st.max_mm[k]);
  mnn_record_free(rec);
  snprintf(st.repairs, sizeof st.repairs, "2 facets removed, normals fixed");
  st.reversed_all = 0;
  CHECK(mnn_stl_record_write(&st, path, &err) == 0);
  rec = mnn_record_read(path, &err);
  CHECK(rec && mnn_stl_record_take(rec, &back, &err) == 0 && !strcmp(back.repairs, st.repairs) && back.repaired == 0);
  mnn_record_free(rec);
}

/* Every kind through the generic table, arrays as key.i, text that does not fit. */
typedef struct {
  double d[2];
  long l;
  int i;
  char text[8];
} sample;

static void check_generic(void) {
  const mnn_record_field f[] = {{MNN_FIELD(sample, "d.%d", MNN_FIELD_DOUBLE, d), .count = 2},
                                {MNN_FIELD(sample, "l", MNN_FIELD_LONG, l)},
                                {MNN_FIELD(sample, "i", MNN_FIELD_INT, i)},
                                {MNN_TEXT(sample, "text", text)}};
  sample s = {{NAN, -0.0}, -9007199254740991L, -7, "abc"}, t;
  mnn_error err;
  mnn_record *rec = mnn_record_create("x");
  CHECK(rec && mnn_record_put(rec, &s, f, 4, &err) == 0);
  CHECK(rec && mnn_record_get_text(rec, "d.1") != NULL && mnn_record_get_text(rec, "d") == NULL);
  memset(&t, 1, sizeof t);
  CHECK(rec && mnn_record_take(rec, &t, f, 4, &err) == 0);
  CHECK(isnan(t.d[0]) && t.d[1] == 0 && signbit(t.d[1]) && t.l == s.l && t.i == -7 && !strcmp(t.text, "abc"));
  CHECK(rec && mnn_record_set_text(rec, "text", "12345678") == 0);
  CHECK(rec && mnn_record_take(rec, &t, f, 4, &err) != 0);
  CHECK_CONTAINS(err.message, "text");
  CHECK(rec && mnn_record_set_text(rec, "text", "ok") == 0 && mnn_record_set(rec, "i", 3e9) == 0);
  CHECK(rec && mnn_record_take(rec, &t, f, 4, &err) != 0);
  CHECK_CONTAINS(err.message, "i not an integer");
  mnn_record_free(rec);
}

/* Many keys, as a large network's FEM record holds (several per bond and node):
 * the record's index survives its growth (every key found with its value, a key
 * set again replaced, not added) and the file keeps the order of insertion. */
static void check_many_keys(void) {
  enum { N = 20000 };
  mnn_record *rec = mnn_record_create("x");
  CHECK(rec != NULL);
  if (!rec) return;
  int bad = 0;
  for (int i = 0; i < N; ++i) bad |= mnn_record_set_indexed(rec, "g", (i * 7919) % N + 1, i);
  for (int i = 0; i < N; i += 97) bad |= mnn_record_set_indexed(rec, "g", (i * 7919) % N + 1, -i);
  CHECK(bad == 0);
  int wrong = 0;
  for (int i = 0; i < N; ++i) {
    double v = NAN;
    wrong += mnn_record_get_indexed(rec, "g", (i * 7919) % N + 1, &v) != 1 || v != (i % 97 ? i : -i);
  }
  CHECK_MSG(wrong == 0, "%d of %d keys read back wrong", wrong, N);
  CHECK(mnn_record_get_text(rec, "g.0") == NULL && mnn_record_get_text(rec, "g") == NULL);
  char path[300];
  mnn_error err;
  snprintf(path, sizeof path, "%s/many.record.xml", dir);
  CHECK_MSG(mnn_record_write(rec, path, &err) == 0, "%s", err.message);
  mnn_record_free(rec);
  mnn_record *back = mnn_record_read(path, &err);
  CHECK_MSG(back != NULL, "%s", err.message);
  double v;
  CHECK(back && mnn_record_get_indexed(back, "g", N, &v) == 1);
  mnn_record_free(back);
  char *text = mnn_test_slurp(path), *first = text ? strstr(text, "name=\"g.") : NULL;
  CHECK(first && !strncmp(first, "name=\"g.1\"", 10)); /* i = 0 first */
  int values = 0;
  for (char *c = text; c && (c = strstr(c, "<value ")); ++c) ++values;
  CHECK_MSG(values == N, "%d <value> elements for %d keys", values, N);
  free(text);
}

/* Every form of field at once: optional with and without a presence flag, arrays
 * whose length is another field (and a product of two), a text array, an array
 * indexed by ids, an optional array, and a heap group of structs that hold a heap
 * array of their own. */
typedef struct {
  int id, n_v;
  char name[8];
  double *v;
} item;
typedef struct {
  double req;
  double opt;
  int has_opt;
  long opt_long;
  int n, m;
  double counted[4], matrix[16], cal[4];
  int has_cal;
  char names[4][8];
  int n_ids;
  const int *ids;
  double *by_id;
  int n_items;
  item *items;
} forms;

static const mnn_record_field item_fields[] = {
    {MNN_FIELD(item, "id", MNN_FIELD_INT, id)},
    {MNN_TEXT(item, "name", name)},
    {MNN_FIELD(item, "n-v", MNN_FIELD_INT, n_v)},
    {MNN_FIELD(item, "v.%d", MNN_FIELD_DOUBLE, v), .length = MNN_FIELD_REF(item, n_v), .heap = 1},
};
static const mnn_record_field form_fields[] = {
    {MNN_FIELD(forms, "req", MNN_FIELD_DOUBLE, req)},
    {MNN_FIELD(forms, "opt", MNN_FIELD_DOUBLE, opt), .optional = 1, .present = MNN_FIELD_REF(forms, has_opt)},
    {MNN_FIELD(forms, "opt-long", MNN_FIELD_LONG, opt_long), .optional = 1},
    {MNN_FIELD(forms, "n", MNN_FIELD_INT, n)},
    {MNN_FIELD(forms, "m", MNN_FIELD_INT, m)},
    {MNN_FIELD(forms, "counted.%d", MNN_FIELD_DOUBLE, counted), .count = 4, .length = MNN_FIELD_REF(forms, n)},
    {MNN_FIELD(forms, "matrix.%d", MNN_FIELD_DOUBLE, matrix), .count = 16, .length = MNN_FIELD_REF(forms, n),
     .length2 = MNN_FIELD_REF(forms, m)},
    {MNN_FIELD(forms, "cal.%d", MNN_FIELD_DOUBLE, cal), .count = 4, .length = MNN_FIELD_REF(forms, n), .optional = 1,
     .present = MNN_FIELD_REF(forms, has_cal)},
    {MNN_FIELD(forms, "name.%d", MNN_FIELD_TEXT, names), .count = 4, .size = 8, .length = MNN_FIELD_REF(forms, n)},
    {MNN_FIELD(forms, "by-id.%d", MNN_FIELD_DOUBLE, by_id), .length = MNN_FIELD_REF(forms, n_ids),
     .ids = MNN_FIELD_REF(forms, ids), .heap = 1},
    {MNN_FIELD(forms, "items", MNN_FIELD_INT, n_items)},
    {MNN_FIELD(forms, "item.%d.", MNN_FIELD_GROUP, items), .size = sizeof(item), .length = MNN_FIELD_REF(forms, n_items),
     .heap = 1, .sub = item_fields, .n_sub = 4},
};
#define N_FORM_FIELDS ((int)(sizeof form_fields / sizeof *form_fields))
static const int form_ids[3] = {17, 3, 250};

/* Same bits (NaN and -0 included). */
static int same(double a, double b) { return !memcmp(&a, &b, sizeof a); }

/* Removes the <value> element of key from the record file at path, or sets its
 * value to text when text is not NULL. */
static void edit_value(const char *path, const char *key, const char *text) {
  mnn_error err;
  mnn_record *rec = mnn_record_read(path, &err), *out = rec ? mnn_record_create(mnn_record_stage(rec)) : NULL;
  CHECK(out != NULL);
  if (!out) {
    mnn_record_free(rec);
    return;
  }
  /* the record has no key iterator: copy through the file's text */
  FILE *f = fopen(path, "r");
  char buf[1 << 16];
  size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  if (f) fclose(f);
  buf[n] = '\0';
  for (char *p = strstr(buf, "name=\""); p; p = strstr(p + 1, "name=\"")) {
    char k[256];
    if (sscanf(p, "name=\"%255[^\"]\"", k) != 1) continue;
    const char *v = strcmp(k, key) ? mnn_record_get_text(rec, k) : text;
    if (v) CHECK(mnn_record_set_text(out, k, v) == 0);
  }
  CHECK(mnn_record_write(out, path, &err) == 0);
  mnn_record_free(out);
  mnn_record_free(rec);
}

/* Reads the record at path into a fresh forms (ids set) and returns take's result. */
static int take_forms(const char *path, forms *t, mnn_error *err) {
  memset(t, 0, sizeof *t);
  t->n_ids = 3, t->ids = form_ids;
  mnn_record *rec = mnn_record_read(path, err);
  int rc = rec ? mnn_record_take(rec, t, form_fields, N_FORM_FIELDS, err) : -1;
  mnn_record_free(rec);
  return rc;
}

/* Reads the record file at path into its struct and frees it all: take's result. */
typedef int (*take_file)(const char *path, mnn_error *err);

static int take_forms_file(const char *path, mnn_error *err) {
  forms t;
  int rc = take_forms(path, &t, err);
  mnn_record_release(&t, form_fields, N_FORM_FIELDS);
  return rc;
}

/* The good record saved, with key removed (text NULL) or set to text, at path:
 * take fails with a message that names the key. */
static void check_take_fails(const char *saved, const char *path, const char *key, const char *text,
                             const char *message, take_file take) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "cp %s %s", saved, path);
  CHECK(system(cmd) == 0);
  mnn_error err = {{0}};
  edit_value(path, key, text);
  CHECK_MSG(take(path, &err) != 0, "%s=%s read", key, text ? text : "(absent)");
  CHECK_CONTAINS(err.message, message);
}

/* Saves the record at path as saved, for check_take_fails. */
static void save_copy(const char *path, const char *saved) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "cp %s %s", path, saved);
  CHECK(system(cmd) == 0);
}

static void check_forms(void) {
  char path[256], saved[256];
  snprintf(path, sizeof path, "%s/forms.record.xml", dir);
  snprintf(saved, sizeof saved, "%s/forms-saved.record.xml", dir);
  double v0[2] = {1.0 / 3, -0.0}, v1[1] = {NAN}, by_id[3] = {5e-324, -1e300, 0.1};
  item items[2] = {{7, 2, "seven", v0}, {-8, 1, "", v1}};
  forms s = {.req = 2.0 / 3, .opt = 99, .has_opt = 0, .opt_long = -123456789012L, .n = 2, .m = 3,
             .counted = {0.1, 0.2}, .matrix = {1, 2, 3, 4, 5, 6}, .cal = {-1, 1.0 / 7}, .has_cal = 1,
             .names = {"setosa", "a b&<"}, .n_ids = 3, .ids = form_ids, .by_id = by_id, .n_items = 2, .items = items};
  mnn_error err;
  mnn_record *rec = mnn_record_create("forms");
  CHECK(rec && mnn_record_put(rec, &s, form_fields, N_FORM_FIELDS, &err) == 0);
  /* the keys on disk: by id, nested, matrix; the optional without its flag absent */
  CHECK(rec && mnn_record_get_text(rec, "by-id.250") && mnn_record_get_text(rec, "item.1.v.0") &&
        mnn_record_get_text(rec, "matrix.5") && !mnn_record_get_text(rec, "matrix.6") &&
        mnn_record_get_text(rec, "name.1") && !mnn_record_get_text(rec, "opt") &&
        !mnn_record_get_text(rec, "counted.2") && mnn_record_get_text(rec, "item.0.name"));
  CHECK(rec && mnn_record_write(rec, path, &err) == 0);
  mnn_record_free(rec);

  forms t;
  CHECK_MSG(take_forms(path, &t, &err) == 0, "%s", err.message);
  CHECK(same(t.req, s.req) && isnan(t.opt) && t.has_opt == 0 && t.opt_long == s.opt_long && t.n == 2 && t.m == 3);
  for (int i = 0; i < 2; ++i)
    CHECK(same(t.counted[i], s.counted[i]) && same(t.cal[i], s.cal[i]) && !strcmp(t.names[i], s.names[i]));
  CHECK(t.counted[2] == 0 && t.has_cal == 1);
  for (int e = 0; e < 6; ++e) CHECK(same(t.matrix[e], s.matrix[e]));
  for (int b = 0; b < 3 && t.by_id; ++b) CHECK(same(t.by_id[b], by_id[b]));
  CHECK(t.n_items == 2 && t.items != NULL);
  for (int i = 0; i < 2 && t.items; ++i) {
    CHECK(t.items[i].id == items[i].id && t.items[i].n_v == items[i].n_v && !strcmp(t.items[i].name, items[i].name));
    for (int j = 0; j < items[i].n_v && t.items[i].v; ++j) CHECK(same(t.items[i].v[j], items[i].v[j]));
  }
  mnn_record_release(&t, form_fields, N_FORM_FIELDS);
  CHECK(t.by_id == NULL && t.items == NULL);

  /* with the flag set the optional is written; without cal's flag cal is absent */
  s.has_opt = 1, s.has_cal = 0;
  rec = mnn_record_create("forms");
  CHECK(rec && mnn_record_put(rec, &s, form_fields, N_FORM_FIELDS, &err) == 0 && mnn_record_write(rec, path, &err) == 0);
  mnn_record_free(rec);
  CHECK(take_forms(path, &t, &err) == 0 && t.has_opt == 1 && t.opt == 99 && t.has_cal == 0 && isnan(t.cal[0]));
  mnn_record_release(&t, form_fields, N_FORM_FIELDS);
  save_copy(path, saved);
  /* an optional key that is absent reads its default; present but malformed fails */
  edit_value(path, "opt-long", NULL);
  CHECK(take_forms(path, &t, &err) == 0 && t.opt_long == 0);
  mnn_record_release(&t, form_fields, N_FORM_FIELDS);
  const char *bad[][3] = {{"opt", "abc", "opt not a number"},
                          {"opt-long", "1.5", "opt-long not an integer"},
                          /* required keys at every level: by id, in a group, in a counted text array */
                          {"by-id.3", NULL, "by-id.3 missing"},
                          {"item.1.v.0", NULL, "item.1.v.0 missing"},
                          {"name.1", NULL, "name.1 'missing'"},
                          {"matrix.5", NULL, "matrix.5 missing"},
                          /* a count the struct cannot hold, a negative one, one of a group */
                          {"n", "5", "n: 5 values, more than the 4"},
                          {"m", "9", "n: 18 values, more than the 16"},
                          {"items", "-1", "items: a negative count"},
                          {"item.0.n-v", "3", "item.0.v.2 missing"}};
  for (size_t k = 0; k < sizeof bad / sizeof *bad; ++k)
    check_take_fails(saved, path, bad[k][0], bad[k][1], bad[k][2], take_forms_file);

  /* the writer refuses a count beyond the capacity */
  s.n = 5;
  rec = mnn_record_create("forms");
  CHECK(rec && mnn_record_put(rec, &s, form_fields, N_FORM_FIELDS, &err) != 0);
  CHECK_CONTAINS(err.message, "n: 5 values");
  mnn_record_free(rec);
}

static const int fem_bond_id[3] = {4, 9, 2}, fem_node_id[2] = {14, 1};

static int take_fem_file(const char *path, mnn_error *err) {
  mnn_fem_record *fr = calloc(1, sizeof *fr);
  mnn_record *rec = mnn_record_read(path, err);
  int rc = fr && rec ? mnn_fem_record_take(rec, 3, fem_bond_id, 2, fem_node_id, fr, err) : -1;
  if (fr) mnn_fem_record_clear(fr);
  free(fr);
  mnn_record_free(rec);
  return rc;
}

/* The FEM record: a filled struct round-trips bit for bit through the file, with
 * the flags of the optional keys; the report's keys are on disk as it has always
 * read them; a missing bond, a malformed margin and too many outputs fail. */
static void check_fem_record(void) {
  char path[256], saved[256];
  snprintf(path, sizeof path, "%s/fem.record.xml", dir);
  snprintf(saved, sizeof saved, "%s/fem-saved.record.xml", dir);
  const int *bond_id = fem_bond_id, *node_id = fem_node_id;
  mnn_fem_record *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
  mnn_error err;
  CHECK(a && b && mnn_fem_record_init(a, 3, bond_id, 2, node_id, &err) == 0);
  if (!a || !b) return;
  a->sample = 7, a->dofs = 370368, a->cells = 65432, a->ranks = 2, a->order = 2;
  snprintf(a->solver, sizeof a->solver, "preonly+cholesky");
  a->assembly_seconds = 0.1, a->forward_seconds = 1.0 / 3, a->forward_iterations = 1, a->response_solves = 2;
  a->youngs_modulus = 1.02e6, a->poisson_ratio = 0.45, a->bar_loss = 1e-9 / 7, a->fem_loss = 2.5e-300;
  a->n_outputs = 2, a->n_inputs = 3;
  for (int o = 0; o < 2; ++o) {
    a->output_node[o] = 5 + o, a->output_component[o] = o, a->output_bar[o] = -0.001 / (o + 3);
    a->output_fem[o] = a->output_bar[o] * 1.1, a->output_bar_calibrated[o] = a->output_bar[o] / 0.9871234;
    for (int i = 0; i < 3; ++i) a->response[o * 3 + i] = (o + 1) * 1e-4 / (i + 3);
  }
  for (int i = 0; i < 3; ++i) a->input_node[i] = i + 1, a->input_component[i] = 1, a->input_force[i] = -0.049 * i;
  a->calibration_factor_multiplier = 0.9871234, a->has_factor_multiplier = a->has_calibrated = 1;
  for (int k = 0; k < 3; ++k) a->gradient_bar[k] = 0.1 * k - 1.0 / 3, a->gradient_fem[k] = -0.0;
  for (int k = 0; k < 2; ++k) {
    a->gradient_fem_node[k] = 1e-5 * k, a->node_bar_ux[k] = 1.0 / 7, a->node_bar_uy[k] = -2e-4;
    a->node_fem_ux[k] = 3e-3, a->node_fem_uy[k] = NAN;
  }
  snprintf(a->task_kind, sizeof a->task_kind, "classification");
  snprintf(a->sample_set, sizeof a->sample_set, "test");
  a->output_scale = 0.0012, a->bar_train_metric = 0.95, a->fem_train_metric = 0.9;
  a->bar_test_metric = a->bar_test_accuracy = 1, a->fem_test_metric = a->fem_test_accuracy = 0.5;
  a->has_bar_test_accuracy = a->has_fem_test_accuracy = 1;
  a->bar_margin = 1e-4, a->fem_margin = NAN, a->test_samples = 2, a->disagreements = 1, a->classes = 2;
  snprintf(a->class_names[0], sizeof a->class_names[0], "Iris-setosa");
  snprintf(a->class_names[1], sizeof a->class_names[1], "class 2");
  for (int e = 0; e < 4; ++e) a->confusion_bar[e] = e, a->confusion_fem[e] = 3 - e;
  CHECK_MSG(mnn_fem_record_write(a, path, &err) == 0, "%s", err.message);

  mnn_record *rec = mnn_record_read(path, &err);
  CHECK_MSG(rec != NULL, "%s", err.message);
  /* the names the report and the tests read */
  const char *keys[] = {"dofs", "output.1.component", "output-fem.1", "fem-response.5", "gradient-bar.9",
                        "gradient-fem-node.14", "node-fem-uy.1", "input.2.node", "input-force.2",
                        "calibration-factor-multiplier", "output-bar-calibrated.1", "class-name.1", "confusion-fem.3",
                        "bar-test-accuracy"};
  for (size_t k = 0; k < sizeof keys / sizeof *keys; ++k) CHECK_MSG(rec && mnn_record_get_text(rec, keys[k]), "%s", keys[k]);
  CHECK(rec && !mnn_record_get_text(rec, "fem-response.6") && !mnn_record_get_text(rec, "fem-corrected-model") &&
        !mnn_record_get_text(rec, "calibration-stiffness-factor") && !mnn_record_get_text(rec, "bar-test-mse"));
  CHECK_MSG(rec && mnn_fem_record_take(rec, 3, bond_id, 2, node_id, b, &err) == 0, "%s", err.message);
  mnn_record_free(rec);
  CHECK(b->sample == 7 && b->dofs == a->dofs && b->cells == a->cells && b->ranks == 2 && b->order == 2 &&
        !strcmp(b->solver, a->solver) && b->forward_iterations == 1 && b->response_solves == 2);
  CHECK(same(b->forward_seconds, a->forward_seconds) && same(b->bar_loss, a->bar_loss) &&
        same(b->fem_loss, a->fem_loss) && same(b->youngs_modulus, a->youngs_modulus));
  CHECK(b->has_corrected_model == 0 && b->has_stiffness_factor == 0 && b->has_factor_multiplier == 1 &&
        same(b->calibration_factor_multiplier, a->calibration_factor_multiplier) && b->has_calibrated == 1 &&
        b->has_bar_test_accuracy && b->has_fem_test_accuracy && !b->has_bar_test_mse && isnan(b->bar_test_mse));
  CHECK(b->n_outputs == 2 && b->n_inputs == 3 && b->classes == 2 && b->test_samples == 2 && b->disagreements == 1);
  for (int o = 0; o < 2; ++o)
    CHECK(b->output_node[o] == a->output_node[o] && b->output_component[o] == o &&
          same(b->output_bar[o], a->output_bar[o]) && same(b->output_fem[o], a->output_fem[o]) &&
          same(b->output_bar_calibrated[o], a->output_bar_calibrated[o]));
  for (int e = 0; e < 6; ++e) CHECK(same(b->response[e], a->response[e]));
  for (int i = 0; i < 3; ++i) CHECK(b->input_node[i] == i + 1 && same(b->input_force[i], a->input_force[i]));
  for (int k = 0; k < 3; ++k) CHECK(same(b->gradient_bar[k], a->gradient_bar[k]) && same(b->gradient_fem[k], -0.0));
  for (int k = 0; k < 2; ++k)
    CHECK(same(b->gradient_fem_node[k], a->gradient_fem_node[k]) && same(b->node_bar_ux[k], a->node_bar_ux[k]) &&
          same(b->node_bar_uy[k], a->node_bar_uy[k]) && same(b->node_fem_ux[k], a->node_fem_ux[k]) &&
          isnan(b->node_fem_uy[k]));
  CHECK(!strcmp(b->task_kind, "classification") && !strcmp(b->sample_set, "test") &&
        !strcmp(b->class_names[0], "Iris-setosa") && !strcmp(b->class_names[1], "class 2"));
  CHECK(same(b->bar_margin, 1e-4) && isnan(b->fem_margin) && same(b->bar_test_accuracy, 1));
  for (int e = 0; e < 4; ++e) CHECK(b->confusion_bar[e] == e && b->confusion_fem[e] == 3 - e);
  mnn_fem_record_clear(b);
  CHECK(b->gradient_bar == NULL && b->node_fem_uy == NULL);

  /* a bond the network has and the record not; a malformed margin; too many outputs */
  save_copy(path, saved);
  const char *bad[][3] = {{"gradient-fem.2", NULL, "fem record: gradient-fem.2 missing"},
                          {"bar-margin", "wide", "fem record: bar-margin not a number"},
                          {"outputs", "65", "fem record: outputs: 65 values, more than the 64"},
                          {"classes", "3", "fem record: class-name.2 'missing'"}};
  for (size_t k = 0; k < sizeof bad / sizeof *bad; ++k)
    check_take_fails(saved, path, bad[k][0], bad[k][1], bad[k][2], take_fem_file);
  mnn_fem_record_clear(a);
  free(a);
  free(b);
}

static int take_measure_file(const char *path, mnn_error *err) {
  mnn_measure_record mr;
  mnn_record *rec = mnn_record_read(path, err);
  int rc = rec ? mnn_measure_record_take(rec, &mr, err) : -1;
  if (rec) mnn_measure_record_clear(&mr);
  mnn_record_free(rec);
  return rc;
}

/* The measure record: two parts with displacements and gradients round-trip bit
 * for bit; a missing value, a malformed count and a part too many fail naming the key. */
static void check_measure_record(void) {
  char path[256], saved[256];
  snprintf(path, sizeof path, "%s/measure.record.xml", dir);
  snprintf(saved, sizeof saved, "%s/measure-saved.record.xml", dir);
  mnn_measure_record_value u0[2] = {{14, 1, -0.0049, 1e-4, 3, -0.0051, -0.00487}, {5, 0, 1e-3 / 3, 0, 0, NAN, 2e-3}};
  mnn_measure_record_value g1[1] = {{7, 0, 2.5e-7, NAN, 1, 2.4e-7, 2.6e-7}};
  mnn_measure_record_part parts[2] = {
      {"fig2-uniform", "Fig. 2, uniform & <untrained>", 1, 123456, NAN, NAN, NAN, 2, 0, u0, NULL},
      {"fig1", "", 0, 7, 0.99, 1.0 / 3, -0.5, 0, 1, NULL, g1}};
  mnn_measure_record a = {1, 1.02e6, 0.45, 5.5e5, 0.7, 1.2, 2, parts}, b;
  mnn_error err;
  CHECK_MSG(mnn_measure_record_write(&a, path, &err) == 0, "%s", err.message);
  mnn_record *rec = mnn_record_read(path, &err);
  CHECK(rec && mnn_record_get_text(rec, "part.0.u.1.component") && mnn_record_get_text(rec, "part.1.g.0.sd") &&
        mnn_record_get_text(rec, "part.1.cosine-fem-energy") && mnn_record_get_text(rec, "fit-max-sd"));
  CHECK_MSG(rec && mnn_measure_record_take(rec, &b, &err) == 0, "%s", err.message);
  mnn_record_free(rec);
  CHECK(b.fitted == 1 && same(b.youngs_modulus, a.youngs_modulus) && same(b.poisson_ratio, 0.45) &&
        same(b.reference_modulus, 5.5e5) && same(b.fit_rms_sd, 0.7) && same(b.fit_max_sd, 1.2) && b.n_parts == 2);
  for (int i = 0; i < 2 && b.parts; ++i) {
    const mnn_measure_record_part *p = &a.parts[i], *q = &b.parts[i];
    CHECK(!strcmp(q->name, p->name) && !strcmp(q->title, p->title) && q->fit == p->fit && q->dofs == p->dofs &&
          same(q->cosine_bar, p->cosine_bar) && same(q->cosine_fem, p->cosine_fem) &&
          same(q->cosine_fem_energy, p->cosine_fem_energy) && q->n_displacements == p->n_displacements &&
          q->n_gradients == p->n_gradients);
    for (int g = 0; g < 2; ++g)
      for (int j = 0; j < (g ? p->n_gradients : p->n_displacements); ++j) {
        const mnn_measure_record_value *v = g ? &p->g[j] : &p->u[j], *w = g ? &q->g[j] : &q->u[j];
        CHECK(w->id == v->id && w->component == v->component && same(w->value, v->value) && same(w->sd, v->sd) &&
              w->repeats == v->repeats && same(w->bar, v->bar) && same(w->fem, v->fem));
      }
  }
  mnn_measure_record_clear(&b);
  CHECK(b.parts == NULL);

  save_copy(path, saved);
  const char *bad[][3] = {{"part.1.g.0.bar", NULL, "measure record: part.1.g.0.bar missing"},
                          {"part.0.displacements", "1.5", "measure record: part.0.displacements not an integer"},
                          {"parts", "3", "measure record: part.2.name 'missing'"},
                          {"fit-rms-sd", "-", "measure record: fit-rms-sd not a number"}};
  for (size_t k = 0; k < sizeof bad / sizeof *bad; ++k)
    check_take_fails(saved, path, bad[k][0], bad[k][1], bad[k][2], take_measure_file);
  /* a record from a run that fitted nothing: the fit's residuals read NaN */
  save_copy(saved, path);
  edit_value(path, "fit-rms-sd", NULL);
  rec = mnn_record_read(path, &err);
  CHECK(rec && mnn_measure_record_take(rec, &b, &err) == 0 && isnan(b.fit_rms_sd) && same(b.fit_max_sd, 1.2));
  mnn_measure_record_clear(&b);
  mnn_record_free(rec);
}

int main(void) {
  CHECK(mkdtemp(dir) != NULL);
  check_mesh();
  check_stl();
  check_generic();
  check_many_keys();
  check_forms();
  check_fem_record();
  check_measure_record();
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
  return mnn_test_finish();
}
