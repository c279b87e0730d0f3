/* Benchmark of stage records at the size of a large network's FEM record (several
 * values per bond and per node): setting and getting n per-bond keys through the
 * record's hash index, per key, at growing n (constant per-key time means O(n)
 * for a record), against the baseline of a linear search over the same keys (the
 * O(n^2) lookup the index replaced) at the sizes where that still finishes in
 * seconds; both in this process. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "stage_record.h"

/* Seconds to set n keys "gradient-bar.<id>" and get them all back. */
static double indexed_seconds(int n) {
  mnn_record *r = mnn_record_create("fem");
  if (!r) return -1;
  double t0 = mnn_now(), v, sum = 0;
  int bad = 0;
  for (int i = 0; i < n; ++i) bad |= mnn_record_set_indexed(r, "gradient-bar", i + 1, i);
  for (int i = 0; i < n; ++i) bad |= mnn_record_get_indexed(r, "gradient-bar", i + 1, &v) != 1, sum += v;
  double t = mnn_now() - t0;
  mnn_record_free(r);
  return bad || sum != 0.5 * (double)n * (n - 1) ? -1 : t;
}

/* The same keys in an array, each set and get found by a linear search. */
static double linear_seconds(int n) {
  char (*keys)[32] = malloc(sizeof *keys * (size_t)n);
  double *values = malloc(sizeof *values * (size_t)n), sum = 0;
  if (!keys || !values) return free(keys), free(values), -1;
  double t0 = mnn_now();
  for (int i = 0; i < n; ++i) {
    char key[32];
    snprintf(key, sizeof key, "gradient-bar.%d", i + 1);
    int j = 0;
    while (j < i && strcmp(keys[j], key)) ++j;
    memcpy(keys[j], key, sizeof key), values[j] = i;
  }
  for (int i = 0; i < n; ++i) {
    char key[32];
    snprintf(key, sizeof key, "gradient-bar.%d", i + 1);
    int j = 0;
    while (j < n && strcmp(keys[j], key)) ++j;
    sum += values[j];
  }
  double t = mnn_now() - t0;
  free(keys), free(values);
  return sum != 0.5 * (double)n * (n - 1) ? -1 : t;
}

int main(void) {
  printf("%8s %14s %14s %10s\n", "keys", "index us/key", "linear us/key", "speed-up");
  for (int n = 2500; n <= 640000; n *= 4) {
    double ti = indexed_seconds(n), tl = n <= 40000 ? linear_seconds(n) : -1;
    if (ti < 0) return printf("error: the record lost a key or ran out of memory at %d keys\n", n), 1;
    if (tl > 0) printf("%8d %14.3f %14.3f %9.0fx\n", n, 1e6 * ti / n, 1e6 * tl / n, tl / ti);
    else printf("%8d %14.3f %14s %10s\n", n, 1e6 * ti / n, "-", "-");
  }
  return 0;
}
