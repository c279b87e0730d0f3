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

/* The bodies of the solid: bonds 0..n_bonds-1 (segments of half-width w/2), then
 * nodes (discs: a point of radius r). gap = distance of the cores - both halves. */
typedef struct {
  int n_bonds, n;
  double *seg;  /* 4 per body: x0 y0 x1 y1 (a node's two ends coincide) */
  double *half; /* half-width or radius */
} bodies;

static int bodies_build(const mnn_network *n, bodies *b) {
  b->n_bonds = n->n_bonds;
  b->n = n->n_bonds + n->n_nodes;
  b->seg = malloc(4 * sizeof(double) * (size_t)(b->n > 0 ? b->n : 1));
  b->half = malloc(sizeof(double) * (size_t)(b->n > 0 ? b->n : 1));
  if (!b->seg || !b->half) return -1;
  for (int a = 0; a < n->n_bonds; ++a) {
    double *s = b->seg + 4 * a;
    s[0] = n->x[n->bond_a[a]], s[1] = n->y[n->bond_a[a]], s[2] = n->x[n->bond_b[a]], s[3] = n->y[n->bond_b[a]];
    b->half[a] = 0.5 * n->width[a];
  }
  for (int i = 0; i < n->n_nodes; ++i) {
    double *s = b->seg + 4 * (n->n_bonds + i);
    s[0] = s[2] = n->x[i], s[1] = s[3] = n->y[i];
    b->half[n->n_bonds + i] = n->joint.node_radius;
  }
  return 0;
}

static void bodies_free(bodies *b) { free(b->seg), free(b->half); }

/* Measures the pair (p, q), p < q in body order, unless the two meet by design
 * (bonds with a common node, a node and its bond, two nodes joined by a bond). */
static void measure_pair(const mnn_network *n, const bodies *b, const adjacency *adj, int p, int q, mnn_print_check *c) {
  double min_gap = c->profile.min_gap, gap;
  char between[64];
  if (q < b->n_bonds) { /* two bonds */
    if (bonds_share_node(n, p, q)) return;
    gap = segment_distance(b->seg + 4 * p, b->seg + 4 * q) - b->half[p] - b->half[q];
    if (!worth_noting(c, gap, min_gap)) return;
    snprintf(between, sizeof between, "bonds %d and %d", n->bond_id[p], n->bond_id[q]);
  } else if (p < b->n_bonds) { /* a bond and a node */
    int i = q - b->n_bonds;
    if (i == n->bond_a[p] || i == n->bond_b[p]) return;
    const double *s = b->seg + 4 * p;
    gap = point_segment_distance(n->x[i], n->y[i], s[0], s[1], s[2], s[3]) - b->half[q] - b->half[p];
    if (!worth_noting(c, gap, min_gap)) return;
    snprintf(between, sizeof between, "node %d and bond %d", n->node_id[i], n->bond_id[p]);
  } else { /* two nodes */
    int i = p - b->n_bonds, j = q - b->n_bonds;
    if (nodes_joined(adj, i, j)) return;
    gap = hypot(n->x[i] - n->x[j], n->y[i] - n->y[j]) - b->half[p] - b->half[q];
    if (!worth_noting(c, gap, min_gap)) return;
    snprintf(between, sizeof between, "nodes %d and %d", n->node_id[i], n->node_id[j]);
  }
  note_gap(c, gap, between, min_gap);
}

int mnn_print_measure_gaps_all_pairs(const mnn_network *n, mnn_print_check *c) {
  bodies b = {0};
  adjacency adj = {0};
  int ok = bodies_build(n, &b) == 0 && adjacency_build(n, &adj) == 0;
  for (int p = 0; p < b.n && ok; ++p)
    for (int q = p + 1; q < b.n; ++q) measure_pair(n, &b, &adj, p, q, c);
  bodies_free(&b);
  free(adj.start), free(adj.list);
  return ok ? 0 : -1;
}

/* A uniform grid over the bodies' cores: cell k holds (CSR) every body whose core's
 * bounding box overlaps it. */
typedef struct {
  double x0, y0, h;
  int nx, ny;
  int *start, *list;
} grid;

/* The cells [*a, *z] (clamped to the grid) that the interval [lo, hi] covers along
 * one axis. Clamping keeps overlaps: bodies beyond the grid share its edge cells. */
static void cell_range(const grid *g, double lo, double hi, double origin, int n, int *a, int *z) {
  double fa = floor((lo - origin) / g->h), fz = floor((hi - origin) / g->h);
  *a = fa < 0 ? 0 : fa > n - 1 ? n - 1 : (int)fa;
  *z = fz < 0 ? 0 : fz > n - 1 ? n - 1 : (int)fz;
}

/* The bounding box of a body's core (segment or point), grown by pad. */
static void box_of(const double *s, double pad, double box[4]) {
  box[0] = fmin(s[0], s[2]) - pad, box[1] = fmin(s[1], s[3]) - pad;
  box[2] = fmax(s[0], s[2]) + pad, box[3] = fmax(s[1], s[3]) + pad;
}

/* Builds the grid with cells of about h (coarser when that would make more than
 * about 4 cells per body). Returns -1 when out of memory. */
static int grid_build(const bodies *b, double h, grid *g) {
  double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
  for (int p = 0; p < b->n; ++p) {
    double box[4];
    box_of(b->seg + 4 * p, 0, box);
    lo[0] = fmin(lo[0], box[0]), lo[1] = fmin(lo[1], box[1]), hi[0] = fmax(hi[0], box[2]), hi[1] = fmax(hi[1], box[3]);
  }
  /* at most about 4 cells per body: a finer grid only costs memory */
  double area = (hi[0] - lo[0]) * (hi[1] - lo[1]);
  if (area > 0 && h * h < area / (4.0 * b->n)) h = sqrt(area / (4.0 * b->n));
  if (!(h > 0)) h = 1;
  g->x0 = lo[0], g->y0 = lo[1], g->h = h;
  g->nx = (int)fmin(floor((hi[0] - lo[0]) / h) + 1, 1 << 15);
  g->ny = (int)fmin(floor((hi[1] - lo[1]) / h) + 1, 1 << 15);
  size_t cells = (size_t)g->nx * g->ny;
  g->start = calloc(cells + 1, sizeof(int));
  if (!g->start) return -1;
  for (int pass = 0; pass < 2; ++pass) { /* count, then fill */
    for (int p = 0; p < b->n; ++p) {
      double box[4];
      int ia, iz, ja, jz;
      box_of(b->seg + 4 * p, 0, box);
      cell_range(g, box[0], box[2], g->x0, g->nx, &ia, &iz);
      cell_range(g, box[1], box[3], g->y0, g->ny, &ja, &jz);
      for (int j = ja; j <= jz; ++j)
        for (int i = ia; i <= iz; ++i) {
          size_t k = (size_t)j * g->nx + i;
          if (pass == 0) ++g->start[k + 1];
          else g->list[g->start[k]++] = p;
        }
    }
    if (pass == 0) {
      for (size_t k = 0; k < cells; ++k) g->start[k + 1] += g->start[k];
      g->list = malloc(sizeof(int) * (size_t)(g->start[cells] > 0 ? g->start[cells] : 1));
      if (!g->list) return -1;
    } else {
      for (size_t k = cells; k > 0; --k) g->start[k] = g->start[k - 1]; /* the fill advanced every start */
      g->start[0] = 0;
    }
  }
  return 0;
}

static int compare_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* Every pair whose gap can be at most reach, measured in the all-pairs order (so
 * the issues come out as the all-pairs loop would list them). Pairs not
 * measured have a gap above reach. */
static int measure_within(const mnn_network *n, const bodies *b, const adjacency *adj, double reach,
                          mnn_print_check *c) {
  double hmax = 0;
  for (int p = 0; p < b->n; ++p) hmax = fmax(hmax, b->half[p]);
  grid g = {0};
  int *stamp = malloc(sizeof(int) * (size_t)(b->n > 0 ? b->n : 1)), *cand = NULL, n_cand = 0, cap = 0, rc = -1;
  if (!stamp || grid_build(b, reach + 2 * hmax, &g)) goto done;
  for (int p = 0; p < b->n; ++p) stamp[p] = -1;
  for (int p = 0; p < b->n; ++p) {
    /* a partner q within reach has its core within reach + half[p] + half[q] of p's core */
    double box[4];
    int ia, iz, ja, jz;
    box_of(b->seg + 4 * p, reach + b->half[p] + hmax, box);
    cell_range(&g, box[0], box[2], g.x0, g.nx, &ia, &iz);
    cell_range(&g, box[1], box[3], g.y0, g.ny, &ja, &jz);
    n_cand = 0;
    for (int j = ja; j <= jz; ++j)
      for (int i = ia; i <= iz; ++i) {
        size_t k = (size_t)j * g.nx + i;
        for (int e = g.start[k]; e < g.start[k + 1]; ++e) {
          int q = g.list[e];
          if (q <= p || stamp[q] == p) continue;
          stamp[q] = p;
          if (n_cand == cap) {
            int *grown = realloc(cand, sizeof(int) * (size_t)(cap = cap ? 2 * cap : 64));
            if (!grown) goto done;
            cand = grown;
          }
          cand[n_cand++] = q;
        }
      }
    qsort(cand, (size_t)n_cand, sizeof(int), compare_int);
    for (int e = 0; e < n_cand; ++e) measure_pair(n, b, adj, p, cand[e], c);
  }
  rc = 0;
done:
  free(stamp), free(cand), free(g.start), free(g.list);
  return rc;
}

/* The gaps through a spatial grid: O(n) for a network of evenly spread bodies
 * instead of O(n^2) (42.7k bonds took over 100 s). Exact: pairs within reach are
 * all measured; when the smallest gap found is above reach (sparse networks) the
 * reach doubles until it covers the whole network. */
static int measure_gaps(const mnn_network *n, mnn_print_check *c) {
  bodies b = {0};
  adjacency adj = {0};
  int rc = -1;
  if (bodies_build(n, &b) || adjacency_build(n, &adj)) goto done;
  double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY}, length = 0;
  for (int i = 0; i < n->n_nodes; ++i)
    lo[0] = fmin(lo[0], n->x[i]), lo[1] = fmin(lo[1], n->y[i]), hi[0] = fmax(hi[0], n->x[i]), hi[1] = fmax(hi[1], n->y[i]);
  for (int a = 0; a < n->n_bonds; ++a) length += hypot(b.seg[4 * a + 2] - b.seg[4 * a], b.seg[4 * a + 3] - b.seg[4 * a + 1]);
  double span = hypot(hi[0] - lo[0], hi[1] - lo[1]);
  /* start at the mean bond length: in a lattice the nearest bodies that do not
   * meet are a bond length apart */
  double reach = fmax(c->profile.min_gap, n->n_bonds > 0 ? length / n->n_bonds : 0);
  for (;;) {
    double smallest = c->smallest_gap;
    if (measure_within(n, &b, &adj, reach, c)) goto done;
    if (c->smallest_gap <= reach || reach >= span) break;
    c->smallest_gap = smallest; /* no issue was added: every issue is within min_gap <= reach */
    c->smallest_gap_between[0] = '\0';
    reach *= 4;
  }
  rc = 0;
done:
  bodies_free(&b);
  free(adj.start), free(adj.list);
  return rc;
}

static void measure_size(const mnn_network *n, mnn_print_check *c) {
  double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
  for (int i = 0; i < n->n_nodes; ++i) {
    lo[0] = fmin(lo[0], n->x[i] - n->joint.node_radius), hi[0] = fmax(hi[0], n->x[i] + n->joint.node_radius);
    lo[1] = fmin(lo[1], n->y[i] - n->joint.node_radius), hi[1] = fmax(hi[1], n->y[i] + n->joint.node_radius);
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
