/* The FEM stage reads our .msh with PETSc's DMPlexCreateGmshFromFile: the
 * 4.1 file must load with every tetrahedron as a cell, every node as a
 * vertex, and the "Cell Sets" label carrying one value per bond and node
 * group (node_<id>: id, bond_<id>: 1000000 + id). */
#include <petscdmplex.h>

#include "network.h"
#include "meshing.h"
#include "test_util.h"

int main(int argc, char **argv) {
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  mnn_error err;
  mnn_mesh_options opt;
  mnn_mesh_options_default(&opt);
  opt.refinement = 0.5;
  mnn_network *net = mnn_lattice_triangle(3, 2, MNN_PAPER_SPACING, MNN_SUPPORT_TOP_CORNERS, &err);
  CHECK(net != NULL);
  char path[PETSC_MAX_PATH_LEN];
  PetscCall(PetscSNPrintf(path, sizeof path, "%s/test_mesh_petsc.msh",
                          getenv("MNN_BINARY_DIR") ? getenv("MNN_BINARY_DIR") : "."));
  mnn_mesh_stats st;
  CHECK_MSG(mnn_mesh_write(net, &opt, path, &st, &err) == 0, "%s", err.message);

  DM dm;
  PetscInt c0, c1, v0, v1, n_values;
  DMLabel label;
  PetscCall(DMPlexCreateGmshFromFile(PETSC_COMM_WORLD, path, PETSC_TRUE, &dm));
  PetscCall(DMPlexGetHeightStratum(dm, 0, &c0, &c1));
  PetscCall(DMPlexGetDepthStratum(dm, 0, &v0, &v1));
  CHECK_MSG(c1 - c0 == st.n_tetrahedra, "%d cells, %ld tetrahedra", (int)(c1 - c0), st.n_tetrahedra);
  CHECK_MSG(v1 - v0 == st.n_nodes, "%d vertices, %ld nodes", (int)(v1 - v0), st.n_nodes);
  PetscCall(DMGetLabel(dm, "Cell Sets", &label));
  CHECK(label != NULL);
  if (label) {
    PetscCall(DMLabelGetNumValues(label, &n_values));
    CHECK_MSG(n_values == net->n_bonds + net->n_nodes, "%d cell sets", (int)n_values);
    PetscInt total = 0;
    for (int i = 0; i < net->n_nodes + net->n_bonds; ++i) {
      int tag = i < net->n_nodes ? mnn_mesh_node_group_tag(net, i) : mnn_mesh_bond_group_tag(net, i - net->n_nodes);
      PetscInt size;
      PetscCall(DMLabelGetStratumSize(label, tag, &size));
      CHECK_MSG(size > 0, "cell set %d is empty", tag);
      total += size;
    }
    CHECK_MSG(total == c1 - c0, "cell sets cover %d of %d cells", (int)total, (int)(c1 - c0));
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "PETSc read %s: %d cells, %d vertices, %d cell sets\n", path, (int)(c1 - c0),
                        (int)(v1 - v0), (int)n_values));
  PetscCall(DMDestroy(&dm));
  mnn_network_free(net);
  int rc = mnn_test_finish();
  PetscCall(PetscFinalize());
  return rc;
}
