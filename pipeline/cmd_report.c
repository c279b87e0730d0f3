/* mnn report: reads an existing report.xml (validated against its schema),
 * prints its headline numbers and discrepancies, and renders the case's HTML
 * page with its pictures (drawn by gnuplot). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "log.h"
#include "network_file.h"
#include "report.h"
#include "report_html.h"

#define MAX_LISTED 12

static void help(void) {
  printf("usage: mnn report REPORT.xml [--html PAGE.html] [options]\n"
         "\n"
         "Reads a report written by `mnn run` (schemas/report.xsd, docs/formats.md), prints\n"
         "its summary and discrepancies, and with --html writes the case's page: the\n"
         "report's tables and pictures drawn by gnuplot beside the page (PAGE_network.svg,\n"
         "PAGE_gradient.svg, PAGE_training.svg, PAGE_error_vs_step.svg).\n"
         "\n"
         "options:\n"
         "  --html FILE          write the HTML page here (pictures go beside it)\n"
         "  --network FILE       the trained network file: draws it to scale, and coloured by\n"
         "                       the FEM-minus-bar gradient per bond when the report has gradients\n"
         "  --history FILE       training history CSV (epoch,loss,...): draws the training curves\n"
         "  --error-step FILE    CSV step,forward_error,central_error: draws the Fig. 1 plot\n"
         "  --fail-on-error      exit with status 1 when the report lists error discrepancies\n"
         "  -v, --verbose        list every discrepancy (default: the first 12, errors first)\n"
         "  -q, --quiet          print nothing but errors\n"
         "  -h, --help           this help\n"
         "\n"
         "gnuplot is found through $MNN_GNUPLOT or the PATH (Debian package gnuplot-nox).\n");
}

static void print_summary(const mnn_report *r) {
  mnn_info("report of case '%s'%s%s", r->case_name, r->created[0] ? ", written " : "", r->created);
  if (r->has_gradient_summary)
    mnn_info("  gradient: cosine %.6g, relative L2 difference %.3g, signs agree on %.0f%% of bonds", r->gradient_cosine,
             r->gradient_relative_l2, 100 * r->gradient_sign_agreement);
  if (r->has_displacement_summary)
    mnn_info("  outputs: largest relative difference %.3g, relative L2 %.3g", r->displacement_max_relative_difference,
             r->displacement_relative_l2);
  if (r->has_accuracy) mnn_info("  test accuracy: bar model %.4g, FEM %.4g", r->bar_test_accuracy, r->fem_test_accuracy);
  if (r->has_stl)
    mnn_info("  STL %s: %d facets, %.6g mm^3, %d part%s, repairs: %s", r->stl_file, r->stl_facets, r->stl_volume_mm3,
             r->stl_parts, r->stl_parts == 1 ? "" : "s", r->stl_repairs);
  mnn_info("  discrepancies: %d errors, %d warnings, %d notes", mnn_report_count(r, MNN_SEVERITY_ERROR),
           mnn_report_count(r, MNN_SEVERITY_WARNING), mnn_report_count(r, MNN_SEVERITY_INFO));
  /* errors first, then warnings; at most MAX_LISTED lines unless -v */
  int listed = 0, hidden = 0;
  for (int sev = MNN_SEVERITY_ERROR; sev >= MNN_SEVERITY_WARNING; --sev)
    for (int i = 0; i < r->n_discrepancies; ++i) {
      const mnn_report_discrepancy *d = &r->discrepancies[i];
      if ((int)d->severity != sev) continue;
      if (listed < MAX_LISTED || mnn_get_verbosity() >= MNN_VERBOSE) {
        mnn_info("  %s: %s", mnn_severity_name(d->severity), d->message);
        ++listed;
      } else {
        ++hidden;
      }
    }
  if (hidden > 0) mnn_info("  ... and %d more (-v lists them all; the HTML page has the table)", hidden);
  mnn_report_print_verdict(r);
}

int mnn_cmd_report(int argc, char **argv) {
  static const struct option opts[] = {{"html", required_argument, 0, 'H'},    {"network", required_argument, 0, 'n'},
                                       {"history", required_argument, 0, 'y'}, {"error-step", required_argument, 0, 'e'},
                                       {"fail-on-error", no_argument, 0, 'f'}, {"quiet", no_argument, 0, 'q'},
                                       {"verbose", no_argument, 0, 'v'},
                                       {"help", no_argument, 0, 'h'},          {0, 0, 0, 0}};
  const char *html = NULL, *network = NULL, *history = NULL, *error_step = NULL;
  int fail_on_error = 0, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "qvh", opts, NULL)) != -1) {
    switch (c) {
      case 'H': html = optarg; break;
      case 'n': network = optarg; break;
      case 'y': history = optarg; break;
      case 'e': error_step = optarg; break;
      case 'f': fail_on_error = 1; break;
      case 'q': mnn_set_verbosity(MNN_QUIET); break;
      case 'v': mnn_set_verbosity(MNN_VERBOSE); break;
      case 'h': help(); return 0;
      default: return mnn_cli_bad_option("report", argv, opts);
    }
  }
  if (optind != argc - 1) return mnn_cli_usagef("report: give exactly one report file: mnn report REPORT.xml [--html PAGE.html]");
  if (!html && (network || history || error_step))
    return mnn_cli_usagef("report: --network, --history and --error-step draw pictures for the page: add --html PAGE.html");
  mnn_error err;
  mnn_report *r = mnn_report_read(argv[optind], &err);
  if (!r) return mnn_cli_fail(&err);
  mnn_network *net = NULL;
  if (network && !(net = mnn_network_read(network, &err))) {
    mnn_report_free(r);
    return mnn_cli_fail(&err);
  }
  print_summary(r);
  int rc = 0;
  if (html) {
    mnn_html_sources src = {net, history, error_step};
    rc = mnn_report_html_with_pictures(r, &src, html, &err);
    if (!rc) mnn_info("wrote %s", html);
  }
  int errors = mnn_report_count(r, MNN_SEVERITY_ERROR);
  mnn_network_free(net);
  mnn_report_free(r);
  if (rc) return mnn_cli_fail(&err);
  if (fail_on_error && errors > 0) return mnn_cli_failf("report: %d error discrepancies (see above)", errors);
  return 0;
}
