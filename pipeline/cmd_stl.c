/* mnn stl: the printable part of a network: the print solid's boundary
 * (meshing/) written as STL in mm through ADMesh (export/), with its checks and
 * the printability of the geometry against the printer profile. */
#include <getopt.h>
#include <stdio.h>
#include "cli.h"
#include "log.h"
#include "meshing.h"
#include "network_file.h"
#include "printability.h"
#include "stl_export.h"

static void help(void) {
  printf("usage: mnn stl NETWORK.xml -o MODEL.stl [options]\n"
         "\n"
         "Writes the network's printable solid (bonds of their width with half-width necks,\n"
         "node discs, one planar outline extruded by the thickness) as an STL file in\n"
         "millimetres, checked and if needed repaired by ADMesh: no open or non-manifold\n"
         "edges, one part, outward normals. Prints facets, volume, parts and repairs, and\n"
         "the printability checks (thinnest neck, smallest gap, size against the tray).\n"
         "\n"
         "options:\n"
         "  -o, --output FILE   STL file to write (required; written atomically)\n"
         "  --ascii             ASCII STL instead of binary\n"
         "  --strict            a printability violation is an error (default: warning)\n"
         "  --min-feature M     thinnest printable neck in m (default 0.0003)\n"
         "  --refine F          finer surface triangulation (default 1)\n"
         "  -q, --quiet         print nothing but errors;  -v  Gmsh's own messages\n"
         "  -h, --help          this help\n");
}

int mnn_cmd_stl(int argc, char **argv) {
  static const struct option opts[] = {{"output", required_argument, 0, 'o'}, {"ascii", no_argument, 0, 'a'},
                                       {"strict", no_argument, 0, 's'},        {"min-feature", required_argument, 0, 'm'},
                                       {"refine", required_argument, 0, 'r'},  {"quiet", no_argument, 0, 'q'},
                                       {"verbose", no_argument, 0, 'v'},       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *out = NULL;
  int strict = 0, c;
  mnn_stl_options opt;
  mnn_stl_options_default(&opt);
  mnn_mesh_options mesh;
  mnn_mesh_options_default(&mesh);
  mnn_printer_profile printer;
  mnn_printer_profile_default(&printer);
  mnn_error err;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:qvh", opts, NULL)) != -1) {
    int bad = 0;
    switch (c) {
      case 'o': out = optarg; break;
      case 'a': opt.ascii = 1; break;
      case 's': strict = 1; break;
      case 'm': bad = mnn_cli_double(optarg, "--min-feature", &printer.min_feature, &err); break;
      case 'r': bad = mnn_cli_double(optarg, "--refine", &mesh.refinement, &err); break;
      case 'q': mnn_set_verbosity(MNN_QUIET); break;
      case 'v': mesh.verbose = 1; break;
      case 'h': help(); return 0;
      default: return mnn_cli_bad_option("stl", argv, opts);
    }
    if (bad) return mnn_cli_usage(&err);
  }
  if (optind != argc - 1) return mnn_cli_usagef("stl: give exactly one network file: mnn stl NETWORK.xml -o MODEL.stl");
  if (!out) return mnn_cli_usagef("stl: no output file: add -o MODEL.stl");
  mnn_network *net = mnn_network_read(argv[optind], &err);
  if (!net) return mnn_cli_fail(&err);
  mnn_print_check check;
  mnn_surface *surface = NULL;
  mnn_stl_stats st;
  int rc = mnn_print_check_network(net, &printer, strict, &check, &err) ||
           !(surface = mnn_mesh_print_surface(net, &mesh, &err)) || mnn_stl_export(surface, &opt, out, &st, &err);
  if (!rc) {
    mnn_info("wrote %s: %d facets, %.2f mm^3, %d part(s), %d bad edges, repairs: %s", out, st.facets, st.volume_mm3,
             st.parts, st.bad_edges, st.repairs[0] ? st.repairs : "none");
    mnn_info("size %.1f x %.1f x %.1f mm; thinnest neck %.3f mm (bond %d)", st.max_mm[0] - st.min_mm[0],
             st.max_mm[1] - st.min_mm[1], st.max_mm[2] - st.min_mm[2], check.thinnest_neck * 1e3,
             check.thinnest_neck_bond);
  }
  mnn_surface_free(surface);
  mnn_network_free(net);
  return rc ? mnn_cli_fail(&err) : 0;
}
