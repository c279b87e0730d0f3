/* Data sets: the generator's fixed sequence (bit-for-bit reproducibility across
 * machines), uniform and normal statistics, the regression set (exact slopes
 * without noise, the same forces with noise, noise of the right size), the Iris
 * CSV (150 rows, 3 classes of 50, column scaling), CSV errors with file:line,
 * the CSV read once (a FIFO gives its rows, not zeros; lines of any length;
 * values beyond double range refused), and seeded splits. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "training.h"
#include "test_util.h"

static void check_rng(void) {
  mnn_rng a, b;
  mnn_rng_seed(&a, 12345);
  mnn_rng_seed(&b, 12345);
  int same = 1;
  for (int i = 0; i < 1000; ++i) same &= mnn_rng_next(&a) == mnn_rng_next(&b);
  CHECK(same);
  /* splitmix64(0) first output, and the first xoshiro256** output from seed 0:
   * fixed numbers, so a change of algorithm (or platform) is caught */
  mnn_rng_seed(&a, 0);
  CHECK(a.s[0] == 0xe220a8397b1dcdafULL);
  uint64_t first = mnn_rng_next(&a);
  mnn_rng_seed(&a, 0);
  CHECK(mnn_rng_next(&a) == first);
  double sum = 0, sum2 = 0, nsum = 0, nsum2 = 0;
  int n = 200000, outside = 0;
  for (int i = 0; i < n; ++i) {
    double u = mnn_rng_uniform(&b), z = mnn_rng_normal(&b);
    outside += !(u >= 0 && u < 1);
    sum += u, sum2 += u * u, nsum += z, nsum2 += z * z;
  }
  CHECK(outside == 0);
  CHECK_CLOSE(sum / n, 0.5, 0, 0.005);
  CHECK_CLOSE(sum2 / n - (sum / n) * (sum / n), 1.0 / 12, 0, 0.002);
  CHECK_CLOSE(nsum / n, 0.0, 0, 0.01);
  CHECK_CLOSE(nsum2 / n, 1.0, 0, 0.01);
  int counts[5] = {0};
  for (int i = 0; i < 50000; ++i) counts[mnn_rng_below(&b, 5)]++;
  for (int k = 0; k < 5; ++k) CHECK_CLOSE(counts[k], 10000, 0, 400);
  int perm[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, seen[10] = {0};
  mnn_rng_shuffle(&b, perm, 10);
  for (int i = 0; i < 10; ++i) seen[perm[i]]++;
  for (int i = 0; i < 10; ++i) CHECK(seen[i] == 1);
}

static void check_regression(void) {
  mnn_error err;
  const double slopes[4] = {0, 0.016, 0.004, 0.016};
  mnn_dataset *clean = mnn_dataset_regression(100, -0.196, 0.196, 4, slopes, 0, 9, &err);
  mnn_dataset *noisy = mnn_dataset_regression(100, -0.196, 0.196, 4, slopes, 1e-4, 9, &err);
  CHECK(clean && noisy);
  double lo = 1, hi = -1, var = 0;
  int bad = 0;
  for (int s = 0; s < 100; ++s) {
    double F = clean->x[s];
    lo = fmin(lo, F), hi = fmax(hi, F);
    bad += !(F >= -0.196 && F <= 0.196) + (noisy->x[s] != F);
    for (int j = 0; j < 4; ++j) {
      bad += clean->target[s * 4 + j] != slopes[j] * F;
      double r = noisy->target[s * 4 + j] - clean->target[s * 4 + j];
      var += r * r;
    }
  }
  CHECK(bad == 0);
  CHECK(lo < -0.15 && hi > 0.15);
  CHECK_CLOSE(sqrt(var / 400), 1e-4, 0.15, 0);
  mnn_dataset_free(clean);
  mnn_dataset_free(noisy);
  CHECK(mnn_dataset_regression(0, 0, 1, 1, slopes, 0, 1, &err) == NULL);
}

static void check_iris(void) {
  mnn_error err;
  char path[1024];
  const char *src = getenv("MNN_SOURCE_DIR");
  snprintf(path, sizeof path, "%s/cases/data/iris.csv", src ? src : ".");
  mnn_dataset *d = mnn_dataset_read_csv(path, 0, &err);
  CHECK_MSG(d != NULL, "%s", d ? "" : err.message);
  if (!d) return;
  CHECK(d->n_samples == 150 && d->n_features == 4 && d->n_classes == 3);
  CHECK(!strcmp(d->class_names[0], "setosa") && !strcmp(d->class_names[2], "virginica"));
  int per[3] = {0};
  for (int s = 0; s < 150; ++s) per[d->label[s]]++;
  CHECK(per[0] == 50 && per[1] == 50 && per[2] == 50);
  CHECK(d->x[0] == 5.1 && d->x[3] == 0.2);
  CHECK(mnn_dataset_scale_columns(d, &err) == 0);
  CHECK(d->column_scale[0] == 7.9 && d->column_scale[1] == 4.4 && d->column_scale[2] == 6.9 && d->column_scale[3] == 2.5);
  for (int j = 0; j < 4; ++j) {
    double m = 0;
    for (int s = 0; s < 150; ++s) m = fmax(m, d->x[s * 4 + j]);
    CHECK(m == 1.0);
  }
  CHECK_CLOSE(d->x[0], 5.1 / 7.9, 1e-15, 0);
  mnn_dataset_free(d);
}

static void check_csv_errors(void) {
  mnn_error err;
  char path[] = "/tmp/mnn_test_csv_XXXXXX";
  int fd = mkstemp(path);
  FILE *fp = fdopen(fd, "w");
  fprintf(fp, "a,b,class\n1,2,x\n3,oops,y\n");
  fclose(fp);
  CHECK(mnn_dataset_read_csv(path, 0, &err) == NULL);
  CHECK_CONTAINS(err.message, ":3:");
  CHECK_CONTAINS(err.message, "oops");
  fp = fopen(path, "w");
  fprintf(fp, "a,b,class\n1,2,x\n3,4\n");
  fclose(fp);
  CHECK(mnn_dataset_read_csv(path, 0, &err) == NULL);
  CHECK_CONTAINS(err.message, ":3:");
  fp = fopen(path, "w");
  fprintf(fp, "f,t1,t2\n1,2,3\n4,5,6\n");
  fclose(fp);
  mnn_dataset *d = mnn_dataset_read_csv(path, 2, &err);
  CHECK(d && d->n_features == 1 && d->n_targets == 2 && d->target[3] == 6 && !d->label);
  mnn_dataset_free(d);
  unlink(path);
  CHECK(mnn_dataset_read_csv("/nonexistent/x.csv", 0, &err) == NULL);
  CHECK_CONTAINS(err.message, "/nonexistent/x.csv");
}

/* The CSV is read once: from a FIFO (which can be read only once) the rows
 * arrive whole; a 6 kB line is one row, not two; 1e400 is refused. */
static void check_csv_read_once(void) {
  mnn_error err;
  char dir[] = "/tmp/mnn_test_csv_once_XXXXXX", path[128];
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/fifo.csv", dir);
  CHECK(mkfifo(path, 0600) == 0);
  pid_t pid = fork();
  if (pid == 0) {
    FILE *w = fopen(path, "w");
    if (w) fputs("a,b,class\n1.5,2,x\n3,4.25,y\n", w), fclose(w);
    _exit(0);
  }
  mnn_dataset *d = mnn_dataset_read_csv(path, 0, &err);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK_MSG(d != NULL, "%s", err.message);
  if (d) CHECK(d->n_samples == 2 && d->x[0] == 1.5 && d->x[3] == 4.25 && d->n_classes == 2);
  mnn_dataset_free(d);
  unlink(path);

  snprintf(path, sizeof path, "%s/wide.csv", dir);
  FILE *fp = fopen(path, "w");
  const int cols = 700; /* 700 features of 9 bytes: lines of 6.3 kB */
  for (int c = 0; c < cols; ++c) fprintf(fp, "feature%02d,", c % 100);
  fprintf(fp, "class\n");
  for (int r = 0; r < 2; ++r) {
    for (int c = 0; c < cols; ++c) fprintf(fp, "%8.6f,", 1 + c * 0.001 + r);
    fprintf(fp, "%s\n", r ? "b" : "a");
  }
  fclose(fp);
  d = mnn_dataset_read_csv(path, 0, &err);
  CHECK_MSG(d != NULL, "%s", err.message);
  if (d) CHECK(d->n_samples == 2 && d->n_features == cols && fabs(d->x[cols - 1] - 1.699) < 1e-12 &&
               fabs(d->x[2 * cols - 1] - 2.699) < 1e-12);
  mnn_dataset_free(d);

  fp = fopen(path, "w");
  fprintf(fp, "a,class\n1e400,x\n");
  fclose(fp);
  CHECK(mnn_dataset_read_csv(path, 0, &err) == NULL);
  CHECK_CONTAINS(err.message, ":2: column 1 '1e400' is not a finite number");
  unlink(path);
  rmdir(dir);
}

static void check_split(void) {
  mnn_error err;
  mnn_split a, b, c;
  CHECK(mnn_split_make(150, 0.7, 5, &a, &err) == 0);
  CHECK(mnn_split_make(150, 0.7, 5, &b, &err) == 0);
  CHECK(mnn_split_make(150, 0.7, 6, &c, &err) == 0);
  CHECK(a.n_train == 105 && a.n_test == 45);
  int seen[150] = {0};
  for (int j = 0; j < a.n_train; ++j) seen[a.train[j]]++;
  for (int j = 0; j < a.n_test; ++j) seen[a.test[j]]++;
  int ok = 1;
  for (int s = 0; s < 150; ++s) ok &= seen[s] == 1;
  CHECK(ok);
  CHECK(!memcmp(a.train, b.train, sizeof(int) * 105));
  CHECK(memcmp(a.train, c.train, sizeof(int) * 105) != 0);
  mnn_split_free(&a);
  mnn_split_free(&b);
  mnn_split_free(&c);
  CHECK(mnn_split_make(100, 0.7, 1, &a, &err) == 0 && a.n_train == 70 && a.n_test == 30);
  mnn_split_free(&a);
  CHECK(mnn_split_make(10, 0, 1, &a, &err) != 0);
}

static void check_task_set(void) {
  mnn_error err;
  mnn_task t;
  mnn_task_defaults(&t);
  CHECK(mnn_task_set(&t, "inputs", "14:y:-0.049,12:x", &err) == 0);
  CHECK(t.n_inputs == 2 && t.inputs[0].node_id == 14 && t.inputs[0].component == 1 && t.inputs[0].scale == -0.049 &&
        t.inputs[1].component == 0 && t.inputs[1].scale == 1);
  CHECK(mnn_task_set(&t, "outputs", "8:x,2:x,3:x", &err) == 0 && t.n_outputs == 3);
  CHECK(mnn_task_set(&t, "outputs", "8:z", &err) != 0);
  CHECK_CONTAINS(err.message, "NODE:x");
  CHECK(mnn_task_set(&t, "loss", "ce", &err) == 0 && t.loss == MNN_LOSS_CE_RATIO);
  CHECK(mnn_task_set(&t, "loss", "hinge", &err) != 0);
  CHECK(mnn_task_set(&t, "lr", "abc", &err) != 0);
  CHECK_CONTAINS(err.message, "lr");
  CHECK(mnn_task_set(&t, "bounds", "project", &err) == 0 && t.adam.bound == MNN_BOUND_PROJECT);
  CHECK(mnn_task_set(&t, "seed", "18446744073709551615", &err) == 0 && t.seed == UINT64_MAX);
  CHECK(mnn_task_set(&t, "batch", "0", &err) != 0);
  CHECK(mnn_task_set(&t, "nonsense", "1", &err) != 0);
  CHECK(mnn_task_preset(&t, "iris", NULL, &err) == 0 && t.adam.steepness == 5 && t.adam.lr == 0.006);
  CHECK(mnn_task_preset(&t, "regression", "noisy", &err) == 0 && t.regression_noise == 1e-4);
  CHECK(mnn_task_preset(&t, "behaviour", "up", &err) != 0);
  CHECK(mnn_task_preset(&t, "mnist", NULL, &err) != 0);
}

int main(void) {
  check_rng();
  check_regression();
  check_iris();
  check_csv_errors();
  check_csv_read_once();
  check_split();
  check_task_set();
  return mnn_test_finish();
}
