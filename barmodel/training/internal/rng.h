/* A small deterministic random number generator (xoshiro256** seeded through
 * splitmix64), so that data sets, splits and mini-batch orders are the same bit
 * for bit on every machine and with every C library. */
#ifndef MNN_RNG_H
#define MNN_RNG_H

#include <stdint.h>

typedef struct mnn_rng {
  uint64_t s[4];
} mnn_rng;

/* Seeds the state from one 64-bit number (any value, 0 included). */
void mnn_rng_seed(mnn_rng *r, uint64_t seed);
/* Next raw 64-bit output. */
uint64_t mnn_rng_next(mnn_rng *r);
/* Uniform double in [0, 1) with 53 random bits. */
double mnn_rng_uniform(mnn_rng *r);
/* Uniform integer in [0, n) without modulo bias (n >= 1). */
uint64_t mnn_rng_below(mnn_rng *r, uint64_t n);
/* Standard normal deviate (Marsaglia's polar method: uses only log and sqrt). */
double mnn_rng_normal(mnn_rng *r);
/* Fisher-Yates shuffle of an int array. */
void mnn_rng_shuffle(mnn_rng *r, int *a, int n);

#endif
