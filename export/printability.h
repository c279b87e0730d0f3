/* Printability of a network's solid against a printer profile, from the network
 * geometry alone (barmodel's mnn_network): the thinnest neck (half the narrowest
 * bond), the smallest gap between bodies that do not touch by design, and the
 * overall size against the tray. Violations are warnings, or errors when strict. */
#ifndef MNN_PRINTABILITY_H
#define MNN_PRINTABILITY_H

#include "error.h"
#include "network.h"

typedef struct mnn_printer_profile {
  char name[96];
  double min_feature;   /* m: thinnest printable wall or neck */
  double min_gap;       /* m: narrowest gap whose support material can be washed out */
  double tray[3];       /* m: build tray x, y, z */
} mnn_printer_profile;

/* The paper's printer: Stratasys J850 Digital Anatomy (PolyJet) with Agilus30.
 * Tray 490 x 390 x 200 mm (Stratasys' specification of the J850); minimum feature
 * 0.3 mm and minimum gap 0.5 mm are our assumptions (docs/export.md). */
#define MNN_PRINTER_J850_MIN_FEATURE 0.0003
#define MNN_PRINTER_J850_MIN_GAP 0.0005
void mnn_printer_profile_default(mnn_printer_profile *p);

#define MNN_PRINT_MAX_ISSUES 16

typedef struct mnn_print_issue {
  char kind[24];       /* "neck", "gap", "overlap", "size" */
  char subject[64];    /* "bond 7", "bonds 3 and 12", "node 4 and bond 9", "part" */
  double value, limit; /* m */
  char message[256];   /* one line */
} mnn_print_issue;

typedef struct mnn_print_check {
  mnn_printer_profile profile;
  double thinnest_neck;      /* m: min over bonds of width / 2 */
  int thinnest_neck_bond;    /* bond id */
  double thinnest_bond;      /* m: min width */
  double smallest_gap;       /* m, negative when bodies overlap; +inf if no pairs */
  char smallest_gap_between[64];
  double size[3];            /* m: bounding box of the solid */
  int fits_tray;             /* 1 if it fits, possibly turned by 90 degrees in the tray */
  int n_issues;              /* violations found (at most MNN_PRINT_MAX_ISSUES kept) */
  mnn_print_issue issues[MNN_PRINT_MAX_ISSUES];
} mnn_print_check;

/* Measures the network's solid against the profile (NULL: the default profile).
 * Returns 0 when nothing is violated or when not strict (violations are then in
 * check->issues and are printed as warnings); with strict, a violation is an
 * error naming the first one. */
int mnn_print_check_network(const mnn_network *net, const mnn_printer_profile *profile, int strict,
                            mnn_print_check *check, mnn_error *err);

/* For tests and the benchmark: the gaps of every pair of bodies, one by one
 * (O(n^2), the reference the grid in mnn_print_check_network is measured
 * against). check must be set up as mnn_print_check_network sets it (profile,
 * smallest_gap = INFINITY); fills smallest_gap and the gap issues. */
int mnn_print_measure_gaps_all_pairs(const mnn_network *net, mnn_print_check *check);

#endif
