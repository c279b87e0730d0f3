/* The report's measurements section: every quantity measured on a printed part
 * (a disc displacement or a bond's gradient e_adj * e) beside the bar model's and
 * the FEM's prediction, the difference in measured standard deviations, which
 * quantities the FEM's modulus was fitted on, and a verdict the report's summary
 * can quote. Kept in report.xml as <measurements> (schemas/report.xsd). */
#ifndef MNN_REPORT_MEASUREMENTS_H
#define MNN_REPORT_MEASUREMENTS_H

#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include "report.h"

/* One measured quantity. */
typedef struct mnn_report_measured {
  char part[64];        /* the measurement's name, e.g. "fig2-uniform" */
  char quantity[32];    /* "node 14 y" or "bond 7" */
  int gradient;         /* 0: displacement (m), 1: gradient e_adj * e (m^2) */
  int fitted;           /* the FEM's modulus was fitted on it (a residual, not a prediction) */
  double measured, sd;  /* sd NAN when not given */
  int repeats;          /* 0: unknown */
  double bar, fem;      /* the models' values (fem at the reported modulus) */
} mnn_report_measured;

/* One measured part. */
typedef struct mnn_report_measured_part {
  char name[64], title[256];
  int fitted;
  long fem_dofs;
  double cosine_bar, cosine_fem;  /* of the measured gradients (NAN without) */
  double cosine_fem_energy;       /* with the FEM's sensitivity per bond, int eps(u_adj):C:eps(u) */
} mnn_report_measured_part;

typedef struct mnn_report_measurements {
  double fem_youngs_modulus, fem_poisson_ratio;  /* the FEM's material for every FEM value */
  double reference_modulus;                      /* what the FEM was solved with */
  int fitted;                                    /* 1: fem_youngs_modulus was fitted here */
  double fit_rms_sd, fit_max_sd;
  double sd_warning, sd_error;                   /* |FEM - measured| / sd thresholds */
  int n_parts, n_values;
  mnn_report_measured_part *parts;
  mnn_report_measured *values;
} mnn_report_measurements;

/* The report's section, created (zeroed, thresholds 2 and 3 sd) when absent; NULL
 * when out of memory. */
mnn_report_measurements *mnn_report_measurements_get(mnn_report *r);
void mnn_report_measurements_free(mnn_report_measurements *m);
int mnn_report_add_measured_part(mnn_report *r, const mnn_report_measured_part *p, mnn_error *err);
int mnn_report_add_measured(mnn_report *r, const mnn_report_measured *v, mnn_error *err);

/* |model - measured| / sd of a value (NAN without sd). */
double mnn_report_measured_sd(const mnn_report_measured *v, int fem);

/* Adds a discrepancy of kind "measurement" for every predicted (not fitted)
 * quantity whose FEM value is more than sd_warning (warning) or sd_error (error)
 * measured standard deviations off. Earlier ones of that kind are replaced. */
int mnn_report_measurement_discrepancies(mnn_report *r, mnn_error *err);

/* The verdict on the measurements for the report's summary, separately for the
 * displacements and the gradients (index 0 and 1): over the predicted quantities
 * with an sd, how many, how many within sd_warning, the largest |FEM - measured| /
 * sd and what it was (also the bar model's), and pass = the FEM's worst is within
 * sd_error (1 when there is nothing to judge); the lowest gradient cosines. pass
 * is both. Returns -1 when the report has no measurements. */
typedef struct mnn_measurement_verdict {
  int n_predicted[2], n_within_warning[2];
  double worst_fem_sd[2], worst_bar_sd[2];
  char worst_fem[2][128], worst_bar[2][128];
  int pass_kind[2];
  double threshold;
  double cosine_fem, cosine_bar;   /* the lowest over parts with gradients, NAN without */
  int pass;
} mnn_measurement_verdict;
int mnn_report_measurements_verdict(const mnn_report *r, mnn_measurement_verdict *v);

/* Hooks of report_write.c, report_read.c and report_html.c. write: 0, or -1 when
 * a write failed. read: the <measurements> element n. html: the section's table. */
int mnn_report_write_measurements(xmlTextWriterPtr w, const mnn_report *r);
int mnn_report_read_measurements(xmlNodePtr n, const char *path, mnn_report *r, mnn_error *err);
void mnn_report_html_measurements(FILE *fp, const mnn_report *r);

#endif
