/* Mesh stage of `mnn run`: the trained network as a tagged tetrahedral mesh
 * (meshing/), with its counts and quality in a record for the report. */
#include "log.h"
#include "meshing.h"
#include "network_file.h"
#include "run_internal.h"
#include "stage_records.h"

int mnn_stage_mesh(const mnn_run_ctx *ctx, mnn_error *err) {
  mnn_network *net = mnn_network_read(ctx->trained, err);
  if (!net) return mnn_error_prefix(err, "mesh stage"), -1;
  mnn_mesh_stats st;
  int rc = mnn_mesh_write(net, &ctx->c->mesh, ctx->mesh, &st, err);
  if (!rc) rc = mnn_mesh_record_write(&st, ctx->mesh_rec, err);
  if (!rc) {
    mnn_info("mesh: %ld tetrahedra, %ld nodes, SICN min %.3f mean %.3f, %.1f s", st.n_tetrahedra, st.n_nodes,
             st.min_quality, st.mean_quality, st.seconds);
  }
  if (rc) mnn_error_prefix(err, "mesh stage");
  mnn_network_free(net);
  return rc;
}
