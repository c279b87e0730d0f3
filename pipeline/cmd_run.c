/* mnn run: one case file, every stage, one command. */
#include <getopt.h>
#include <petscsys.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "cli_petsc.h"
#include "log.h"
#include "report.h"
#include "run_case.h"

static void help(void) {
  printf("usage: mnn run CASE.xml [-o DIR] [--force] [--fem-ranks N] [-q | -v]\n"
         "\n"
         "Runs a case file's stages in order: train (the case's steps: train, prune,\n"
         "prune-sweep, gradient-study) -> mesh -> fem -> stl -> report, each writing its\n"
         "outputs into DIR. A stage whose outputs are newer than its inputs is skipped.\n"
         "The case is checked whole before any work starts; a failing stage leaves the\n"
         "outputs of earlier runs as they were.\n"
         "\n"
         "Outputs in DIR: network.xml (start), trained.xml, history.csv, confusion.csv,\n"
         "model.msh (Gmsh), fields.vtu (ParaView), model.stl (mm), report.xml,\n"
         "report.html with its SVG pictures, and *.record.xml (numbers between stages).\n"
         "\n"
         "options:\n"
         "  -o, --output DIR   output folder (default build/cases/<case name>)\n"
         "  -f, --force        redo every stage\n"
         "  --fem-ranks N      run the FEM stage on N MPI ranks (default: the case's\n"
         "                     <fem ranks>, else 1, in this process); N > 1 starts\n"
         "                     `mpiexec -n N mnn run CASE -o DIR --fem-stage` (the launcher\n"
         "                     can be changed with MNN_MPIEXEC, e.g. \"srun --mpi=pmix\")\n"
         "  --fem-stage        run only the FEM stage, on the ranks this process was\n"
         "                     started with (what --fem-ranks starts under mpiexec)\n"
         "  -q, --quiet        print nothing but errors;  -v, --verbose  more detail\n"
         "  -h, --help         this help\n"
         "\n"
         "Training, meshing and export run in this process; the FEM too unless it has\n"
         "more ranks (docs/fem.md: on a cluster). The case file format: docs/formats.md.\n");
}

int mnn_cmd_run(int argc, char **argv) {
  static const struct option opts[] = {{"output", required_argument, 0, 'o'}, {"force", no_argument, 0, 'f'},
                                       {"quiet", no_argument, 0, 'q'},        {"verbose", no_argument, 0, 'v'},
                                       {"help", no_argument, 0, 'h'},         {"fem-ranks", required_argument, 0, 'N'},
                                       {"fem-stage", no_argument, 0, 'S'},    {0, 0, 0, 0}};
  mnn_run_options o = {NULL, 0, 0};
  int fem_stage = 0;
  mnn_error err;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:fqvh", opts, NULL)) != -1) {
    switch (c) {
      case 'o': o.out_dir = optarg; break;
      case 'f': o.force = 1; break;
      case 'q': mnn_set_verbosity(MNN_QUIET); break;
      case 'v': mnn_set_verbosity(MNN_VERBOSE); break;
      case 'h': help(); return 0;
      case 'N':
        if (mnn_cli_int(optarg, "--fem-ranks", &o.fem_ranks, &err)) return mnn_cli_usage(&err);
        if (o.fem_ranks < 1 || o.fem_ranks > 100000)
          return mnn_cli_usagef("run: --fem-ranks %d: give a number of ranks from 1 to 100000", o.fem_ranks);
        break;
      case 'S': fem_stage = 1; break;
      default: return mnn_cli_bad_option("run", argv, opts);
    }
  }
  if (optind != argc - 1) return mnn_cli_usagef("run: give exactly one case file: mnn run CASE.xml");
  mnn_case *cs = mnn_case_read(argv[optind], &err);
  if (!cs) return mnn_cli_fail(&err);
  char dir[1200];
  if (!o.out_dir) {
    snprintf(dir, sizeof dir, "build/cases/%s", cs->name);
    o.out_dir = dir;
  }
  mnn_run_summary s;
  int rc;
  if (fem_stage) {
    rc = mnn_run_fem_stage(cs, &o, &err);
  } else {
    mnn_info("case %s: %s", cs->name, cs->title);
    rc = mnn_run_case(cs, &o, &s, &err);
  }
  mnn_case_free(cs);
  PetscBool petsc_up = PETSC_FALSE; /* started by the fem stage, if it ran: the command owns the process */
  if (PetscInitialized(&petsc_up) && !rc) rc = mnn_fail(&err, "run: PETSc cannot say whether it is running: run it again");
  if (petsc_up) rc = mnn_cli_petsc_stop(rc, "run", &err);
  if (rc) return mnn_cli_fail(&err);
  if (fem_stage) return 0;
  /* the verdict, as report.xml holds it (also when the report stage was up to date) */
  char report[1300];
  snprintf(report, sizeof report, "%s/report.xml", o.out_dir);
  mnn_report *r = mnn_report_read(report, &err);
  if (!r) return mnn_cli_fail(&err);
  mnn_report_print_verdict(r);
  mnn_report_free(r);
  return 0;
}
