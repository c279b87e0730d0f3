/* mnn: the command-line program. Dispatches to the subcommands listed in
 * commands.def; each subcommand has its own --help. */
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
          "\n"
          "Train mechanical neural networks on the bar model, mesh them, check them with\n"
          "3D FEM and export a printable part. `mnn COMMAND --help` explains one command.\n"
          "\n"
          "commands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof *commands; ++i)
    fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf(out,
          "\n"
          "Units are SI (m, N, Pa) unless an option says otherwise; node and bond ids\n"
          "start at 1. Documentation: docs/guide.md.\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(argv[1], "--version")) {
    printf("mnn %s\n", MNN_VERSION);
    return 0;
  }
  for (size_t i = 0; i < sizeof commands / sizeof *commands; ++i)
    if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "mnn: error: unknown command '%s': run `mnn --help` for the list\n", argv[1]);
  return 2;
}
