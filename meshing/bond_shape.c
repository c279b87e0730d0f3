/* The planar shape of a bond: full width in the middle, half width (the neck)
 * within node_radius + neck_length of each node centre. */
#include <math.h>

#include "meshing_internal.h"

void mnn_mesh_bond_necks(const mnn_network *net, int b, double *neck_end_a, double *neck_start_b) {
  double L = mnn_bond_length(net, b);
  *neck_end_a = net->joint.node_radius + net->joint.neck_length;
  *neck_start_b = L - net->joint.node_radius - net->joint.neck_length;
}

/* Point at distance s along the bond from node a and q to its left. */
static void at(const mnn_network *net, int b, double s, double q, double *xy) {
  double cx, cy;
  mnn_bond_direction(net, b, &cx, &cy);
  int a = net->bond_a[b];
  xy[0] = net->x[a] + s * cx - q * cy;
  xy[1] = net->y[a] + s * cy + q * cx;
}

void mnn_mesh_bond_outline(const mnn_network *net, int b, double xy[2 * MNN_MESH_BOND_OUTLINE_CORNERS]) {
  double L = mnn_bond_length(net, b), r = net->joint.node_radius;
  double H = 0.5 * net->width[b], h = 0.25 * net->width[b];
  double s0 = 0.5 * sqrt(r * r - h * h), s1, s2;
  mnn_mesh_bond_necks(net, b, &s1, &s2);
  const double sq[MNN_MESH_BOND_OUTLINE_CORNERS][2] = {
      {s0, -h}, {s1, -h}, {s1, -H}, {s2, -H}, {s2, -h}, {L - s0, -h},
      {L - s0, h}, {s2, h}, {s2, H}, {s1, H}, {s1, h}, {s0, h}};
  for (int k = 0; k < MNN_MESH_BOND_OUTLINE_CORNERS; ++k) at(net, b, sq[k][0], sq[k][1], xy + 2 * k);
}

void mnn_mesh_bond_rectangles(const mnn_network *net, int b, double quad[3][8]) {
  double L = mnn_bond_length(net, b);
  double H = 0.5 * net->width[b], h = 0.25 * net->width[b], s1, s2;
  mnn_mesh_bond_necks(net, b, &s1, &s2);
  const double range[3][3] = {{0, s1, h}, {s1, s2, H}, {s2, L, h}};
  for (int k = 0; k < 3; ++k) {
    double s_lo = range[k][0], s_hi = range[k][1], q = range[k][2];
    at(net, b, s_lo, -q, quad[k] + 0);
    at(net, b, s_hi, -q, quad[k] + 2);
    at(net, b, s_hi, q, quad[k] + 4);
    at(net, b, s_lo, q, quad[k] + 6);
  }
}

int mnn_mesh_node_group_tag(const mnn_network *net, int node_index) { return net->node_id[node_index]; }

int mnn_mesh_bond_group_tag(const mnn_network *net, int bond_index) {
  return MNN_MESH_BOND_TAG_OFFSET + net->bond_id[bond_index];
}
