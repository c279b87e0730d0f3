/* A closed triangulated surface (the print solid's boundary): shared vertices in
 * metres and triangles as vertex-index triples, outward by the right-hand rule.
 * Meshing produces it, export writes it as STL; neither knows the other. */
#ifndef MNN_SURFACE_H
#define MNN_SURFACE_H

typedef struct mnn_surface {
  int n_vertices;
  double *xyz;     /* 3 * n_vertices, m */
  int n_triangles;
  int *tri;        /* 3 * n_triangles, 0-based vertex indices */
} mnn_surface;

/* Frees the arrays and the struct (NULL is fine). */
void mnn_surface_free(mnn_surface *s);

#endif
