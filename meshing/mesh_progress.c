/* Progress of long meshing on stderr: a start line for a large part, a line
 * per phase (for a small part only once it has run a few seconds) and, every
 * few seconds, which face Gmsh is meshing (taken from the size
 * callback, which Gmsh calls with the face it works on) and the share done. */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"
#include "meshing_internal.h"


void mnn_mesh_progress_start(mnn_mesh_progress *p, const char *what, int n_bodies, int n_faces,
                             double (*size)(int, int, double, double, double, void *), void *size_data) {
  p->size = size;
  p->size_data = size_data;
  p->what = what;
  p->n_faces = n_faces;
  p->faces_seen = 0;
  p->last_tag = -1;
  p->t0 = p->t_last = mnn_now();
  p->large = n_bodies >= MNN_MESH_LARGE_PART;
  if (p->large) mnn_info("%s: %d bodies (bonds and node discs): outline, 2D mesh, then the solid", what, n_bodies);
}

void mnn_mesh_progress_note(mnn_mesh_progress *p, const char *fmt, ...) {
  double now = mnn_now();
  if (!p->large && now - p->t0 < mnn_progress_interval()) return;
  char line[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  mnn_info("%s: %s (%.1f s)", p->what, line, now - p->t0);
  p->t_last = now;
}

double mnn_mesh_progress_callback(int dim, int tag, double x, double y, double z, void *data) {
  mnn_mesh_progress *p = data;
  if (dim == 2 && tag != p->last_tag) {
    p->last_tag = tag;
    p->faces_seen++;
    double now = mnn_now();
    if (now - p->t_last >= mnn_progress_interval()) {
      int done = p->faces_seen < p->n_faces ? p->faces_seen : p->n_faces;
      mnn_info("%s: 2D mesh, face %d of %d (%.0f%%, %.1f s)", p->what, done, p->n_faces,
               p->n_faces ? 100.0 * done / p->n_faces : 100.0, now - p->t0);
      p->t_last = now;
    }
  }
  return p->size(dim, tag, x, y, z, p->size_data);
}
