/* The FEM mesh: the outline meshed in 2D and extruded in layers (or the
 * fragmented solid meshed by 3D Delaunay), linear tetrahedra sized by the
 * neck size field, one volume physical group per bond and node, written as Gmsh 4.1
 * (only the tetrahedra and their groups: what PETSc's DMPlex reader wants),
 * atomically. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gmshc.h>

#include "atomic_file.h"
#include "log.h"
#include "meshing_internal.h"

/* Counts, volume and SICN of the tetrahedra of the current model. */
static int mesh_statistics(mnn_mesh_stats *st, mnn_error *err) {
  int ierr = 0;
  size_t *node_tags = NULL, n_nodes = 0, n_coord = 0, n_par = 0, *tet_tags = NULL, n_tets = 0, *tet_nodes = NULL,
         n_tet_nodes = 0;
  double *coord = NULL, *par = NULL;
  gmshModelMeshGetNodes(&node_tags, &n_nodes, &coord, &n_coord, &par, &n_par, -1, -1, 0, 0, &ierr);
  if (mnn_gmsh_check(ierr, "list the mesh nodes", err)) return -1;
  gmshModelMeshGetElementsByType(4, &tet_tags, &n_tets, &tet_nodes, &n_tet_nodes, -1, 0, 1, &ierr);
  if (mnn_gmsh_check(ierr, "list the tetrahedra", err)) {
    gmshFree(node_tags), gmshFree(coord), gmshFree(par);
    return -1;
  }
  size_t max_tag = 0;
  for (size_t i = 0; i < n_nodes; ++i) max_tag = node_tags[i] > max_tag ? node_tags[i] : max_tag;
  long *index = malloc(sizeof(long) * (max_tag + 1));
  unsigned char *used = calloc(n_nodes ? n_nodes : 1, 1);
  int rc = 0;
  if (!index || !used) {
    rc = mnn_fail(err, "meshing: out of memory for the mesh statistics");
    goto done;
  }
  for (size_t i = 0; i <= max_tag; ++i) index[i] = -1;
  for (size_t i = 0; i < n_nodes; ++i) index[node_tags[i]] = (long)i;
  double vol = 0, qmin = INFINITY, qsum = 0;
  long poor = 0;
  for (size_t e = 0; e < n_tets; ++e) {
    const double *p[4];
    for (int k = 0; k < 4; ++k) {
      size_t t = tet_nodes[4 * e + (size_t)k];
      long i = t <= max_tag ? index[t] : -1;
      if (i < 0) {
        rc = mnn_fail(err, "meshing: tetrahedron %zu uses an unknown node %zu: report this network", tet_tags[e], t);
        goto done;
      }
      used[i] = 1;
      p[k] = coord + 3 * i;
    }
    double q = mnn_mesh_tet_sicn(p[0], p[1], p[2], p[3]);
    vol += fabs(mnn_mesh_tet_volume(p[0], p[1], p[2], p[3]));
    qmin = fmin(qmin, q);
    qsum += q;
    poor += q < MNN_MESH_POOR_SICN;
  }
  long n_used = 0;
  for (size_t i = 0; i < n_nodes; ++i) n_used += used[i];
  st->n_nodes = n_used;
  st->n_tetrahedra = (long)n_tets;
  st->volume = vol;
  st->min_quality = n_tets ? qmin : 0;
  st->mean_quality = n_tets ? qsum / (double)n_tets : 0;
  st->n_poor = poor;
  if (n_tets == 0) rc = mnn_fail(err, "meshing: Gmsh made no tetrahedra: run with -v to see Gmsh's messages");
done:
  free(index);
  free(used);
  gmshFree(node_tags), gmshFree(coord), gmshFree(par), gmshFree(tet_tags), gmshFree(tet_nodes);
  return rc;
}

/* A temporary name beside path that ends in ".msh", whatever path ends in:
 * Gmsh picks the format from the extension. */
static char *msh_temp_path(const char *path) {
  char *t = mnn_temp_path_for(path);
  if (!t) return NULL;
  size_t n = strlen(t);
  if (n >= 4 && !strcmp(t + n - 4, ".msh")) return t;
  char *u = realloc(t, n + 5);
  if (!u) {
    free(t);
    return NULL;
  }
  memcpy(u + n, ".msh", 5);
  return u;
}

static int set_option(const char *name, double value, mnn_error *err) {
  int ierr = 0;
  gmshOptionSetNumber(name, value, &ierr);
  if (ierr) return mnn_fail(err, "meshing: Gmsh does not know the option %s (Gmsh 4.8 or newer is needed)", name);
  return 0;
}

/* Meshes the current model with the size field (through the progress
 * wrapper): the 2D mesh of the outline, or for the Delaunay path the 3D mesh
 * of the fragmented solid. */
static int generate(const mnn_mesh_size_field *field, int delaunay3d, mnn_mesh_progress *pr, int verbose,
                    mnn_error *err) {
  int ierr = 0;
  if (set_option("Mesh.MeshSizeExtendFromBoundary", 0, err) || set_option("Mesh.MeshSizeFromPoints", 0, err) ||
      set_option("Mesh.MeshSizeFromCurvature", 0, err) ||
      set_option("Mesh.MeshSizeMax", mnn_mesh_size_field_max(field), err) ||
      set_option("Mesh.MeshSizeMin", 0.5 * mnn_mesh_size_field_min(field), err) || set_option("Mesh.ElementOrder", 1, err) ||
      set_option("Mesh.Optimize", 1, err))
    return -1;
  /* Gmsh's 3D Delaunay: the same file for the same input, run after run (HXT was
   * faster but gave a different mesh every run, even on one thread); the 2D
   * Frontal-Delaunay on one thread is deterministic too. The Delaunay path keeps
   * Gmsh's default size integration, so that it makes the mesh it always made. */
  if (set_option("Mesh.Algorithm", 6, err) || set_option("Mesh.Algorithm3D", 1, err) ||
      set_option("Mesh.LcIntegrationPrecision", delaunay3d ? 1e-9 : MNN_MESH_LC_PRECISION, err) ||
      set_option("General.NumThreads", 1, err))
    return -1;
  gmshModelMeshSetSizeCallback(mnn_mesh_progress_callback, pr, &ierr);
  if (mnn_gmsh_check(ierr, "set the element size field", err)) return -1;
  gmshModelMeshGenerate(delaunay3d ? 3 : 2, &ierr);
  mnn_gmsh_flush_log(verbose);
  return mnn_gmsh_check(ierr, delaunay3d ? "mesh the solid" : "mesh the outline", err);
}

int mnn_mesh_write(const mnn_network *net, const mnn_mesh_options *opt, const char *msh_path, mnn_mesh_stats *stats,
                   mnn_error *err) {
  mnn_mesh_options defaults;
  if (!opt) {
    mnn_mesh_options_default(&defaults);
    opt = &defaults;
  }
  if (mnn_mesh_options_check(opt, err) || mnn_mesh_check_geometry(net, err)) return -1;
  double t0 = mnn_now();
  mnn_mesh_size_field *field = mnn_mesh_size_field_create(net, opt, err);
  if (!field) return -1;
  char *tmp = msh_temp_path(msh_path);
  if (!tmp) {
    mnn_mesh_size_field_free(field);
    return mnn_fail(err, "%s: out of memory", msh_path);
  }
  mnn_mesh_fragment_geometry geom = {0};
  mnn_planar_layout layout = {0};
  mnn_mesh_stats st = {0};
  mnn_mesh_progress pr;
  int rc = -1, ierr = 0, delaunay3d = opt->method == MNN_MESH_DELAUNAY3D;
  mnn_mesh_progress_start(&pr, "mesh", net->n_bonds + net->n_nodes, net->n_bonds + net->n_nodes,
                          mnn_mesh_size_field_callback, field);
  if (mnn_gmsh_begin("mnn_fem", opt->verbose, err)) goto done;
  if (delaunay3d) {
    if (mnn_mesh_build_fragmented_solid(net, &geom, err)) goto done;
  } else if (mnn_planar_layout_build(net, &layout, err) || mnn_mesh_add_planar_layout(&layout, err))
    goto done;
  mnn_gmsh_flush_log(opt->verbose);
  if (generate(field, delaunay3d, &pr, opt->verbose, err)) goto done;
  if (!delaunay3d) {
    int layers = mnn_mesh_extrusion_layers(opt);
    mnn_mesh_progress_note(&pr, "2D mesh done, extruding it in %d layers", layers);
    if (mnn_mesh_extrude_planar_mesh(net, &layout, layers, err)) goto done;
  }
  if (mesh_statistics(&st, err)) goto done;
  mnn_mesh_progress_note(&pr, "%ld tetrahedra, writing %s", st.n_tetrahedra, msh_path);
  if (set_option("Mesh.MshFileVersion", 4.1, err) || set_option("Mesh.SaveAll", 0, err) ||
      set_option("Mesh.Binary", 0, err) || set_option("Mesh.SaveParametric", 0, err))
    goto done;
  gmshWrite(tmp, &ierr);
  if (mnn_gmsh_check(ierr, "write the mesh file", err)) {
    mnn_error_prefix(err, "%s", msh_path);
    unlink(tmp);
    goto done;
  }
  /* Gmsh does not report failed writes (a full disk): the file must be complete */
  if (!mnn_file_last_line_starts_with(tmp, "$EndElements")) {
    unlink(tmp);
    mnn_fail(err, "%s: write failed (the mesh file is incomplete, disk full?): free space or choose another place",
             msh_path);
    goto done;
  }
  if (mnn_commit_temp_path(tmp, msh_path, err)) goto done;
  st.seconds = mnn_now() - t0;
  if (stats) *stats = st;
  rc = 0;
done:
  mnn_gmsh_end(opt->verbose);
  mnn_mesh_fragment_geometry_free(&geom);
  mnn_planar_layout_free(&layout);
  mnn_mesh_size_field_free(field);
  free(tmp);
  return rc;
}
