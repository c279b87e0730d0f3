/* Benchmark: one exact gradient of the bar model (factorisation + forward solve
 * + adjoint solve + elongations) on triangular-lattice patches from the paper's
 * size to > 10^5 bonds, against the same gradient by forward finite differences
 * (one factorisation and solve per bond). FD is timed in full while it takes
 * under FD_BUDGET seconds and extrapolated from FD_SAMPLE bonds above that (the
 * table says which). Loss: sum of squared u_y of the bottom row minus a target. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bar_solver.h"
#include "network.h"
#include "log.h"

#define FD_BUDGET 3.0 /* s */
#define FD_SAMPLE 20

/* CPU time of this process: the machine is shared, and the CPU time of one
 * single-threaded process is what "one core" means; wall time is printed too. */
static double cpu_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

typedef struct {
  mnn_network *net;
  mnn_bar_solver *s;
  double *k, *F, *U, *Ua, *rhs, *E, *Ea, *g;
  int n_out, *out_dof;
} problem;

static double loss(problem *p, const double *k) {
  mnn_error err;
  if (mnn_bar_solver_factor(p->s, k, &err) || mnn_bar_solver_solve(p->s, 1, p->F, p->U, &err)) {
    fprintf(stderr, "bench: %s\n", err.message);
    exit(1);
  }
  double L = 0;
  for (int o = 0; o < p->n_out; ++o) L += (p->U[p->out_dof[o]] + 1e-3) * (p->U[p->out_dof[o]] + 1e-3);
  return L;
}

static void gradient(problem *p) {
  mnn_error err;
  loss(p, p->k);
  memset(p->rhs, 0, 2 * (size_t)p->net->n_nodes * sizeof(double));
  for (int o = 0; o < p->n_out; ++o) p->rhs[p->out_dof[o]] = -2 * (p->U[p->out_dof[o]] + 1e-3);
  if (mnn_bar_solver_solve(p->s, 1, p->rhs, p->Ua, &err)) exit(1);
  mnn_bar_elongations(p->net, 1, p->U, p->E);
  mnn_bar_elongations(p->net, 1, p->Ua, p->Ea);
  mnn_bar_gradient_k(p->net->n_bonds, 1, p->E, p->Ea, p->g, 0);
}

static void run(const char *name, mnn_network *net) {
  mnn_error err;
  problem p = {0};
  p.net = net;
  int nb = net->n_bonds, nd = 2 * net->n_nodes;
  p.k = malloc(nb * sizeof(double)), p.E = malloc(nb * sizeof(double)), p.Ea = malloc(nb * sizeof(double));
  p.g = malloc(nb * sizeof(double));
  p.F = calloc(nd, sizeof(double)), p.U = malloc(nd * sizeof(double)), p.Ua = malloc(nd * sizeof(double));
  p.rhs = calloc(nd, sizeof(double));
  p.out_dof = malloc(net->n_nodes * sizeof(int));
  mnn_network_stiffnesses(net, p.k);
  /* load: downward force at the middle of the bottom; outputs: the bottom row's u_y */
  double ymin = 0;
  for (int i = 0; i < net->n_nodes; ++i) ymin = fmin(ymin, net->y[i]);
  int mid = -1;
  for (int i = 0; i < net->n_nodes; ++i)
    if (net->y[i] < ymin + 1e-9) {
      p.out_dof[p.n_out++] = 2 * i + 1;
      if (mid < 0 || fabs(net->x[i] - 0.5 * net->x[net->n_nodes - 1]) < fabs(net->x[mid] - 0.5 * net->x[net->n_nodes - 1]))
        mid = i;
    }
  p.F[2 * mid + 1] = -0.098;
  double t0 = cpu_now();
  p.s = mnn_bar_solver_create(net, &err);
  if (!p.s) {
    fprintf(stderr, "bench: %s\n", err.message);
    exit(1);
  }
  double t_analyse = cpu_now() - t0;
  /* each time is the minimum over repeats (at least 3, and until 0.3 s of CPU):
   * the least disturbed run on a shared machine */
  double t_grad = 1e30, t_fact = 1e30, w_grad = 1e30, total = 0;
  for (int reps = 0; reps < 3 || (total < 0.3 && reps < 100000); ++reps) {
    double c0 = cpu_now(), w0 = mnn_now();
    gradient(&p);
    double c = cpu_now() - c0;
    t_grad = fmin(t_grad, c), w_grad = fmin(w_grad, mnn_now() - w0), total += c;
  }
  total = 0;
  for (int reps = 0; reps < 3 || (total < 0.3 && reps < 100000); ++reps) {
    double c0 = cpu_now();
    mnn_bar_solver_factor(p.s, p.k, &err);
    double c = cpu_now() - c0;
    t_fact = fmin(t_fact, c), total += c;
  }
  /* forward differences with the same solver, step 1e-5 N/m */
  double t_fd, *kk = malloc(nb * sizeof(double));
  int fd_bonds = (t_fact + 2 * (t_grad - t_fact) / 3) * nb < FD_BUDGET ? nb : (nb < FD_SAMPLE ? nb : FD_SAMPLE);
  double maxdiff = 0, maxg = 0;
  memcpy(kk, p.k, nb * sizeof(double));
  t0 = cpu_now();
  double L0 = loss(&p, p.k);
  for (int q = 0; q < fd_bonds; ++q) {
    int b = (int)((long)q * nb / fd_bonds);
    kk[b] = p.k[b] + 1e-5;
    double fd = (loss(&p, kk) - L0) / 1e-5;
    kk[b] = p.k[b];
    maxdiff = fmax(maxdiff, fabs(fd - p.g[b]));
    maxg = fmax(maxg, fabs(p.g[b]));
  }
  t_fd = (cpu_now() - t0) * (double)(nb + 1) / (fd_bonds + 1);
  printf("%-16s %8d %8d %8s %11.3e %11.3e %11.3e %11.3e %11.3e %s %9.1f %8.2f %9.1e\n", name, net->n_nodes, nb,
         mnn_bar_solver_method(p.s) == MNN_BAR_DENSE ? "dense" : "cholmod", t_analyse, t_fact, t_grad, w_grad, t_fd,
         fd_bonds == nb ? "   " : "(x)", t_fd / t_grad, t_grad / t_fact, maxg > 0 ? maxdiff / maxg : 0);
  fflush(stdout);
  mnn_bar_solver_free(p.s);
  free(p.k), free(p.E), free(p.Ea), free(p.g), free(p.F), free(p.U), free(p.Ua), free(p.rhs), free(p.out_dof), free(kk);
}

int main(int argc, char **argv) {
  int max_side = argc > 1 ? atoi(argv[1]) : 260;
  mnn_error err;
  printf("bar model: one gradient (factorisation + forward + adjoint solve + elongations) vs forward differences\n");
  printf("CPU seconds of this process (minimum over repeats), 'wall' = wall-clock seconds of the gradient;\n"
         "FD = one factorisation + solve per bond (step 1e-5 N/m); (x) = FD extrapolated from %d bonds;\n"
         "FD error = max |FD - adjoint| / max |adjoint| over the bonds that were differenced\n", FD_SAMPLE);
  printf("%-16s %8s %8s %8s %11s %11s %11s %11s %11s %3s %9s %8s %9s\n", "network", "nodes", "bonds", "path", "analyse",
         "factorise", "gradient", "wall", "FD", "", "FD/grad", "grad/fac", "FD error");
  mnn_network *net = mnn_lattice_paper(&err);
  run("paper", net);
  mnn_network_free(net);
  int sides[] = {5, 8, 12, 20, 40, 80, 130, 184, 260, 370};
  for (size_t i = 0; i < sizeof sides / sizeof *sides && sides[i] <= max_side; ++i) {
    char name[32];
    snprintf(name, sizeof name, "patch %dx%d", sides[i], sides[i]);
    net = mnn_lattice_patch(sides[i], sides[i], MNN_PAPER_SPACING, MNN_SUPPORT_TOP_ROW, &err);
    if (!net) {
      fprintf(stderr, "bench: %s\n", err.message);
      return 1;
    }
    run(name, net);
    mnn_network_free(net);
  }
  return 0;
}
