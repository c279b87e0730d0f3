/* xoshiro256** (Blackman & Vigna) with splitmix64 seeding; see rng.h. */
#include "rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void mnn_rng_seed(mnn_rng *r, uint64_t seed) {
  uint64_t x = seed;
  for (int i = 0; i < 4; ++i) r->s[i] = splitmix64(&x);
}

uint64_t mnn_rng_next(mnn_rng *r) {
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double mnn_rng_uniform(mnn_rng *r) { return (double)(mnn_rng_next(r) >> 11) * 0x1.0p-53; }

uint64_t mnn_rng_below(mnn_rng *r, uint64_t n) {
  /* reject the top partial block so every residue is equally likely */
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = mnn_rng_next(r);
  while (x >= limit);
  return x % n;
}

double mnn_rng_normal(mnn_rng *r) {
  double u, v, s;
  do {
    u = 2.0 * mnn_rng_uniform(r) - 1.0;
    v = 2.0 * mnn_rng_uniform(r) - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  return u * sqrt(-2.0 * log(s) / s); /* the second deviate (v * ...) is dropped */
}

void mnn_rng_shuffle(mnn_rng *r, int *a, int n) {
  for (int i = n - 1; i > 0; --i) {
    int j = (int)mnn_rng_below(r, (uint64_t)i + 1);
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
