/* Meshing's print surface through the STL export, end to end: the paper's network
 * (2 mm widths) and a network with trained-like widths (1.5 to 2.5 mm) each become
 * an STL that ADMesh's library and the Debian `admesh` command read as one closed
 * part with no repairs; the paper network's STL volume equals its tetrahedral
 * mesh's volume within 0.5%. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include "network.h"
#include "meshing.h"
#include "printability.h"
#include "stl_export.h"
#include "export/export_test_util.h"
#include "test_util.h"

static void check_network(mnn_network *net, const char *name, const char *dir, int compare_with_tetrahedra) {
  mnn_error err;
  mnn_mesh_options mo;
  mnn_mesh_options_default(&mo);
  mnn_surface *s = mnn_mesh_print_surface(net, &mo, &err);
  CHECK_MSG(s != NULL, "%s: %s", name, err.message);
  if (!s) return;
  char path[600], cmd[800];
  snprintf(path, sizeof path, "%s/%s.stl", dir, name);
  mnn_stl_stats st;
  CHECK_MSG(mnn_stl_export(s, NULL, path, &st, &err) == 0, "%s: %s", name, err.message);
  CHECK_MSG(st.input.closed && st.input.parts == 1, "%s: meshing's surface: %d open, %d non-manifold, %d flipped, %d parts",
            name, st.input.open_edges, st.input.non_manifold_edges, st.input.misoriented_edges, st.input.parts);
  CHECK_MSG(st.repaired == 0 && st.reversed_all == 0, "%s: repairs: %s", name, st.repairs);
  CHECK(st.parts == 1 && st.bad_edges == 0);
  CHECK_CLOSE(st.max_mm[2] - st.min_mm[2], net->thickness * 1e3, 1e-5, 0);

  /* ADMesh's float volume against the surface's own double-precision volume */
  CHECK_CLOSE(st.volume_mm3, st.input_volume_mm3, 1e-4, 0);
  printf("%s: %d facets, STL volume %.6g mm^3\n", name, st.facets, st.volume_mm3);
  if (compare_with_tetrahedra) { /* the tetrahedral mesh of the same solid (the slow part) */
    snprintf(cmd, sizeof cmd, "%s/%s.msh", dir, name);
    mnn_mesh_stats ms;
    CHECK_MSG(mnn_mesh_write(net, &mo, cmd, &ms, &err) == 0, "%s: %s", name, err.message);
    CHECK_CLOSE(st.volume_mm3, ms.volume * 1e9, 0.005, 0);
    printf("%s: tetrahedral mesh %.6g mm^3 (STL %+.3g%%)\n", name, ms.volume * 1e9,
           100 * (st.volume_mm3 / (ms.volume * 1e9) - 1));
  }

  snprintf(cmd, sizeof cmd, "admesh '%s' 2>&1", path);
  char *out = run_command(cmd, NULL);
  CHECK(out != NULL);
  if (out) {
    CHECK_CONTAINS(out, "Number of parts       :     1");
    CHECK_CONTAINS(out, "Backwards edges       :     0");
    CHECK_CONTAINS(out, "Degenerate facets     :     0");
    CHECK_CONTAINS(out, "Facets removed        :     0");
    CHECK_CONTAINS(out, "Facets added          :     0");
    CHECK_CONTAINS(out, "Facets reversed       :     0");
    CHECK(strstr(out, "rror") == NULL);
    free(out);
  }
  mnn_print_check pc;
  CHECK(mnn_print_check_network(net, NULL, 1, &pc, &err) == 0);
  CHECK(pc.fits_tray && pc.n_issues == 0);
  mnn_surface_free(s);
}

int main(void) {
  mnn_error err;
  char dir[] = "/tmp/mnn_test_print_solid_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  mnn_network *paper = mnn_lattice_paper(&err);
  check_network(paper, "paper", dir, 1);
  /* widths spread over the trained range, as after training */
  for (int b = 0; b < paper->n_bonds; ++b) paper->width[b] = 0.0015 + 0.001 * fmod(0.618034 * (b + 1), 1.0);
  check_network(paper, "trained_widths", dir, 0);
  mnn_network_free(paper);
  char cmd[200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK(system(cmd) == 0);
  return mnn_test_finish();
}
