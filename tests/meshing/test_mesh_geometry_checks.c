/* The checks before Gmsh runs: each bad geometry gives its own one-line error
 * naming the bonds or nodes; good networks pass. */
#include <stdlib.h>
#include <string.h>

#include "network.h"
#include "mesh_test_util.h"
#include "meshing.h"
#include "test_util.h"

/* nodes given as x, y in mm; bonds as pairs of 1-based node ids */
static mnn_network *make(int nn, const double *xy_mm, int nb, const int *ends) {
  mnn_network *net = mnn_network_create(nn, nb);
  for (int i = 0; i < nn; ++i) net->node_id[i] = i + 1, net->x[i] = 1e-3 * xy_mm[2 * i], net->y[i] = 1e-3 * xy_mm[2 * i + 1];
  for (int b = 0; b < nb; ++b) {
    net->bond_id[b] = b + 1;
    net->bond_a[b] = ends[2 * b] - 1, net->bond_b[b] = ends[2 * b + 1] - 1;
    net->width[b] = MNN_DEFAULT_WIDTH;
  }
  return net;
}

static void expect_error(mnn_network *net, const char *what, const char *a, const char *b) {
  mnn_error err;
  mnn_error_clear(&err);
  int rc = mnn_mesh_check_geometry(net, &err);
  CHECK_MSG(rc != 0, "%s: no error", what);
  CHECK_CONTAINS(err.message, a);
  if (b) CHECK_CONTAINS(err.message, b);
  CHECK(strchr(err.message, '\n') == NULL);
  printf("%-28s %s\n", what, err.message);
  mnn_network_free(net);
}

int main(void) {
  mnn_error err;
  /* good networks */
  mnn_network *paper = mnn_lattice_paper(&err);
  CHECK_MSG(mnn_mesh_check_geometry(paper, &err) == 0, "paper: %s", err.message);
  mnn_network_free(paper);
  mnn_network *patch = mnn_lattice_patch(10, 10, MNN_PAPER_SPACING, MNN_SUPPORT_TOP_ROW, &err);
  CHECK_MSG(mnn_mesh_check_geometry(patch, &err) == 0, "patch: %s", err.message);
  mnn_network_free(patch);
  mnn_network *one = one_bond_network(0.016, 0.002);
  CHECK_MSG(mnn_mesh_check_geometry(one, &err) == 0, "one bond: %s", err.message);

  /* necks longer than the free length */
  one->joint.neck_length = 0.0061;
  expect_error(one, "necks too long", "bond 1", "neck");

  /* width outside the bounds */
  one = one_bond_network(0.016, 0.003);
  expect_error(one, "width above width-max", "bond 1", "outside the bounds");
  one = one_bond_network(0.016, 0.001);
  expect_error(one, "width below width-min", "bond 1", "outside the bounds");

  /* discs that overlap: nodes 1 and 3 are 3 mm apart, r = 2 mm */
  {
    const double xy[] = {0, 0, 16, 0, 0, 3};
    const int ends[] = {1, 2};
    expect_error(make(3, xy, 1, ends), "discs overlap", "nodes 1 and 3", "overlap");
  }
  /* discs 4.05 mm apart: closer than the gap a printer and a mesh need */
  {
    const double xy[] = {0, 0, 16, 0, 0, 4.05};
    const int ends[] = {1, 2};
    expect_error(make(3, xy, 1, ends), "discs touch", "nodes 1 and 3", "touch");
  }
  /* crossing bonds: the diagonals of a square */
  {
    const double xy[] = {0, 0, 16, 0, 16, 16, 0, 16};
    const int ends[] = {1, 3, 2, 4};
    expect_error(make(4, xy, 2, ends), "bonds cross", "bonds 1 and 2", "cross");
  }
  /* a bond running over the disc of a node it does not join */
  {
    const double xy[] = {0, 0, 16, 0, 8, 1.5};
    const int ends[] = {1, 2};
    expect_error(make(3, xy, 1, ends), "bond over a disc", "bond 1", "node 3");
  }
  /* a bond grazing a disc: 3.03 mm from the axis = 1 mm half width + 2 mm radius + 0.03 mm */
  {
    const double xy[] = {0, 0, 16, 0, 8, 3.03};
    const int ends[] = {1, 2};
    expect_error(make(3, xy, 1, ends), "bond touches a disc", "bond 1", "touches the disc of node 3");
  }
  /* two bonds of one node at 10 degrees: they overlap outside its disc */
  {
    const double xy[] = {0, 0, 16, 0, 16 * 0.98481, 16 * 0.17365};
    const int ends[] = {1, 2, 1, 3};
    mnn_network *net = make(3, xy, 2, ends);
    net->joint.node_radius = 0.0012;
    net->joint.neck_length = 0.001;
    expect_error(net, "bonds overlap at a node", "bonds 1 and 2", "node 1");
  }
  /* two parallel bonds whose middles come 0.05 mm close, no node between them
   * (node radius 1 mm keeps every disc clear) */
  {
    const double xy[] = {0, 0, 16, 0, 1.3, 2.05, 17.3, 2.05};
    const int ends[] = {1, 2, 3, 4};
    mnn_network *net = make(4, xy, 2, ends);
    net->joint.node_radius = 0.001;
    expect_error(net, "bonds touch", "bonds 1 and 2", "no node joins them");
  }
  /* non-positive node radius */
  one = one_bond_network(0.016, 0.002);
  one->joint.node_radius = 0;
  expect_error(one, "zero node radius", "node radius", NULL);
  /* group tags would collide */
  one = one_bond_network(0.016, 0.002);
  one->bond_id[0] = MNN_MESH_BOND_TAG_OFFSET;
  expect_error(one, "id too large", "bond id", NULL);

  /* options out of range */
  mnn_mesh_options opt;
  mnn_mesh_options_default(&opt);
  CHECK(mnn_mesh_options_check(&opt, &err) == 0);
  opt.elements_across_neck = 1;
  CHECK(mnn_mesh_options_check(&opt, &err) != 0);
  CHECK_CONTAINS(err.message, "across the neck");
  mnn_mesh_options_default(&opt);
  opt.layers_through_thickness = 1;
  CHECK(mnn_mesh_options_check(&opt, &err) != 0);
  CHECK_CONTAINS(err.message, "layers");
  mnn_mesh_options_default(&opt);
  opt.refinement = -1;
  CHECK(mnn_mesh_options_check(&opt, &err) != 0);
  CHECK_CONTAINS(err.message, "refinement");
  return mnn_test_finish();
}
