/* The Gmsh session: one gmshInitialize per process, a fresh model per call,
 * Gmsh's own messages captured by its logger (shown only when verbose), and
 * Gmsh's errors turned into our one-line errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmshc.h>

#include "log.h"
#include "meshing_internal.h"

static int g_gmsh_started = 0;

void mnn_meshing_finalize(void) {
  if (!g_gmsh_started) return;
  int ierr = 0;
  gmshFinalize(&ierr);
  g_gmsh_started = 0;
}

int mnn_gmsh_begin(const char *model_name, int verbose, mnn_error *err) {
  int ierr = 0;
  if (!g_gmsh_started) {
    static int registered = 0;
    gmshInitialize(0, NULL, 0, &ierr);
    if (ierr) return mnn_fail(err, "meshing: cannot start Gmsh (libgmsh): check the installation of libgmsh-dev");
    g_gmsh_started = 1;
    if (!registered) {
      atexit(mnn_meshing_finalize);
      registered = 1;
    }
  }
  /* Gmsh writes to the terminal only through us */
  gmshOptionSetNumber("General.Terminal", 0, &ierr);
  gmshOptionSetNumber("General.Verbosity", verbose ? 5 : 1, &ierr);
  gmshLoggerStart(&ierr);
  gmshClear(&ierr);
  if (mnn_gmsh_check(ierr, "clear its models", err)) return -1;
  gmshModelAdd(model_name, &ierr);
  return mnn_gmsh_check(ierr, "add a model", err);
}

void mnn_gmsh_flush_log(int verbose) {
  int ierr = 0;
  char **log = NULL;
  size_t n = 0;
  gmshLoggerGet(&log, &n, &ierr);
  if (ierr) return;
  for (size_t i = 0; i < n; ++i) {
    if (verbose && log[i]) fprintf(stderr, "  gmsh: %s\n", log[i]);
    gmshFree(log[i]);
  }
  gmshFree(log);
  /* forget what was shown: restart the logger */
  gmshLoggerStop(&ierr);
  gmshLoggerStart(&ierr);
}

void mnn_gmsh_end(int verbose) {
  int ierr = 0;
  mnn_gmsh_flush_log(verbose);
  gmshModelMeshRemoveSizeCallback(&ierr);
  gmshClear(&ierr);
  gmshLoggerStop(&ierr);
}

int mnn_gmsh_check(int ierr, const char *what, mnn_error *err) {
  if (!ierr) return 0;
  char *last = NULL;
  int ierr2 = 0;
  gmshLoggerGetLastError(&last, &ierr2);
  const char *msg = (!ierr2 && last && *last) ? last : "no message";
  mnn_fail(err, "meshing: Gmsh failed to %s: %s (run with -v to see Gmsh's messages)", what, msg);
  if (last) gmshFree(last);
  return -1;
}
