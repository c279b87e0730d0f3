/* The meshing stage's mesh of a network for the FEM tests that check the FEM on
 * the real part (test_fem_network, test_fem_paper_reference, test_fem_solver):
 * one place for "mesh this network at this refinement into the build folder". */
#ifndef MNN_FEM_TEST_MESHING_H
#define MNN_FEM_TEST_MESHING_H

#include "fem_test_mesh.h"
#include "meshing.h"

/* Meshes `net` with the default options at `refinement` into fem_test_path(name),
 * filling *stats when stats is not NULL. Returns that path, or NULL with err set
 * when meshing fails. */
static inline const char *fem_test_meshed(const mnn_network *net, const char *name,
                                          double refinement, mnn_mesh_stats *stats,
                                          mnn_error *err) {
  const char *msh = fem_test_path(name);
  mnn_mesh_options opt;
  mnn_mesh_options_default(&opt);
  opt.refinement = refinement;
  mnn_mesh_stats ms;
  if (mnn_mesh_write(net, &opt, msh, &ms, err) != 0) return NULL;
  if (stats) *stats = ms;
  return msh;
}

#endif
