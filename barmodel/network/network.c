/* The network type: allocation, lookups, bond geometry and stiffness, checks. */
#include "network.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

mnn_network *mnn_network_create(int n_nodes, int n_bonds) {
  mnn_network *net = calloc(1, sizeof *net);
  if (!net) return NULL;
  net->n_nodes = n_nodes;
  net->n_bonds = n_bonds;
  size_t nn = n_nodes > 0 ? (size_t)n_nodes : 1, nb = n_bonds > 0 ? (size_t)n_bonds : 1;
  net->node_id = calloc(nn, sizeof(int));
  net->x = calloc(nn, sizeof(double));
  net->y = calloc(nn, sizeof(double));
  net->fixed = calloc(nn, 1);
  net->bond_id = calloc(nb, sizeof(int));
  net->bond_a = calloc(nb, sizeof(int));
  net->bond_b = calloc(nb, sizeof(int));
  net->width = calloc(nb, sizeof(double));
  if (!net->node_id || !net->x || !net->y || !net->fixed || !net->bond_id || !net->bond_a || !net->bond_b ||
      !net->width) {
    mnn_network_free(net);
    return NULL;
  }
  net->thickness = MNN_DEFAULT_THICKNESS;
  net->youngs_modulus = MNN_DEFAULT_YOUNGS;
  net->poisson_ratio = MNN_DEFAULT_POISSON;
  net->width_min = MNN_DEFAULT_WIDTH_MIN;
  net->width_max = MNN_DEFAULT_WIDTH_MAX;
  net->joint.node_radius = MNN_DEFAULT_NODE_RADIUS;
  net->joint.neck_length = MNN_DEFAULT_NECK_LENGTH;
  net->calibration.factor = 1.0;
  return net;
}

void mnn_network_free(mnn_network *net) {
  if (!net) return;
  free(net->node_id);
  free(net->x);
  free(net->y);
  free(net->fixed);
  free(net->bond_id);
  free(net->bond_a);
  free(net->bond_b);
  free(net->width);
  free(net);
}

mnn_network *mnn_network_copy(const mnn_network *src) {
  mnn_network *net = mnn_network_create(src->n_nodes, src->n_bonds);
  if (!net) return NULL;
  int *ni = net->node_id, *bi = net->bond_id, *ba = net->bond_a, *bb = net->bond_b;
  double *x = net->x, *y = net->y, *w = net->width;
  unsigned char *f = net->fixed;
  *net = *src;
  net->node_id = ni; net->bond_id = bi; net->bond_a = ba; net->bond_b = bb;
  net->x = x; net->y = y; net->width = w; net->fixed = f;
  size_t nn = (size_t)src->n_nodes, nb = (size_t)src->n_bonds;
  memcpy(ni, src->node_id, nn * sizeof(int));
  memcpy(x, src->x, nn * sizeof(double));
  memcpy(y, src->y, nn * sizeof(double));
  memcpy(f, src->fixed, nn);
  memcpy(bi, src->bond_id, nb * sizeof(int));
  memcpy(ba, src->bond_a, nb * sizeof(int));
  memcpy(bb, src->bond_b, nb * sizeof(int));
  memcpy(w, src->width, nb * sizeof(double));
  return net;
}

int mnn_network_node_index(const mnn_network *net, int node_id) {
  for (int i = 0; i < net->n_nodes; ++i)
    if (net->node_id[i] == node_id) return i;
  return -1;
}

int mnn_network_bond_index(const mnn_network *net, int bond_id) {
  for (int i = 0; i < net->n_bonds; ++i)
    if (net->bond_id[i] == bond_id) return i;
  return -1;
}

static int cmp_pair_id(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

int mnn_id_index_build(const int *ids, int n, mnn_id_index *map) {
  map->n = n;
  map->pairs = malloc((size_t)(n > 0 ? n : 1) * 2 * sizeof(int));
  if (!map->pairs) return -1;
  for (int i = 0; i < n; ++i) {
    map->pairs[2 * i] = ids[i];
    map->pairs[2 * i + 1] = i;
  }
  qsort(map->pairs, (size_t)n, 2 * sizeof(int), cmp_pair_id);
  return 0;
}

int mnn_id_index_find(const mnn_id_index *map, int id) {
  int lo = 0, hi = map->n - 1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2, v = map->pairs[2 * mid];
    if (v == id) return map->pairs[2 * mid + 1];
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

void mnn_id_index_free(mnn_id_index *map) {
  free(map->pairs);
  map->pairs = NULL;
  map->n = 0;
}

int mnn_network_n_fixed_dofs(const mnn_network *net) {
  int n = 0;
  for (int i = 0; i < net->n_nodes; ++i) n += (net->fixed[i] & MNN_FIX_X ? 1 : 0) + (net->fixed[i] & MNN_FIX_Y ? 1 : 0);
  return n;
}

double mnn_bond_length(const mnn_network *net, int b) {
  int a = net->bond_a[b], c = net->bond_b[b];
  return hypot(net->x[c] - net->x[a], net->y[c] - net->y[a]);
}

void mnn_bond_direction(const mnn_network *net, int b, double *cx, double *cy) {
  int a = net->bond_a[b], c = net->bond_b[b];
  double dx = net->x[c] - net->x[a], dy = net->y[c] - net->y[a], L = hypot(dx, dy);
  *cx = dx / L;
  *cy = dy / L;
}

int mnn_network_length_class(const mnn_network *net, double L) {
  const mnn_bar_calibration *cal = &net->calibration;
  for (int c = 0; c < cal->n_classes; ++c)
    if (fabs(L - cal->class_length[c]) <= MNN_LENGTH_CLASS_TOL * cal->class_length[c]) return c;
  return -1;
}

double mnn_bond_stiffness_factor(const mnn_network *net, int b) {
  const mnn_bar_calibration *cal = &net->calibration;
  if (cal->n_classes == 0) return cal->factor;
  int c = mnn_network_length_class(net, mnn_bond_length(net, b));
  return c >= 0 ? cal->class_factor[c] : cal->factor;
}

/* k = f / (a/w + 2 c) with a = L / (E t): dk/dw = f a / (w^2 (a/w + 2c)^2) */
double mnn_bond_stiffness(const mnn_network *net, int b) {
  double a = mnn_bond_length(net, b) / (net->youngs_modulus * net->thickness);
  return mnn_bond_stiffness_factor(net, b) / (a / net->width[b] + 2 * net->calibration.joint_compliance);
}

double mnn_bond_dstiffness_dwidth(const mnn_network *net, int b) {
  double a = mnn_bond_length(net, b) / (net->youngs_modulus * net->thickness), w = net->width[b];
  double s = a / w + 2 * net->calibration.joint_compliance;
  return mnn_bond_stiffness_factor(net, b) * a / (w * w * s * s);
}

void mnn_network_stiffnesses(const mnn_network *net, double *k) {
  for (int b = 0; b < net->n_bonds; ++b) k[b] = mnn_bond_stiffness(net, b);
}

int mnn_network_remove_bonds(mnn_network *net, const unsigned char *remove, mnn_error *err) {
  int m = 0;
  for (int b = 0; b < net->n_bonds; ++b) {
    if (remove[b]) continue;
    net->bond_id[m] = net->bond_id[b];
    net->bond_a[m] = net->bond_a[b];
    net->bond_b[m] = net->bond_b[b];
    net->width[m] = net->width[b];
    ++m;
  }
  net->n_bonds = m;
  return 0;
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* Returns the index of the first offending entry (a non-positive id, or the
 * second occurrence of a repeated id) or -1; fills err when one is found. */
static int check_unique_ids(const int *ids, int n, const char *what, mnn_error *err) {
  if (n <= 0) return -1;
  int *s = malloc((size_t)n * 2 * sizeof(int));
  if (!s) return mnn_fail(err, "out of memory"), 0;
  for (int i = 0; i < n; ++i) {
    s[2 * i] = ids[i];
    s[2 * i + 1] = i;
  }
  qsort(s, (size_t)n, 2 * sizeof(int), cmp_int); /* ties keep no order: pick the later index below */
  int bad = -1;
  if (s[0] <= 0) {
    bad = s[1];
    mnn_fail(err, "%s id %d: ids must be positive integers (they start at 1)", what, s[0]);
  }
  for (int i = 1; i < n && bad < 0; ++i)
    if (s[2 * i] == s[2 * i - 2]) {
      bad = s[2 * i + 1] > s[2 * i - 1] ? s[2 * i + 1] : s[2 * i - 1];
      mnn_fail(err, "%s id %d appears twice: give every %s its own id", what, s[2 * i], what);
    }
  free(s);
  return bad;
}

/* The calibration's values are usable: a positive factor, a finite joint compliance
 * >= 0, at most MNN_MAX_LENGTH_CLASSES classes of positive, distinct lengths with
 * positive finite factors. Returns 0, or -1 with err naming the value. */
static int check_calibration(const mnn_bar_calibration *cal, mnn_error *err) {
  if (!(cal->factor > 0)) return mnn_fail(err, "stiffness factor %g: must be positive", cal->factor);
  if (!(cal->joint_compliance >= 0) || !isfinite(cal->joint_compliance))
    return mnn_fail(err, "joint compliance %g m/N: must be a number >= 0", cal->joint_compliance);
  if (cal->n_classes < 0 || cal->n_classes > MNN_MAX_LENGTH_CLASSES)
    return mnn_fail(err, "%d length classes: at most %d are supported", cal->n_classes, MNN_MAX_LENGTH_CLASSES);
  for (int c = 0; c < cal->n_classes; ++c) {
    if (!(cal->class_length[c] > 0) || !(cal->class_factor[c] > 0) || !isfinite(cal->class_factor[c]))
      return mnn_fail(err, "length class %g m: its length and stiffness factor %g must be positive", cal->class_length[c],
                      cal->class_factor[c]);
    for (int d = 0; d < c; ++d)
      if (fabs(cal->class_length[c] - cal->class_length[d]) <= MNN_LENGTH_CLASS_TOL * cal->class_length[d])
        return mnn_fail(err, "length classes %g m and %g m are the same length: keep one", cal->class_length[d],
                        cal->class_length[c]);
  }
  return 0;
}

/* Node radius and neck length are not negative (meshing asks for a positive
 * radius itself). Returns 0, or -1 with err naming the value. */
static int check_joint(const mnn_joint_geometry *joint, mnn_error *err) {
  if (!(joint->node_radius >= 0)) return mnn_fail(err, "node radius %g m: must not be negative", joint->node_radius);
  if (!(joint->neck_length >= 0)) return mnn_fail(err, "neck length %g m: must not be negative", joint->neck_length);
  return 0;
}

typedef struct { int lo, hi, bond; } pair_key;

static int cmp_pair(const void *a, const void *b) {
  const pair_key *p = a, *q = b;
  if (p->lo != q->lo) return (p->lo > q->lo) - (p->lo < q->lo);
  return (p->hi > q->hi) - (p->hi < q->hi);
}

int mnn_network_check(const mnn_network *net, mnn_error *err) {
  mnn_check_culprit where;
  return mnn_network_check_detail(net, &where, err);
}

int mnn_network_check_detail(const mnn_network *net, mnn_check_culprit *where, mnn_error *err) {
  where->node = where->bond = -1;
  if (net->n_nodes < 2) return mnn_fail(err, "the network has %d node(s): it needs at least 2", net->n_nodes);
  if (!(net->thickness > 0)) return mnn_fail(err, "thickness %g m: must be positive", net->thickness);
  if (!(net->youngs_modulus > 0)) return mnn_fail(err, "Young's modulus %g Pa: must be positive", net->youngs_modulus);
  if (!(net->poisson_ratio >= 0 && net->poisson_ratio < 0.5))
    return mnn_fail(err, "Poisson's ratio %g: must be in [0, 0.5)", net->poisson_ratio);
  if (!(net->width_min > 0 && net->width_min <= net->width_max))
    return mnn_fail(err, "width bounds [%g, %g] m: need 0 < width-min <= width-max", net->width_min, net->width_max);
  if (check_calibration(&net->calibration, err) < 0 || check_joint(&net->joint, err) < 0) return -1;
  if ((where->node = check_unique_ids(net->node_id, net->n_nodes, "node", err)) >= 0) return -1;
  if ((where->bond = check_unique_ids(net->bond_id, net->n_bonds, "bond", err)) >= 0) return -1;
  for (int i = 0; i < net->n_nodes; ++i)
    if (!isfinite(net->x[i]) || !isfinite(net->y[i]))
      return where->node = i, mnn_fail(err, "node %d: position is not a finite number", net->node_id[i]);
  for (int b = 0; b < net->n_bonds; ++b) {
    int a = net->bond_a[b], c = net->bond_b[b];
    where->bond = b;
    if (a < 0 || a >= net->n_nodes || c < 0 || c >= net->n_nodes)
      return mnn_fail(err, "bond %d: joins a node that does not exist", net->bond_id[b]);
    if (a == c) return mnn_fail(err, "bond %d joins node %d to itself: give it two different nodes", net->bond_id[b], net->node_id[a]);
    if (!(mnn_bond_length(net, b) > 0))
      return mnn_fail(err, "bond %d has zero length: nodes %d and %d are at the same place", net->bond_id[b],
                      net->node_id[a], net->node_id[c]);
    if (!(net->width[b] > 0) || !isfinite(net->width[b]))
      return mnn_fail(err, "bond %d: width %g m must be positive", net->bond_id[b], net->width[b]);
  }
  where->bond = -1;
  if (net->n_bonds > 0) {
    pair_key *keys = malloc((size_t)net->n_bonds * sizeof *keys);
    if (!keys) return mnn_fail(err, "out of memory");
    for (int b = 0; b < net->n_bonds; ++b) {
      int a = net->bond_a[b], c = net->bond_b[b];
      keys[b] = (pair_key){a < c ? a : c, a < c ? c : a, b};
    }
    qsort(keys, (size_t)net->n_bonds, sizeof *keys, cmp_pair);
    int rc = 0;
    for (int i = 1; i < net->n_bonds && !rc; ++i)
      if (keys[i].lo == keys[i - 1].lo && keys[i].hi == keys[i - 1].hi)
        where->bond = keys[i].bond > keys[i - 1].bond ? keys[i].bond : keys[i - 1].bond,
        rc = mnn_fail(err, "bonds %d and %d both join nodes %d and %d: remove the duplicate",
                      net->bond_id[keys[i - 1].bond], net->bond_id[keys[i].bond], net->node_id[keys[i].lo],
                      net->node_id[keys[i].hi]);
    free(keys);
    if (rc) return rc;
  }
  return 0;
}
