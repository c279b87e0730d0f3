/* Small exact-enough 2D geometry for the pre-mesh checks: convex polygon
 * clipping and distances, segment intersection. Polygons are arrays of (x, y). */
#include <float.h>
#include <math.h>

#include "meshing_internal.h"

static double cross(const double *o, const double *a, const double *b) {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

static double point_segment_distance(const double *p, const double *a, const double *b) {
  double dx = b[0] - a[0], dy = b[1] - a[1], len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

int mnn_mesh_segments_intersect(const double *a0, const double *a1, const double *b0, const double *b1) {
  double d1 = cross(b0, b1, a0), d2 = cross(b0, b1, a1), d3 = cross(a0, a1, b0), d4 = cross(a0, a1, b1);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return 1;
  double scale = hypot(a1[0] - a0[0], a1[1] - a0[1]) + hypot(b1[0] - b0[0], b1[1] - b0[1]);
  double eps = 1e-12 * scale;
  return point_segment_distance(a0, b0, b1) <= eps || point_segment_distance(a1, b0, b1) <= eps ||
         point_segment_distance(b0, a0, a1) <= eps || point_segment_distance(b1, a0, a1) <= eps;
}

static int inside_convex(const double *pt, const double *p, int np) {
  for (int i = 0; i < np; ++i)
    if (cross(p + 2 * i, p + 2 * ((i + 1) % np), pt) < 0) return 0;
  return 1;
}

double mnn_mesh_point_polygon_distance(double x, double y, const double *p, int np) {
  const double pt[2] = {x, y};
  if (inside_convex(pt, p, np)) return 0;
  double d = DBL_MAX;
  for (int i = 0; i < np; ++i) d = fmin(d, point_segment_distance(pt, p + 2 * i, p + 2 * ((i + 1) % np)));
  return d;
}

double mnn_mesh_polygon_distance(const double *p, int np, const double *q, int nq) {
  for (int i = 0; i < np; ++i)
    for (int j = 0; j < nq; ++j)
      if (mnn_mesh_segments_intersect(p + 2 * i, p + 2 * ((i + 1) % np), q + 2 * j, q + 2 * ((j + 1) % nq))) return 0;
  if (inside_convex(p, q, nq) || inside_convex(q, p, np)) return 0;
  double d = DBL_MAX;
  for (int i = 0; i < np; ++i) d = fmin(d, mnn_mesh_point_polygon_distance(p[2 * i], p[2 * i + 1], q, nq));
  for (int j = 0; j < nq; ++j) d = fmin(d, mnn_mesh_point_polygon_distance(q[2 * j], q[2 * j + 1], p, np));
  return d;
}

/* Sutherland-Hodgman: clip subject p by each edge of the convex polygon q. */
int mnn_mesh_polygon_clip(const double *p, int np, const double *q, int nq, double *out) {
  double buf_a[2 * 64], buf_b[2 * 64];
  double *cur = buf_a, *next = buf_b;
  int n = np;
  if (np > 32 || nq > 32) return 0;
  for (int i = 0; i < 2 * np; ++i) cur[i] = p[i];
  for (int e = 0; e < nq && n > 0; ++e) {
    const double *c0 = q + 2 * e, *c1 = q + 2 * ((e + 1) % nq);
    int m = 0;
    for (int i = 0; i < n; ++i) {
      const double *s = cur + 2 * i, *t = cur + 2 * ((i + 1) % n);
      double ds = cross(c0, c1, s), dt = cross(c0, c1, t);
      if (ds >= 0) { next[2 * m] = s[0]; next[2 * m + 1] = s[1]; ++m; }
      if ((ds >= 0) != (dt >= 0)) {
        double u = ds / (ds - dt);
        next[2 * m] = s[0] + u * (t[0] - s[0]);
        next[2 * m + 1] = s[1] + u * (t[1] - s[1]);
        ++m;
      }
      if (m > 62) return 0;
    }
    double *tmp = cur; cur = next; next = tmp;
    n = m;
  }
  for (int i = 0; i < 2 * n; ++i) out[i] = cur[i];
  return n < 3 ? 0 : n;
}
