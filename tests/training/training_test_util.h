/* Helpers shared by the training tests: random networks and random tasks. */
#ifndef MNN_TRAINING_TEST_UTIL_H
#define MNN_TRAINING_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include "network.h"
#include "training.h"

/* The paper's triangle (which = 0) or a 4 x 5 patch with its top row fixed
 * (which = 1), widths uniform at random inside the bounds. */
static inline mnn_network *random_network(int which, mnn_rng *rng) {
  mnn_error err;
  mnn_network *net = which == 0 ? mnn_lattice_paper(&err) : mnn_lattice_patch(4, 5, 0.016, MNN_SUPPORT_TOP_ROW, &err);
  if (!net) {
    fprintf(stderr, "lattice: %s\n", err.message);
    exit(1);
  }
  for (int b = 0; b < net->n_bonds; ++b)
    net->width[b] = net->width_min + (net->width_max - net->width_min) * mnn_rng_uniform(rng);
  return net;
}

/* n distinct free DOFs of net chosen at random, as (node id, component). */
static inline void random_free_dofs(const mnn_network *net, mnn_rng *rng, int n, int *node_id, int *comp) {
  int got = 0;
  while (got < n) {
    int k = (int)mnn_rng_below(rng, (uint64_t)net->n_nodes), c = (int)mnn_rng_below(rng, 2);
    if (net->fixed[k] & (c ? MNN_FIX_Y : MNN_FIX_X)) continue;
    int dup = 0;
    for (int j = 0; j < got; ++j) dup |= node_id[j] == net->node_id[k] && comp[j] == c;
    if (dup) continue;
    node_id[got] = net->node_id[k];
    comp[got++] = c;
  }
}

#endif
