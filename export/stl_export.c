/* STL export through ADMesh: load an mnn_surface in memory (vertices converted
 * once to float millimetres so that shared vertices stay bit-equal), run the
 * exact check, repair only when it finds a problem, count parts, compute the
 * volume, check the result again and write the file under a temporary name. */
#include <admesh/stl.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "atomic_file.h"
#include "stl_export.h"

void mnn_stl_options_default(mnn_stl_options *opt) {
  opt->ascii = 0;
  opt->repair = 1;
  opt->allow_parts = 0;
  opt->scale = 1000.0;
  opt->label = "mnn print solid";
}

static int check_surface(const mnn_surface *s, mnn_error *err) {
  if (!s || s->n_triangles <= 0 || s->n_vertices <= 0 || !s->xyz || !s->tri)
    return mnn_fail(err, "STL export: the surface is empty: the meshing produced no triangles");
  for (int i = 0; i < 3 * s->n_vertices; ++i)
    if (!isfinite(s->xyz[i]))
      return mnn_fail(err, "STL export: vertex %d has a non-finite coordinate: check the meshing", i / 3);
  for (int t = 0; t < s->n_triangles; ++t)
    for (int k = 0; k < 3; ++k) {
      int v = s->tri[3 * t + k];
      if (v < 0 || v >= s->n_vertices)
        return mnn_fail(err, "STL export: triangle %d refers to vertex %d, but there are %d vertices: check the meshing",
                        t, v, s->n_vertices);
    }
  return 0;
}

/* Signed volume (divergence theorem) of 9-float facets, in double precision. */
static double signed_volume_of_facets(const stl_facet *f, int n) {
  double v = 0;
  for (int i = 0; i < n; ++i) {
    const stl_vertex *p = f[i].vertex;
    double ax = p[0].x, ay = p[0].y, az = p[0].z, bx = p[1].x, by = p[1].y, bz = p[1].z;
    double cx = p[2].x, cy = p[2].y, cz = p[2].z;
    v += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
  }
  return v / 6.0;
}

static void facet_normal(stl_facet *f) {
  double ux = (double)f->vertex[1].x - f->vertex[0].x, uy = (double)f->vertex[1].y - f->vertex[0].y,
         uz = (double)f->vertex[1].z - f->vertex[0].z;
  double vx = (double)f->vertex[2].x - f->vertex[0].x, vy = (double)f->vertex[2].y - f->vertex[0].y,
         vz = (double)f->vertex[2].z - f->vertex[0].z;
  double nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
  double len = sqrt(nx * nx + ny * ny + nz * nz);
  if (len > 0) nx /= len, ny /= len, nz /= len;
  f->normal.x = (float)nx, f->normal.y = (float)ny, f->normal.z = (float)nz;
}

/* Loads the surface into an in-memory ADMesh stl_file. */
static int load_into_admesh(stl_file *stl, const float *fv, const mnn_surface *s, mnn_error *err) {
  memset(stl, 0, sizeof *stl);
  stl_initialize(stl);
  stl->stats.type = inmemory;
  stl->stats.number_of_facets = s->n_triangles;
  stl->stats.original_num_facets = s->n_triangles;
  stl_allocate(stl);
  if (!stl->facet_start || !stl->neighbors_start) return mnn_fail(err, "STL export: out of memory for %d facets", s->n_triangles);
  for (int t = 0; t < s->n_triangles; ++t) {
    stl_facet f;
    memset(&f, 0, sizeof f);
    for (int k = 0; k < 3; ++k) {
      const float *p = fv + 3 * s->tri[3 * t + k];
      f.vertex[k].x = p[0], f.vertex[k].y = p[1], f.vertex[k].z = p[2];
    }
    facet_normal(&f);
    stl->facet_start[t] = f;
    stl_facet_stats(stl, f, t == 0);
  }
  stl->stats.size.x = stl->stats.max.x - stl->stats.min.x;
  stl->stats.size.y = stl->stats.max.y - stl->stats.min.y;
  stl->stats.size.z = stl->stats.max.z - stl->stats.min.z;
  stl->stats.bounding_diameter = sqrtf(stl->stats.size.x * stl->stats.size.x + stl->stats.size.y * stl->stats.size.y +
                                       stl->stats.size.z * stl->stats.size.z);
  return 0;
}

static int admesh_bad_edges(const stl_file *stl) {
  return 3 * stl->stats.number_of_facets - stl->stats.connected_edges;
}

static int admesh_backwards_edges(const stl_file *stl) {
  int n = 0;
  for (int i = 0; i < stl->stats.number_of_facets; ++i)
    for (int j = 0; j < 3; ++j)
      if (stl->neighbors_start[i].neighbor[j] != -1 && stl->neighbors_start[i].which_vertex_not[j] > 2) ++n;
  return n / 2;
}

static int topology_of_stl(const stl_file *stl, mnn_surface_topology *topo, mnn_error *err) {
  int n = stl->stats.number_of_facets;
  float *xyz9 = malloc((size_t)(n > 0 ? n : 1) * 9 * sizeof *xyz9);
  if (!xyz9) return mnn_fail(err, "STL export: out of memory");
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < 3; ++k) {
      xyz9[9 * i + 3 * k] = stl->facet_start[i].vertex[k].x;
      xyz9[9 * i + 3 * k + 1] = stl->facet_start[i].vertex[k].y;
      xyz9[9 * i + 3 * k + 2] = stl->facet_start[i].vertex[k].z;
    }
  int r = mnn_surface_topology_of_facets(xyz9, n, topo, err);
  free(xyz9);
  return r;
}

static void append(char *buf, size_t size, const char *fmt, int count) {
  if (count <= 0) return;
  size_t used = strlen(buf);
  if (used >= size - 1) return;
  snprintf(buf + used, size - used, "%s", used ? ", " : "");
  used = strlen(buf);
  snprintf(buf + used, size - used, fmt, count, count == 1 ? "" : "s");
}

static void describe_repairs(mnn_stl_stats *st) {
  st->repairs[0] = '\0';
  size_t n = sizeof st->repairs;
  append(st->repairs, n, "removed %d degenerate facet%s", st->degenerate_removed);
  append(st->repairs, n, "joined %d edge%s by the nearby check", st->edges_fixed);
  append(st->repairs, n, "removed %d unconnected facet%s", st->facets_removed);
  append(st->repairs, n, "added %d facet%s to fill holes", st->facets_added);
  append(st->repairs, n, "reversed %d facet%s", st->facets_reversed);
  append(st->repairs, n, "recomputed %d normal%s", st->normals_fixed);
  append(st->repairs, n, "turned the inside-out surface round (%d time%s)", st->reversed_all);
  if (!st->repairs[0]) snprintf(st->repairs, n, "none");
}

static void describe_topology(char *buf, size_t n, const mnn_surface_topology *t) {
  snprintf(buf, n, "%d open edge%s, %d non-manifold edge%s, %d flipped neighbour%s, %d degenerate triangle%s", t->open_edges,
           t->open_edges == 1 ? "" : "s", t->non_manifold_edges, t->non_manifold_edges == 1 ? "" : "s",
           t->misoriented_edges, t->misoriented_edges == 1 ? "" : "s", t->degenerate, t->degenerate == 1 ? "" : "s");
}

static int write_stl_file(stl_file *stl, const mnn_stl_options *opt, const char *path, long *bytes, mnn_error *err) {
  char *tmp = mnn_temp_path_for(path);
  if (!tmp) return mnn_fail(err, "%s: out of memory", path);
  stl_clear_error(stl);
  if (opt->ascii) stl_write_ascii(stl, tmp, opt->label);
  else stl_write_binary(stl, tmp, opt->label);
  struct stat sb;
  int failed = stl_get_error(stl) || stat(tmp, &sb) != 0;
  if (!failed && !opt->ascii && sb.st_size != 84 + 50L * stl->stats.number_of_facets) failed = 1;
  /* ADMesh does not report failed writes (a full disk): the ASCII file must end */
  if (!failed && opt->ascii) failed = !mnn_file_last_line_starts_with(tmp, "endsolid");
  if (failed) {
    stl_clear_error(stl);
    unlink(tmp);
    free(tmp);
    return mnn_fail(err, "%s: ADMesh could not write the STL file: check that the folder exists and is writable", path);
  }
  *bytes = (long)sb.st_size;
  int r = mnn_commit_temp_path(tmp, path, err);
  free(tmp);
  return r;
}

/* Runs check, repair and measurement on a loaded stl_file. */
static int check_and_repair(stl_file *stl, const mnn_stl_options *opt, mnn_stl_stats *st, mnn_error *err) {
  char what[256];
  stl_check_facets_exact(stl);
  st->admesh_bad_edges_in = admesh_bad_edges(stl);
  st->admesh_backwards_edges_in = admesh_backwards_edges(stl);
  int needs_repair = st->admesh_bad_edges_in > 0 || st->admesh_backwards_edges_in > 0 || stl->stats.degenerate_facets > 0 ||
                     !st->input.closed;
  if (needs_repair && !opt->repair) {
    describe_topology(what, sizeof what, &st->input);
    return mnn_fail(err, "STL export: the surface is not a closed solid (%s; ADMesh: %d bad edges): "
                         "turn repair on or check the meshing", what, st->admesh_bad_edges_in);
  }
  if (needs_repair) {
    st->repaired = 1;
    /* exact check, remove unconnected facets, fill holes, fix normal directions
     * and values, volume. No nearby check: our vertices are bit-equal already,
     * and joining nearby edges moves vertices and changes the solid. */
    stl_repair(stl, 0, 1, 0, 0.0f, 0, 0.0f, 0, 0, 1, 1, 1, 1, 0, 0);
    if (stl->stats.number_of_facets <= 0)
      return mnn_fail(err, "STL export: ADMesh's repair removed every facet: the surface is not a solid; check the meshing");
    /* check the repaired surface again and count its parts afresh */
    stl_check_facets_exact(stl);
    stl->stats.number_of_parts = 0;
  }
  if (stl->stats.number_of_facets <= 0)
    return mnn_fail(err, "STL export: no facets left after removing degenerate ones: check the meshing");
  stl_fix_normal_directions(stl); /* counts parts; reverses nothing on a consistent surface */
  stl_fix_normal_values(stl);
  if (signed_volume_of_facets(stl->facet_start, stl->stats.number_of_facets) < 0) {
    st->reversed_all = 1; /* inside out: every normal points inwards */
    stl_reverse_all_facets(stl);
  }
  stl_calculate_volume(stl);
  st->degenerate_removed = stl->stats.degenerate_facets;
  st->facets_removed = stl->stats.facets_removed;
  st->facets_added = stl->stats.facets_added;
  st->facets_reversed = stl->stats.facets_reversed;
  st->edges_fixed = stl->stats.edges_fixed;
  st->normals_fixed = stl->stats.normals_fixed;
  describe_repairs(st);

  st->facets = stl->stats.number_of_facets;
  st->volume_mm3 = stl->stats.volume;
  st->parts = stl->stats.number_of_parts;
  st->bad_edges = admesh_bad_edges(stl);
  if (topology_of_stl(stl, &st->output, err)) return -1;
  stl_get_size(stl);
  st->min_mm[0] = stl->stats.min.x, st->min_mm[1] = stl->stats.min.y, st->min_mm[2] = stl->stats.min.z;
  st->max_mm[0] = stl->stats.max.x, st->max_mm[1] = stl->stats.max.y, st->max_mm[2] = stl->stats.max.z;

  if (st->bad_edges > 0 || !st->output.closed || st->output.degenerate > 0) {
    describe_topology(what, sizeof what, &st->output);
    return mnn_fail(err, "STL export: ADMesh could not repair the surface into a closed solid (%s left; repairs tried: %s): "
                         "check the meshing", what, st->repairs);
  }
  if (st->parts != 1 && !opt->allow_parts)
    return mnn_fail(err, "STL export: the solid has %d separate parts, a printable network has one: "
                         "check that every bond and node is connected", st->parts);
  if (!(st->volume_mm3 > 0))
    return mnn_fail(err, "STL export: the solid has no volume (%g mm^3): check the meshing", st->volume_mm3);
  return 0;
}

int mnn_stl_export(const mnn_surface *surface, const mnn_stl_options *options, const char *path, mnn_stl_stats *stats,
                   mnn_error *err) {
  mnn_stl_options opt;
  if (options) opt = *options;
  else mnn_stl_options_default(&opt);
  if (!(opt.scale > 0)) opt.scale = 1000.0;
  if (!opt.label) opt.label = "mnn print solid";
  mnn_stl_stats st;
  memset(&st, 0, sizeof st);
  if (check_surface(surface, err)) return -1;

  /* each shared vertex converted once: equal vertices stay bit-equal floats */
  int nv = surface->n_vertices, nt = surface->n_triangles;
  float *fv = malloc(3 * (size_t)nv * sizeof *fv);
  float *xyz9 = malloc(9 * (size_t)nt * sizeof *xyz9);
  if (!fv || !xyz9) {
    free(fv), free(xyz9);
    return mnn_fail(err, "STL export: out of memory for %d triangles", nt);
  }
  for (int i = 0; i < 3 * nv; ++i) fv[i] = (float)(surface->xyz[i] * opt.scale);
  double vol = 0;
  for (int t = 0; t < nt; ++t) {
    const double *p[3];
    for (int k = 0; k < 3; ++k) {
      int v = surface->tri[3 * t + k];
      memcpy(xyz9 + 9 * t + 3 * k, fv + 3 * v, 3 * sizeof *fv);
      p[k] = surface->xyz + 3 * v;
    }
    vol += p[0][0] * (p[1][1] * p[2][2] - p[1][2] * p[2][1]) - p[0][1] * (p[1][0] * p[2][2] - p[1][2] * p[2][0]) +
           p[0][2] * (p[1][0] * p[2][1] - p[1][1] * p[2][0]);
  }
  st.input_volume_mm3 = vol / 6.0 * opt.scale * opt.scale * opt.scale;
  int r = mnn_surface_topology_of_facets(xyz9, nt, &st.input, err);
  free(xyz9);
  if (r) {
    free(fv);
    return -1;
  }

  stl_file stl;
  r = load_into_admesh(&stl, fv, surface, err);
  free(fv);
  if (!r) r = check_and_repair(&stl, &opt, &st, err);
  if (!r) r = write_stl_file(&stl, &opt, path, &st.file_bytes, err);
  stl_clear_error(&stl);
  stl_close(&stl);
  if (stats) *stats = st;
  return r;
}
