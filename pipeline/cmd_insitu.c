/* mnn insitu: one step of training with the printed part in the loop (the paper's
 * Fig. 1 method). From node positions tracked in the reference and forward states
 * it gives the measured outputs, the loss and the adjoint load to hang next (in N
 * and grams); with the adjoint state too, the measured gradient e_adj * e per bond
 * (mean and sd over repeats), compared with the bar model's and, given the mesh,
 * the FEM's (the evaluation `mnn calibrate --material` and `mnn run` use), and the
 * width update: one Adam step (the training library's adam.h) written as the
 * network to print next, with the optimiser state kept in a file. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <petscsys.h>
#include "atomic_file.h"
#include "bar_solver.h"
#include "cli.h"
#include "cli_petsc.h"
#include "insitu.h"
#include "log.h"
#include "measurement_eval.h"
#include "network_file.h"

#define G_ACCEL 9.8 /* m/s^2, as the paper converts forces to hanging weights */
#define MAX_REPEATS 32
#define MAX_IO 16

static void help(void) {
  printf("usage: mnn insitu NETWORK --load NODE:FX:FY ... --output-node NODE:x|y ... --target M ...\n"
         "                  --reference REF.csv --forward FWD.csv [--adjoint ADJ.csv] [options]\n"
         "\n"
         "One training step with the printed part in the loop. Positions files (CSV node,x,y\n"
         "in m, every node of the network, as marker tracking gives them) of the unloaded part\n"
         "(--reference), under the loads (--forward) and under the adjoint load (--adjoint);\n"
         "each option once per repeat of the experiment (the same count, or one reference).\n"
         "The loss is L = sum (u - target)^2 over the outputs; from the measured forward\n"
         "outputs it prints the adjoint load -dL/du to apply next (N, and grams at g = 9.8).\n"
         "With --adjoint: the measured gradient dL/dk = e_adj * e per bond (mean, sd over the\n"
         "repeats), compared with the bar model's and (--mesh) the FEM's for the same loads,\n"
         "and one Adam step on the widths, written as the network to print next (-o).\n"
         "\n"
         "options:\n"
         "  --load NODE:FX:FY     the forward load, N (repeatable)\n"
         "  --output-node NODE:x|y  an output displacement (repeatable)\n"
         "  --target M            the output's target, m (one per --output-node)\n"
         "  --reference FILE      positions of the unloaded part (repeatable: one per repeat)\n"
         "  --forward FILE        positions under the loads (repeatable)\n"
         "  --adjoint FILE        positions under the adjoint load (repeatable)\n"
         "  --adjoint-load NODE:FX:FY  the adjoint load actually applied (repeatable; default:\n"
         "                        the computed one, -dL/du at the mean measured outputs)\n"
         "  --linear              elongations as c . (u_b - u_a) on the reference direction (the\n"
         "                        linear models' definition) instead of the change of length\n"
         "  --mesh MESH           also the FEM's gradient on this mesh (from `mnn mesh NETWORK`)\n"
         "  --fem-material FILE   the FEM's material record (default: the network file's E, nu)\n"
         "  --order 1|2           FEM element order (default 2)\n"
         "  --lr LR               Adam learning rate (default 0.005; a state file keeps its own)\n"
         "  --state FILE          the optimiser state: read when it exists, written after the step\n"
         "  --table FILE.csv      per bond: elongations, measured gradient, sd, bar and FEM gradients\n"
         "  -o, --output FILE     the network to print next (the updated widths)\n"
         "  -q, --quiet           print nothing but errors\n"
         "  -h, --help            this help\n");
}

typedef struct {
  const char *network, *mesh, *material_path, *state, *table, *out;
  int order, linear, n_ref, n_fwd, n_adj, n_outputs, n_targets;
  const char *ref[MAX_REPEATS], *fwd[MAX_REPEATS], *adj[MAX_REPEATS];
  int out_node[MAX_IO], out_comp[MAX_IO];
  double target[MAX_IO], lr;
  int n_loads, n_adjoint_loads;
  mnn_load_spec loads[MAX_IO], adjoint_loads[MAX_IO];
  mnn_material material;
} insitu_args;

/* mean and sample standard deviation (0 for one value) of x[k * stride], k < n */
static void mean_sd(int n, const double *x, size_t stride, double *mean, double *sd) {
  double s = 0, s2 = 0;
  for (int k = 0; k < n; ++k) s += x[k * stride];
  *mean = s / n;
  for (int k = 0; k < n; ++k) s2 += (x[k * stride] - *mean) * (x[k * stride] - *mean);
  *sd = n > 1 ? sqrt(s2 / (n - 1)) : 0;
}

/* Positions of every repeat: P[r] = reference, forward, adjoint (2 per node each). */
static int read_states(const insitu_args *a, const mnn_network *net, int n_rep, double *P, mnn_error *err) {
  size_t n2 = 2 * (size_t)net->n_nodes;
  for (int r = 0; r < n_rep; ++r) {
    double *ref = P + 3 * n2 * r;
    if (mnn_positions_read(a->ref[a->n_ref > 1 ? r : 0], net, ref, err) ||
        mnn_positions_read(a->fwd[r], net, ref + n2, err) ||
        (a->n_adj && mnn_positions_read(a->adj[r], net, ref + 2 * n2, err)))
      return -1;
  }
  return 0;
}

static void print_load(const char *what, int node, double fx, double fy) {
  for (int c = 0; c < 2; ++c) {
    double f = c ? fy : fx;
    if (f == 0) continue;
    printf("%s: node %d F_%c = %+.6g N", what, node, "xy"[c], f);
    if (c == 1 && f < 0) printf(" (a %.3g g weight hanging from it)\n", -f / G_ACCEL * 1e3);
    else printf(" (%.3g g at g = 9.8 m/s^2, pulling %s)\n", fabs(f) / G_ACCEL * 1e3,
                c ? "up" : f > 0 ? "to +x" : "to -x");
  }
}

/* The table and the comparison lines. */
static int report(const insitu_args *a, const mnn_measurement *m, const mnn_measure_item *it, const double *e,
                  const double *e_adj, mnn_error *err) {
  const mnn_network *net = m->net;
  if (mnn_get_verbosity() >= MNN_NORMAL) {
    printf("measured gradient dL/dk = e_adj * e over %d bonds; cosine with the bar model %.6f", m->n_gradients,
           it->cos_bar);
    if (a->mesh) printf(", with the FEM %.6f", it->cos_fem);
    printf("\n");
    double worst_bar = 0, worst_fem = 0;
    int n_sd = 0;
    for (int b = 0; b < m->n_gradients; ++b) {
      const mnn_measured_value *v = &m->gradients[b];
      if (!(v->sd > 0)) continue;
      ++n_sd;
      worst_bar = fmax(worst_bar, fabs(mnn_difference_in_sd(it->bar_g[b], v->value, v->sd)));
      if (a->mesh) worst_fem = fmax(worst_fem, fabs(mnn_difference_in_sd(it->fem_g[b], v->value, v->sd)));
    }
    if (n_sd)
      printf("per bond, |model - measured| / sd (sd over the repeats): bar model at most %.3g%s%.3g\n", worst_bar,
             a->mesh ? ", FEM at most " : "", a->mesh ? worst_fem : NAN);
  }
  if (!a->table) return 0;
  mnn_atomic_file f;
  if (mnn_atomic_open(&f, a->table, err)) return -1;
  int bad = fprintf(f.fp, "bond,from,to,elongation_forward,elongation_adjoint,gradient_measured,gradient_sd,"
                          "gradient_bar,gradient_fem\n") < 0;
  for (int b = 0; b < net->n_bonds && !bad; ++b)
    bad = fprintf(f.fp, "%d,%d,%d,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g\n", net->bond_id[b], net->node_id[net->bond_a[b]],
                  net->node_id[net->bond_b[b]], e[b], e_adj[b], m->gradients[b].value, m->gradients[b].sd,
                  it->bar_g[b], a->mesh ? it->fem_g[b] : NAN) < 0;
  if (bad) {
    mnn_atomic_abort(&f);
    return mnn_fail(err, "%s: write failed: check the disk", a->table);
  }
  return mnn_atomic_commit(&f, err);
}

/* One Adam step on the widths from the measured gradient; the next network and state. */
static int update(const insitu_args *a, const mnn_network *net, const mnn_measurement *m, mnn_error *err) {
  int nb = net->n_bonds;
  double *g_k = malloc(sizeof(double) * 3 * (size_t)(nb + 1)), *g_w = g_k + nb + 1, *scratch = g_w + nb + 1;
  if (!g_k) return mnn_fail(err, "out of memory");
  for (int b = 0; b < nb; ++b) g_k[b] = m->gradients[b].value;
  mnn_bar_gradient_w(net, g_k, g_w);
  mnn_adam_settings set;
  mnn_adam_defaults(&set);
  if (a->lr > 0) set.lr = a->lr;
  mnn_adam *adam = mnn_adam_create(&set, nb, net->width, net->width_min, net->width_max, err);
  int rc = adam ? 0 : -1;
  FILE *probe = !rc && a->state ? fopen(a->state, "r") : NULL;
  if (probe) {
    fclose(probe);
    rc = mnn_adam_state_read(a->state, net, adam, err);
    if (!rc && a->lr > 0) adam->set.lr = a->lr;
  }
  mnn_network *next = rc ? NULL : mnn_network_copy(net);
  if (!rc && !next) rc = mnn_fail(err, "out of memory");
  if (!rc) {
    mnn_adam_step(adam, g_w, scratch);
    mnn_adam_widths(adam, next->width);
    double change = 0;
    for (int b = 0; b < nb; ++b) change = fmax(change, fabs(next->width[b] - net->width[b]));
    if (mnn_get_verbosity() >= MNN_NORMAL)
      printf("Adam step %ld (lr %g): largest width change %.4g mm\n", adam->t, adam->set.lr, 1e3 * change);
    rc = (a->out && mnn_network_write(next, a->out, err)) || (a->state && mnn_adam_state_write(a->state, net, adam, err));
    if (!rc && a->out) mnn_info("insitu: wrote the network to print next: %s", a->out);
  }
  mnn_network_free(next);
  mnn_adam_free(adam);
  free(g_k);
  return rc;
}

static int run(insitu_args *a, mnn_network *net, mnn_error *err) {
  int n_rep = a->n_fwd, nb = net->n_bonds, rc = 0;
  size_t n2 = 2 * (size_t)net->n_nodes;
  double *P = malloc(sizeof(double) * 3 * n2 * (size_t)n_rep);
  double *E = malloc(sizeof(double) * 2 * (size_t)nb * (size_t)n_rep + 1), *y = malloc(sizeof(double) * MAX_IO * n_rep);
  mnn_measurement *m = mnn_measurement_create(net, "insitu");
  if (!P || !E || !y || !m) rc = mnn_fail(err, "out of memory");
  if (!rc) rc = read_states(a, net, n_rep, P, err);
  /* the measured outputs, the loss and the adjoint load -dL/du */
  double loss = 0, y_mean[MAX_IO], y_sd[MAX_IO], dl[MAX_IO];
  for (int r = 0; r < n_rep && !rc; ++r)
    for (int k = 0; k < a->n_outputs; ++k) {
      int i = mnn_network_node_index(net, a->out_node[k]), c = a->out_comp[k];
      const double *ref = P + 3 * n2 * r;
      y[k * n_rep + r] = ref[n2 + 2 * i + c] - ref[2 * i + c];
    }
  for (int k = 0; k < a->n_outputs && !rc; ++k) {
    mean_sd(n_rep, y + k * n_rep, 1, &y_mean[k], &y_sd[k]);
    dl[k] = 2 * (y_mean[k] - a->target[k]);
    loss += (y_mean[k] - a->target[k]) * (y_mean[k] - a->target[k]);
    if (mnn_get_verbosity() >= MNN_NORMAL)
      printf("output node %d %c: measured %.6g mm (sd %.3g mm over %d), target %.6g mm\n", a->out_node[k],
             "xy"[a->out_comp[k]], 1e3 * y_mean[k], 1e3 * y_sd[k], n_rep, 1e3 * a->target[k]);
  }
  if (!rc && mnn_get_verbosity() >= MNN_NORMAL) {
    printf("loss L = sum (u - target)^2 = %.6g m^2\n", loss);
    for (int k = 0; k < a->n_outputs; ++k)
      print_load("adjoint load to apply", a->out_node[k], a->out_comp[k] ? 0 : -dl[k], a->out_comp[k] ? -dl[k] : 0);
  }
  for (int l = 0; l < a->n_loads && !rc; ++l)
    rc = mnn_measurement_add_load(m, 0, a->loads[l].node_id, a->loads[l].fx, a->loads[l].fy, err);
  for (int l = 0; l < a->n_adjoint_loads && !rc; ++l)
    rc = mnn_measurement_add_load(m, 1, a->adjoint_loads[l].node_id, a->adjoint_loads[l].fx, a->adjoint_loads[l].fy, err);
  for (int k = 0; k < a->n_outputs && !a->n_adjoint_loads && !rc; ++k)
    rc = mnn_measurement_add_load(m, 1, a->out_node[k], a->out_comp[k] ? 0 : -dl[k], a->out_comp[k] ? -dl[k] : 0, err);
  for (int k = 0; k < a->n_outputs && !rc; ++k)
    rc = mnn_measurement_add_value(m, 0, a->out_node[k], a->out_comp[k], y_mean[k], y_sd[k], n_rep, err);
  if (rc || !a->n_adj) goto done; /* without the adjoint state: the load to apply is the answer */
  /* the measured gradient, per repeat, then its mean and sd */
  for (int r = 0; r < n_rep; ++r) {
    const double *ref = P + 3 * n2 * r;
    double *e = E + 2 * (size_t)nb * r;
    mnn_elongations_from_positions(net, ref, ref + n2, a->linear, e);
    mnn_elongations_from_positions(net, ref, ref + 2 * n2, a->linear, e + nb);
  }
  double *gr = malloc(sizeof(double) * (size_t)nb * n_rep + 1), *e_mean = malloc(sizeof(double) * 2 * (size_t)nb + 1);
  if (!gr || !e_mean) rc = mnn_fail(err, "out of memory");
  for (int b = 0; b < nb && !rc; ++b) {
    double g, sd, sd_e;
    for (int r = 0; r < n_rep; ++r) gr[r] = E[2 * (size_t)nb * r + b] * E[2 * (size_t)nb * r + nb + b];
    mean_sd(n_rep, gr, 1, &g, &sd);
    mean_sd(n_rep, E + b, 2 * (size_t)nb, &e_mean[b], &sd_e);
    mean_sd(n_rep, E + nb + b, 2 * (size_t)nb, &e_mean[nb + b], &sd_e);
    rc = mnn_measurement_add_value(m, 1, net->bond_id[b], 0, g, sd, n_rep, err);
  }
  mnn_measure_item item = {.m = m, .mesh = a->mesh};
  mnn_measure_job job = {.n_items = 1, .items = &item, .order = a->order,
                         .material = a->material_path ? &a->material : NULL};
  if (!rc) rc = mnn_measure_run(&job, err); /* PETSc is running when a mesh was given */
  if (!rc) rc = report(a, m, &item, e_mean, e_mean + nb, err);
  if (!rc && (a->out || a->state)) rc = update(a, net, m, err);
  mnn_measure_item_clear(&item);
  free(gr);
  free(e_mean);
done:
  mnn_measurement_free(m);
  free(P);
  free(E);
  free(y);
  return rc;
}

/* "NODE:x" or "NODE:y" */
static int parse_output(const char *s, int *node, int *comp, mnn_error *err) {
  char c = 0, extra = 0;
  if (sscanf(s, "%d:%c%c", node, &c, &extra) != 2 || (c != 'x' && c != 'y') || *node <= 0)
    return mnn_fail(err, "--output-node '%s': write NODE:x or NODE:y, e.g. --output-node 14:y", s);
  *comp = c - 'x';
  return 0;
}

int mnn_cmd_insitu(int argc, char **argv) {
  static const struct option opts[] = {
      {"load", required_argument, 0, 'L'},      {"output-node", required_argument, 0, 'O'},
      {"target", required_argument, 0, 'T'},    {"reference", required_argument, 0, 'R'},
      {"forward", required_argument, 0, 'F'},   {"adjoint", required_argument, 0, 'A'},
      {"adjoint-load", required_argument, 0, 'J'}, {"linear", no_argument, 0, 'l'},
      {"mesh", required_argument, 0, 'M'},      {"fem-material", required_argument, 0, 'm'},
      {"order", required_argument, 0, 'p'},     {"lr", required_argument, 0, 'r'},
      {"state", required_argument, 0, 'S'},     {"table", required_argument, 0, 't'},
      {"output", required_argument, 0, 'o'},    {"quiet", no_argument, 0, 'q'},
      {"help", no_argument, 0, 'h'},            {0, 0, 0, 0}};
  static insitu_args a;
  memset(&a, 0, sizeof a);
  a.order = 2;
  mnn_error err;
  int our_argc = mnn_cli_petsc_split(argc, argv), c, bad = 0;
  optind = 1;
  while (!bad && (c = getopt_long(our_argc, argv, "o:qh", opts, NULL)) != -1) {
    int full = (c == 'R' && a.n_ref == MAX_REPEATS) || (c == 'F' && a.n_fwd == MAX_REPEATS) ||
               (c == 'A' && a.n_adj == MAX_REPEATS) || (c == 'L' && a.n_loads == MAX_IO) ||
               (c == 'J' && a.n_adjoint_loads == MAX_IO) || (c == 'O' && a.n_outputs == MAX_IO) ||
               (c == 'T' && a.n_targets == MAX_IO);
    if (full) {
      bad = 3, mnn_fail(&err, "insitu: too many of one option (at most %d repeats, %d loads or outputs)", MAX_REPEATS, MAX_IO);
      break;
    }
    switch (c) {
      case 'L': bad = mnn_cli_load(optarg, &a.loads[a.n_loads++], &err); break;
      case 'J': bad = mnn_cli_load(optarg, &a.adjoint_loads[a.n_adjoint_loads++], &err); break;
      case 'O': bad = parse_output(optarg, &a.out_node[a.n_outputs], &a.out_comp[a.n_outputs], &err), ++a.n_outputs; break;
      case 'T': bad = mnn_cli_double(optarg, "--target", &a.target[a.n_targets++], &err); break;
      case 'R': a.ref[a.n_ref++] = optarg; break;
      case 'F': a.fwd[a.n_fwd++] = optarg; break;
      case 'A': a.adj[a.n_adj++] = optarg; break;
      case 'l': a.linear = 1; break;
      case 'M': a.mesh = optarg; break;
      case 'm': a.material_path = optarg, bad = mnn_material_read(optarg, &a.material, &err) ? 1 : 0; break;
      case 'p':
        bad = mnn_cli_int(optarg, "--order", &a.order, &err);
        if (!bad && a.order != 1 && a.order != 2) bad = mnn_fail(&err, "--order %d: use 1 or 2", a.order);
        break;
      case 'r':
        bad = mnn_cli_double(optarg, "--lr", &a.lr, &err);
        if (!bad && !(a.lr > 0)) bad = mnn_fail(&err, "--lr %g: the learning rate must be positive", a.lr);
        break;
      case 'S': a.state = optarg; break;
      case 't': a.table = optarg; break;
      case 'o': a.out = optarg; break;
      case 'q': mnn_set_verbosity(MNN_QUIET); break;
      case 'h': help(); bad = 2; break;
      default: bad = mnn_cli_option_error("insitu", argv, opts, &err);
    }
  }
  if (bad < 0) bad = 3; /* a malformed option: a usage error */
  if (!bad && our_argc - optind != 1)
    bad = 3, mnn_fail(&err, "insitu: give one NETWORK, e.g. mnn insitu part.xml --load 13:0:-0.098 --output-node 14:y "
                         "--target -0.025 --reference r.csv --forward f.csv");
  if (!bad && (!a.n_loads || !a.n_outputs || a.n_targets != a.n_outputs))
    bad = 3, mnn_fail(&err, "insitu: give the forward --load, at least one --output-node and one --target per output");
  if (!bad && (!a.n_fwd || !a.n_ref || (a.n_ref != 1 && a.n_ref != a.n_fwd) || (a.n_adj && a.n_adj != a.n_fwd)))
    bad = 3, mnn_fail(&err, "insitu: give one --forward (and --adjoint) per repeat and one --reference, or one per repeat");
  if (!bad && (a.out || a.state || a.table || a.mesh) && !a.n_adj)
    bad = 3, mnn_fail(&err, "insitu: -o, --state, --table and --mesh need the adjoint state: add --adjoint positions");
  mnn_network *net = bad ? NULL : mnn_network_read(argv[optind], &err);
  if (!bad && !net) bad = 1;
  for (int k = 0; k < a.n_outputs && !bad; ++k)
    if (mnn_network_node_index(net, a.out_node[k]) < 0)
      bad = mnn_fail(&err, "--output-node %d: the network has no such node", a.out_node[k]);
  FILE *probe = !bad && a.state ? fopen(a.state, "r") : NULL;
  if (probe) { /* a state that does not belong to this network fails before any work */
    fclose(probe);
    mnn_adam_settings set;
    mnn_adam_defaults(&set);
    mnn_adam *adam = mnn_adam_create(&set, net->n_bonds, net->width, net->width_min, net->width_max, &err);
    bad = !adam || mnn_adam_state_read(a.state, net, adam, &err);
    mnn_adam_free(adam);
  }
  int rc = 0;
  if (bad == 2) rc = 0;
  else if (bad == 3) rc = mnn_cli_usage(&err);
  else if (bad) rc = mnn_cli_fail(&err);
  else if (a.mesh) {
    if (mnn_cli_petsc_start(argc, argv, our_argc, "mumps", "insitu", &err)) rc = mnn_cli_fail(&err);
    else {
      if (mnn_cli_petsc_stop(run(&a, net, &err), "insitu", &err)) rc = mnn_cli_fail(&err);
    }
  } else if (run(&a, net, &err)) {
    rc = mnn_cli_fail(&err);
  }
  mnn_network_free(net);
  return rc;
}
