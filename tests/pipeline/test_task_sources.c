/* One task parser for both sources: a case file's <train> (attributes, and
 * <input>/<output> children read attribute by attribute) and the command line's
 * --KEY VALUE options build the same task; an error in a child names the child's
 * own line; the case schema, docs/formats.md, the option table and `mnn train
 * --help` list every key of the task's key table (barmodel/training/task_keys.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "case_file.h"
#include "cli_task.h"
#include "cli_test_util.h"
#include "test_util.h"

static char dir[] = "/tmp/mnn_test_task_sources_XXXXXX";

/* Writes text to dir/name and returns the path (static buffer per call site). */
static const char *write_file(const char *name, const char *text, char *path, size_t n) {
  snprintf(path, n, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (f) {
    fputs(text, f);
    CHECK(fclose(f) == 0);
  }
  return path;
}

/* The fields these sources set are equal in a and b. */
static int same_task(const mnn_task *a, const mnn_task *b) {
  int same = !strcmp(a->name, b->name) && a->n_inputs == b->n_inputs && a->n_outputs == b->n_outputs &&
             a->loss == b->loss && a->data == b->data && a->epochs == b->epochs && a->batch_size == b->batch_size &&
             a->adam.lr == b->adam.lr && a->adam.bound == b->adam.bound && a->seed == b->seed &&
             a->train_fraction == b->train_fraction;
  for (int i = 0; same && i < a->n_inputs; ++i)
    same = a->inputs[i].node_id == b->inputs[i].node_id && a->inputs[i].component == b->inputs[i].component &&
           a->inputs[i].scale == b->inputs[i].scale && a->fixed_x[i] == b->fixed_x[i];
  for (int o = 0; same && o < a->n_outputs; ++o)
    same = a->outputs[o].node_id == b->outputs[o].node_id && a->outputs[o].component == b->outputs[o].component &&
           a->fixed_target[o] == b->fixed_target[o];
  return same;
}

static void check_same_task(void) {
  char p1[512], p2[512];
  const char *children = write_file("children.xml",
      "<case name=\"c\">\n"
      "  <network source=\"triangle\" top=\"3\" rows=\"2\"/>\n"
      "  <train name=\"t\" loss=\"mse\" features=\"1,0.5\" targets=\"-0.0004\" epochs=\"20\" batch=\"1\"\n"
      "         lr=\"0.01\" bounds=\"project\" seed=\"7\">\n"
      "    <input node=\"4\" component=\"y\" scale=\"-0.02\"/>\n"
      "    <input node=\"5\" component=\"x\"/>\n"
      "    <output node=\"5\"/>\n"
      "  </train>\n"
      "</case>\n", p1, sizeof p1);
  const char *attrs = write_file("attributes.xml",
      "<case name=\"a\">\n"
      "  <network source=\"triangle\" top=\"3\" rows=\"2\"/>\n"
      "  <train name=\"t\" loss=\"mse\" features=\"1,0.5\" targets=\"-0.0004\" epochs=\"20\" batch=\"1\"\n"
      "         lr=\"0.01\" bounds=\"project\" seed=\"7\" inputs=\"4:y:-0.02,5:x\" outputs=\"5:y\"/>\n"
      "</case>\n", p2, sizeof p2);
  mnn_error err;
  mnn_case *a = mnn_case_read(children, &err);
  CHECK_MSG(a != NULL, "%s", err.message);
  mnn_case *b = mnn_case_read(attrs, &err);
  CHECK_MSG(b != NULL, "%s", err.message);
  if (!a || !b) return;
  CHECK(a->n_steps == 1 && b->n_steps == 1 && a->steps[0].kind == MNN_STEP_TRAIN);
  const mnn_task *ta = &a->steps[0].task, *tb = &b->steps[0].task;
  CHECK(ta->n_inputs == 2 && ta->inputs[0].scale == -0.02 && ta->inputs[1].component == 0 &&
        ta->inputs[1].scale == 1 && ta->n_outputs == 1 && ta->outputs[0].component == 1);
  CHECK_MSG(same_task(ta, tb), "<input>/<output> children and inputs/outputs attributes differ");

  /* the command line: --task custom and the same keys */
  mnn_cli_task cli = {0};
  cli.name = "custom";
  const char *kv[][2] = {{"name", "t"},         {"loss", "mse"},   {"features", "1,0.5"}, {"targets", "-0.0004"},
                         {"epochs", "20"},      {"batch", "1"},    {"lr", "0.01"},        {"bounds", "project"},
                         {"seed", "7"},         {"inputs", "4:y:-0.02,5:x"}, {"outputs", "5:y"}};
  for (size_t i = 0; i < sizeof kv / sizeof *kv; ++i) {
    cli.keys[cli.n_set] = kv[i][0];
    cli.values[cli.n_set++] = kv[i][1];
  }
  mnn_task tc;
  CHECK_MSG(mnn_cli_task_build(&cli, "train", &tc, &err) == 0, "%s", err.message);
  CHECK_MSG(same_task(ta, &tc), "the command line and the case file build different tasks");
  mnn_case_free(a);
  mnn_case_free(b);
}

/* 33 <input> children: the 33rd is one too many, and the message names its line. */
static void check_child_line(void) {
  char text[8192], p[512];
  int n = snprintf(text, sizeof text,
                   "<case name=\"many\">\n"
                   "  <network source=\"triangle\" top=\"3\" rows=\"2\"/>\n"
                   "  <train name=\"t\" loss=\"mse\">\n");
  for (int i = 0; i <= MNN_TASK_MAX_IO; ++i) n += snprintf(text + n, sizeof text - (size_t)n, "    <input node=\"4\"/>\n");
  snprintf(text + n, sizeof text - (size_t)n, "    <output node=\"5\"/>\n  </train>\n</case>\n");
  write_file("many.xml", text, p, sizeof p);
  mnn_error err;
  mnn_case *c = mnn_case_read(p, &err);
  CHECK(c == NULL);
  char where[600];
  snprintf(where, sizeof where, "many.xml:%d: <input>", 4 + MNN_TASK_MAX_IO);
  if (!c) {
    CHECK_CONTAINS(err.message, where);
    CHECK_CONTAINS(err.message, "more than");
  }
  mnn_case_free(c);
}

static void check_key_lists(void) {
  const char *src = getenv("MNN_SOURCE_DIR");
  CHECK(src != NULL);
  if (!src) return;
  char path[1024];
  snprintf(path, sizeof path, "%s/schemas/case.xsd", src);
  char *xsd = mnn_test_slurp(path);
  snprintf(path, sizeof path, "%s/docs/formats.md", src);
  char *doc = mnn_test_slurp(path);
  CHECK(xsd && doc);
  CHECK(run_mnn("train --help") == 0);
  struct option opts[3 + 256 + 1];
  int n_opts = mnn_cli_task_add_options(opts, 0);
  CHECK(n_opts == 3 + mnn_task_n_keys);
  for (int i = 0; xsd && doc && i < mnn_task_n_keys; ++i) {
    const char *key = mnn_task_key_table[i].key;
    char want[128];
    snprintf(want, sizeof want, "<xs:attribute name=\"%s\"", key);
    CHECK_MSG(strstr(xsd, want) != NULL, "schemas/case.xsd has no <train> attribute %s", key);
    snprintf(want, sizeof want, "`%s`", key);
    CHECK_MSG(strstr(doc, want) != NULL, "docs/formats.md does not list the task key %s", key);
    int found = 0;
    for (int o = 0; o < n_opts; ++o) found |= !strcmp(opts[o].name, key);
    CHECK_MSG(found, "no --%s option", key);
    snprintf(want, sizeof want, "--%s ", key);
    CHECK_MSG(strstr(output, want) != NULL, "mnn train --help does not describe --%s", key);
  }
  free(xsd);
  free(doc);
}

int main(void) {
  CHECK(mkdtemp(dir) != NULL);
  check_same_task();
  check_child_line();
  check_key_lists();
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
  return mnn_test_finish();
}
