/* Element sizes for the FEM mesh, as a Gmsh size callback: w/2/N/refinement
 * inside each neck (N elements across the neck), growing linearly with the
 * distance from the neck, capped at thickness/layers/max(refinement, 1) so
 * that the thickness always gets at least `layers` elements. Along each disc's rim the
 * size is at most 2 pi r / max(32, 36 refinement), so that the faceted rim
 * keeps the volume within 0.3% even on coarse meshes. Bond middles and disc
 * centres get the coarser sizes. Features are kept in a uniform grid of
 * buckets so that a query costs a few features, not all of them. */
#include <math.h>
#include <stdlib.h>

#include "meshing_internal.h"

#define GROWTH 0.7 /* size increase per unit distance from a neck, at refinement 1 */

#define RIM_SEGMENTS 36 /* per disc rim at refinement 1 */
#define RIM_SEGMENTS_MIN 32

typedef struct {
  double x0, y0, x1, y1; /* neck centre segment, or the disc centre (x0, y0) */
  double half_width;     /* w/4 for a neck; the radius for a disc rim */
  double size;           /* element size inside the neck / on the rim */
  int is_rim;
} neck_segment;

struct mnn_mesh_size_field {
  int n_necks;
  neck_segment *necks;
  double size_max, size_min, reach;
  double growth; /* GROWTH / refinement: every size scales by 1 / refinement */
  double gx0, gy0, cell; /* bucket grid */
  int nx, ny;
  int *start, *items; /* CSR: necks of bucket (i, j) */
};

static double segment_distance(const neck_segment *s, double x, double y) {
  double dx = s->x1 - s->x0, dy = s->y1 - s->y0, len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((x - s->x0) * dx + (y - s->y0) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return hypot(x - s->x0 - t * dx, y - s->y0 - t * dy);
}

static double neck_size_at(const mnn_mesh_size_field *f, const neck_segment *s, double x, double y) {
  double d = s->is_rim ? fabs(hypot(x - s->x0, y - s->y0) - s->half_width) : segment_distance(s, x, y) - s->half_width;
  return s->size + f->growth * (d > 0 ? d : 0);
}

void mnn_mesh_size_field_free(mnn_mesh_size_field *f) {
  if (!f) return;
  free(f->necks);
  free(f->start);
  free(f->items);
  free(f);
}

static int bucket_range(const mnn_mesh_size_field *f, double lo, double hi, double origin, int n, int *i0, int *i1) {
  *i0 = (int)floor((lo - origin) / f->cell);
  *i1 = (int)floor((hi - origin) / f->cell);
  if (*i0 < 0) *i0 = 0;
  if (*i1 > n - 1) *i1 = n - 1;
  return *i0 <= *i1;
}

/* The field with neck features (when necks) and rim features of size
 * rim_size (capped at size_max), growing by growth per unit distance. */
static mnn_mesh_size_field *field_create(const mnn_network *net, int necks, double neck_across, double refinement,
                                         double rim_size, double growth, double size_max, mnn_error *err) {
  mnn_mesh_size_field *f = calloc(1, sizeof *f);
  if (!f) return mnn_fail(err, "meshing: out of memory"), NULL;
  double F = refinement;
  f->size_max = size_max;
  f->size_min = f->size_max;
  f->growth = growth;
  int nb = necks ? net->n_bonds : 0;
  f->n_necks = 2 * nb + net->n_nodes;
  f->necks = malloc(sizeof *f->necks * (size_t)(f->n_necks ? f->n_necks : 1));
  if (!f->necks) goto oom;
  double r = net->joint.node_radius;
  double gx0 = INFINITY, gy0 = INFINITY, gx1 = -INFINITY, gy1 = -INFINITY;
  for (int b = 0; b < nb; ++b) {
    double cx, cy, s1, s2;
    mnn_bond_direction(net, b, &cx, &cy);
    mnn_mesh_bond_necks(net, b, &s1, &s2);
    double L = mnn_bond_length(net, b), ax = net->x[net->bond_a[b]], ay = net->y[net->bond_a[b]];
    double size = fmin(0.5 * net->width[b] / neck_across / F, f->size_max);
    const double from[2] = {r, s2}, to[2] = {s1, L - r};
    for (int e = 0; e < 2; ++e) {
      neck_segment *s = &f->necks[2 * b + e];
      s->x0 = ax + from[e] * cx, s->y0 = ay + from[e] * cy;
      s->x1 = ax + to[e] * cx, s->y1 = ay + to[e] * cy;
      s->half_width = 0.25 * net->width[b];
      s->size = size;
      s->is_rim = 0;
      f->size_min = fmin(f->size_min, size);
      gx0 = fmin(gx0, fmin(s->x0, s->x1)), gx1 = fmax(gx1, fmax(s->x0, s->x1));
      gy0 = fmin(gy0, fmin(s->y0, s->y1)), gy1 = fmax(gy1, fmax(s->y0, s->y1));
    }
  }
  for (int n = 0; n < net->n_nodes; ++n) {
    neck_segment *s = &f->necks[2 * nb + n];
    s->x0 = s->x1 = net->x[n], s->y0 = s->y1 = net->y[n];
    s->half_width = r;
    s->is_rim = 1;
    s->size = fmin(rim_size, f->size_max);
    f->size_min = fmin(f->size_min, s->size);
    gx0 = fmin(gx0, s->x0 - r), gx1 = fmax(gx1, s->x0 + r);
    gy0 = fmin(gy0, s->y0 - r), gy1 = fmax(gy1, s->y0 + r);
  }
  if (f->n_necks == 0) return f;
  /* beyond this distance from a neck's edge, its size exceeds size_max */
  double max_half = 0;
  for (int i = 0; i < f->n_necks; ++i) max_half = fmax(max_half, f->necks[i].half_width);
  /* (for a rim, half_width is the radius: the reach then covers the disc) */
  f->reach = (f->size_max - f->size_min) / f->growth + max_half;
  f->cell = fmax(f->reach, 1e-9);
  f->gx0 = gx0 - f->reach, f->gy0 = gy0 - f->reach;
  f->nx = (int)ceil((gx1 + f->reach - f->gx0) / f->cell) + 1;
  f->ny = (int)ceil((gy1 + f->reach - f->gy0) / f->cell) + 1;
  if ((double)f->nx * f->ny > 4e6) { /* absurd aspect: one bucket */
    f->nx = f->ny = 1;
    f->cell = fmax(gx1 - gx0, gy1 - gy0) + 2 * f->reach + 1;
  }
  size_t ncell = (size_t)f->nx * (size_t)f->ny;
  f->start = calloc(ncell + 1, sizeof(int));
  if (!f->start) goto oom;
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) {
      for (size_t c = 0; c < ncell; ++c) f->start[c + 1] += f->start[c];
      f->items = malloc(sizeof(int) * (size_t)(f->start[ncell] ? f->start[ncell] : 1));
      if (!f->items) goto oom;
    }
    int *fill = pass == 1 ? calloc(ncell, sizeof(int)) : NULL;
    if (pass == 1 && !fill) goto oom;
    for (int k = 0; k < f->n_necks; ++k) {
      const neck_segment *s = &f->necks[k];
      int i0, i1, j0, j1;
      if (!bucket_range(f, fmin(s->x0, s->x1) - f->reach, fmax(s->x0, s->x1) + f->reach, f->gx0, f->nx, &i0, &i1) ||
          !bucket_range(f, fmin(s->y0, s->y1) - f->reach, fmax(s->y0, s->y1) + f->reach, f->gy0, f->ny, &j0, &j1))
        continue;
      for (int j = j0; j <= j1; ++j)
        for (int i = i0; i <= i1; ++i) {
          size_t c = (size_t)j * (size_t)f->nx + (size_t)i;
          if (pass == 0) f->start[c + 1]++;
          else f->items[f->start[c] + fill[c]++] = k;
        }
    }
    free(fill);
  }
  return f;
oom:
  mnn_mesh_size_field_free(f);
  mnn_fail(err, "meshing: out of memory for the size field");
  return NULL;
}

mnn_mesh_size_field *mnn_mesh_size_field_create(const mnn_network *net, const mnn_mesh_options *opt, mnn_error *err) {
  double F = opt->refinement;
  /* 3D Delaunay: the layers are a floor, a refinement below 1 coarsens necks
   * and rims but never gives fewer layers through the thickness. Extruded: the
   * layers are set apart (mnn_mesh_extrusion_layers), so below 1 the in-plane
   * cap coarsens too. */
  double size_max = net->thickness / opt->layers_through_thickness /
                    (opt->method == MNN_MESH_DELAUNAY3D ? fmax(F, 1.0) : F);
  double rim = 2 * M_PI * net->joint.node_radius / fmax(RIM_SEGMENTS_MIN, RIM_SEGMENTS * F);
  return field_create(net, 1, opt->elements_across_neck, F, rim, GROWTH / F, size_max, err);
}

mnn_mesh_size_field *mnn_mesh_size_field_create_rims(const mnn_network *net, double rim_size, double growth,
                                                     double size_max, mnn_error *err) {
  return field_create(net, 0, 1, 1, rim_size, growth, size_max, err);
}

double mnn_mesh_size_field_at(const mnn_mesh_size_field *f, double x, double y) {
  double h = f->size_max;
  if (f->n_necks == 0) return h;
  int i = (int)floor((x - f->gx0) / f->cell), j = (int)floor((y - f->gy0) / f->cell);
  if (i < 0 || j < 0 || i >= f->nx || j >= f->ny) return h;
  size_t c = (size_t)j * (size_t)f->nx + (size_t)i;
  for (int k = f->start[c]; k < f->start[c + 1]; ++k) h = fmin(h, neck_size_at(f, &f->necks[f->items[k]], x, y));
  return h;
}

double mnn_mesh_size_field_min(const mnn_mesh_size_field *f) { return f->size_min; }
double mnn_mesh_size_field_max(const mnn_mesh_size_field *f) { return f->size_max; }

double mnn_mesh_size_field_callback(int dim, int tag, double x, double y, double z, void *data) {
  return mnn_mesh_size_field_at((const mnn_mesh_size_field *)data, x, y);
}
