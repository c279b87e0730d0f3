/* `mnn mesh` end to end through the mnn executable: a mesh with counts and
 * quality on the terminal, --help documenting every option, and one-line
 * errors with no output file left behind. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"

static char out[8192];

/* Runs a shell command, stdout and stderr into `out`; returns the exit code. */
static int run(const char *fmt, const char *a, const char *b) {
  char cmd[2048], tmp[600];
  const char *dir = getenv("MNN_BINARY_DIR");
  snprintf(tmp, sizeof tmp, "%s/test_mesh_command.out", dir ? dir : ".");
  int n = snprintf(cmd, sizeof cmd, fmt, getenv("MNN_EXE"), a, b);
  snprintf(cmd + n, sizeof cmd - (size_t)n, " > '%s' 2>&1", tmp);
  int rc = system(cmd);
  FILE *fp = fopen(tmp, "r");
  size_t len = fp ? fread(out, 1, sizeof out - 1, fp) : 0;
  out[len] = '\0';
  if (fp) fclose(fp);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

int main(void) {
  if (!getenv("MNN_EXE")) {
    fprintf(stderr, "MNN_EXE is not set: run through ctest\n");
    return 1;
  }
  const char *dir = getenv("MNN_BINARY_DIR") ? getenv("MNN_BINARY_DIR") : ".";
  char net[600], msh[600], bad[600];
  snprintf(net, sizeof net, "%s/test_mesh_command_net.xml", dir);
  snprintf(msh, sizeof msh, "%s/test_mesh_command.msh", dir);
  snprintf(bad, sizeof bad, "%s/test_mesh_command_bad.msh", dir);
  unlink(msh), unlink(bad);

  CHECK(run("'%s' lattice triangle 3 2 -o '%s'", net, "") == 0);
  CHECK(run("'%s' mesh '%s' -o '%s' --refine 0.5 --across-neck 2 --layers 2", net, msh) == 0);
  CHECK(access(msh, R_OK) == 0);
  CHECK_CONTAINS(out, "tetrahedra");
  CHECK_CONTAINS(out, "quality (SICN): min");
  CHECK_CONTAINS(out, "7 bond and 5 node groups");
  printf("%s", out);

  CHECK(run("'%s' mesh '%s' -o '%s' --refine 0.5 -q", net, msh) == 0);
  CHECK_MSG(out[0] == '\0', "-q printed: %s", out);
  /* progress: with a line at every step, the 2D faces and the phases; -q
   * silences them; the STL's 2D mesh likewise */
  CHECK(run("MNN_PROGRESS_EVERY=0 '%s' mesh '%s' -o '%s' --refine 0.5", net, msh) == 0);
  CHECK_CONTAINS(out, "mesh: 2D mesh, face 1 of 12 (8%");
  CHECK_CONTAINS(out, "mesh: 2D mesh done, extruding it in 2 layers");
  CHECK_CONTAINS(out, " tetrahedra, writing ");
  CHECK(run("MNN_PROGRESS_EVERY=0 '%s' mesh '%s' -o '%s' --refine 0.5 -q", net, msh) == 0);
  CHECK_MSG(out[0] == '\0', "-q printed: %s", out);
  char stl[700];
  snprintf(stl, sizeof stl, "%s.stl", msh);
  CHECK(run("MNN_PROGRESS_EVERY=0 '%s' stl '%s' -o '%s'", net, stl) == 0);
  CHECK_CONTAINS(out, "stl: 2D mesh, face 12 of 12 (100%");
  CHECK_CONTAINS(out, "triangles on the print surface");
  CHECK(run("MNN_PROGRESS_EVERY=0 '%s' stl '%s' -o '%s' -q", net, stl) == 0);
  CHECK_MSG(out[0] == '\0', "-q printed: %s", out);
  /* the former method through the command line */
  CHECK(run("'%s' mesh '%s' -o '%s' --refine 0.5 --method delaunay3d", net, msh) == 0);
  CHECK_CONTAINS(out, "7 bond and 5 node groups");
  CHECK(run("'%s' mesh '%s' -o '%s' --method voxels", net, bad) == 2);
  CHECK_CONTAINS(out, "use extruded or delaunay3d");
  CHECK(run("'%s' mesh '%s' -o '%s' --refine 0.5 -v", net, msh) == 0);
  CHECK_CONTAINS(out, "gmsh: Info");

  CHECK(run("'%s' mesh --help%s%s", "", "") == 0);
  const char *options[] = {"--method", "--output", "--refine", "--across-neck", "--layers", "--node-radius", "--neck-length",
                           "--verbose", "--quiet"};
  for (size_t i = 0; i < sizeof options / sizeof *options; ++i) CHECK_CONTAINS(out, options[i]);

  /* errors: one line, non-zero exit, no output file */
  CHECK(run("'%s' mesh '%s' -o '%s' --neck-length 0.007", net, bad) != 0);
  CHECK_CONTAINS(out, "mnn: error:");
  CHECK_CONTAINS(out, "neck");
  CHECK(strchr(out, '\n') == out + strlen(out) - 1);
  CHECK(access(bad, F_OK) != 0);
  CHECK(run("'%s' mesh '%s' -o '%s' --across-neck 1", net, bad) != 0);
  CHECK_CONTAINS(out, "across the neck");
  CHECK(access(bad, F_OK) != 0);
  CHECK(run("'%s' mesh '%s'%s", net, "") != 0);
  CHECK_CONTAINS(out, "-o");
  return mnn_test_finish();
}
