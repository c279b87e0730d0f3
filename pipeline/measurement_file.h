/* Measurement files (schemas/measurement.xsd, docs/formats.md): what was measured
 * on one printed part. The part is a network file; under its loads, measured
 * disc displacements (mean, standard deviation, repeats) and, optionally, the
 * measured per-bond gradients e_adj * e under the adjoint loads. Read with every
 * id checked against the network, errors as one line "file:line: what: what to do". */
#ifndef MNN_MEASUREMENT_FILE_H
#define MNN_MEASUREMENT_FILE_H

#include "network.h"

#define MNN_MEASUREMENT_PATH 1024

/* A force on a node, N. */
typedef struct mnn_measured_load {
  int node_id;
  double f[2];
} mnn_measured_load;

/* A measured quantity: a disc displacement component (node_id, component 0 = x,
 * 1 = y; m) or a bond's gradient e_adj * e (bond_id; m^2 for forces in N).
 * sd is 0 when the file gives none; repeats 0 when unknown. */
typedef struct mnn_measured_value {
  int id;          /* node id (displacement) or bond id (gradient) */
  int component;   /* displacement: 0 = x, 1 = y; gradient: unused */
  double value, sd;
  int repeats;
} mnn_measured_value;

typedef struct mnn_measurement {
  char path[MNN_MEASUREMENT_PATH];          /* the file as given */
  char name[128], title[256], source[512];
  char network_path[MNN_MEASUREMENT_PATH];  /* resolved against the file's folder */
  mnn_network *net;
  int n_loads, n_adjoint_loads, n_displacements, n_gradients;
  mnn_measured_load *loads, *adjoint_loads;
  mnn_measured_value *displacements, *gradients;
} mnn_measurement;

/* Reads and checks a measurement file: schema; the network file it names (relative
 * to the measurement file's folder); every node and bond id in the network; no
 * load on a supported node; no quantity measured twice; gradients only with
 * adjoint loads. NULL with a one-line error naming file:line. */
mnn_measurement *mnn_measurement_read(const char *path, mnn_error *err);

/* An empty measurement on a copy of net (for in situ data built in memory), with
 * room for every load and quantity the network allows; fill it with
 * mnn_measurement_add_* (which refuse a node loaded twice in a state and a quantity
 * given twice). NULL when out of memory. */
mnn_measurement *mnn_measurement_create(const mnn_network *net, const char *name);
int mnn_measurement_add_load(mnn_measurement *m, int adjoint, int node_id, double fx, double fy, mnn_error *err);
int mnn_measurement_add_value(mnn_measurement *m, int gradient, int id, int component, double value, double sd,
                              int repeats, mnn_error *err);
void mnn_measurement_free(mnn_measurement *m);

/* The schema text, compiled in. */
extern const char mnn_measurement_xsd[];

#endif
