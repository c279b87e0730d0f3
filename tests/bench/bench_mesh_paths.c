/* The extruded meshing path (the default) against the former 3D Delaunay path,
 * in this process: the paper's network meshed both ways at default settings
 * (time, CPU, tetrahedra, volume), then the P2 FEM (p-multigrid) on each mesh
 * with 0.098 N down on node 13 and the loss (u_y(14) + 0.025)^2: u(14) and the
 * 28 per-bond g of the two meshes side by side. Then the large parts with the
 * new path only: the 10 x 10 and 20 x 20 patches' FEM mesh (default and
 * refine 0.5) and print surface. With --patch-delaunay the 10 x 10 patch is
 * meshed the former way too (about 80 s of CPU).
 *   usage: bench_mesh_paths [--patch-delaunay] [--no-fem] [--paper-only]   (meshes in MNN_BENCH_DIR or /tmp) */
#include <math.h>
#include <petscksp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fem.h"
#include "network.h"
#include "log.h"
#include "meshing.h"

static double cpu_now(void) { return (double)clock() / CLOCKS_PER_SEC; }

static int mesh(const char *label, const mnn_network *net, double refine, mnn_mesh_method method, const char *path,
                double *cpu_out, mnn_mesh_stats *st) {
  mnn_mesh_options opt;
  mnn_mesh_options_default(&opt);
  opt.refinement = refine;
  opt.method = method;
  mnn_error err;
  double c0 = cpu_now();
  if (mnn_mesh_write(net, &opt, path, st, &err)) {
    fprintf(stderr, "bench_mesh_paths: %s: %s\n", label, err.message);
    return -1;
  }
  *cpu_out = cpu_now() - c0;
  printf("%-34s %9ld %9ld %8.3f %8.3f %12.2f %8.2f %8.2f\n", label, st->n_nodes, st->n_tetrahedra, st->min_quality,
         st->mean_quality, st->volume * 1e9, st->seconds, *cpu_out);
  fflush(stdout);
  return 0;
}

static int surface(const char *label, const mnn_network *net, double *cpu_out) {
  mnn_error err;
  double t0 = mnn_now(), c0 = cpu_now();
  mnn_surface *s = mnn_mesh_print_surface(net, NULL, &err);
  if (!s) {
    fprintf(stderr, "bench_mesh_paths: %s: %s\n", label, err.message);
    return -1;
  }
  *cpu_out = cpu_now() - c0;
  printf("%-34s %9d %9d triangles %28s %8.2f %8.2f\n", label, s->n_vertices, s->n_triangles, "", mnn_now() - t0,
         *cpu_out);
  mnn_surface_free(s);
  fflush(stdout);
  return 0;
}

static mnn_fem_results *fem_run(const mnn_network *net, const char *msh) {
  mnn_error err;
  mnn_fem *fem = mnn_fem_create(PETSC_COMM_WORLD, net, msh, 2, &err);
  if (!fem) {
    fprintf(stderr, "bench_mesh_paths: %s\n", err.message);
    return NULL;
  }
  mnn_fem_load load = {13, {0, -0.098, 0}};
  mnn_fem_output out[2] = {{14, 0}, {14, 1}};
  double targets[2] = {-0.025, -0.025};
  mnn_fem_problem p = {1, &load, 2, out, targets, 0};
  Vec u = NULL, adj = NULL;
  mnn_fem_results *r = NULL;
  if (mnn_fem_assemble(fem, &err) || mnn_fem_create_vector(fem, &u, &err) || mnn_fem_create_vector(fem, &adj, &err) ||
      !(r = mnn_fem_run(fem, &p, mnn_fem_targets_loss, u, adj, &err)))
    fprintf(stderr, "bench_mesh_paths: %s: %s\n", msh, err.message);
  VecDestroy(&u);
  VecDestroy(&adj);
  mnn_fem_destroy(fem);
  return r;
}

int main(int argc, char **argv) {
  int patch_delaunay = 0, with_fem = 1, patches = 1;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--patch-delaunay")) patch_delaunay = 1;
    else if (!strcmp(argv[i], "--no-fem")) with_fem = 0;
    else if (!strcmp(argv[i], "--paper-only")) patches = 0;
  }
  mnn_set_verbosity(MNN_QUIET);
  const char *dir = getenv("MNN_BENCH_DIR") ? getenv("MNN_BENCH_DIR") : "/tmp";
  char p_new[1024], p_old[1024], p_big[1024];
  snprintf(p_new, sizeof p_new, "%s/bench_paths_extruded.msh", dir);
  snprintf(p_old, sizeof p_old, "%s/bench_paths_delaunay.msh", dir);
  snprintf(p_big, sizeof p_big, "%s/bench_paths_patch.msh", dir);
  mnn_error err;
  mnn_network *paper = mnn_lattice_paper(&err);
  mnn_network *p10 = mnn_lattice_patch(10, 10, MNN_PAPER_SPACING, MNN_SUPPORT_TOP_ROW, &err);
  mnn_network *p20 = mnn_lattice_patch(20, 20, MNN_PAPER_SPACING, MNN_SUPPORT_TOP_ROW, &err);
  if (!paper || !p10 || !p20) return fprintf(stderr, "bench_mesh_paths: %s\n", err.message), 1;

  printf("%-34s %9s %9s %8s %8s %12s %8s %8s\n", "mesh", "nodes", "tets", "SICNmin", "SICNmean", "volume_mm3", "wall_s",
         "cpu_s");
  mnn_mesh_stats s_new, s_old, s_big;
  double c_new, c_old, c_big, c_surf;
  if (mesh("paper, delaunay3d (former)", paper, 1, MNN_MESH_DELAUNAY3D, p_old, &c_old, &s_old) ||
      mesh("paper, extruded", paper, 1, MNN_MESH_EXTRUDED, p_new, &c_new, &s_new))
    return 1;
  printf("paper: extruded / delaunay3d: CPU x%.3f, wall x%.3f, tetrahedra x%.3f, volume %+.4f%%\n", c_new / c_old,
         s_new.seconds / s_old.seconds, (double)s_new.n_tetrahedra / s_old.n_tetrahedra,
         100 * (s_new.volume - s_old.volume) / s_old.volume);
  if (surface("paper print surface", paper, &c_surf)) return 1;
  if (patches && patch_delaunay && mesh("patch 10x10, delaunay3d (former)", p10, 1, MNN_MESH_DELAUNAY3D, p_big, &c_big, &s_big))
    return 1;
  if (patches && (mesh("patch 10x10, extruded", p10, 1, MNN_MESH_EXTRUDED, p_big, &c_big, &s_big) ||
      surface("patch 10x10 print surface", p10, &c_surf) ||
      mesh("patch 20x20, extruded, refine 0.5", p20, 0.5, MNN_MESH_EXTRUDED, p_big, &c_big, &s_big) ||
      mesh("patch 20x20, extruded", p20, 1, MNN_MESH_EXTRUDED, p_big, &c_big, &s_big) ||
      surface("patch 20x20 print surface", p20, &c_surf)))
    return 1;
  if (!with_fem) return 0;

  /* the FEM on the two paper meshes */
  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  mnn_fem_results *a = fem_run(paper, p_old), *b = fem_run(paper, p_new);
  if (!a || !b) return 1;
  printf("\nP2 FEM, p-multigrid, 1 rank       %10s %10s %12s %12s %9s %9s\n", "DOFs", "its f/a", "u_x(14) mm",
         "u_y(14) mm", "assembly", "solves s");
  const mnn_fem_results *r2[2] = {a, b};
  const char *names[2] = {"delaunay3d (former)", "extruded"};
  for (int k = 0; k < 2; ++k)
    printf("%-34s %10ld %5d/%-4d %12.6f %12.6f %9.2f %9.2f\n", names[k], r2[k]->n_dofs, r2[k]->forward_iterations,
           r2[k]->adjoint_iterations, 1e3 * r2[k]->output_value[0], 1e3 * r2[k]->output_value[1],
           r2[k]->assembly_seconds, r2[k]->forward_seconds + r2[k]->adjoint_seconds);
  double gmax = 0, worst = 0, worst_scaled = 0;
  int worst_bond = 0, within = 0;
  for (int i = 0; i < paper->n_bonds; ++i) gmax = fmax(gmax, fabs(a->bond_g[i]));
  for (int i = 0; i < paper->n_bonds; ++i) {
    double d = fabs(b->bond_g[i] - a->bond_g[i]);
    if (d / fabs(a->bond_g[i]) > worst) worst = d / fabs(a->bond_g[i]), worst_bond = paper->bond_id[i];
    worst_scaled = fmax(worst_scaled, d / gmax);
    within += d <= 0.005 * fabs(a->bond_g[i]);
  }
  printf("extruded vs delaunay3d: u_x(14) %+.3f%%, u_y(14) %+.3f%%; the 28 g: %d within 0.5%%, worst %.3f%% (bond %d), "
         "worst as a share of max|g| %.4f%%; DOFs x%.3f, solve time x%.3f\n",
         100 * (b->output_value[0] - a->output_value[0]) / fabs(a->output_value[0]),
         100 * (b->output_value[1] - a->output_value[1]) / fabs(a->output_value[1]), within, 100 * worst, worst_bond,
         100 * worst_scaled, (double)b->n_dofs / a->n_dofs,
         (b->forward_seconds + b->adjoint_seconds) / (a->forward_seconds + a->adjoint_seconds));
  mnn_fem_results_free(a);
  mnn_fem_results_free(b);
  PetscFinalize();
  mnn_network_free(paper);
  mnn_network_free(p10);
  mnn_network_free(p20);
  return 0;
}
