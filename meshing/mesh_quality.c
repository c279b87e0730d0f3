/* Tetrahedron volume and Gmsh's SICN quality (1 for the regular tetrahedron,
 * 0 for a flat one, negative for an inverted one). Gmsh 4.8's C API has no
 * call for element qualities, so we compute the same measure ourselves. */
#include <math.h>

#include "meshing_internal.h"

double mnn_mesh_tet_volume(const double *p0, const double *p1, const double *p2, const double *p3) {
  double a[3], b[3], c[3];
  for (int i = 0; i < 3; ++i) a[i] = p1[i] - p0[i], b[i] = p2[i] - p0[i], c[i] = p3[i] - p0[i];
  return (a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0])) /
         6.0;
}

static double dist2(const double *p, const double *q) {
  return (p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) + (p[2] - q[2]) * (p[2] - q[2]);
}

double mnn_mesh_tet_sicn(const double *p0, const double *p1, const double *p2, const double *p3) {
  double v = mnn_mesh_tet_volume(p0, p1, p2, p3);
  double l2 = dist2(p0, p1) + dist2(p0, p2) + dist2(p0, p3) + dist2(p1, p2) + dist2(p1, p3) + dist2(p2, p3);
  if (!(l2 > 0)) return 0;
  double q = 12.0 * pow(3.0 * fabs(v), 2.0 / 3.0) / l2;
  return v < 0 ? -q : q;
}
