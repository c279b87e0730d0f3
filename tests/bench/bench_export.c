/* Benchmark of the export stage: STL export (ADMesh check, parts, volume,
 * atomic write) of a large closed surface against the baseline of writing the
 * same triangles as a raw binary STL with fwrite (no checks); and the report
 * writer and reader on a large network against the same baseline. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "log.h"
#include "report.h"
#include "stl_export.h"

/* Extruded regular polygon with m corners, fans around centre vertices. */
static mnn_surface *prism(int m, double r, double h) {
  mnn_surface *s = calloc(1, sizeof *s);
  s->n_vertices = 2 * m + 2;
  s->xyz = calloc(3 * (size_t)s->n_vertices, sizeof(double));
  s->n_triangles = 4 * m;
  s->tri = calloc(3 * (size_t)s->n_triangles, sizeof(int));
  for (int i = 0; i < m; ++i)
    for (int l = 0; l < 2; ++l) {
      double *p = s->xyz + 3 * (l * m + i);
      p[0] = r * cos(2 * M_PI * i / m), p[1] = r * sin(2 * M_PI * i / m), p[2] = l * h;
    }
  int cb = 2 * m, ct = 2 * m + 1;
  s->xyz[3 * ct + 2] = h;
  int *t = s->tri;
  for (int i = 0; i < m; ++i) {
    int j = (i + 1) % m;
    *t++ = cb, *t++ = j, *t++ = i;
    *t++ = ct, *t++ = m + i, *t++ = m + j;
    *t++ = i, *t++ = j, *t++ = m + j;
    *t++ = i, *t++ = m + j, *t++ = m + i;
  }
  return s;
}

static double raw_write(const mnn_surface *s, const char *path) {
  double t0 = mnn_now();
  FILE *fp = fopen(path, "wb");
  char header[80] = "raw";
  fwrite(header, 1, 80, fp);
  unsigned n = (unsigned)s->n_triangles;
  fwrite(&n, 4, 1, fp);
  for (int t = 0; t < s->n_triangles; ++t) {
    float rec[12] = {0};
    for (int k = 0; k < 3; ++k)
      for (int c = 0; c < 3; ++c) rec[3 + 3 * k + c] = (float)(s->xyz[3 * s->tri[3 * t + k] + c] * 1e3);
    fwrite(rec, 4, 12, fp);
    fwrite("\0\0", 1, 2, fp);
  }
  fclose(fp);
  return mnn_now() - t0;
}

int main(void) {
  mnn_error err;
  char path[256];
  snprintf(path, sizeof path, "/tmp/mnn_bench_export_%ld.stl", (long)getpid());
  for (int m = 25000; m <= 100000; m *= 2) {
    mnn_surface *s = prism(m, 0.05, 0.002);
    double base = raw_write(s, path);
    unlink(path);
    mnn_stl_stats st;
    double t0 = mnn_now();
    if (mnn_stl_export(s, NULL, path, &st, &err)) {
      fprintf(stderr, "bench_export: %s\n", err.message);
      return 1;
    }
    double t_export = mnn_now() - t0;
    unlink(path);
    printf("STL export, %7d facets: %.3f s (raw fwrite of the same facets %.3f s, ratio %.1f); parts %d, bad edges %d\n",
           s->n_triangles, t_export, base, t_export / base, st.parts, st.bad_edges);
    mnn_surface_free(s);
  }

  /* report of a 10 000-bond network with gradients */
  int nb = 10000;
  mnn_report *r = mnn_report_create();
  snprintf(r->case_name, sizeof r->case_name, "bench");
  r->has_network = 1, r->n_nodes = nb / 3, r->n_bonds = nb;
  r->bonds = calloc((size_t)nb, sizeof *r->bonds);
  for (int b = 0; b < nb; ++b) {
    r->bonds[b].id = b + 1, r->bonds[b].width = 0.0015 + 1e-3 * sin(b) * sin(b);
    r->bonds[b].has_gradients = 1, r->bonds[b].bar_gradient = sin(0.1 * b), r->bonds[b].fem_gradient = sin(0.1 * b) * 1.01;
  }
  mnn_report_compute(r, NULL, &err);
  snprintf(path, sizeof path, "/tmp/mnn_bench_report_%ld.xml", (long)getpid());
  double t0 = mnn_now();
  FILE *fp = fopen(path, "w");
  for (int b = 0; b < nb; ++b)
    fprintf(fp, "<bond id=\"%d\" width=\"%.17g\" bar-gradient=\"%.17g\" fem-gradient=\"%.17g\"/>\n", r->bonds[b].id,
            r->bonds[b].width, r->bonds[b].bar_gradient, r->bonds[b].fem_gradient);
  fclose(fp);
  double base = mnn_now() - t0;
  t0 = mnn_now();
  if (mnn_report_write(r, path, &err)) return fprintf(stderr, "bench_export: %s\n", err.message), 1;
  double t_write = mnn_now() - t0;
  t0 = mnn_now();
  mnn_report *back = mnn_report_read(path, &err);
  double t_read = mnn_now() - t0;
  if (!back) return fprintf(stderr, "bench_export: %s\n", err.message), 1;
  printf("report, %d bonds: write %.3f s, read+validate %.3f s (plain fprintf of the bond lines %.3f s; ratios %.1f and %.1f)\n",
         nb, t_write, t_read, base, t_write / base, t_read / base);
  unlink(path);
  mnn_report_free(back);
  mnn_report_free(r);
  return 0;
}
