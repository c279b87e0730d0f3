/* The part's planar outline as a conformal partition of the plane, built
 * directly (no booleans): each bond is a strip with necks that ends on an arc
 * of each node's rim, each node disc is bounded by those arcs (shared with the
 * bonds) and by free arcs between them. Points, curves (lines and arcs below
 * a half turn) and faces with their owners, ready for any CAD kernel; the
 * geometry checks (geometry_check.c) guarantee that bonds meet only at discs
 * and that the arcs of one disc do not overlap. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "meshing_internal.h"

#define FREE_ARC_MAX (0.5 * M_PI) /* longest free rim arc: Gmsh's arcs must stay below pi */

typedef struct {
  int cap_points, cap_curves, cap_face_curves;
} capacity;

static int add_point(mnn_planar_layout *l, double x, double y) {
  l->xy[2 * l->n_points] = x;
  l->xy[2 * l->n_points + 1] = y;
  return l->n_points++;
}

static int add_curve(mnn_planar_layout *l, int a, int b, int centre) {
  l->curve[3 * l->n_curves] = a;
  l->curve[3 * l->n_curves + 1] = b;
  l->curve[3 * l->n_curves + 2] = centre;
  return l->n_curves++;
}

/* Appends curve c (0-based) to the current face, reversed when rev. */
static void face_add(mnn_planar_layout *l, int c, int rev) {
  l->face_curve[l->face_start[l->n_faces + 1]++] = rev ? -(c + 1) : c + 1;
}

static void face_begin(mnn_planar_layout *l) { l->face_start[l->n_faces + 1] = l->face_start[l->n_faces]; }
static void face_end(mnn_planar_layout *l, int owner) { l->face_owner[l->n_faces++] = owner; }

void mnn_planar_layout_free(mnn_planar_layout *l) {
  if (!l) return;
  free(l->xy);
  free(l->curve);
  free(l->face_start);
  free(l->face_curve);
  free(l->face_owner);
  memset(l, 0, sizeof *l);
}

/* One end of a bond on a disc: the rim arc's two points and its curve, and the
 * angles of its ends (counter-clockwise from lo to hi, less than pi apart). */
typedef struct {
  int node, curve, lo, hi;
  double angle_lo, angle_hi;
} attachment;

static int compare_attachments(const void *a, const void *b) {
  const attachment *x = a, *y = b;
  if (x->node != y->node) return x->node < y->node ? -1 : 1;
  return x->angle_lo < y->angle_lo ? -1 : x->angle_lo > y->angle_lo;
}

/* Point at distance s along bond b from node a and q to its left. */
static void bond_at(const mnn_network *net, int b, double s, double q, double *x, double *y) {
  double cx, cy;
  mnn_bond_direction(net, b, &cx, &cy);
  int a = net->bond_a[b];
  *x = net->x[a] + s * cx - q * cy;
  *y = net->y[a] + s * cy + q * cx;
}

/* The rim arc between rim points p and q of node n as a curve defined
 * counter-clockwise; fills the attachment. */
static void rim_arc(mnn_planar_layout *l, const mnn_network *net, int n, int p, int q, attachment *at) {
  double ux = l->xy[2 * p] - net->x[n], uy = l->xy[2 * p + 1] - net->y[n];
  double vx = l->xy[2 * q] - net->x[n], vy = l->xy[2 * q + 1] - net->y[n];
  int ccw = ux * vy - uy * vx > 0;
  at->node = n;
  at->lo = ccw ? p : q;
  at->hi = ccw ? q : p;
  at->curve = add_curve(l, at->lo, at->hi, n);
  at->angle_lo = atan2(l->xy[2 * at->lo + 1] - net->y[n], l->xy[2 * at->lo] - net->x[n]);
  double span = atan2(fabs(ux * vy - uy * vx), ux * vx + uy * vy); /* in (0, pi) */
  at->angle_hi = at->angle_lo + span;
}

/* The bond face: rim a- -> neck -> middle -> neck -> rim b- (lines), the arc at
 * b, back along the other side, the arc at a: counter-clockwise. */
static void add_bond(mnn_planar_layout *l, const mnn_network *net, int b, attachment *ends) {
  double L = mnn_bond_length(net, b), r = net->joint.node_radius;
  double H = 0.5 * net->width[b], h = 0.25 * net->width[b], sr = sqrt(r * r - h * h), s1, s2;
  mnn_mesh_bond_necks(net, b, &s1, &s2);
  const double sq[12][2] = {{sr, -h}, {s1, -h}, {s1, -H}, {s2, -H}, {s2, -h}, {L - sr, -h},
                            {L - sr, h}, {s2, h}, {s2, H}, {s1, H}, {s1, h}, {sr, h}};
  int p[12];
  for (int k = 0; k < 12; ++k) {
    double x, y;
    bond_at(net, b, sq[k][0], sq[k][1], &x, &y);
    p[k] = add_point(l, x, y);
  }
  rim_arc(l, net, net->bond_b[b], p[5], p[6], &ends[1]);
  rim_arc(l, net, net->bond_a[b], p[11], p[0], &ends[0]);
  face_begin(l);
  for (int k = 0; k < 5; ++k) face_add(l, add_curve(l, p[k], p[k + 1], -1), 0);
  face_add(l, ends[1].curve, ends[1].lo != p[5]);
  for (int k = 6; k < 11; ++k) face_add(l, add_curve(l, p[k], p[k + 1], -1), 0);
  face_add(l, ends[0].curve, ends[0].lo != p[11]);
  face_end(l, -(b + 1));
}

/* Free arc of node n from point a (angle t0) counter-clockwise to point b (t1 >
 * t0), in pieces below FREE_ARC_MAX, appended to the current face. */
static void add_free_arc(mnn_planar_layout *l, const mnn_network *net, int n, int a, int b, double t0, double t1) {
  int pieces = (int)ceil((t1 - t0) / FREE_ARC_MAX - 1e-9);
  if (pieces < 1) pieces = 1;
  int prev = a;
  for (int k = 1; k <= pieces; ++k) {
    int next = b;
    if (k < pieces) {
      double t = t0 + (t1 - t0) * k / pieces;
      next = add_point(l, net->x[n] + net->joint.node_radius * cos(t), net->y[n] + net->joint.node_radius * sin(t));
    }
    face_add(l, add_curve(l, prev, next, n), 0);
    prev = next;
  }
}

int mnn_planar_layout_build(const mnn_network *net, mnn_planar_layout *l, mnn_error *err) {
  int nb = net->n_bonds, nn = net->n_nodes;
  memset(l, 0, sizeof *l);
  /* a free arc per attachment (split in at most 4 + 1 pieces), bond curves */
  size_t max_points = (size_t)nn * 6 + (size_t)nb * 12 + 2 * (size_t)nb * 5;
  size_t max_curves = (size_t)nb * 12 + (size_t)nn * 5 + 2 * (size_t)nb * 5;
  l->xy = malloc(sizeof(double) * 2 * max_points);
  l->curve = malloc(sizeof(int) * 3 * max_curves);
  l->face_start = calloc((size_t)(nb + nn) + 1, sizeof(int));
  l->face_curve = malloc(sizeof(int) * (max_curves + 1));
  l->face_owner = malloc(sizeof(int) * (size_t)(nb + nn + 1));
  attachment *at = malloc(sizeof *at * (2 * (size_t)nb + 1));
  if (!l->xy || !l->curve || !l->face_start || !l->face_curve || !l->face_owner || !at) {
    free(at);
    mnn_planar_layout_free(l);
    return mnn_fail(err, "meshing: out of memory for the planar outline");
  }
  /* disc centres are points 0 .. nn-1 (the arcs' centres) */
  for (int n = 0; n < nn; ++n) add_point(l, net->x[n], net->y[n]);
  for (int b = 0; b < nb; ++b) add_bond(l, net, b, at + 2 * b);
  qsort(at, 2 * (size_t)nb, sizeof *at, compare_attachments);
  int i = 0;
  for (int n = 0; n < nn; ++n) {
    int i0 = i;
    while (i < 2 * nb && at[i].node == n) ++i;
    int m = i - i0;
    face_begin(l);
    if (m == 0) { /* a lone disc: four quarter arcs */
      int first = add_point(l, net->x[n] + net->joint.node_radius, net->y[n]);
      add_free_arc(l, net, n, first, first, 0, 2 * M_PI);
    }
    for (int k = 0; k < m; ++k) {
      const attachment *cur = &at[i0 + k], *next = &at[i0 + (k + 1) % m];
      face_add(l, cur->curve, 0);
      double t0 = cur->angle_hi, t1 = next->angle_lo;
      if (k + 1 == m) t1 += 2 * M_PI;
      if (t1 - t0 < 1e-9) { /* overlapping or touching arcs: the checks should have refused it */
        free(at);
        mnn_planar_layout_free(l);
        return mnn_fail(err, "meshing: two bonds meet on the rim of node %d: use a larger node-radius or narrower bonds",
                        net->node_id[n]);
      }
      add_free_arc(l, net, n, cur->hi, next->lo, t0, t1);
    }
    face_end(l, n);
  }
  free(at);
  return 0;
}
