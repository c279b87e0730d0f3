/* Tracked positions, elongations from them, and the Adam state file (insitu.h). */
#include "insitu.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "atomic_file.h"
#include "bar_solver.h"

/* Parses exactly n comma-separated numbers from line into v; 0 or -1. */
static int parse_row(const char *line, int n, double *v) {
  const char *p = line;
  for (int k = 0; k < n; ++k) {
    char *end;
    errno = 0;
    v[k] = strtod(p, &end);
    if (end == p || errno || !isfinite(v[k])) return -1;
    p = end;
    while (*p == ' ' || *p == '\t') ++p;
    if (k < n - 1) {
      if (*p != ',') return -1;
      ++p;
    }
  }
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') ++p;
  return *p ? -1 : 0;
}

int mnn_positions_read(const char *path, const mnn_network *net, double *xy, mnn_error *err) {
  FILE *fp = fopen(path, "r");
  if (!fp) return mnn_fail(err, "%s: cannot open (%s): check the path", path, strerror(errno));
  unsigned char *seen = calloc((size_t)net->n_nodes + 1, 1);
  char line[512];
  long ln = 0;
  int rc = seen ? 0 : mnn_fail(err, "out of memory"), n_seen = 0;
  if (!rc && (!fgets(line, sizeof line, fp) || strncmp(line, "node,x,y", 8)))
    rc = mnn_fail(err, "%s:1: the first line must be the header node,x,y", path);
  ln = 1;
  while (!rc && fgets(line, sizeof line, fp)) {
    ++ln;
    if (strspn(line, " \t\r\n") == strlen(line)) continue;
    double v[3];
    if (parse_row(line, 3, v) || v[0] != floor(v[0])) {
      rc = mnn_fail(err, "%s:%ld: write node,x,y: a node id and two finite positions in m", path, ln);
      break;
    }
    int i = mnn_network_node_index(net, (int)v[0]);
    if (i < 0) rc = mnn_fail(err, "%s:%ld: node %d is not in the network: track the network's nodes", path, ln, (int)v[0]);
    else if (seen[i]) rc = mnn_fail(err, "%s:%ld: node %d is given twice: keep one row per node", path, ln, (int)v[0]);
    else seen[i] = 1, ++n_seen, xy[2 * i] = v[1], xy[2 * i + 1] = v[2];
  }
  for (int i = 0; i < net->n_nodes && !rc; ++i)
    if (!seen[i]) rc = mnn_fail(err, "%s: node %d has no position: every node must be tracked", path, net->node_id[i]);
  free(seen);
  fclose(fp);
  return rc;
}

void mnn_elongations_from_positions(const mnn_network *net, const double *ref, const double *cur, int linear, double *e) {
  if (linear) {
    double *u = malloc(sizeof(double) * 2 * (size_t)net->n_nodes + 1);
    if (!u) { /* fall back to the exact change of length, which needs no memory */
      mnn_elongations_from_positions(net, ref, cur, 0, e);
      return;
    }
    for (int k = 0; k < 2 * net->n_nodes; ++k) u[k] = cur[k] - ref[k];
    mnn_bar_elongations(net, 1, u, e);
    free(u);
    return;
  }
  for (int b = 0; b < net->n_bonds; ++b) {
    int a = net->bond_a[b], c = net->bond_b[b];
    double L0 = hypot(ref[2 * c] - ref[2 * a], ref[2 * c + 1] - ref[2 * a + 1]);
    double L1 = hypot(cur[2 * c] - cur[2 * a], cur[2 * c + 1] - cur[2 * a + 1]);
    e[b] = L1 - L0;
  }
}

#define STATE_HEADER "step,beta1_power,beta2_power,lr,beta1,beta2,eps,bound,steepness"

int mnn_adam_state_write(const char *path, const mnn_network *net, const mnn_adam *a, mnn_error *err) {
  mnn_atomic_file f;
  if (mnn_atomic_open(&f, path, err)) return -1;
  int bad = fprintf(f.fp, "%s\n%ld,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%d,%.17g\nbond,theta,m,v\n", STATE_HEADER, a->t,
                    a->beta1_t, a->beta2_t, a->set.lr, a->set.beta1, a->set.beta2, a->set.eps, (int)a->set.bound,
                    a->set.steepness) < 0;
  for (int b = 0; b < a->n && !bad; ++b)
    bad = fprintf(f.fp, "%d,%.17g,%.17g,%.17g\n", net->bond_id[b], a->theta[b], a->m[b], a->v[b]) < 0;
  if (bad) {
    mnn_atomic_abort(&f);
    return mnn_fail(err, "%s: write failed: check the disk", path);
  }
  return mnn_atomic_commit(&f, err);
}

int mnn_adam_state_read(const char *path, const mnn_network *net, mnn_adam *a, mnn_error *err) {
  FILE *fp = fopen(path, "r");
  if (!fp) return mnn_fail(err, "%s: cannot open (%s): check the path", path, strerror(errno));
  char line[1024];
  double h[9], row[4];
  int rc = 0, nb = 0;
  if (!fgets(line, sizeof line, fp) || strncmp(line, STATE_HEADER, strlen(STATE_HEADER)) ||
      !fgets(line, sizeof line, fp) || parse_row(line, 9, h) || h[0] < 0 || !fgets(line, sizeof line, fp) ||
      strncmp(line, "bond,theta,m,v", 14))
    rc = mnn_fail(err, "%s:1-3: not an mnn insitu optimiser state (header %s): give the file a previous run wrote",
                  path, STATE_HEADER);
  if (!rc) {
    a->t = (long)h[0], a->beta1_t = h[1], a->beta2_t = h[2];
    a->set.lr = h[3], a->set.beta1 = h[4], a->set.beta2 = h[5], a->set.eps = h[6];
    a->set.bound = (int)h[7] == MNN_BOUND_PROJECT ? MNN_BOUND_PROJECT : MNN_BOUND_SIGMOID;
    a->set.steepness = h[8];
  }
  for (long ln = 4; !rc && fgets(line, sizeof line, fp); ++ln) {
    if (strspn(line, " \t\r\n") == strlen(line)) continue;
    if (parse_row(line, 4, row)) rc = mnn_fail(err, "%s:%ld: write bond,theta,m,v", path, ln);
    else if (nb >= a->n || (int)row[0] != net->bond_id[nb])
      rc = mnn_fail(err, "%s:%ld: bond %d is not the network's bond %d: the state belongs to another network", path, ln,
                    (int)row[0], nb < a->n ? net->bond_id[nb] : -1);
    else a->theta[nb] = row[1], a->m[nb] = row[2], a->v[nb] = row[3], ++nb;
  }
  fclose(fp);
  if (!rc && nb != a->n)
    rc = mnn_fail(err, "%s: %d bonds, the network has %d: the state belongs to another network", path, nb, a->n);
  if (rc) return -1;
  double *w = malloc(sizeof(double) * (size_t)(a->n + 1));
  if (!w) return mnn_fail(err, "out of memory");
  mnn_adam_widths(a, w);
  for (int b = 0; b < a->n && !rc; ++b)
    if (fabs(w[b] - net->width[b]) > 1e-9 * net->width[b])
      rc = mnn_fail(err, "%s: bond %d: the state's width %.9g m is not the network's %.9g m: measure the part the "
                         "last update wrote (its network file), or start without the state",
                    path, net->bond_id[b], w[b], net->width[b]);
  free(w);
  return rc;
}
