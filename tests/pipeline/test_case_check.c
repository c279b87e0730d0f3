/* The case is checked whole before any work: every bad value of issue 15 items
 * 13-14 fails with one line "file:line: ..." and exit 1, and the output folder is
 * never created. Values too long for their field are refused, never cut;
 * duplicates are refused; a title cannot print a control character. And the
 * command line's GNU conventions: usage errors exit 2 with one line, `mnn help
 * CMD`, --version listed in --help, -o/--output one meaning everywhere. */
#include <sys/stat.h>
#include <unistd.h>
#include "cli_test_util.h"
#include "test_util.h"

static char dir[] = "/tmp/mnn_test_case_check_XXXXXX";

static int exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (f) fputs(text, f), fclose(f);
}

/* A case with the paper's network and the given steps/settings on line 4 on. */
static void write_case(const char *path, const char *name, const char *title, const char *body) {
  char text[16384];
  snprintf(text, sizeof text,
           "<?xml version=\"1.0\"?>\n<case name=\"%s\" title=\"%s\">\n<network source=\"paper\"/>\n%s\n"
           "<mesh enabled=\"false\"/>\n</case>\n", name, title, body);
  write_file(path, text);
}

/* Runs the case at path into DIR/out: must fail with exit 1, one line that starts
 * with "mnn: error: <path>:<line>" and contains want; DIR/out must not exist. */
static void expect_refused(const char *path, int line, const char *want) {
  char args[8192], out[1200], where[4200];
  snprintf(out, sizeof out, "%s/out", dir);
  snprintf(args, sizeof args, "run '%s' -o '%s'", path, out);
  int rc = run_mnn(args);
  CHECK_MSG(rc == 1, "%s: exit %d: %s", want, rc, output);
  CHECK_MSG(one_line(), "%s: not one line: %s", want, output);
  if (line > 0) snprintf(where, sizeof where, "mnn: error: %s:%d: ", path, line);
  else snprintf(where, sizeof where, "mnn: error: ...%s", path + strlen(path) - 200); /* a path too long to show */
  CHECK_MSG(!strncmp(output, where, strlen(where)), "%s: want '%s...', got %s", want, where, output);
  CHECK_CONTAINS(output, want);
  CHECK_MSG(!exists(out), "%s: the output folder was created", want);
}

static void bad_value(const char *body, int line, const char *want) {
  char path[1200];
  snprintf(path, sizeof path, "%s/bad.xml", dir);
  write_case(path, "bad", "t", body);
  expect_refused(path, line, want);
}

int main(void) {
  if (!getenv("MNN_EXE") || !getenv("MNN_SOURCE_DIR")) return fprintf(stderr, "run by ctest\n"), 1;
  CHECK(mkdtemp(dir) != NULL);
  char path[8192], args[16384], body[8192];

  /* item 13: the values that failed late or ran forever */
  const char *fig1 = "<train preset=\"fig1\" epochs=\"3\" ";
  snprintf(body, sizeof body, "%slr=\"-1\"/>", fig1);
  bad_value(body, 4, "lr -1: must be > 0");
  snprintf(body, sizeof body, "%slr=\"0\"/>", fig1);
  bad_value(body, 4, "lr 0: must be > 0");
  snprintf(body, sizeof body, "%sbeta1=\"1\"/>", fig1);
  bad_value(body, 4, "beta1 1: must be in [0, 1)");
  snprintf(body, sizeof body, "%sbeta2=\"1.5\"/>", fig1);
  bad_value(body, 4, "beta2 1.5: must be in [0, 1)");
  snprintf(body, sizeof body, "%seps=\"0\"/>", fig1);
  bad_value(body, 4, "eps 0: must be > 0");
  snprintf(body, sizeof body, "%ssteepness=\"0\"/>", fig1);
  bad_value(body, 4, "steepness 0: must be > 0");
  bad_value("<train preset=\"fig1\" epochs=\"2000000000\"/>", 4, "epochs in 0..10000000");
  bad_value("<train preset=\"fig1\" epochs=\"0\"/>\n<gradient-study steps=\"2000000000\"/>", 5, "steps 2000000000");
  bad_value("<train preset=\"fig1\" epochs=\"0\"/>\n<gradient-study step-max=\"1e20\"/>", 5, "step-max 1e+20");
  /* beyond 1e30 every XML number is refused by the reader itself */
  bad_value("<train preset=\"fig1\" epochs=\"0\"/>\n<gradient-study step-max=\"1e308\"/>", 5, "out of range");
  bad_value("<train preset=\"fig1\" epochs=\"0\"/>\n<gradient-study step-min=\"1\" step-max=\"0.5\"/>", 5,
            "step-min <= step-max");
  /* item 14: overflow and duplicates */
  bad_value("<train preset=\"fig1\" epochs=\"99999999999\"/>", 4, "99999999999");
  bad_value("<train preset=\"fig1\" epochs=\"0\"/>\n<prune bonds=\"5,5\"/>", 5, "5 is listed twice");

  /* a case name that is not a folder name */
  snprintf(path, sizeof path, "%s/dots.xml", dir);
  write_case(path, "..", "t", "<train preset=\"fig1\" epochs=\"0\"/>");
  expect_refused(path, 2, "not a folder name");

  /* a data path too long for the task is refused, not cut to a prefix that exists */
  char longname[1400];
  memset(longname, 'a', 1300);
  longname[1300] = '\0';
  snprintf(body, sizeof body, "<train preset=\"iris\" data=\"%s/../iris.csv\"/>", longname);
  bad_value(body, 4, "longer than 1023 characters");
  /* a case file whose own path is too long (deep folders of 200-character names) */
  snprintf(path, sizeof path, "%s", dir);
  for (int i = 0; i < 6; ++i) {
    size_t n = strlen(path);
    snprintf(path + n, sizeof path - n, "/%.200s", longname);
    CHECK(mkdir(path, 0700) == 0);
  }
  strcat(path, "/case.xml");
  write_case(path, "deep", "t", "<train preset=\"fig1\" epochs=\"0\"/>");
  expect_refused(path, 0, "longer than 1023 characters");

  /* a title with a newline and an escape (as character references) prints them
   * escaped: it cannot fake an error line or move the cursor */
  snprintf(path, sizeof path, "%s/title.xml", dir);
  write_file(path, "<?xml version=\"1.0\"?>\n<case name=\"title\" title=\"ok&#10;mnn: error: fake&#9;x\">\n"
                   "<network source=\"paper\"/>\n<train preset=\"fig1\" epochs=\"0\" name=\"t&#13;mnn: error: x\"/>\n"
                   "<mesh enabled=\"false\"/>\n"
                   "<stl enabled=\"false\"/>\n</case>\n");
  snprintf(args, sizeof args, "run '%s' -o '%s/title-out'", path, dir);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  CHECK_CONTAINS(output, "case title: ok\\nmnn: error: fake\\tx");
  CHECK_CONTAINS(output, "t\\rmnn: error: x: epoch 0/0"); /* the task's name on its progress line */
  CHECK_MSG(!strstr(output, "\nmnn: error:") && !strchr(output, '\r'), "a raw newline or return: %s", output);

  /* GNU conventions: usage errors exit 2 with one line */
  const char *usage[][2] = {
      {"run --bogus x.xml", "run: unknown option '--bogus'"},
      {"run", "give exactly one case file"},
      {"run -o", "option '-o' needs a value"},
      {"train x.xml --lr", "option '--lr' needs a value"},
      {"train x.xml --task iris --lr fast", "--lr"},
      {"train x.xml --quiet=1", "takes no value"},
      {"prune x.xml --bonds 3,3 -o y.xml", "3 is listed twice"},
      {"fem a.xml a.msh --load 13:0:-0.098", "add --output-node"},
      {"mesh -z", "unknown option '-z'"},
      {"nosuchcommand", "unknown command"},
      {"help nosuchcommand", "no such command"},
      {"", "no command"},
  };
  for (size_t i = 0; i < sizeof usage / sizeof *usage; ++i) {
    int rc = run_mnn(usage[i][0]);
    CHECK_MSG(rc == 2, "mnn %s: exit %d: %s", usage[i][0], rc, output);
    CHECK_MSG(one_line(), "mnn %s: not one line: %s", usage[i][0], output);
    CHECK_CONTAINS(output, usage[i][1]);
  }
  CHECK(run_mnn("help run") == 0 && strstr(output, "usage: mnn run CASE.xml"));
  CHECK(run_mnn("help fem") == 0 && strstr(output, "--output-node NODE:C") && strstr(output, "-o, --output DIR"));
  CHECK(run_mnn("--help") == 0 && strstr(output, "--version") && strstr(output, "mnn help"));
  CHECK(run_mnn("--version") == 0 && !strncmp(output, "mnn ", 4));

  snprintf(args, sizeof args, "rm -rf '%s'", dir);
  CHECK(system(args) == 0);
  return mnn_test_finish();
}
