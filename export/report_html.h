/* The HTML page of a case: the report's tables and its pictures, static (no
 * JavaScript), written atomically. Pictures are referenced by paths relative to
 * the page; mnn_report_html_with_pictures draws them beside the page first. */
#ifndef MNN_REPORT_HTML_H
#define MNN_REPORT_HTML_H

#include "network.h"
#include "report.h"

typedef struct mnn_html_pictures {
  const char *network;              /* the trained network to scale, or NULL */
  const char *gradient_difference;  /* bonds coloured by FEM - bar gradient, or NULL */
  const char *training;             /* training curves, or NULL */
  const char *error_vs_step;        /* Fig. 1 error against step size, or NULL */
  const char *deformed;             /* deformed shape, trained model and FEM, or NULL */
  double magnification;             /* of the deformed shape's displacements */
} mnn_html_pictures;

int mnn_report_write_html(const mnn_report *r, const mnn_html_pictures *pictures, const char *html_path, mnn_error *err);

/* Inputs for the pictures; every member may be NULL (that picture is left out). */
typedef struct mnn_html_sources {
  const mnn_network *network;   /* widths drawn from here; gradients from the report */
  const char *history_csv;      /* epoch,loss,... */
  const char *error_step_csv;   /* step,forward_error,central_error */
} mnn_html_sources;

/* Draws the pictures that the sources allow beside html_path, named
 * "<base>_network.svg" (with the task's inputs and outputs marked),
 * "<base>_deformed.svg" (when the report has the deformation), "<base>_gradient.svg",
 * "<base>_training.svg" and "<base>_error_vs_step.svg" (base = the page's name
 * without .html), then writes
 * the page. A picture that cannot be drawn is an error (nothing is skipped silently). */
int mnn_report_html_with_pictures(const mnn_report *r, const mnn_html_sources *sources, const char *html_path,
                                  mnn_error *err);

#endif
