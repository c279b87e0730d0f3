/* Sections of the report's HTML page (report_html_tables.c), used by
 * report_html.c, which puts the verdict and the pictures first. */
#ifndef MNN_REPORT_HTML_PARTS_H
#define MNN_REPORT_HTML_PARTS_H

#include <stdio.h>
#include "report.h"

/* The name a person reads for a training metric key ("final-test-accuracy" ->
 * "test accuracy after training"); the key itself when it has none. */
const char *mnn_html_metric_name(const char *key);
/* "node 8 u_x (setosa)": an output with its class name when the task has one. */
void mnn_html_output_name(const mnn_report *r, int index, char *out, size_t n);
/* The confusion matrices (classification) and the outputs table. */
void mnn_html_task_tables(FILE *fp, const mnn_report *r);
void mnn_html_training_table(FILE *fp, const mnn_report *r);
void mnn_html_gradient_tables(FILE *fp, const mnn_report *r);
void mnn_html_product_tables(FILE *fp, const mnn_report *r);
void mnn_html_run_tables(FILE *fp, const mnn_report *r);

#endif
