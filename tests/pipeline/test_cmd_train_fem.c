/* mnn train --fem-response end to end: a small triangle is meshed and solved with
 * the FEM (mnn fem --response); training with the results starts from the FEM's
 * outputs exactly (epoch 0 predictions), and results that lack the task's
 * response entries, give one twice, or are of another network, give one error line. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "network_file.h"
#include "cli_test_util.h"
#include "test_util.h"


/* The value attribute of the first <output node="ID" ...> of a results file. */
static double fem_output(const char *path, int node) {
  FILE *fp = fopen(path, "r");
  static char text[1 << 16];
  size_t n = fp ? fread(text, 1, sizeof text - 1, fp) : 0;
  if (fp) fclose(fp);
  text[n] = '\0';
  char key[64];
  snprintf(key, sizeof key, "<output node=\"%d\"", node);
  const char *p = strstr(text, key);
  p = p ? strstr(p, "value=\"") : NULL;
  return p ? atof(p + 7) : NAN;
}

int main(void) {
  if (!getenv("MNN_EXE")) return fprintf(stderr, "MNN_EXE must be set (ctest sets it)\n"), 1;
  char dir[] = "/tmp/mnn_test_train_fem_XXXXXX", args[4096];
  CHECK(mkdtemp(dir) != NULL);
  const char *task = "--task custom --inputs 4:y:-0.02 --outputs 5:y --loss mse --targets -0.0004 --features 1";

  snprintf(args, sizeof args, "lattice triangle 3 2 -o %s/tri.xml -q", dir);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  snprintf(args, sizeof args, "mesh %s/tri.xml -o %s/tri.msh --refine 0.6 --across-neck 2 -q", dir, dir);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  snprintf(args, sizeof args,
           "fem %s/tri.xml %s/tri.msh --order 1 --load 4:0:-0.02 --output-node 5:y --response --solver mumps --no-vtu -o %s/f -q",
           dir, dir, dir);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  char results[600];
  snprintf(results, sizeof results, "%s/f/fem-results.xml", dir);
  double u_fem = fem_output(results, 5);
  CHECK(u_fem < 0);

  /* epoch 0 with the FEM's response: the prediction is the FEM's output */
  snprintf(args, sizeof args, "train %s/tri.xml %s --epochs 0 --fem-response %s --predictions %s/p.csv", dir, task,
           results, dir);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  CHECK_CONTAINS(output, "corrected to the FEM's response");
  char path[600];
  snprintf(path, sizeof path, "%s/p.csv", dir);
  FILE *fp = fopen(path, "r");
  char line[512] = "";
  double u_pred = NAN;
  if (fp) {
    if (fgets(line, sizeof line, fp) && fgets(line, sizeof line, fp)) u_pred = atof(strrchr(line, ',') + 1);
    fclose(fp);
  }
  printf("FEM u_y(5) %.6e m, corrected bar model at epoch 0 %.6e m\n", u_fem, u_pred);
  CHECK_CLOSE(u_pred, u_fem, 1e-8, 0);

  /* and it trains from there */
  snprintf(args, sizeof args, "train %s/tri.xml %s --epochs 30 --lr 0.05 --fem-response %s -o %s/t.xml -q", dir, task,
           results, dir);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);

  /* results without the task's entry: the FEM run had another output */
  snprintf(args, sizeof args, "train %s/tri.xml --task custom --inputs 4:y:-0.02 --outputs 4:x --loss mse "
                              "--targets -0.0004 --epochs 0 --fem-response %s", dir, results);
  CHECK(run_mnn(args) != 0);
  CHECK_CONTAINS(output, "no response of output 4:x to a force 4:y");
  CHECK(one_line());

  /* results of another network (one bond fewer) */
  snprintf(args, sizeof args, "sed '/<bond id=\"1\"/d' %s/tri.xml > %s/other.xml", dir, dir);
  CHECK(system(args) == 0);
  snprintf(args, sizeof args, "train %s/other.xml %s --epochs 0 --fem-response %s", dir, task, results);
  CHECK(run_mnn(args) != 0);
  CHECK_CONTAINS(output, "of another network");
  CHECK(one_line());

  /* a <response> given twice (which of the two?) is refused, not taken at random */
  snprintf(args, sizeof args, "sed 's|\\(<response [^>]*/>\\)|\\1\\1|' %s > %s/twice.xml && grep -c '<response' %s/twice.xml",
           results, dir, dir);
  CHECK(system(args) == 0);
  snprintf(args, sizeof args, "train %s/tri.xml %s --epochs 0 --fem-response %s/twice.xml", dir, task, dir);
  CHECK(run_mnn(args) == 1);
  CHECK_CONTAINS(output, "twice");
  CHECK(one_line());

  snprintf(args, sizeof args, "rm -rf '%s'", dir);
  CHECK(system(args) == 0);
  return mnn_test_finish();
}
