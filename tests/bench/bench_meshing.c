/* Meshing benchmark: time, element counts and quality of the FEM mesh for the
 * paper's network (the baseline) and a 10 x 10 lattice patch at default
 * settings, the paper's network refined, and the print surface; ratios are
 * against the paper's default mesh measured in this process. Wall and CPU
 * times both: on a shared machine the CPU time is the steadier figure. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "network.h"
#include "log.h"
#include "meshing.h"

typedef struct {
  const char *name;
  mnn_network *net;
  double refinement;
} bench_case;

int main(void) {
  mnn_error err;
  const char *dir = getenv("MNN_BINARY_DIR") ? getenv("MNN_BINARY_DIR") : ".";
  char path[512];
  snprintf(path, sizeof path, "%s/bench_meshing.msh", dir);
  bench_case cases[] = {
      {"paper, default", mnn_lattice_paper(&err), 1.0},
      {"paper, refine 1.5", mnn_lattice_paper(&err), 1.5},
      {"patch 10x10, default", mnn_lattice_patch(10, 10, MNN_PAPER_SPACING, MNN_SUPPORT_TOP_ROW, &err), 1.0},
  };
  int n = (int)(sizeof cases / sizeof *cases);
  double base_t = 0, base_tets = 0;
  printf("%-22s %6s %6s %10s %9s %8s %8s %6s %8s %8s %8s %8s\n", "network", "bonds", "nodes", "mesh_nodes", "tets",
         "SICNmin", "SICNmean", "poor", "wall_s", "cpu_s", "x_tets", "x_cpu");
  for (int i = 0; i < n; ++i) {
    if (!cases[i].net) {
      fprintf(stderr, "bench_meshing: %s\n", err.message);
      return 1;
    }
    mnn_mesh_options opt;
    mnn_mesh_options_default(&opt);
    opt.refinement = cases[i].refinement;
    mnn_mesh_stats st;
    clock_t c0 = clock();
    int rc = mnn_mesh_write(cases[i].net, &opt, path, &st, &err);
    double cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
    if (rc) {
      fprintf(stderr, "bench_meshing: %s: %s\n", cases[i].name, err.message);
      return 1;
    }
    if (i == 0) base_t = cpu, base_tets = (double)st.n_tetrahedra;
    printf("%-22s %6d %6d %10ld %9ld %8.3f %8.3f %6ld %8.2f %8.2f %8.2f %8.2f\n", cases[i].name, cases[i].net->n_bonds,
           cases[i].net->n_nodes, st.n_nodes, st.n_tetrahedra, st.min_quality, st.mean_quality, st.n_poor, st.seconds,
           cpu, st.n_tetrahedra / base_tets, cpu / base_t);
    fflush(stdout);
  }
  /* the print surface of the paper's network */
  mnn_mesh_options opt;
  mnn_mesh_options_default(&opt);
  double t0 = mnn_now();
  clock_t c0 = clock();
  mnn_surface *s = mnn_mesh_print_surface(cases[0].net, &opt, &err);
  double t_surface = mnn_now() - t0, cpu_surface = (double)(clock() - c0) / CLOCKS_PER_SEC;
  if (!s) {
    fprintf(stderr, "bench_meshing: print surface: %s\n", err.message);
    return 1;
  }
  printf("print surface, paper: %d vertices, %d triangles, %.2f s wall, %.2f s CPU (x%.2f of the FEM mesh's CPU)\n",
         s->n_vertices, s->n_triangles, t_surface, cpu_surface, cpu_surface / base_t);
  mnn_surface_free(s);
  for (int i = 0; i < n; ++i) mnn_network_free(cases[i].net);
  return 0;
}
