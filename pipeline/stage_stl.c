/* STL stage of `mnn run`: the print solid's boundary (meshing/) written as
 * STL in mm through ADMesh (export/), its statistics in a record for the report. */
#include "log.h"
#include "meshing.h"
#include "network_file.h"
#include "run_internal.h"
#include "stage_records.h"
#include "stl_export.h"

int mnn_stage_stl(const mnn_run_ctx *ctx, mnn_error *err) {
  mnn_network *net = mnn_network_read(ctx->trained, err);
  if (!net) return mnn_error_prefix(err, "stl stage"), -1;
  mnn_surface *surface = mnn_mesh_print_surface(net, &ctx->c->mesh, err);
  int rc = surface ? 0 : -1;
  mnn_stl_options opt;
  mnn_stl_options_default(&opt);
  opt.ascii = ctx->c->stl_ascii;
  mnn_stl_stats st;
  if (!rc) rc = mnn_stl_export(surface, &opt, ctx->stl, &st, err);
  if (!rc) rc = mnn_stl_record_write(&st, ctx->stl_rec, err);
  if (!rc) {
    mnn_info("stl: %d facets, %.1f mm^3, %d part(s), repairs: %s", st.facets, st.volume_mm3, st.parts,
             st.repairs[0] ? st.repairs : "none");
  }
  if (rc) mnn_error_prefix(err, "stl stage");
  mnn_surface_free(surface);
  mnn_network_free(net);
  return rc;
}
