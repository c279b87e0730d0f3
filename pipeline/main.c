/* mnn: the command-line program. Dispatches to the subcommands listed in
 * commands.def; each subcommand has its own --help. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "log.h"

#define MNN_COMMAND(name, summary) int mnn_cmd_##name(int argc, char **argv);
#include "commands.def"
#undef MNN_COMMAND

typedef struct {
  const char *name, *summary;
  int (*run)(int argc, char **argv);
} command;

static const command commands[] = {
#define MNN_COMMAND(name, summary) {#name, summary, mnn_cmd_##name},
#include "commands.def"
#undef MNN_COMMAND
};

static void usage(FILE *out) {
  fprintf(out,
          "usage: mnn COMMAND [OPTIONS] [ARGS]\n"
          "       mnn help [COMMAND]\n"
          "\n"
          "Train mechanical neural networks on the bar model, mesh them, check them with\n"
          "3D FEM and export a printable part. `mnn help COMMAND` (or `mnn COMMAND --help`)\n"
          "explains one command.\n"
          "\n"
          "commands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof *commands; ++i)
    fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf(out,
          "\n"
          "options:\n"
          "  -h, --help     this help\n"
          "  --version      the program's version\n"
          "\n"
          "Exit status: 0 on success, 1 when the work fails (a bad input file, a failed\n"
          "solve, a write error), 2 on a usage error (an unknown option, a missing value).\n"
          "Units are SI (m, N, Pa) unless an option says otherwise; node and bond ids\n"
          "start at 1. Documentation: docs/guide.md.\n");
}

static const command *find(const char *name) {
  for (size_t i = 0; i < sizeof commands / sizeof *commands; ++i)
    if (!strcmp(name, commands[i].name)) return &commands[i];
  return NULL;
}

int main(int argc, char **argv) {
  opterr = 0; /* getopt prints nothing: each command reports a bad option in one line */
  if (argc < 2) {
    fprintf(stderr, "mnn: error: no command: run `mnn help` for the list\n");
    return 2;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || (!strcmp(argv[1], "help") && argc == 2)) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(argv[1], "--version")) {
    printf("mnn %s\n", MNN_VERSION);
    return 0;
  }
  if (!strcmp(argv[1], "help")) {
    const command *c = argc == 3 ? find(argv[2]) : NULL;
    if (!c) {
      fprintf(stderr, "mnn: error: help: %s: run `mnn help` for the list of commands\n",
              argc == 3 ? "no such command" : "give one command");
      return 2;
    }
    char *help_argv[] = {argv[2], "--help", NULL};
    return c->run(2, help_argv);
  }
  const command *c = find(argv[1]);
  if (c) return c->run(argc - 1, argv + 1);
  if (argv[1][0] == '-') fprintf(stderr, "mnn: error: unknown option '%s': run `mnn help`\n", argv[1]);
  else fprintf(stderr, "mnn: error: unknown command '%s': run `mnn help` for the list\n", argv[1]);
  return 2;
}
