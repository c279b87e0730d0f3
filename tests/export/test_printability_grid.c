/* Printability's gaps through the spatial grid equal the all-pairs reference
 * (mnn_print_measure_gaps_all_pairs) bit for bit: smallest gap, the pair it is
 * between, and every issue in the same order; on lattice patches, on lattices
 * with jittered nodes and random widths (overlaps and narrow gaps), on random
 * bond soups (crossings, long bonds) and on sparse networks whose nearest bodies
 * are far apart (the reach has to grow). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "network.h"
#include "log.h"
#include "printability.h"
#include "training.h"
#include "test_util.h"

static void compare(const mnn_network *net, const char *what) {
  mnn_error err;
  mnn_print_check grid, ref;
  CHECK_MSG(mnn_print_check_network(net, NULL, 0, &grid, &err) == 0, "%s: %s", what, err.message);
  memset(&ref, 0, sizeof ref);
  mnn_printer_profile_default(&ref.profile);
  ref.smallest_gap = INFINITY;
  CHECK(mnn_print_measure_gaps_all_pairs(net, &ref) == 0);
  int gap_issues = 0;
  for (int i = 0; i < grid.n_issues && i < MNN_PRINT_MAX_ISSUES; ++i)
    gap_issues += !strcmp(grid.issues[i].kind, "gap") || !strcmp(grid.issues[i].kind, "overlap");
  int neck_issues = 0; /* the checks before the gaps: necks and thickness */
  while (neck_issues < grid.n_issues && neck_issues < MNN_PRINT_MAX_ISSUES &&
         (!strcmp(grid.issues[neck_issues].kind, "neck") || !strcmp(grid.issues[neck_issues].kind, "thickness")))
    ++neck_issues;
  CHECK_MSG(grid.smallest_gap == ref.smallest_gap, "%s: smallest gap %.17g (grid) vs %.17g", what, grid.smallest_gap,
            ref.smallest_gap);
  CHECK_MSG(!strcmp(grid.smallest_gap_between, ref.smallest_gap_between), "%s: between '%s' (grid) vs '%s'", what,
            grid.smallest_gap_between, ref.smallest_gap_between);
  int ref_shown = ref.n_issues < MNN_PRINT_MAX_ISSUES ? ref.n_issues : MNN_PRINT_MAX_ISSUES;
  for (int i = 0; i < ref_shown && neck_issues + i < MNN_PRINT_MAX_ISSUES; ++i)
    CHECK_MSG(!strcmp(grid.issues[neck_issues + i].message, ref.issues[i].message), "%s: issue %d '%s' vs '%s'", what,
              i, grid.issues[neck_issues + i].message, ref.issues[i].message);
  int size_issue = !grid.fits_tray;
  CHECK_MSG(grid.n_issues - neck_issues - size_issue == ref.n_issues, "%s: %d gap issues (grid) vs %d", what,
            grid.n_issues - neck_issues - size_issue, ref.n_issues);
  (void)gap_issues;
}

int main(void) {
  mnn_set_verbosity(MNN_QUIET); /* the many violations are the point, not news */
  mnn_error err;
  mnn_rng rng;
  mnn_rng_seed(&rng, 2024);
  mnn_network *patch = mnn_lattice_patch(12, 15, 0.016, MNN_SUPPORT_TOP_ROW, &err);
  compare(patch, "patch");
  /* jittered nodes and random widths: some bodies overlap, some gaps are narrow */
  for (int trial = 0; trial < 5; ++trial) {
    mnn_network *j = mnn_lattice_patch(10, 12, 0.016, MNN_SUPPORT_TOP_ROW, &err);
    for (int i = 0; i < j->n_nodes; ++i) {
      j->x[i] += 0.006 * (mnn_rng_uniform(&rng) - 0.5);
      j->y[i] += 0.006 * (mnn_rng_uniform(&rng) - 0.5);
    }
    for (int b = 0; b < j->n_bonds; ++b) j->width[b] = 0.0005 + 0.004 * mnn_rng_uniform(&rng);
    compare(j, "jittered patch");
    mnn_network_free(j);
  }
  /* a soup: random nodes joined by random, long, crossing bonds */
  for (int trial = 0; trial < 5; ++trial) {
    int nn = 60, nb = 90;
    mnn_network *soup = mnn_network_create(nn, nb);
    CHECK(soup != NULL);
    if (!soup) break;
    soup->joint.node_radius = 0.002, soup->thickness = 0.002;
    for (int i = 0; i < nn; ++i) {
      soup->node_id[i] = i + 1;
      soup->x[i] = 0.2 * mnn_rng_uniform(&rng), soup->y[i] = 0.1 * mnn_rng_uniform(&rng);
    }
    for (int b = 0; b < nb; ++b) {
      int a = (int)mnn_rng_below(&rng, (uint64_t)nn), c = (int)mnn_rng_below(&rng, (uint64_t)nn - 1);
      soup->bond_id[b] = b + 1;
      soup->bond_a[b] = a, soup->bond_b[b] = c >= a ? c + 1 : c;
      soup->width[b] = 0.0005 + 0.003 * mnn_rng_uniform(&rng);
    }
    compare(soup, "soup");
    mnn_network_free(soup);
  }
  /* sparse: two short bonds a metre apart (the first reach finds nothing) */
  mnn_network *sparse = mnn_network_create(4, 2);
  sparse->joint.node_radius = 0.002, sparse->thickness = 0.002;
  double xs[4] = {0, 0.01, 1.0, 1.01};
  for (int i = 0; i < 4; ++i) sparse->node_id[i] = i + 1, sparse->x[i] = xs[i], sparse->y[i] = 0;
  for (int b = 0; b < 2; ++b)
    sparse->bond_id[b] = b + 1, sparse->bond_a[b] = 2 * b, sparse->bond_b[b] = 2 * b + 1, sparse->width[b] = 0.002;
  compare(sparse, "sparse");
  mnn_print_check pc;
  CHECK(mnn_print_check_network(sparse, NULL, 0, &pc, &err) == 0);
  CHECK_CLOSE(pc.smallest_gap, 0.99 - 0.002 - 0.002, 1e-12, 0); /* node 2's disc to node 3's */
  mnn_network_free(sparse);
  mnn_network_free(patch);
  return mnn_test_finish();
}
