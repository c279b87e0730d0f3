/* Fuzzing harness: the .msh reader of the FEM (mnn_fem_create: PETSc's Gmsh
 * reader plus mnn's physical groups), on a fixed two-node, one-bond network
 * whose mesh is the seed (tests/fuzz/msh/). PETSc starts once, without its
 * signal handler, so that the sanitizers see every crash. */
#include <stdlib.h>
#include <string.h>
#include "fem.h"
#include "fuzz_util.h"
#include "network_file.h"

static mnn_network *net;

static const char network_xml[] =
    "<?xml version=\"1.0\"?>\n"
    "<network thickness=\"0.002\" youngs-modulus=\"550000\" poisson-ratio=\"0.45\" width-min=\"0.0015\" "
    "width-max=\"0.0025\" node-radius=\"0.002\" neck-length=\"0.0015\" stiffness-factor=\"1\">\n"
    "  <node id=\"1\" x=\"0\" y=\"0\"/>\n  <node id=\"2\" x=\"0.016\" y=\"0\"/>\n"
    "  <bond id=\"1\" from=\"1\" to=\"2\" width=\"0.002\"/>\n  <support node=\"1\" fix=\"xy\"/>\n</network>\n";

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
  setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
  setenv("PETSC_OPTIONS", "-no_signal_handler", 1);
  if (PetscInitializeNoArguments()) abort();
  mnn_error err;
  net = mnn_network_read(mnn_fuzz_file("two.xml", (const uint8_t *)network_xml, strlen(network_xml)), &err);
  if (!net) {
    fprintf(stderr, "fuzz_msh: %s\n", err.message);
    abort();
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mnn_error err = {{0}};
  mnn_fem *fem = mnn_fem_create(PETSC_COMM_WORLD, net, mnn_fuzz_file("model.msh", data, size), 1, &err);
  if (!fem) mnn_fuzz_check_error(&err);
  mnn_fem_destroy(fem);
  return 0;
}
