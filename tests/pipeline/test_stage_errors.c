/* A stage of `mnn run` whose input is damaged fails the way run_internal.h says:
 * -1, one message after the stage's name ("mesh stage: ...") that names the file,
 * and no output written. Here the mesh and STL stages on a trained.xml that is
 * not a network. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "run_internal.h"
#include "test_util.h"

typedef int (*stage_fn)(const mnn_run_ctx *, mnn_error *);

/* Runs fn on ctx and checks its failure: -1, err starting with prefix and naming
 * trained.xml, the output at out not there. */
static void check_fails(stage_fn fn, const mnn_run_ctx *ctx, const char *prefix, const char *out) {
  mnn_error err = {0};
  CHECK(fn(ctx, &err) == -1);
  CHECK_MSG(!strncmp(err.message, prefix, strlen(prefix)) && strstr(err.message, "trained.xml"), "%s", err.message);
  CHECK_MSG(access(out, F_OK) != 0, "%s was written", out);
}

int main(void) {
  char dir[] = "/tmp/mnn_test_stage_errors_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  static mnn_run_ctx ctx; /* the stages read ctx->trained before the case */
  snprintf(ctx.dir, sizeof ctx.dir, "%s", dir);
  mnn_run_path(&ctx, "trained.xml", ctx.trained);
  mnn_run_path(&ctx, "model.msh", ctx.mesh);
  mnn_run_path(&ctx, "mesh.record.xml", ctx.mesh_rec);
  mnn_run_path(&ctx, "model.stl", ctx.stl);
  mnn_run_path(&ctx, "stl.record.xml", ctx.stl_rec);
  FILE *f = fopen(ctx.trained, "w");
  CHECK(f && fputs("<network>not a network\n", f) >= 0 && fclose(f) == 0);

  check_fails(mnn_stage_mesh, &ctx, "mesh stage: ", ctx.mesh);
  check_fails(mnn_stage_stl, &ctx, "stl stage: ", ctx.stl);

  char cmd[200];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
  return mnn_test_finish();
}
