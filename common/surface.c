/* The closed triangulated surface type shared by meshing and export. */
#include "surface.h"

#include <stdlib.h>

void mnn_surface_free(mnn_surface *s) {
  if (!s) return;
  free(s->xyz);
  free(s->tri);
  free(s);
}
