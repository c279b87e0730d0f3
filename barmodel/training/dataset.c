/* Data sets: synthetic regression, CSV tables, column scaling, seeded splits. */
#include "dataset.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rng.h"

mnn_dataset *mnn_dataset_create(int n_samples, int n_features, int n_targets, int with_labels) {
  mnn_dataset *d = calloc(1, sizeof *d);
  if (!d) return NULL;
  d->n_samples = n_samples;
  d->n_features = n_features;
  d->n_targets = n_targets;
  d->x = calloc((size_t)n_samples * n_features + 1, sizeof(double));
  d->column_scale = malloc(((size_t)n_features + 1) * sizeof(double));
  if (n_targets > 0) d->target = calloc((size_t)n_samples * n_targets + 1, sizeof(double));
  if (with_labels) d->label = calloc((size_t)n_samples + 1, sizeof(int));
  if (!d->x || !d->column_scale || (n_targets > 0 && !d->target) || (with_labels && !d->label)) {
    mnn_dataset_free(d);
    return NULL;
  }
  for (int j = 0; j < n_features; ++j) d->column_scale[j] = 1.0;
  return d;
}

void mnn_dataset_free(mnn_dataset *d) {
  if (!d) return;
  free(d->x);
  free(d->target);
  free(d->label);
  for (int c = 0; c < d->n_classes && d->class_names; ++c) free(d->class_names[c]);
  free(d->class_names);
  free(d->column_scale);
  free(d);
}

mnn_dataset *mnn_dataset_regression(int n_samples, double f_min, double f_max, int n_targets, const double *slopes,
                                    double noise, uint64_t seed, mnn_error *err) {
  if (n_samples < 1 || n_targets < 1 || !(f_max >= f_min) || !(noise >= 0)) {
    mnn_fail(err, "regression data: need samples >= 1, targets >= 1, force range min <= max and noise >= 0 "
                  "(got %d samples, %d targets, [%g, %g] N, noise %g m)",
             n_samples, n_targets, f_min, f_max, noise);
    return NULL;
  }
  mnn_dataset *d = mnn_dataset_create(n_samples, 1, n_targets, 0);
  if (!d) {
    mnn_fail(err, "out of memory");
    return NULL;
  }
  mnn_rng rng;
  mnn_rng_seed(&rng, seed);
  for (int s = 0; s < n_samples; ++s) d->x[s] = f_min + (f_max - f_min) * mnn_rng_uniform(&rng);
  for (int s = 0; s < n_samples; ++s)
    for (int j = 0; j < n_targets; ++j) {
      double t = slopes[j] * d->x[s];
      if (noise > 0) t += noise * mnn_rng_normal(&rng);
      d->target[(size_t)s * n_targets + j] = t;
    }
  return d;
}

/* ---- CSV ---- */

static void chomp(char *s) {
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = '\0';
}

static int count_fields(const char *s) {
  int n = 1;
  for (; *s; ++s) n += *s == ',';
  return n;
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t') ++s;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
  return s;
}

static int class_index(mnn_dataset *d, const char *name) {
  for (int c = 0; c < d->n_classes; ++c)
    if (!strcmp(d->class_names[c], name)) return c;
  char **grown = realloc(d->class_names, (size_t)(d->n_classes + 1) * sizeof(char *));
  if (!grown) return -1;
  d->class_names = grown;
  if (!(d->class_names[d->n_classes] = strdup(name))) return -1;
  return d->n_classes++;
}

/* Reads the whole stream into a NUL-terminated buffer (*size bytes, NUL bytes
 * inside are kept and found by the caller). One read: a file that grows while
 * it is read, or a FIFO, gives one consistent text. NULL on a read error or
 * when the text exceeds MNN_CSV_MAX_BYTES. */
#define MNN_CSV_MAX_BYTES ((size_t)1 << 30)
static char *read_all(FILE *fp, size_t *size, int *too_big) {
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  *too_big = 0;
  while (buf) {
    if (n + 1 >= cap) {
      if (cap >= MNN_CSV_MAX_BYTES) {
        *too_big = 1;
        break;
      }
      char *grown = realloc(buf, 2 * cap);
      if (!grown) break;
      buf = grown, cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - 1 - n, fp);
    n += got;
    if (got == 0) {
      if (ferror(fp)) break;
      buf[n] = '\0';
      *size = n;
      return buf;
    }
  }
  free(buf);
  return NULL;
}

mnn_dataset *mnn_dataset_read_csv(const char *path, int n_targets, mnn_error *err) {
  FILE *fp = fopen(path, "r");
  if (!fp) {
    mnn_fail(err, "%s: cannot open: %s", path, strerror(errno));
    return NULL;
  }
  size_t size = 0;
  int too_big = 0;
  char *text = read_all(fp, &size, &too_big);
  fclose(fp);
  if (!text) {
    mnn_fail(err, too_big ? "%s: larger than 1 GiB: not a data set mnn trains on" : "%s: cannot read the file (%s)",
             path, too_big ? "" : strerror(errno));
    return NULL;
  }
  if (strlen(text) != size) {
    free(text);
    mnn_fail(err, "%s: contains a NUL byte: not a text CSV file", path);
    return NULL;
  }
  /* the lines, split in place: no line-length limit */
  int n_all = 1;
  for (const char *c = text; *c; ++c) n_all += *c == '\n';
  char **lines = malloc(sizeof(char *) * (size_t)n_all);
  int *line_no = malloc(sizeof(int) * (size_t)n_all);
  if (!lines || !line_no) {
    free(text), free(lines), free(line_no);
    mnn_fail(err, "out of memory");
    return NULL;
  }
  int n_lines = 0, n_cols = 0, lineno = 0;
  for (char *p = text, *line; (line = strsep(&p, "\n")) != NULL;) {
    ++lineno;
    chomp(line);
    line = trim(line);
    if (!*line) continue;
    if (n_lines == 0) n_cols = count_fields(line);
    line_no[n_lines] = lineno;
    lines[n_lines++] = line;
  }
  mnn_dataset *d = NULL;
  int n_rows = n_lines - 1, n_features = n_cols - (n_targets > 0 ? n_targets : 1);
  if (n_rows < 1 || n_features < 1) {
    mnn_fail(err, "%s: need a header row, at least one data row and at least one feature column "
                  "(found %d rows of %d columns)", path, n_rows < 0 ? 0 : n_rows, n_cols);
    goto fail;
  }
  d = mnn_dataset_create(n_rows, n_features, n_targets, n_targets == 0);
  if (!d) {
    mnn_fail(err, "out of memory");
    goto fail;
  }
  for (int row = 0; row < n_rows; ++row) {
    char *line = lines[row + 1];
    int at = line_no[row + 1];
    if (count_fields(line) != n_cols) {
      mnn_fail(err, "%s:%d: %d fields where the header has %d: give every row the same columns", path, at,
               count_fields(line), n_cols);
      goto fail;
    }
    char *p = line, *tok;
    for (int c = 0; (tok = strsep(&p, ",")) != NULL; ++c) {
      tok = trim(tok);
      if (n_targets == 0 && c == n_cols - 1) {
        int k = class_index(d, tok);
        if (k < 0) {
          mnn_fail(err, "out of memory");
          goto fail;
        }
        d->label[row] = k;
        continue;
      }
      char *end = NULL;
      errno = 0;
      double v = strtod(tok, &end);
      if (end == tok || *end || !isfinite(v) || errno == ERANGE) {
        mnn_fail(err, "%s:%d: column %d '%.40s' is not a finite number: features%s must be numeric", path, at, c + 1,
                 tok, n_targets > 0 ? " and targets" : "");
        goto fail;
      }
      if (c < n_features) d->x[(size_t)row * n_features + c] = v;
      else d->target[(size_t)row * n_targets + (c - n_features)] = v;
    }
  }
  free(text), free(lines), free(line_no);
  return d;
fail:
  free(text), free(lines), free(line_no);
  mnn_dataset_free(d);
  return NULL;
}

int mnn_dataset_scale_columns(mnn_dataset *d, mnn_error *err) {
  for (int j = 0; j < d->n_features; ++j) {
    double m = 0;
    for (int s = 0; s < d->n_samples; ++s) m = fmax(m, fabs(d->x[(size_t)s * d->n_features + j]));
    if (m == 0) return mnn_fail(err, "feature column %d is all zeros: it cannot be scaled by its maximum", j + 1);
    for (int s = 0; s < d->n_samples; ++s) d->x[(size_t)s * d->n_features + j] /= m;
    d->column_scale[j] *= m;
  }
  return 0;
}

int mnn_split_make(int n_samples, double train_fraction, uint64_t seed, mnn_split *split, mnn_error *err) {
  memset(split, 0, sizeof *split);
  if (n_samples < 1 || !(train_fraction > 0 && train_fraction <= 1))
    return mnn_fail(err, "split: need at least one sample and a training fraction in (0, 1] (got %d samples, %g)",
                    n_samples, train_fraction);
  int n_train = (int)floor(train_fraction * n_samples + 0.5);
  if (n_train < 1) n_train = 1;
  if (n_train > n_samples) n_train = n_samples;
  int *order = malloc((size_t)n_samples * sizeof(int));
  split->train = malloc((size_t)n_train * sizeof(int));
  split->test = malloc(((size_t)(n_samples - n_train) + 1) * sizeof(int));
  if (!order || !split->train || !split->test) {
    free(order);
    mnn_split_free(split);
    return mnn_fail(err, "out of memory");
  }
  for (int i = 0; i < n_samples; ++i) order[i] = i;
  mnn_rng rng;
  mnn_rng_seed(&rng, seed);
  mnn_rng_shuffle(&rng, order, n_samples);
  split->n_train = n_train;
  split->n_test = n_samples - n_train;
  memcpy(split->train, order, (size_t)n_train * sizeof(int));
  memcpy(split->test, order + n_train, (size_t)split->n_test * sizeof(int));
  free(order);
  return 0;
}

void mnn_split_free(mnn_split *split) {
  free(split->train);
  free(split->test);
  split->train = split->test = NULL;
  split->n_train = split->n_test = 0;
}
