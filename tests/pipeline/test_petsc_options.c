/* The allow-list of solver options a case file may pass (<fem options="...">):
 * the options of the "fem_" solver that the docs name pass; viewers, monitors,
 * logs and file targets (which let a case file truncate any file: -log_view
 * :/some/file) are refused with one line naming the option. */
#include "cli_petsc.h"
#include "test_util.h"

int main(void) {
  mnn_error err;
  const char *good[] = {"", "-fem_ksp_rtol 1e-8", "-fem_ksp_type cg -fem_pc_type gamg -fem_pc_gamg_threshold 0.01",
                        "-fem_pc_type cholesky -fem_pc_factor_mat_solver_type mumps -fem_mat_mumps_icntl_14 50",
                        "-fem_mg_levels_1_ksp_max_it 3 -fem_mg_coarse_pc_type cholesky", "-fem_ksp_max_it 10000",
                        "-fem_mat_mumps_cntl_3 -1e-8", "--fem_ksp_atol 1e-20", "-fem_ksp_initial_guess_nonzero"};
  for (size_t i = 0; i < sizeof good / sizeof *good; ++i)
    CHECK_MSG(mnn_petsc_options_check(good[i], &err) == 0, "'%s': %s", good[i], err.message);
  struct { const char *options, *message; } bad[] = {
      {"-log_view :/some/file", "option '-log_view' is not a solver option"},
      {"-fem_ksp_monitor :/some/file", "option '-fem_ksp_monitor' is not a solver option"},
      {"-fem_ksp_view", "is not a solver option"},
      {"-fem_ksp_converged_reason ascii:/some/file", "is not a solver option"},
      {"-options_file /etc/passwd", "is not a solver option"},
      {"-ksp_rtol 1e-8", "'-ksp_rtol' is not a solver option"}, /* not the fem_ solver */
      {"-fem_ksp_type :/some/file", "value ':/some/file' is not a plain number or name"},
      {"-fem_pc_type ../x", "is not a plain number or name"},
      {"-fem_ksp_rtol 1e-8 1e-9", "'1e-9' follows no option"},
      {"stray", "'stray' follows no option"},
      {"-fem_mg_levels_1_ksp_view", "is not a solver option"},
      {"-fem_pc_gamg_", "is not a solver option"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; ++i) {
    CHECK_MSG(mnn_petsc_options_check(bad[i].options, &err) != 0, "'%s' accepted", bad[i].options);
    CHECK_CONTAINS(err.message, bad[i].message);
  }
  return mnn_test_finish();
}
