/* Lattice generators: the paper's triangle (node numbering of docs/model.md, 28
 * bonds of length a) and patches (bond count formula, all bonds of length a). */
#include "network.h"
#include "test_util.h"

static int all_bonds_of_length(const mnn_network *net, double a) {
  for (int b = 0; b < net->n_bonds; ++b)
    if (fabs(mnn_bond_length(net, b) - a) > 1e-12) return 0;
  return 1;
}

/* Counts node pairs at distance a by brute force. */
static int pairs_at_distance(const mnn_network *net, double a) {
  int n = 0;
  for (int i = 0; i < net->n_nodes; ++i)
    for (int j = i + 1; j < net->n_nodes; ++j)
      n += fabs(hypot(net->x[i] - net->x[j], net->y[i] - net->y[j]) - a) < 1e-9;
  return n;
}

int main(void) {
  mnn_error err;
  mnn_network *net = mnn_lattice_paper(&err);
  CHECK(net != NULL);
  CHECK(net->n_nodes == 14);
  CHECK(net->n_bonds == 28);
  CHECK(mnn_network_check(net, &err) == 0);
  CHECK(all_bonds_of_length(net, 0.016));
  CHECK(pairs_at_distance(net, 0.016) == 28);
  /* row 1: nodes 1..5 at x = 0, -16, ..., -64 mm */
  for (int i = 0; i < 5; ++i) {
    CHECK_CLOSE(net->x[i], -0.016 * i, 0, 1e-15);
    CHECK_CLOSE(net->y[i], 0.0, 0, 1e-15);
  }
  /* node 13 at x = -24 mm ("R"), node 14 at x = -40 mm ("L"), row 4 */
  CHECK_CLOSE(net->x[12], -0.024, 0, 1e-15);
  CHECK_CLOSE(net->x[13], -0.040, 0, 1e-15);
  CHECK_CLOSE(net->y[13], -3 * 0.016 * sqrt(3.0) / 2, 1e-14, 0);
  CHECK(net->fixed[0] == MNN_FIX_XY && net->fixed[4] == MNN_FIX_XY);
  CHECK(mnn_network_n_fixed_dofs(net) == 4);
  CHECK_CLOSE(mnn_bond_stiffness(net, 0), 137.5, 1e-12, 0);
  /* bonds numbered by (lower, higher) node */
  for (int b = 1; b < net->n_bonds; ++b)
    CHECK(net->bond_a[b - 1] < net->bond_a[b] ||
          (net->bond_a[b - 1] == net->bond_a[b] && net->bond_b[b - 1] < net->bond_b[b]));
  mnn_network_free(net);

  for (int rows = 2; rows <= 7; rows += 5)
    for (int cols = 2; cols <= 9; cols += 7) {
      net = mnn_lattice_patch(rows, cols, 0.01, MNN_SUPPORT_TOP_ROW, &err);
      CHECK(net != NULL);
      CHECK(net->n_bonds == 3 * rows * cols - 2 * rows - 2 * cols + 1);
      CHECK(pairs_at_distance(net, 0.01) == net->n_bonds);
      CHECK(all_bonds_of_length(net, 0.01));
      CHECK(mnn_network_check(net, &err) == 0);
      CHECK(mnn_network_n_fixed_dofs(net) == 2 * cols);
      mnn_network_free(net);
    }
  net = mnn_lattice_triangle(8, 6, 0.01, MNN_SUPPORT_TOP_CORNERS, &err);
  CHECK(net && pairs_at_distance(net, 0.01) == net->n_bonds);
  mnn_network_free(net);
  CHECK(mnn_lattice_patch(1, 5, 0.01, MNN_SUPPORT_TOP_ROW, &err) == NULL);
  CHECK_CONTAINS(err.message, "at least 2 rows");

  /* checks name the culprit */
  net = mnn_lattice_paper(&err);
  net->bond_b[3] = net->bond_a[3];
  mnn_check_culprit where;
  CHECK(mnn_network_check_detail(net, &where, &err) != 0);
  CHECK(where.bond == 3);
  CHECK_CONTAINS(err.message, "to itself");
  mnn_network_free(net);
  /* the id map agrees with the linear lookup, also for absent ids */
  net = mnn_lattice_patch(7, 9, 0.01, MNN_SUPPORT_TOP_ROW, &err);
  for (int i = 0; i < net->n_nodes; ++i) net->node_id[i] = 1000 - 3 * i; /* unsorted, gaps */
  mnn_id_index map;
  CHECK(mnn_id_index_build(net->node_id, net->n_nodes, &map) == 0);
  int agree = 1;
  for (int id = 700; id <= 1001; ++id) agree &= mnn_id_index_find(&map, id) == mnn_network_node_index(net, id);
  CHECK(agree);
  mnn_id_index_free(&map);
  mnn_network_free(net);
  return mnn_test_finish();
}
