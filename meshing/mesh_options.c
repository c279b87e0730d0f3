/* Mesh options: defaults and their checks. */
#include <math.h>

#include "meshing_internal.h"

void mnn_mesh_options_default(mnn_mesh_options *opt) {
  opt->refinement = 1.0;
  opt->elements_across_neck = 3;
  opt->layers_through_thickness = 2;
  opt->verbose = 0;
  opt->method = MNN_MESH_EXTRUDED;
}

int mnn_mesh_options_check(const mnn_mesh_options *opt, mnn_error *err) {
  if (!(opt->refinement > 0) || !isfinite(opt->refinement) || opt->refinement > 20)
    return mnn_fail(err, "meshing: refinement %g is out of range: use a factor in (0, 20]", opt->refinement);
  if (opt->elements_across_neck < 2 || opt->elements_across_neck > 50)
    return mnn_fail(err, "meshing: %d elements across the neck: use 2 to 50", opt->elements_across_neck);
  if (opt->layers_through_thickness < 2 || opt->layers_through_thickness > 50)
    return mnn_fail(err, "meshing: %d element layers through the thickness: use 2 to 50", opt->layers_through_thickness);
  if (opt->method != MNN_MESH_EXTRUDED && opt->method != MNN_MESH_DELAUNAY3D)
    return mnn_fail(err, "meshing: unknown method %d: use extruded or delaunay3d", (int)opt->method);
  return 0;
}
