/* The FEM response function (pipeline/fem_response.h) that `mnn calibrate` and the
 * train stage's FEM rounds share: called directly on a small meshed triangle it
 * gives the response matrix that `mnn fem --response` writes for the same loads
 * and outputs, entry by entry; with a material of twice the modulus every entry
 * halves (linear elasticity at fixed nu); a mesh that is not there fails. */
#include <petscsys.h>
#include <stdlib.h>
#include <string.h>
#include "cli_test_util.h"
#include "fem_response.h"
#include "fem_results.h"
#include "network_file.h"
#include "test_util.h"

int main(int argc, char **argv) {
  if (!getenv("MNN_EXE")) return fprintf(stderr, "MNN_EXE must be set (ctest sets it)\n"), 1;
  char dir[] = "/tmp/mnn_test_fem_response_XXXXXX", args[4096], path[600], msh[600];
  CHECK(mkdtemp(dir) != NULL);
  snprintf(args, sizeof args, "lattice triangle 3 2 -o %s/tri.xml -q", dir);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  snprintf(args, sizeof args, "mesh %s/tri.xml -o %s/tri.msh --refine 0.6 --across-neck 2 -q", dir, dir);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  snprintf(args, sizeof args,
           "fem %s/tri.xml %s/tri.msh --order 1 --load 4:0:-0.02 --output-node 5:y --output-node 4:x --response "
           "--solver mumps --no-vtu -o %s/f -q",
           dir, dir, dir);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);

  mnn_error err;
  snprintf(path, sizeof path, "%s/f/fem-results.xml", dir);
  mnn_fem_results *res = mnn_fem_results_read(path, &err);
  CHECK_MSG(res != NULL, "%s", err.message);
  snprintf(path, sizeof path, "%s/tri.xml", dir);
  mnn_network *net = mnn_network_read(path, &err);
  CHECK_MSG(net != NULL, "%s", err.message);
  if (!res || !net) return mnn_test_finish();
  CHECK(res->n_response == 4);

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PetscOptionsSetValue(NULL, "-fem_ksp_type", "preonly"));
  PetscCall(PetscOptionsSetValue(NULL, "-fem_pc_type", "cholesky"));
  PetscCall(PetscOptionsSetValue(NULL, "-fem_pc_factor_mat_solver_type", "mumps"));
  snprintf(msh, sizeof msh, "%s/tri.msh", dir);
  const mnn_fem_output in[2] = {{4, 0}, {4, 1}}, out[2] = {{5, 1}, {4, 0}};
  double R[4], R2[4];
  mnn_fem_stats st;
  int solves = 0;
  CHECK_MSG(mnn_fem_network_response(net, NULL, msh, 1, 2, in, 2, out, R, &st, &solves, &err) == 0, "%s", err.message);
  CHECK(st.order == 1 && st.n_dofs > 0 && solves == 2);
  int matched = 0;
  for (int e = 0; e < res->n_response; ++e)
    for (int o = 0; o < 2; ++o)
      for (int i = 0; i < 2; ++i)
        if (res->response_out_node[e] == out[o].node_id && res->response_out_component[e] == out[o].component &&
            res->response_in_node[e] == in[i].node_id && res->response_in_component[e] == in[i].component) {
          printf("R[%d:%c <- %d:%c] = %.12e m/N (mnn fem --response %.12e)\n", out[o].node_id, "xy"[out[o].component],
                 in[i].node_id, "xy"[in[i].component], R[o * 2 + i], res->response_value[e]);
          CHECK_CLOSE(R[o * 2 + i], res->response_value[e], 1e-10, 0);
          ++matched;
        }
  CHECK(matched == 4);
  CHECK(R[0] < 0 || R[1] < 0); /* a response, not zeros */

  /* the material argument: twice the modulus, half the displacements */
  mnn_material stiff = {.youngs_modulus = 2 * net->youngs_modulus, .poisson_ratio = net->poisson_ratio};
  snprintf(stiff.name, sizeof stiff.name, "twice");
  CHECK_MSG(mnn_fem_network_response(net, &stiff, msh, 1, 2, in, 2, out, R2, NULL, NULL, &err) == 0, "%s", err.message);
  for (int e = 0; e < 4; ++e) CHECK_CLOSE(2 * R2[e], R[e], 1e-9, 1e-18);

  /* a missing mesh: an error, no response */
  snprintf(msh, sizeof msh, "%s/none.msh", dir);
  CHECK(mnn_fem_network_response(net, NULL, msh, 1, 2, in, 2, out, R2, NULL, NULL, &err) != 0);
  CHECK_CONTAINS(err.message, "none.msh");

  mnn_fem_results_free(res);
  mnn_network_free(net);
  PetscCall(PetscFinalize());
  snprintf(args, sizeof args, "rm -rf %s", dir);
  CHECK(system(args) == 0);
  return mnn_test_finish();
}
