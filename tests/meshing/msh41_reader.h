/* A small reader of ASCII Gmsh 4.1 files for the meshing tests: nodes,
 * tetrahedra with the physical tag of their volume, physical names. Written
 * from the format's description, independent of Gmsh and of meshing/. */
#ifndef MNN_TEST_MSH41_READER_H
#define MNN_TEST_MSH41_READER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int n_nodes;
  long *node_tag;
  double *xyz;            /* 3 per node, in the file's order */
  int n_tets;
  int *tet;               /* 4 node indices (0-based, into xyz) per tetrahedron */
  int *tet_group;         /* physical tag of the tetrahedron's volume */
  int n_names;
  int name_dim[4096], name_tag[4096];
  char name[4096][32];
  int other_elements;     /* elements that are not tetrahedra */
} msh41;

static void msh41_free(msh41 *m) {
  free(m->node_tag), free(m->xyz), free(m->tet), free(m->tet_group);
  memset(m, 0, sizeof *m);
}

/* Returns 0 on success, prints what failed otherwise. */
static int msh41_read(const char *path, msh41 *m) {
  memset(m, 0, sizeof *m);
  FILE *fp = fopen(path, "r");
  if (!fp) return fprintf(stderr, "msh41: cannot open %s\n", path), -1;
  char word[256];
  int vol_n = 0, *vol_tag = NULL, *vol_phys = NULL, ok = 1;
  while (ok && fscanf(fp, "%255s", word) == 1) {
    if (!strcmp(word, "$MeshFormat")) {
      double version;
      int ft, ds;
      ok = fscanf(fp, "%lf %d %d", &version, &ft, &ds) == 3 && version == 4.1 && ft == 0;
      if (!ok) fprintf(stderr, "msh41: %s is not ASCII 4.1\n", path);
    } else if (!strcmp(word, "$PhysicalNames")) {
      ok = fscanf(fp, "%d", &m->n_names) == 1 && m->n_names <= 4096;
      for (int i = 0; ok && i < m->n_names; ++i)
        ok = fscanf(fp, "%d %d \"%31[^\"]\"", &m->name_dim[i], &m->name_tag[i], m->name[i]) == 3;
    } else if (!strcmp(word, "$Entities")) {
      int np, nc, ns, nv;
      ok = fscanf(fp, "%d %d %d %d", &np, &nc, &ns, &nv) == 4;
      vol_n = nv;
      vol_tag = calloc((size_t)nv + 1, sizeof(int));
      vol_phys = calloc((size_t)nv + 1, sizeof(int));
      for (int i = 0; ok && i < np; ++i) {
        int tag, nphys, p;
        double x, y, z;
        ok = fscanf(fp, "%d %lf %lf %lf %d", &tag, &x, &y, &z, &nphys) == 5;
        for (int k = 0; ok && k < nphys; ++k) ok = fscanf(fp, "%d", &p) == 1;
      }
      for (int dim = 1; dim <= 3 && ok; ++dim) {
        int n = dim == 1 ? nc : dim == 2 ? ns : nv;
        for (int i = 0; ok && i < n; ++i) {
          int tag, nphys, nb, p = 0, q;
          double bb[6];
          ok = fscanf(fp, "%d %lf %lf %lf %lf %lf %lf %d", &tag, bb, bb + 1, bb + 2, bb + 3, bb + 4, bb + 5, &nphys) == 8;
          for (int k = 0; ok && k < nphys; ++k) ok = fscanf(fp, "%d", k == 0 ? &p : &q) == 1;
          ok = ok && fscanf(fp, "%d", &nb) == 1;
          for (int k = 0; ok && k < nb; ++k) ok = fscanf(fp, "%d", &q) == 1;
          if (dim == 3) vol_tag[i] = tag, vol_phys[i] = nphys ? p : 0;
        }
      }
    } else if (!strcmp(word, "$Nodes")) {
      long nblocks, nnodes, lo, hi;
      ok = fscanf(fp, "%ld %ld %ld %ld", &nblocks, &nnodes, &lo, &hi) == 4;
      m->node_tag = malloc(sizeof(long) * (size_t)(nnodes + 1));
      m->xyz = malloc(sizeof(double) * 3 * (size_t)(nnodes + 1));
      for (long b = 0; ok && b < nblocks; ++b) {
        int edim, etag, par;
        long n;
        ok = fscanf(fp, "%d %d %d %ld", &edim, &etag, &par, &n) == 4 && par == 0;
        for (long i = 0; ok && i < n; ++i) ok = fscanf(fp, "%ld", &m->node_tag[m->n_nodes + i]) == 1;
        for (long i = 0; ok && i < n; ++i) {
          double *p = m->xyz + 3 * (m->n_nodes + i);
          ok = fscanf(fp, "%lf %lf %lf", p, p + 1, p + 2) == 3;
        }
        m->n_nodes += (int)n;
      }
    } else if (!strcmp(word, "$Elements")) {
      long nblocks, nel, lo, hi, maxtag = 0;
      ok = fscanf(fp, "%ld %ld %ld %ld", &nblocks, &nel, &lo, &hi) == 4;
      for (int i = 0; i < m->n_nodes; ++i) maxtag = m->node_tag[i] > maxtag ? m->node_tag[i] : maxtag;
      int *index = malloc(sizeof(int) * (size_t)(maxtag + 1));
      for (long i = 0; i <= maxtag; ++i) index[i] = -1;
      for (int i = 0; i < m->n_nodes; ++i) index[m->node_tag[i]] = i;
      m->tet = malloc(sizeof(int) * 4 * (size_t)(nel + 1));
      m->tet_group = malloc(sizeof(int) * (size_t)(nel + 1));
      for (long b = 0; ok && b < nblocks; ++b) {
        int edim, etag, type;
        long n, et, nt;
        ok = fscanf(fp, "%d %d %d %ld", &edim, &etag, &type, &n) == 4;
        int group = 0;
        for (int v = 0; v < vol_n; ++v)
          if (edim == 3 && vol_tag[v] == etag) group = vol_phys[v];
        int nper = type == 4 ? 4 : type == 2 ? 3 : type == 1 ? 2 : type == 15 ? 1 : -1;
        if (nper < 0) {
          fprintf(stderr, "msh41: unexpected element type %d\n", type);
          ok = 0;
          break;
        }
        for (long i = 0; ok && i < n; ++i) {
          ok = fscanf(fp, "%ld", &et) == 1;
          for (int k = 0; ok && k < nper; ++k) {
            ok = fscanf(fp, "%ld", &nt) == 1 && nt <= maxtag && index[nt] >= 0;
            if (ok && type == 4) m->tet[4 * m->n_tets + k] = index[nt];
          }
          if (type == 4) m->tet_group[m->n_tets++] = group;
          else m->other_elements++;
        }
      }
      free(index);
    }
  }
  fclose(fp);
  free(vol_tag), free(vol_phys);
  if (!ok) {
    fprintf(stderr, "msh41: %s: malformed file\n", path);
    msh41_free(m);
    return -1;
  }
  return 0;
}

#endif
