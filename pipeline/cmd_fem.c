/* mnn fem: 3D FEM of a meshed network (PETSc): forward and adjoint solves with
 * the same operator, disc-averaged outputs, per-bond and per-node sensitivities,
 * fields as VTU and the numbers as a results file. Runs under mpiexec. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "cli_petsc.h"
#include "stage.h"
#include "fem.h"
#include "log.h"
#include "material_file.h"
#include "network_file.h"

static void help(void) {
  printf("usage: mnn fem NETWORK MESH --load NODE:FX:FY ... --output-node NODE:x|y ... [options] [-- PETSc options]\n"
         "\n"
         "3D linear elasticity of the meshed network (mesh from `mnn mesh`: Gmsh 4.1, metres,\n"
         "volume groups bond_<id> and node_<id>). Supported nodes clamp their node disc; a load\n"
         "is a uniform body force over its node disc with the given total; an output is the\n"
         "volume average of a displacement component over its node disc. E and nu come from\n"
         "the network file, or from a material record (--fem-material). Writes\n"
         "DIR/fem-results.xml (schemas/fem-results.xsd) and DIR/fem-fields.vtu (displacement\n"
         "and adjoint, for ParaView).\n"
         "\n"
         "options:\n"
         "  --load NODE:FX:FY     force on a node disc, N (repeatable; at least one)\n"
         "  --output-node NODE:C  output: component C (x, y or z) of node NODE's disc-averaged\n"
         "                        displacement (repeatable; at least one)\n"
         "  --target M            target of the next unset output, m (repeatable; give one per\n"
         "                        output or none). With targets the loss is sum (u - target)^2,\n"
         "                        without it is the sum of the outputs; g = dL/d(ln E) either way\n"
         "  --order 1|2           element order (default 2; P1 locks in bending)\n"
         "  --solver pmg|gamg|mumps|cholmod  the iterative default (pmg, gamg is the same):\n"
         "                        CG, rtol 1e-8, with a P2 -> P1 p-multigrid (block SOR on P2, a\n"
         "                        Cholesky of the P1 operator; for --order 1 GAMG with the\n"
         "                        rigid-body near-null space, rtol 1e-10); or a direct Cholesky\n"
         "                        factorisation: MUMPS (any number of ranks) or CHOLMOD (1 rank),\n"
         "                        faster for many solves, 3x the memory (docs/fem.md). GAMG on\n"
         "                        the P2 operator itself: -- -fem_pc_type gamg\n"
         "  --fem-material FILE   the FEM's material (E, nu) from a material record, e.g. the one\n"
         "                        `mnn calibrate --material` fitted to a measured part\n"
         "                        (default: the network file's youngs-modulus and poisson-ratio)\n"
         "  --response            also the response matrix (m/N) from the x and y forces of every\n"
         "                        loaded node to every output (min(inputs, outputs) extra solves)\n"
         "  --no-vtu              do not write the VTU file\n"
         "  -o, --output DIR      folder for the outputs (default: the current folder; created if missing)\n"
         "  -q, --quiet           print nothing but errors\n"
         "  -v, --verbose         more detail\n"
         "  -h, --help            this help\n"
         "\n"
         "PETSc options go after `--` (or in PETSC_OPTIONS); the solver's prefix is fem_, e.g.\n"
         "  mnn fem net.xml net.msh --load 13:0:-0.098 --output-node 14:y -- -fem_ksp_monitor -log_view\n"
         "Parallel: mpiexec -n 2 mnn fem ... (the mesh is partitioned; results are the same).\n");
}

static int parse_output(const char *s, mnn_fem_output *out, mnn_error *err) {
  const char *colon = strrchr(s, ':');
  if (!colon || (strcmp(colon + 1, "x") && strcmp(colon + 1, "y") && strcmp(colon + 1, "z")))
    return mnn_fail(err, "--output-node '%s': write NODE:x or NODE:y (or NODE:z), e.g. --output-node 14:y", s);
  char id[32];
  snprintf(id, sizeof id, "%.*s", (int)(colon - s), s);
  out->component = colon[1] - 'x';
  return mnn_cli_int(id, "--output-node", &out->node_id, err);
}

typedef struct {
  const char *network_path, *mesh_path, *dir;
  int order, response, vtu, use_mumps;
  int n_loads, n_outputs, n_targets;
  mnn_fem_load *loads;
  mnn_fem_output *outputs;
  double *targets;
} fem_args;



static void print_summary(const mnn_fem_results *r) {
  mnn_info("fem: P%d, %ld DOFs, %ld cells, %d rank%s, %s/%s", r->order, r->n_dofs, r->n_cells, r->n_ranks,
           r->n_ranks > 1 ? "s" : "", r->ksp_type, r->pc_type);
  mnn_info("fem: assembly %.3f s, setup %.3f s, forward %.3f s (%d its), adjoint %.3f s (%d its)", r->assembly_seconds,
           r->setup_seconds, r->forward_seconds, r->forward_iterations, r->adjoint_seconds, r->adjoint_iterations);
  for (int k = 0; k < r->n_outputs; ++k)
    printf("output node %d %c: %.9g m\n", r->output_node[k], 'x' + r->output_component[k], r->output_value[k]);
  printf("loss: %.9g\n", r->loss);
  for (int b = 0; b < r->n_bonds && mnn_get_verbosity() >= MNN_VERBOSE; ++b)
    printf("bond %d: g = %.9g\n", r->bond_id[b], r->bond_g[b]);
}

static int run(const fem_args *a, const mnn_network *net, mnn_error *err) {
  mnn_fem *fem = mnn_fem_create(PETSC_COMM_WORLD, net, a->mesh_path, a->order, err);
  if (!fem) return -1;
  Vec u = NULL, adj = NULL;
  mnn_fem_results *res = NULL;
  mnn_fem_problem p = {a->n_loads, a->loads, a->n_outputs, a->outputs, a->n_targets ? a->targets : NULL, a->response};
  int rc = mnn_fem_assemble(fem, err) || mnn_fem_create_vector(fem, &u, err) || mnn_fem_create_vector(fem, &adj, err);
  if (!rc) rc = !(res = mnn_fem_run(fem, &p, mnn_fem_targets_loss, u, adj, err));
  char path[4096];
  if (!rc && a->vtu) {
    snprintf(path, sizeof path, "%s/fem-fields.vtu", a->dir);
    rc = mnn_fem_write_vtu(fem, path, u, adj, err);
  }
  if (!rc) {
    snprintf(path, sizeof path, "%s/fem-results.xml", a->dir);
    if (mnn_cli_is_rank_zero()) {
      rc = mnn_fem_results_write(res, path, err);
      if (!rc) {
        print_summary(res);
        mnn_info("fem: wrote %s", path);
      }
    }
    rc = mnn_cli_rank_zero_rc(rc, err);
  }
  mnn_fem_results_free(res);
  rc = mnn_fem_destroy_vector(&u, rc, err);
  rc = mnn_fem_destroy_vector(&adj, rc, err);
  mnn_fem_destroy(fem);
  return rc;
}

int mnn_cmd_fem(int argc, char **argv) {
  static const struct option opts[] = {
      {"load", required_argument, 0, 'L'},     {"output-node", required_argument, 0, 'O'},
      {"target", required_argument, 0, 'T'},   {"order", required_argument, 0, 'p'},
      {"solver", required_argument, 0, 'S'},   {"response", no_argument, 0, 'R'},
      {"no-vtu", no_argument, 0, 'N'},         {"output", required_argument, 0, 'o'},
      {"quiet", no_argument, 0, 'q'},          {"verbose", no_argument, 0, 'v'},
      {"fem-material", required_argument, 0, 'M'},
      {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
  fem_args a = {.dir = ".", .order = 2, .vtu = 1};
  mnn_material material;
  const char *material_path = NULL;
  mnn_error err;
  int our_argc = mnn_cli_petsc_split(argc, argv);
  if (!mnn_cli_is_rank_zero()) mnn_set_verbosity(MNN_QUIET);
  for (int i = 1; i < our_argc; ++i)
    if (argv[i][0] == '-' && argv[i][1] != '-' && strchr(argv[i], '_'))
      return mnn_cli_usage_rank_zero((mnn_fail(&err, "fem: '%s' looks like a PETSc option: put PETSc options after `--`", argv[i]), &err));
  a.loads = calloc((size_t)our_argc, sizeof *a.loads);
  a.outputs = calloc((size_t)our_argc, sizeof *a.outputs);
  a.targets = calloc((size_t)our_argc, sizeof *a.targets);
  if (!a.loads || !a.outputs || !a.targets) { /* not through `bad`: its -1 would turn into a usage error */
    free(a.loads);
    free(a.outputs);
    free(a.targets);
    return mnn_cli_fail_rank_zero((mnn_fail(&err, "fem: out of memory"), &err));
  }
  int c, bad = 0;
  optind = 1;
  while (!bad && (c = getopt_long(our_argc, argv, "o:qvh", opts, NULL)) != -1) {
    mnn_load_spec ls;
    switch (c) {
      case 'L':
        bad = mnn_cli_load(optarg, &ls, &err);
        a.loads[a.n_loads++] = (mnn_fem_load){ls.node_id, {ls.fx, ls.fy, 0}};
        break;
      case 'O': bad = parse_output(optarg, &a.outputs[a.n_outputs++], &err); break;
      case 'T': bad = mnn_cli_double(optarg, "--target", &a.targets[a.n_targets++], &err); break;
      case 'p':
        bad = mnn_cli_int(optarg, "--order", &a.order, &err);
        if (!bad && a.order != 1 && a.order != 2) bad = mnn_fail(&err, "--order %d: use 1 or 2", a.order);
        break;
      case 'S':
        if (!strcmp(optarg, "mumps")) a.use_mumps = 1;
        else if (!strcmp(optarg, "cholmod")) a.use_mumps = 2;
        else if (strcmp(optarg, "gamg") && strcmp(optarg, "pmg"))
          bad = mnn_fail(&err, "--solver '%s': use pmg (or gamg, the same), mumps or cholmod", optarg);
        break;
      case 'R': a.response = 1; break;
      case 'M':
        material_path = optarg;
        bad = mnn_material_read(optarg, &material, &err) ? 1 : 0; /* a file's fault: exit 1 */
        break;
      case 'N': a.vtu = 0; break;
      case 'o': a.dir = optarg; break;
      case 'q': mnn_set_verbosity(MNN_QUIET); break;
      case 'v': if (mnn_cli_is_rank_zero()) mnn_set_verbosity(MNN_VERBOSE); break;
      case 'h': help(); bad = 2; break;
      default: bad = mnn_cli_option_error("fem", argv, opts, &err);
    }
  }
  if (bad < 0) bad = 3; /* a malformed option: a usage error */
  if (!bad && our_argc - optind != 2)
    bad = 3, mnn_fail(&err, "fem: give NETWORK and MESH, e.g. mnn fem net.xml net.msh --load 13:0:-0.098 --output-node 14:y");
  if (!bad && !a.n_loads) bad = 3, mnn_fail(&err, "fem: no load: add --load NODE:FX:FY (newtons)");
  if (!bad && !a.n_outputs) bad = 3, mnn_fail(&err, "fem: no output node: add --output-node NODE:x or NODE:y (-o names the output folder)");
  if (!bad && a.n_targets && a.n_targets != a.n_outputs)
    bad = 3, mnn_fail(&err, "fem: %d targets for %d outputs: give one --target per --output-node, or none", a.n_targets,
                   a.n_outputs);
  /* the output folder is created when missing, as mnn run and mnn gradient do */
  struct stat st;
  if (!bad && stat(a.dir, &st) == 0 && !S_ISDIR(st.st_mode))
    bad = mnn_fail(&err, "fem: output '%s' is a file, not a folder: pick a folder with -o", a.dir);
  else if (!bad && mnn_make_dirs(a.dir))
    bad = mnn_fail(&err, "fem: cannot create the output folder '%s': check the path and permissions", a.dir);
  mnn_network *net = NULL;
  if (!bad) {
    a.network_path = argv[optind];
    a.mesh_path = argv[optind + 1];
    mnn_network *file_net = mnn_network_read(a.network_path, &err);
    net = file_net ? mnn_material_network(file_net, material_path ? &material : NULL, &err) : NULL;
    mnn_network_free(file_net);
    if (!net) bad = 1;
  }
  int rc = 0;
  if (bad == 2) rc = 0;
  else if (bad == 3) rc = mnn_cli_usage_rank_zero(&err);
  else if (bad) rc = mnn_cli_fail_rank_zero(&err);
  else if (mnn_cli_petsc_start(argc, argv, our_argc, a.use_mumps == 2 ? "cholmod" : a.use_mumps ? "mumps" : NULL, "fem",
                               &err))
    rc = mnn_cli_fail_rank_zero(&err);
  else {
    for (int i = 0; i < net->n_nodes; ++i)
      if (net->fixed[i] && net->fixed[i] != MNN_FIX_XY && mnn_cli_is_rank_zero())
        mnn_warn("fem: node %d supports only one direction in the network; the FEM clamps its whole disc",
                 net->node_id[i]);
    if (mnn_cli_petsc_stop(run(&a, net, &err), "fem", &err)) rc = mnn_cli_fail_rank_zero(&err);
  }
  mnn_network_free(net);
  free(a.loads);
  free(a.outputs);
  free(a.targets);
  return rc;
}
