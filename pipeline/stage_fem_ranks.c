/* The FEM stage of `mnn run` on N MPI ranks: the mnn run process stays serial
 * (training, meshing and export gain nothing from ranks) and starts
 * `mpiexec -n N <this program> run CASE -o DIR --fem-stage`, which runs only
 * the FEM stage (stage_fem.c) on PETSC_COMM_WORLD and writes the same outputs
 * (fem.record.xml, fields.vtu) from rank 0. The launcher is `mpiexec`, or the
 * command in MNN_MPIEXEC (split at spaces, e.g. "srun --mpi=pmix" or
 * "mpiexec --oversubscribe"); `-n N` is appended. */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/stat.h>
#include <time.h>

#include "log.h"
#include "run_internal.h"
#include "stage.h"

extern char **environ;

#define MAX_ARGS 64

/* Environment for the launcher: ours without the variables an MPI singleton
 * (a PETSc started earlier in this process) leaves, which would make mpiexec
 * think it runs inside a job. */
static int launcher_environment(char ***out) {
  size_t n = 0;
  while (environ[n]) ++n;
  char **env = malloc(sizeof(char *) * (n + 1));
  if (!env) return -1;
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    const char *e = environ[i];
    if (!strncmp(e, "PMIX_", 5) || !strncmp(e, "OMPI_COMM_WORLD", 15) || !strncmp(e, "OMPI_MCA_ess", 12) ||
        !strncmp(e, "OMPI_MCA_orte", 13) || !strncmp(e, "OMPI_MCA_pmix", 13) || !strncmp(e, "OMPI_UNIVERSE", 13))
      continue;
    env[k++] = environ[i];
  }
  env[k] = NULL;
  *out = env;
  return 0;
}

int mnn_stage_fem_ranks(const mnn_run_ctx *ctx, int ranks, mnn_error *err) {
  char exe[MNN_RUN_PATH], nbuf[16], launcher[512];
  ssize_t n_exe = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n_exe <= 0) return mnn_fail(err, "fem stage: cannot find this program's path (/proc/self/exe) to start it on %d ranks", ranks);
  exe[n_exe] = '\0';
  const char *l = getenv("MNN_MPIEXEC");
  snprintf(launcher, sizeof launcher, "%s", l && *l ? l : "mpiexec");
  snprintf(nbuf, sizeof nbuf, "%d", ranks);
  char *argv[MAX_ARGS];
  int argc = 0;
  for (char *save = NULL, *tok = strtok_r(launcher, " \t", &save); tok && argc < MAX_ARGS - 16;
       tok = strtok_r(NULL, " \t", &save))
    argv[argc++] = tok;
  if (argc == 0) return mnn_fail(err, "fem stage: MNN_MPIEXEC is blank: unset it or name a launcher such as mpiexec");
  const char *rest[] = {"-n", nbuf, exe, "run", ctx->c->path, "-o", ctx->dir, "--fem-stage",
                        mnn_get_verbosity() == MNN_QUIET ? "-q" : mnn_get_verbosity() == MNN_VERBOSE ? "-v" : NULL};
  for (size_t i = 0; i < sizeof rest / sizeof *rest && rest[i]; ++i) argv[argc++] = (char *)rest[i];
  argv[argc] = NULL;
  mnn_info("fem: on %d ranks: %s -n %d %s run %s -o %s --fem-stage", ranks, argv[0], ranks, exe, ctx->c->path, ctx->dir);
  char **env = NULL;
  if (launcher_environment(&env)) return mnn_fail(err, "fem stage: out of memory");
  fflush(NULL);
  time_t started = time(NULL);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, env);
  free(env);
  if (rc)
    return mnn_fail(err, "fem stage: cannot start %s (%s): install MPI's mpiexec or set MNN_MPIEXEC to the launcher", argv[0],
                    strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return mnn_fail(err, "fem stage: lost the %s process (%s)", argv[0], strerror(errno));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (WIFEXITED(status))
      return mnn_fail(err, "fem stage: %s -n %d failed (exit status %d): see its messages above", argv[0], ranks,
                      WEXITSTATUS(status));
    return mnn_fail(err, "fem stage: %s -n %d was killed by signal %d", argv[0], ranks, WTERMSIG(status));
  }
  /* the record must be there and new (it is written atomically, last) */
  struct stat st;
  if (stat(ctx->fem_rec, &st) != 0 || st.st_mtime < started - 1)
    return mnn_fail(err, "fem stage: %s -n %d finished but did not write %s: see its messages above", argv[0], ranks,
                    ctx->fem_rec);
  return 0;
}
