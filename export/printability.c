/* Printability checks from the network geometry: necks, gaps between bodies that
 * do not meet by design (bonds without a common node, a disc and a bond not
 * attached to it, two discs without a bond), overall size against the tray. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "printability.h"

void mnn_printer_profile_default(mnn_printer_profile *p) {
  memset(p, 0, sizeof *p);
  snprintf(p->name, sizeof p->name, "Stratasys J850 Digital Anatomy, Agilus30");
  p->min_feature = MNN_PRINTER_J850_MIN_FEATURE;
  p->min_gap = MNN_PRINTER_J850_MIN_GAP;
  p->tray[0] = 0.490, p->tray[1] = 0.390, p->tray[2] = 0.200;
}

static double point_segment_distance(double px, double py, double ax, double ay, double bx, double by) {
  double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
  double s = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  s = s < 0 ? 0 : s > 1 ? 1 : s;
  return hypot(px - ax - s * dx, py - ay - s * dy);
}

static double cross2(double ax, double ay, double bx, double by) { return ax * by - ay * bx; }

static double segment_distance(const double a[4], const double b[4]) {
  /* a proper crossing (each segment's ends strictly on both sides of the other's
   * line, beyond rounding) is distance 0; everything else, including collinear
   * and touching segments, is measured from the four end points */
  double r[2] = {a[2] - a[0], a[3] - a[1]}, s[2] = {b[2] - b[0], b[3] - b[1]};
  double eps = 1e-12 * (r[0] * r[0] + r[1] * r[1] + s[0] * s[0] + s[1] * s[1]);
  double o1 = cross2(r[0], r[1], b[0] - a[0], b[1] - a[1]), o2 = cross2(r[0], r[1], b[2] - a[0], b[3] - a[1]);
  double o3 = cross2(s[0], s[1], a[0] - b[0], a[1] - b[1]), o4 = cross2(s[0], s[1], a[2] - b[0], a[3] - b[1]);
  if (((o1 > eps && o2 < -eps) || (o1 < -eps && o2 > eps)) && ((o3 > eps && o4 < -eps) || (o3 < -eps && o4 > eps)))
    return 0;
  double d = point_segment_distance(a[0], a[1], b[0], b[1], b[2], b[3]);
  d = fmin(d, point_segment_distance(a[2], a[3], b[0], b[1], b[2], b[3]));
  d = fmin(d, point_segment_distance(b[0], b[1], a[0], a[1], a[2], a[3]));
  d = fmin(d, point_segment_distance(b[2], b[3], a[0], a[1], a[2], a[3]));
  return d;
}

static void add_issue(mnn_print_check *c, const char *kind, const char *subject, double value, double limit,
                      const char *message) {
  if (c->n_issues < MNN_PRINT_MAX_ISSUES) {
    mnn_print_issue *i = &c->issues[c->n_issues];
    snprintf(i->kind, sizeof i->kind, "%s", kind);
    snprintf(i->subject, sizeof i->subject, "%s", subject);
    i->value = value, i->limit = limit;
    snprintf(i->message, sizeof i->message, "%s", message);
  }
  ++c->n_issues;
}

static void note_gap(mnn_print_check *c, double gap, const char *between, double min_gap) {
  if (fabs(gap) < 1e-12) gap = 0; /* touching, up to rounding */
  if (gap < c->smallest_gap) {
    c->smallest_gap = gap;
    snprintf(c->smallest_gap_between, sizeof c->smallest_gap_between, "%s", between);
  }
  char msg[256];
  if (gap < 0) {
    snprintf(msg, sizeof msg, "%s overlap by %.3g mm where no bond joins them: move nodes apart or remove a bond", between,
             -gap * 1e3);
    add_issue(c, "overlap", between, gap, 0, msg);
  } else if (gap < min_gap) {
    snprintf(msg, sizeof msg, "gap between %s is %.3g mm, below the printer's %.3g mm: support material may not wash out",
             between, gap * 1e3, min_gap * 1e3);
    add_issue(c, "gap", between, gap, min_gap, msg);
  }
}

/* Only the smallest gap so far and violations need their names formatted. */
static int worth_noting(const mnn_print_check *c, double gap, double min_gap) {
  return gap < c->smallest_gap || gap < min_gap;
}

static int bonds_share_node(const mnn_network *n, int a, int b) {
  return n->bond_a[a] == n->bond_a[b] || n->bond_a[a] == n->bond_b[b] || n->bond_b[a] == n->bond_a[b] ||
         n->bond_b[a] == n->bond_b[b];
}

/* Neighbour lists of the nodes (compressed rows), so that "is there a bond
 * between i and j" costs the degree of i, not the number of bonds. */
typedef struct {
  int *start, *list;
} adjacency;

static int adjacency_build(const mnn_network *n, adjacency *adj) {
  adj->start = calloc((size_t)n->n_nodes + 1, sizeof(int));
  adj->list = malloc(2 * (size_t)(n->n_bonds > 0 ? n->n_bonds : 1) * sizeof(int));
  if (!adj->start || !adj->list) return -1;
  for (int b = 0; b < n->n_bonds; ++b) ++adj->start[n->bond_a[b] + 1], ++adj->start[n->bond_b[b] + 1];
  for (int i = 0; i < n->n_nodes; ++i) adj->start[i + 1] += adj->start[i];
  int *fill = calloc((size_t)n->n_nodes, sizeof(int));
  if (!fill) return -1;
  for (int b = 0; b < n->n_bonds; ++b) {
    int a = n->bond_a[b], c = n->bond_b[b];
    adj->list[adj->start[a] + fill[a]++] = c;
    adj->list[adj->start[c] + fill[c]++] = a;
  }
  free(fill);
  return 0;
}

static int nodes_joined(const adjacency *adj, int i, int j) {
  for (int k = adj->start[i]; k < adj->start[i + 1]; ++k)
    if (adj->list[k] == j) return 1;
  return 0;
}

static int measure_gaps(const mnn_network *n, mnn_print_check *c) {
  double r = n->node_radius, min_gap = c->profile.min_gap;
  char between[64];
  for (int a = 0; a < n->n_bonds; ++a) {
    double sa[4] = {n->x[n->bond_a[a]], n->y[n->bond_a[a]], n->x[n->bond_b[a]], n->y[n->bond_b[a]]};
    for (int b = a + 1; b < n->n_bonds; ++b) {
      if (bonds_share_node(n, a, b)) continue;
      double sb[4] = {n->x[n->bond_a[b]], n->y[n->bond_a[b]], n->x[n->bond_b[b]], n->y[n->bond_b[b]]};
      double gap = segment_distance(sa, sb) - 0.5 * (n->width[a] + n->width[b]);
      if (!worth_noting(c, gap, min_gap)) continue;
      snprintf(between, sizeof between, "bonds %d and %d", n->bond_id[a], n->bond_id[b]);
      note_gap(c, gap, between, min_gap);
    }
    for (int i = 0; i < n->n_nodes; ++i) {
      if (i == n->bond_a[a] || i == n->bond_b[a]) continue;
      double gap = point_segment_distance(n->x[i], n->y[i], sa[0], sa[1], sa[2], sa[3]) - r - 0.5 * n->width[a];
      if (!worth_noting(c, gap, min_gap)) continue;
      snprintf(between, sizeof between, "node %d and bond %d", n->node_id[i], n->bond_id[a]);
      note_gap(c, gap, between, min_gap);
    }
  }
  adjacency adj = {0};
  int have_adj = adjacency_build(n, &adj) == 0;
  for (int i = 0; i < n->n_nodes && have_adj; ++i)
    for (int j = i + 1; j < n->n_nodes; ++j) {
      if (nodes_joined(&adj, i, j)) continue;
      double gap = hypot(n->x[i] - n->x[j], n->y[i] - n->y[j]) - 2 * r;
      if (!worth_noting(c, gap, min_gap)) continue;
      snprintf(between, sizeof between, "nodes %d and %d", n->node_id[i], n->node_id[j]);
      note_gap(c, gap, between, min_gap);
    }
  free(adj.start);
  free(adj.list);
  return have_adj ? 0 : -1;
}

static void measure_size(const mnn_network *n, mnn_print_check *c) {
  double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
  for (int i = 0; i < n->n_nodes; ++i) {
    lo[0] = fmin(lo[0], n->x[i] - n->node_radius), hi[0] = fmax(hi[0], n->x[i] + n->node_radius);
    lo[1] = fmin(lo[1], n->y[i] - n->node_radius), hi[1] = fmax(hi[1], n->y[i] + n->node_radius);
  }
  for (int b = 0; b < n->n_bonds; ++b) {
    double cx, cy;
    mnn_bond_direction(n, b, &cx, &cy);
    double hx = -cy * 0.5 * n->width[b], hy = cx * 0.5 * n->width[b];
    int ends[2] = {n->bond_a[b], n->bond_b[b]};
    for (int e = 0; e < 2; ++e)
      for (int s = -1; s <= 1; s += 2) {
        double x = n->x[ends[e]] + s * hx, y = n->y[ends[e]] + s * hy;
        lo[0] = fmin(lo[0], x), hi[0] = fmax(hi[0], x);
        lo[1] = fmin(lo[1], y), hi[1] = fmax(hi[1], y);
      }
  }
  c->size[0] = hi[0] - lo[0], c->size[1] = hi[1] - lo[1], c->size[2] = n->thickness;
  const double *t = c->profile.tray;
  int flat = c->size[2] <= t[2];
  c->fits_tray = flat && ((c->size[0] <= t[0] && c->size[1] <= t[1]) || (c->size[0] <= t[1] && c->size[1] <= t[0]));
  if (!c->fits_tray) {
    char msg[256];
    snprintf(msg, sizeof msg, "the part is %.1f x %.1f x %.1f mm, larger than the tray (%.0f x %.0f x %.0f mm): scale the network down",
             c->size[0] * 1e3, c->size[1] * 1e3, c->size[2] * 1e3, t[0] * 1e3, t[1] * 1e3, t[2] * 1e3);
    add_issue(c, "size", "part", fmax(c->size[0], c->size[1]), fmax(t[0], t[1]), msg);
  }
}

int mnn_print_check_network(const mnn_network *net, const mnn_printer_profile *profile, int strict,
                            mnn_print_check *check, mnn_error *err) {
  memset(check, 0, sizeof *check);
  if (profile) check->profile = *profile;
  else mnn_printer_profile_default(&check->profile);
  check->smallest_gap = INFINITY;
  check->thinnest_neck = INFINITY;
  check->thinnest_bond = INFINITY;
  if (!net || net->n_nodes <= 0) return mnn_fail(err, "printability: the network has no nodes");
  char msg[256], subject[64];
  for (int b = 0; b < net->n_bonds; ++b) {
    if (net->width[b] < check->thinnest_bond) check->thinnest_bond = net->width[b];
    if (0.5 * net->width[b] < check->thinnest_neck) {
      check->thinnest_neck = 0.5 * net->width[b];
      check->thinnest_neck_bond = net->bond_id[b];
    }
    if (0.5 * net->width[b] < check->profile.min_feature) {
      snprintf(subject, sizeof subject, "bond %d", net->bond_id[b]);
      snprintf(msg, sizeof msg, "bond %d: its neck is %.3g mm wide (half of %.3g mm), below the printer's %.3g mm: widen the bond",
               net->bond_id[b], 0.5 * net->width[b] * 1e3, net->width[b] * 1e3, check->profile.min_feature * 1e3);
      add_issue(check, "neck", subject, 0.5 * net->width[b], check->profile.min_feature, msg);
    }
  }
  if (net->thickness < check->profile.min_feature) {
    snprintf(msg, sizeof msg, "the thickness %.3g mm is below the printer's %.3g mm: make the part thicker",
             net->thickness * 1e3, check->profile.min_feature * 1e3);
    add_issue(check, "thickness", "part", net->thickness, check->profile.min_feature, msg);
  }
  if (measure_gaps(net, check)) return mnn_fail(err, "printability: out of memory for %d nodes", net->n_nodes);
  measure_size(net, check);
  int shown = check->n_issues < MNN_PRINT_MAX_ISSUES ? check->n_issues : MNN_PRINT_MAX_ISSUES;
  if (check->n_issues > 0 && strict)
    return mnn_fail(err, "printability (%s): %s%s", check->profile.name, check->issues[0].message,
                    check->n_issues > 1 ? " (and more: see the report)" : "");
  for (int i = 0; i < shown; ++i) mnn_warn("printability: %s", check->issues[i].message);
  if (check->n_issues > shown) mnn_warn("printability: %d more violations not listed", check->n_issues - shown);
  return 0;
}
