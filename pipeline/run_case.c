/* `mnn run` orchestration: output paths, the folder's lock, the stage order, the
 * up-to-date checks (a stage runs when the content of an input or of one of its
 * outputs changed, or with --force; stage.h), and the closing summary. Stages
 * write atomically, so a failed stage leaves the outputs of the previous run
 * untouched. */
#include "run_case.h"

#include <errno.h>
#include <petscsys.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "atomic_file.h"
#include "cli_petsc.h"
#include "log.h"
#include "run_internal.h"
#include "stage.h"

void mnn_run_path(const mnn_run_ctx *ctx, const char *name, char *out) {
  snprintf(out, MNN_RUN_PATH, "%s/%s", ctx->dir, name);
}

typedef int (*stage_fn)(const mnn_run_ctx *, mnn_error *);

/* Runs one stage unless it is up to date (stage.h: the record at rec holds the
 * key of the inputs' contents and its outputs are as it left them); *ran says
 * which. After a run the record is sealed with both keys. */
static int run_stage(const mnn_run_ctx *ctx, const char *name, stage_fn fn, const char *const *in, int n_in,
                     const char *const *out, int n_out, const char *rec, int force, int *ran, mnn_error *err) {
  char key[MNN_STAGE_KEY_LEN];
  mnn_stage_key(name, in, n_in, key);
  if (!force && mnn_stage_up_to_date(key, out, n_out, rec)) {
    mnn_info("%s: up to date, skipped", name);
    *ran = 0;
    return 0;
  }
  double t0 = mnn_now();
  if (fn(ctx, err)) return -1;
  if (mnn_stage_seal(name, key, out, n_out, rec, err)) return mnn_error_prefix(err, "%s stage", name), -1;
  mnn_debug("%s: %.2f s", name, mnn_now() - t0);
  *ran = 1;
  return 0;
}

static int stage_fem_dispatch(const mnn_run_ctx *ctx, mnn_error *err);

/* The stages in order, each skipped when up to date; *shown says which products
 * the closing summary lists (mesh, fem, stl). */
static int run_stages(mnn_run_ctx *ctx, const mnn_run_options *o, mnn_run_summary *s, int shown[3], mnn_error *err) {
  const mnn_case *c = ctx->c;
  int has_task = mnn_case_final_task(c) >= 0;
  int do_mesh = c->mesh_enabled, do_fem = c->fem_enabled && c->mesh_enabled && has_task, do_stl = c->stl_enabled;
  shown[0] = do_mesh, shown[1] = do_fem, shown[2] = do_stl;
  if (c->fem_enabled && !do_fem)
    mnn_info("fem: not run (%s)", !c->mesh_enabled ? "the mesh stage is disabled" : "the case has no <train> task");

  /* the program itself is an input of every stage: a new mnn redoes what it computes */
  char exe[MNN_RUN_PATH] = "";
  ssize_t n_exe = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[n_exe > 0 ? n_exe : 0] = '\0';
  const char *program = exe[0] ? exe : NULL;
  const char *train_in[9] = {program};
  int n_train_in = 1 + mnn_case_inputs(c, train_in + 1, 8);
  const char *train_out[] = {ctx->network, ctx->trained, ctx->history};
  const char *mesh_in[] = {program, c->path, ctx->trained}, *mesh_out[] = {ctx->mesh};
  const char *fem_in[] = {program,    c->path, ctx->trained, ctx->train_rec, ctx->mesh,
                          c->fem_material_file[0] ? c->fem_material_file : NULL};
  const char *fem_out[] = {ctx->vtu};
  int do_measure = c->n_measurements > 0;
  const char *measure_in[3 + 2 * MNN_CASE_MAX_MEASUREMENTS] = {program, c->path, fem_in[5]};
  char measured_nets[MNN_CASE_MAX_MEASUREMENTS][MNN_CASE_PATH];
  int n_measure_in = 3 + mnn_measure_inputs(c, measure_in + 3, measured_nets);
  const char *stl_in[] = {program, c->path, ctx->trained}, *stl_out[] = {ctx->stl};
  const char *report_in[] = {program,      c->path,     ctx->trained, ctx->history, ctx->train_rec,
                             do_mesh ? ctx->mesh_rec : NULL, do_fem ? ctx->fem_rec : NULL, do_stl ? ctx->stl_rec : NULL,
                             do_measure ? ctx->measure_rec : NULL};
  const char *report_out[] = {ctx->report, ctx->html};
  char report_rec[MNN_RUN_PATH];
  mnn_run_path(ctx, "report.record.xml", report_rec);
  int rc = run_stage(ctx, "train", mnn_stage_train, train_in, n_train_in, train_out, 3, ctx->train_rec, o->force,
                     &s->ran_train, err);
  if (!rc && do_mesh)
    rc = run_stage(ctx, "mesh", mnn_stage_mesh, mesh_in, 3, mesh_out, 1, ctx->mesh_rec, o->force, &s->ran_mesh, err);
  if (!rc && do_fem)
    rc = run_stage(ctx, "fem", stage_fem_dispatch, fem_in, 6, fem_out, 1, ctx->fem_rec, o->force, &s->ran_fem, err);
  /* the measurement stage's outputs: its record, and material.xml when a part is
   * marked for the fit */
  int fits = 0;
  for (int k = 0; k < c->n_measurements; ++k) fits |= c->measurement_fit[k] != 0;
  const char *measure_out[] = {ctx->material};
  if (!rc && do_measure)
    rc = run_stage(ctx, "measure", mnn_stage_measure, measure_in, n_measure_in, measure_out, fits, ctx->measure_rec,
                   o->force, &s->ran_measure, err);
  if (!rc && do_stl)
    rc = run_stage(ctx, "stl", mnn_stage_stl, stl_in, 3, stl_out, 1, ctx->stl_rec, o->force, &s->ran_stl, err);
  if (!rc)
    rc = run_stage(ctx, "report", mnn_stage_report, report_in, 9, report_out, 2, report_rec, o->force,
                   &s->ran_report, err);
  return rc;
}

/* The output folder (created) and every path in it. */
static int run_paths(mnn_run_ctx *ctx, const mnn_case *c, const char *out_dir, mnn_error *err) {
  memset(ctx, 0, sizeof *ctx);
  ctx->c = c;
  if (strlen(out_dir) > 1000) return mnn_fail(err, "output folder name longer than 1000 characters: choose a shorter one");
  snprintf(ctx->dir, sizeof ctx->dir, "%s", out_dir);
  if (mnn_make_dirs(ctx->dir))
    return mnn_fail(err, "%s: cannot create the output folder (%s): check the path and permissions", ctx->dir,
                    strerror(errno));
  mnn_run_path(ctx, "network.xml", ctx->network);
  mnn_run_path(ctx, "trained.xml", ctx->trained);
  mnn_run_path(ctx, "history.csv", ctx->history);
  mnn_run_path(ctx, "train.record.xml", ctx->train_rec);
  mnn_run_path(ctx, "model.msh", ctx->mesh);
  mnn_run_path(ctx, "mesh.record.xml", ctx->mesh_rec);
  mnn_run_path(ctx, "fields.vtu", ctx->vtu);
  mnn_run_path(ctx, "fem.record.xml", ctx->fem_rec);
  mnn_run_path(ctx, "model.stl", ctx->stl);
  mnn_run_path(ctx, "stl.record.xml", ctx->stl_rec);
  mnn_run_path(ctx, "measure.record.xml", ctx->measure_rec);
  mnn_run_path(ctx, "material.xml", ctx->material);
  mnn_run_path(ctx, "report.xml", ctx->report);
  mnn_run_path(ctx, "report.html", ctx->html);
  return 0;
}

/* The FEM stage in this process (one rank) or under mpiexec. */
static int stage_fem_dispatch(const mnn_run_ctx *ctx, mnn_error *err) {
  return ctx->fem_ranks > 1 ? mnn_stage_fem_ranks(ctx, ctx->fem_ranks, err) : mnn_stage_fem(ctx, err);
}

int mnn_run_fem_stage(const mnn_case *c, const mnn_run_options *o, mnn_error *err) {
  mnn_run_ctx ctx;
  if (run_paths(&ctx, c, o->out_dir, err)) return -1;
  if (mnn_run_petsc_ready(0, NULL, err)) return mnn_error_prefix(err, "fem stage"), -1;
  PetscMPIInt rank = 0;
  if (MPI_Comm_rank(PETSC_COMM_WORLD, &rank) != MPI_SUCCESS)
    return mnn_fail(err, "fem stage: MPI cannot say this process's rank: check the MPI installation (mpiexec)");
  if (rank > 0) mnn_set_verbosity(MNN_QUIET);
  return mnn_stage_fem(&ctx, err);
}

int mnn_run_case(const mnn_case *c, const mnn_run_options *o, mnn_run_summary *s, mnn_error *err) {
  memset(s, 0, sizeof *s);
  double t0 = mnn_now();
  mnn_run_ctx ctx;
  if (run_paths(&ctx, c, o->out_dir, err)) return -1;
  ctx.summary = s;
  ctx.fem_ranks = o->fem_ranks > 0 ? o->fem_ranks : c->fem_ranks;

  /* one run at a time in a folder, and what a killed run left half-written goes */
  int lock = mnn_stage_lock_folder(ctx.dir, err);
  if (lock < 0) return -1;
  mnn_temp_remove_stale(ctx.dir);
  int shown[3];
  int rc = run_stages(&ctx, o, s, shown, err);
  close(lock);
  s->seconds = mnn_now() - t0;
  if (rc) return -1;
  mnn_info("done in %.1f s: %s", s->seconds, ctx.dir);
  mnn_info("  trained network  %s", ctx.trained);
  if (shown[0]) mnn_info("  mesh (Gmsh)      %s", ctx.mesh);
  if (shown[1]) mnn_info("  fields (VTU)     %s", ctx.vtu);
  if (shown[2]) mnn_info("  STL (mm)         %s", ctx.stl);
  mnn_info("  report           %s (and %s)", ctx.report, ctx.html);
  return 0;
}
