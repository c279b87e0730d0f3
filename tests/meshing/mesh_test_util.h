/* Shared by the meshing tests: small networks and the analytic geometry of
 * the union of the bodies, computed here independently of meshing/. */
#ifndef MNN_TEST_MESH_UTIL_H
#define MNN_TEST_MESH_UTIL_H

#include <math.h>

#include "network.h"

/* Two nodes `length` apart on the x axis joined by one bond of width w. */
static inline mnn_network *one_bond_network(double length, double w) {
  mnn_network *net = mnn_network_create(2, 1);
  net->node_id[0] = 1, net->node_id[1] = 2;
  net->x[0] = 0, net->y[0] = 0, net->x[1] = length, net->y[1] = 0;
  net->bond_id[0] = 1, net->bond_a[0] = 0, net->bond_b[0] = 1, net->width[0] = w;
  net->fixed[0] = MNN_FIX_XY;
  return net;
}

/* Area of the union of the bodies in the plane: node discs, plus for every
 * bond its two necks (width w/2 from the disc rim to r + l from the centre)
 * and its middle (width w). Valid when bodies overlap only inside discs. */
static inline double union_area(const mnn_network *net) {
  double r = net->joint.node_radius, l = net->joint.neck_length, area = net->n_nodes * M_PI * r * r;
  for (int b = 0; b < net->n_bonds; ++b) {
    double w = net->width[b], h = w / 4;
    double L = hypot(net->x[net->bond_b[b]] - net->x[net->bond_a[b]], net->y[net->bond_b[b]] - net->y[net->bond_a[b]]);
    /* strip |q| <= h from the arc s = sqrt(r^2 - q^2) to s = r + l */
    double neck = 2 * h * (r + l) - (h * sqrt(r * r - h * h) + r * r * asin(h / r));
    area += 2 * neck + w * (L - 2 * r - 2 * l);
  }
  return area;
}

/* Is (x, y) inside the union of the bodies (open set, up to eps)? */
static inline int inside_union(const mnn_network *net, double x, double y) {
  double r = net->joint.node_radius, l = net->joint.neck_length;
  for (int n = 0; n < net->n_nodes; ++n)
    if (hypot(x - net->x[n], y - net->y[n]) < r) return 1;
  for (int b = 0; b < net->n_bonds; ++b) {
    double ax = net->x[net->bond_a[b]], ay = net->y[net->bond_a[b]];
    double dx = net->x[net->bond_b[b]] - ax, dy = net->y[net->bond_b[b]] - ay, L = hypot(dx, dy);
    double s = ((x - ax) * dx + (y - ay) * dy) / L, q = fabs((y - ay) * dx - (x - ax) * dy) / L;
    double half = (s < r + l || s > L - r - l) ? net->width[b] / 4 : net->width[b] / 2;
    if (s > 0 && s < L && q < half) return 1;
  }
  return 0;
}

#endif
