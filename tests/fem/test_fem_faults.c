/* Faults in the FEM's inputs end in one line, on one rank and under
 * `mpiexec -q -n 2` alike, and never hang or return garbage:
 *  - a network without supports, or with a part not joined to a support
 *    (singular operator: MUMPS used to return u of about 1e8 m with exit 0), is
 *    refused before the mesh is read, naming the nodes;
 *  - MUMPS' null-pivot guard (the second line of defence) turns a singular
 *    factorisation into an error;
 *  - bad .msh files: wrong format version, cut short, a $PhysicalNames count of
 *    2^31-1, negative, huge and duplicate tags (once out-of-bounds writes,
 *    crashes, 4 GB and hangs), and garbage inside $Nodes, which PETSc reads on
 *    rank 0 alone (the other rank used to wait forever). Every run is guarded
 *    by `timeout`, as a hang detector only (exit 124), not as a speed check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fem_internal.h"
#include "fem_test_mesh.h"
#include "network_file.h"
#include "test_util.h"

#ifndef MNN_MPIEXEC
#define MNN_MPIEXEC "mpiexec"
#endif

static char out[8192];

/* Runs a shell command with stderr joined to stdout into out; its exit status,
 * 124 when timeout ended it. */
static int run(const char *cmd) {
  char full[8400];
  snprintf(full, sizeof full, "timeout 120 %s 2>&1", cmd);
  printf("$ %s\n", cmd);
  FILE *p = popen(full, "r");
  size_t n = p ? fread(out, 1, sizeof out - 1, p) : 0;
  out[n] = '\0';
  int status = p ? pclose(p) : -1;
  printf("%s", out);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int lines(void) {
  int n = 0;
  for (const char *c = out; *c; ++c) n += *c == '\n';
  return n;
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  if (s && fread(s, 1, (size_t)n, f) != (size_t)n) n = 0;
  if (s) s[n] = '\0';
  fclose(f);
  return s;
}

/* Writes text with the span [at, at + cut) replaced by insert. */
static void write_edit(const char *path, const char *text, size_t at, size_t cut, const char *insert) {
  FILE *f = fopen(path, "wb");
  if (!f) return;
  fwrite(text, 1, at, f);
  fputs(insert, f);
  fputs(text + at + cut, f);
  fclose(f);
}

/* Replaces the line after the line that starts with marker (skip more lines). */
static void edit_line_after(const char *path, const char *text, const char *marker, int skip, const char *line) {
  const char *p = strstr(text, marker);
  for (int i = 0; p && i <= skip; ++i) p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
  if (!p) return;
  const char *e = strchr(p, '\n');
  write_edit(path, text, (size_t)(p - text), (size_t)(e - p), line);
}

/* A 10-DOF 1D Laplacian without boundary conditions (singular: constants) or with
 * one end held (regular), factorised by MUMPS' Cholesky with null-pivot detection. */
static PetscErrorCode null_pivot_guard(int singular, PetscErrorCode *guard) {
  Mat A;
  KSP ksp;
  PC pc;
  PetscFunctionBeginUser;
  PetscCall(MatCreateSeqAIJ(PETSC_COMM_SELF, 10, 10, 3, NULL, &A));
  for (PetscInt i = 0; i < 10; ++i) {
    PetscScalar d = (i == 0 || i == 9) ? 1 : 2;
    if (!singular && i == 0) d = 3;
    PetscCall(MatSetValue(A, i, i, d, INSERT_VALUES));
    if (i > 0) PetscCall(MatSetValue(A, i, i - 1, -1, INSERT_VALUES));
    if (i < 9) PetscCall(MatSetValue(A, i, i + 1, -1, INSERT_VALUES));
  }
  PetscCall(MatAssemblyBegin(A, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(A, MAT_FINAL_ASSEMBLY));
  PetscCall(KSPCreate(PETSC_COMM_SELF, &ksp));
  PetscCall(KSPSetOptionsPrefix(ksp, "fem_"));
  PetscCall(KSPSetOperators(ksp, A, A));
  PetscCall(KSPSetFromOptions(ksp));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCFactorSetMatSolverType(pc, MATSOLVERMUMPS));
  PetscCall(KSPSetUp(ksp));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  *guard = mnn_fem_check_null_pivots(ksp);
  PetscCall(PetscPopErrorHandler());
  PetscCall(KSPDestroy(&ksp));
  PetscCall(MatDestroy(&A));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv) {
  const char *exe = getenv("MNN_EXE");
  if (!exe) {
    fprintf(stderr, "MNN_EXE is not set: run this test through ctest\n");
    return 1;
  }
  /* MUMPS' null-pivot guard, through the options mnn_fem_use_direct_solver sets */
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  mnn_error err;
  CHECK(mnn_fem_use_direct_solver("mumps", &err) == 0);
  PetscErrorCode guard = 0;
  CHECK(null_pivot_guard(1, &guard) == 0 && guard == PETSC_ERR_MAT_LU_ZRPVT);
  CHECK(null_pivot_guard(0, &guard) == 0 && guard == 0);
  PetscFinalize();

  const double a = 0.016, s = 0.004, t = 0.002, w[5] = {0.002, 0.0016, 0.0022, 0.0018, 0.0024};
  char msh[1024], netp[1024], nosup[1024], dir[1024], bad[1100], cmd[4096];
  snprintf(msh, sizeof msh, "%s", fem_test_path("fem_faults.msh"));
  snprintf(netp, sizeof netp, "%s", fem_test_path("fem_faults_network.xml"));
  snprintf(nosup, sizeof nosup, "%s", fem_test_path("fem_faults_nosupport.xml"));
  snprintf(dir, sizeof dir, "%s", fem_test_path("fem_faults_out"));
  snprintf(bad, sizeof bad, "%s", fem_test_path("fem_faults_bad.msh"));
  CHECK(fem_test_network_mesh(msh, a, s, w, t, 0.002) == 0);
  mnn_network *net = fem_test_network(a, s, w, t, 5.5e5, 0.45);
  CHECK_MSG(mnn_network_write(net, netp, &err) == 0, "%s", err.message);
  for (int i = 0; i < net->n_nodes; ++i) net->fixed[i] = 0;
  CHECK_MSG(mnn_network_write(net, nosup, &err) == 0, "%s", err.message);
  mnn_network_free(net);
  const char *args = "--load 4:0:-0.01 --output-node 2:y --order 1 --no-vtu -q";

  /* the good mesh solves (the bad ones below differ from it only in the edit) */
  snprintf(cmd, sizeof cmd, "'%s' fem '%s' '%s' %s -o '%s'", exe, netp, msh, args, dir);
  CHECK_MSG(run(cmd) == 0, "%s", out);

  /* no supports: refused before the FEM, naming the nodes (on 2 ranks: the check
   * is the same on 1) */
  const char *launch[] = {"", MNN_MPIEXEC " -q -n 2"};
  for (int k = 1; k < 2; ++k) {
    snprintf(cmd, sizeof cmd, "%s '%s' fem '%s' '%s' %s --solver mumps -o '%s'", launch[k], exe, nosup, msh, args, dir);
    CHECK(run(cmd) == 1);
    CHECK_CONTAINS(out, "nodes 1, 2, 3, 4, 5 have no support");
    CHECK_MSG(lines() == 1, "%d lines", lines());
  }

  /* bad meshes */
  char *good = slurp(msh);
  CHECK(good != NULL);
  if (!good) return mnn_test_finish();
  struct {
    const char *what, *marker;
    int skip;
    const char *line, *expect;
    int ranks; /* 1, 2, or 3 for both */
  } cases[] = {
      {"format 9", "$MeshFormat", 0, "9 0 8", "format 9 is not supported", 2},
      {"count 2^31-1", "$PhysicalNames", 0, "2147483647", "malformed $PhysicalNames count", 2},
      {"negative tag", "$PhysicalNames", 1, "3 -5 \"bond_1\"", "positive TAG", 1},
      {"tag 10^9", "$PhysicalNames", 1, "3 1000000000 \"bond_1\"", "mnn: error:", 1},
      {"tag 2^31-1", "$PhysicalNames", 1, "3 2147483647 \"bond_1\"", "mnn: error:", 1},
      {"garbage in $Nodes", "$Nodes", 3, "garbage here", "cannot read the mesh: PETSc", 3},
  };
  for (size_t c = 0; c < sizeof cases / sizeof *cases; ++c) {
    edit_line_after(bad, good, cases[c].marker, cases[c].skip, cases[c].line);
    for (int k = 0; k < 2; ++k) {
      if (!(cases[c].ranks & (1 << k))) continue;
      snprintf(cmd, sizeof cmd, "%s '%s' fem '%s' '%s' %s -o '%s'", launch[k], exe, netp, bad, args, dir);
      int rc = run(cmd);
      CHECK_MSG(rc == 1, "%s on %d rank(s): exit %d%s", cases[c].what, k + 1, rc, rc == 124 ? " (hangs)" : "");
      CHECK_CONTAINS(out, cases[c].expect);
      CHECK_MSG(lines() == 1 && !strncmp(out, "mnn: error: ", 12), "%s: %d lines", cases[c].what, lines());
    }
  }
  /* a duplicate tag: bond_1's tag given to bond_2 too */
  const char *first = strstr(good, "$PhysicalNames");
  first = first ? strchr(strchr(first, '\n') + 1, '\n') + 1 : NULL; /* bond_1's line */
  if (first) {
    int dim, tag;
    CHECK(sscanf(first, "%d %d", &dim, &tag) == 2);
    char line[64];
    snprintf(line, sizeof line, "3 %d \"bond_2\"", tag);
    edit_line_after(bad, good, "$PhysicalNames", 2, line);
    snprintf(cmd, sizeof cmd, "'%s' fem '%s' '%s' %s -o '%s'", exe, netp, bad, args, dir);
    CHECK(run(cmd) == 1);
    CHECK_CONTAINS(out, "named twice");
  }
  /* cut short in the middle of $Elements */
  const char *elements = strstr(good, "$Elements");
  if (elements) {
    FILE *f = fopen(bad, "wb");
    if (f) fwrite(good, 1, (size_t)(elements - good) + 200, f), fclose(f);
    for (int k = 1; k < 2; ++k) {
      snprintf(cmd, sizeof cmd, "%s '%s' fem '%s' '%s' %s -o '%s'", launch[k], exe, netp, bad, args, dir);
      int rc = run(cmd);
      CHECK_MSG(rc == 1, "cut short on %d rank(s): exit %d", k + 1, rc);
      CHECK_CONTAINS(out, "the mesh file is incomplete");
      CHECK(lines() == 1);
    }
  }
  free(good);
  unlink(bad);
  return mnn_test_finish();
}
