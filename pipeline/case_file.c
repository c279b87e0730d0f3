/* Case file reader: schema validation, then each element into mnn_case with
 * file:line in every message, then mnn_case_check. */
#include "case_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bar_solver.h"
#include "cli.h"
#include "cli_petsc.h"
#include "data_dir.h"
#include "network.h"
#include "measurement_file.h"
#include "network_file.h"
#include "xml_input.h"

extern const char mnn_case_xsd[];

/* Joins a path relative to the case file's folder (absolute paths stay). A path
 * that does not fit in n is refused, never cut: -1 with "file:line: <what>" in err. */
static int resolve(const mnn_case *c, long line, const char *what, const char *rel, char *out, size_t n,
                   mnn_error *err) {
  int len = rel[0] == '/' || !c->dir[0] ? snprintf(out, n, "%s", rel) : snprintf(out, n, "%s/%s", c->dir, rel);
  if (len < 0 || (size_t)len >= n)
    return mnn_fail(err, "%s:%ld: <%s>: the path is longer than %zu characters: move the file nearer", c->path, line,
                    what, n - 1);
  return 0;
}

/* Copies src into dst[n]; a string that does not fit is refused, never cut. */
static int copy_whole(char *dst, size_t n, const char *src, const mnn_case *c, long line, const char *what,
                      mnn_error *err) {
  if (strlen(src) >= n)
    return mnn_fail(err, "%s:%ld: <%s>: longer than %zu characters: shorten it", c->path, line, what, n - 1);
  memcpy(dst, src, strlen(src) + 1);
  return 0;
}

/* Copies src into dst[n] with every control character written as a visible
 * escape (\n, \t, \xHH), so that a title cannot move the cursor or fake an
 * error line on the terminal; -1 when the result does not fit. */
static int copy_escaped(char *dst, size_t n, const char *src) {
  size_t k = 0;
  for (const unsigned char *p = (const unsigned char *)src; *p; ++p) {
    char esc[8];
    int len = *p == '\n' ? snprintf(esc, sizeof esc, "\\n")
              : *p == '\t' ? snprintf(esc, sizeof esc, "\\t")
              : *p == '\r' ? snprintf(esc, sizeof esc, "\\r")
              : *p < 0x20 || *p == 0x7f ? snprintf(esc, sizeof esc, "\\x%02x", *p)
                                        : (esc[0] = (char)*p, esc[1] = '\0', 1);
    if (k + (size_t)len >= n) return -1;
    memcpy(dst + k, esc, (size_t)len);
    k += (size_t)len;
  }
  dst[k] = '\0';
  return 0;
}

static int attr_bool(xmlNodePtr node, const char *name, int dflt) {
  char *s = mnn_xml_attr_string(node, name);
  if (!s) return dflt;
  int v = !strcmp(s, "true") || !strcmp(s, "1");
  free(s);
  return v;
}

/* Reads an optional double attribute into *dst; -1 on a malformed value. */
static int opt_double(xmlNodePtr node, const char *name, const char *path, double *dst, mnn_error *err) {
  return mnn_xml_attr_double(node, name, path, dst, err) < 0 ? -1 : 0;
}

static int opt_int(xmlNodePtr node, const char *name, const char *path, int *dst, mnn_error *err) {
  return mnn_xml_attr_int(node, name, path, dst, err) < 0 ? -1 : 0;
}

static mnn_network *read_network(mnn_case *c, xmlNodePtr e, mnn_error *err) {
  const char *path = c->path;
  long line = xmlGetLineNo(e);
  char *source = mnn_xml_attr_string(e, "source");
  char *supports = mnn_xml_attr_string(e, "supports");
  const char *src = source ? source : "paper";
  const char *sup = supports ? supports : "top-corners";
  mnn_support_choice choice = !strcmp(sup, "top-row") ? MNN_SUPPORT_TOP_ROW
                              : !strcmp(sup, "top-corners") ? MNN_SUPPORT_TOP_CORNERS
                                                            : MNN_SUPPORT_NONE;
  double spacing = MNN_PAPER_SPACING;
  int top = 5, rows = 4, cols = 4;
  mnn_network *net = NULL;
  if (opt_double(e, "spacing", path, &spacing, err) || opt_int(e, "top", path, &top, err) ||
      opt_int(e, "rows", path, &rows, err) || opt_int(e, "cols", path, &cols, err))
    goto done;
  if (!strcmp(src, "file")) {
    char *file = mnn_xml_attr_string(e, "file");
    if (!file) {
      mnn_fail(err, "%s:%ld: <network source=\"file\"> needs file=\"NETWORK.xml\"", path, line);
      goto done;
    }
    int too_long = resolve(c, line, "network file", file, c->network_file, sizeof c->network_file, err);
    free(file);
    if (too_long) goto done;
    net = mnn_network_read(c->network_file, err);
    if (!net) mnn_error_prefix(err, "%s:%ld: <network>", path, line);
  } else if (!strcmp(src, "paper")) {
    net = mnn_lattice_triangle(5, 4, spacing, choice, err);
  } else if (!strcmp(src, "triangle")) {
    net = mnn_lattice_triangle(top, rows, spacing, choice, err);
  } else {
    net = mnn_lattice_patch(rows, cols, spacing, choice, err);
  }
  if (!net) {
    if (strcmp(src, "file")) mnn_error_prefix(err, "%s:%ld: <network>", path, line);
    goto done;
  }
  if (choice == MNN_SUPPORT_NONE) {
    int *ids = NULL, n = mnn_cli_id_list(sup, "supports", &ids, err);
    if (n < 0) {
      if (strstr(err->message, "listed twice")) mnn_error_prefix(err, "%s:%ld: <network>", path, line);
      else mnn_fail(err, "%s:%ld: <network supports=\"%s\">: use top-corners, top-row or node ids like 1,5", path, line, sup);
      goto fail;
    }
    memset(net->fixed, 0, (size_t)net->n_nodes);
    for (int i = 0; i < n; ++i) {
      int k = mnn_network_node_index(net, ids[i]);
      if (k < 0) {
        mnn_fail(err, "%s:%ld: <network supports>: there is no node %d in this network", path, line, ids[i]);
        free(ids);
        goto fail;
      }
      net->fixed[k] = MNN_FIX_XY;
    }
    free(ids);
  }
  double width = -1;
  if (opt_double(e, "width", path, &width, err)) goto fail;
  if (width > 0)
    for (int b = 0; b < net->n_bonds; ++b) net->width[b] = width;
  struct { const char *name; double *dst; } attrs[] = {
      {"thickness", &net->thickness},         {"youngs-modulus", &net->youngs_modulus},
      {"poisson-ratio", &net->poisson_ratio}, {"width-min", &net->width_min},
      {"width-max", &net->width_max},         {"node-radius", &net->joint.node_radius},
      {"neck-length", &net->joint.neck_length},     {"stiffness-factor", &net->calibration.factor},
      {"joint-compliance", &net->calibration.joint_compliance},
  };
  for (size_t i = 0; i < sizeof attrs / sizeof *attrs; ++i)
    if (opt_double(e, attrs[i].name, path, attrs[i].dst, err)) goto fail;
  if (mnn_network_check(net, err)) {
    mnn_error_prefix(err, "%s:%ld: <network>", path, line);
    goto fail;
  }
  goto done;
fail:
  mnn_network_free(net);
  net = NULL;
done:
  free(source);
  free(supports);
  return net;
}

static int read_train(mnn_case *c, xmlNodePtr e, mnn_case_step *st, mnn_error *err) {
  const char *path = c->path;
  long line = xmlGetLineNo(e);
  mnn_task *t = &st->task;
  mnn_task_defaults(t);
  char *preset = mnn_xml_attr_string(e, "preset"), *variant = mnn_xml_attr_string(e, "variant");
  int rc = 0;
  if (preset && !(rc = mnn_task_preset(t, preset, variant, err))) mnn_data_dir_resolve_preset(t);
  free(preset);
  free(variant);
  if (rc) return mnn_error_prefix(err, "%s:%ld: <train preset>", path, line), -1;
  st->fem_rounds = 0;
  st->fem_round_epochs = -1;
  if (opt_int(e, "fem-rounds", path, &st->fem_rounds, err) ||
      opt_int(e, "fem-round-epochs", path, &st->fem_round_epochs, err))
    return -1;
  /* <input>/<output> children replace the preset's lists, each attribute read by
   * the task's own parser (barmodel/training/task_keys.c) */
  int n_in = 0, n_out = 0;
  for (xmlNodePtr k = e->children; k; k = k->next) {
    int is_in = mnn_xml_is(k, "input");
    if (!is_in && !mnn_xml_is(k, "output")) continue;
    if (is_in && n_in++ == 0) t->n_inputs = 0;
    if (!is_in && n_out++ == 0) t->n_outputs = 0;
    char *node = mnn_xml_attr_string(k, "node"), *comp = mnn_xml_attr_string(k, "component");
    char *scale = mnn_xml_attr_string(k, "scale");
    rc = mnn_task_add_dof(t, is_in, node, comp, scale, err);
    free(node);
    free(comp);
    free(scale);
    if (rc) return mnn_error_prefix(err, "%s:%ld: <%s>", path, xmlGetLineNo(k), is_in ? "input" : "output"), -1;
  }
  for (int i = 0; i < mnn_task_n_keys; ++i) {
    const char *key = mnn_task_key_table[i].key;
    char *v = mnn_xml_attr_string(e, key);
    if (!v) continue;
    if (mnn_task_key_table[i].flags & MNN_KEY_CSV) {
      char full[MNN_CASE_PATH];
      rc = resolve(c, line, "train data", v, full, sizeof full, err);
      free(v);
      if (rc) return -1;
      v = strdup(full);
      if (!v) return mnn_fail(err, "out of memory");
    }
    rc = mnn_task_set(t, key, v, err);
    free(v);
    if (rc) return mnn_error_prefix(err, "%s:%ld: <train %s>", path, line, key), -1;
  }
  /* the task's name is printed on every progress line: escaped as the title is */
  char name[sizeof t->name];
  if (copy_escaped(name, sizeof name, t->name))
    return mnn_fail(err, "%s:%ld: <train name>: too long once its control characters are escaped: shorten it", path,
                    line);
  memcpy(t->name, name, sizeof name);
  return 0;
}

static int read_settings(mnn_case *c, xmlNodePtr e, mnn_error *err) {
  const char *path = c->path;
  if (mnn_xml_is(e, "mesh")) {
    c->mesh_enabled = attr_bool(e, "enabled", 1);
    return opt_double(e, "refine", path, &c->mesh.refinement, err) ||
           opt_int(e, "across-neck", path, &c->mesh.elements_across_neck, err) ||
           opt_int(e, "layers", path, &c->mesh.layers_through_thickness, err);
  }
  if (mnn_xml_is(e, "fem")) {
    c->fem_enabled = attr_bool(e, "enabled", 1);
    char *solver = mnn_xml_attr_string(e, "solver");
    c->fem_direct = !solver || !strcmp(solver, "direct");
    free(solver);
    char *o = mnn_xml_attr_string(e, "options");
    int rc = 0;
    if (o && mnn_petsc_options_check(o, err)) { /* only solver options: no file targets */
      mnn_error_prefix(err, "%s:%ld: <fem options>", path, xmlGetLineNo(e));
      rc = -1;
    } else if (o) {
      rc = copy_whole(c->fem_options, sizeof c->fem_options, o, c, xmlGetLineNo(e), "fem options", err);
    }
    free(o);
    if (rc) return -1;
    char *mat = mnn_xml_attr_string(e, "material");
    if (mat) rc = rc || resolve(c, xmlGetLineNo(e), "fem material", mat, c->fem_material_file,
                                sizeof c->fem_material_file, err);
    free(mat);
    if (rc) return -1;
    if (c->fem_material_file[0] && mnn_material_read(c->fem_material_file, &c->fem_material, err))
      return mnn_error_prefix(err, "%s:%ld: <fem material>", path, xmlGetLineNo(e)), -1;
    return opt_int(e, "order", path, &c->fem_order, err) || opt_int(e, "ranks", path, &c->fem_ranks, err);
  }
  if (mnn_xml_is(e, "measurement")) {
    if (c->n_measurements == MNN_CASE_MAX_MEASUREMENTS)
      return mnn_fail(err, "%s:%ld: more than %d <measurement> elements: split them into several cases", path,
                      xmlGetLineNo(e), MNN_CASE_MAX_MEASUREMENTS);
    char *file = mnn_xml_attr_string(e, "file");
    int k = c->n_measurements++;
    int too_long = resolve(c, xmlGetLineNo(e), "measurement", file ? file : "", c->measurement_file[k], MNN_CASE_PATH, err);
    free(file);
    if (too_long) return -1;
    c->measurement_fit[k] = attr_bool(e, "fit", 0);
    mnn_measurement *m = mnn_measurement_read(c->measurement_file[k], err); /* checked now, used later */
    mnn_measurement_free(m);
    if (!m) return mnn_error_prefix(err, "%s:%ld: <measurement>", path, xmlGetLineNo(e)), -1;
    return 0;
  }
  if (mnn_xml_is(e, "stl")) {
    c->stl_enabled = attr_bool(e, "enabled", 1);
    c->stl_ascii = attr_bool(e, "ascii", 0);
    return 0;
  }
  if (mnn_xml_is(e, "printer")) {
    char *n = mnn_xml_attr_string(e, "name");
    int rc = n ? copy_whole(c->printer.name, sizeof c->printer.name, n, c, xmlGetLineNo(e), "printer name", err) : 0;
    free(n);
    c->print_strict = attr_bool(e, "strict", 0);
    return rc || opt_double(e, "min-feature", path, &c->printer.min_feature, err) ||
           opt_double(e, "min-gap", path, &c->printer.min_gap, err) ||
           opt_double(e, "tray-x", path, &c->printer.tray[0], err) ||
           opt_double(e, "tray-y", path, &c->printer.tray[1], err) ||
           opt_double(e, "tray-z", path, &c->printer.tray[2], err);
  }
  if (mnn_xml_is(e, "thresholds")) {
    mnn_report_thresholds *t = &c->thresholds;
    if (opt_double(e, "displacement-warning", path, &t->displacement_warning, err) ||
        opt_double(e, "displacement-error", path, &t->displacement_error, err) ||
        opt_double(e, "gradient-warning", path, &t->gradient_warning, err) ||
        opt_double(e, "gradient-error", path, &t->gradient_error, err) ||
        opt_double(e, "cosine-warning", path, &t->cosine_warning, err) ||
        opt_double(e, "cosine-error", path, &t->cosine_error, err) ||
        opt_double(e, "accuracy-warning", path, &t->accuracy_warning, err) ||
        opt_double(e, "accuracy-error", path, &t->accuracy_error, err) ||
        opt_double(e, "measurement-sd-warning", path, &c->measurement_sd_warning, err) ||
        opt_double(e, "measurement-sd-error", path, &c->measurement_sd_error, err) ||
        opt_double(e, "mse-warning", path, &t->mse_warning, err) || opt_double(e, "mse-error", path, &t->mse_error, err) ||
        opt_double(e, "difference-warning", path, &t->difference_warning, err) ||
        opt_double(e, "difference-error", path, &t->difference_error, err))
      return -1;
    if (t->displacement_warning > t->displacement_error || t->gradient_warning > t->gradient_error ||
        t->cosine_warning < t->cosine_error || t->accuracy_warning > t->accuracy_error ||
        c->measurement_sd_warning > c->measurement_sd_error || t->mse_warning > t->mse_error ||
        t->difference_warning > t->difference_error)
      return mnn_fail(err, "%s:%ld: <thresholds>: each warning must be milder than its error", path, xmlGetLineNo(e));
  }
  return 0;
}

static int read_step(mnn_case *c, xmlNodePtr e, mnn_error *err) {
  if (c->n_steps == MNN_CASE_MAX_STEPS)
    return mnn_fail(err, "%s:%ld: more than %d steps: split the study into several cases", c->path, xmlGetLineNo(e),
                    MNN_CASE_MAX_STEPS);
  mnn_case_step *st = &c->steps[c->n_steps];
  memset(st, 0, sizeof *st);
  st->line = xmlGetLineNo(e);
  if (mnn_xml_is(e, "train")) {
    st->kind = MNN_STEP_TRAIN;
    if (read_train(c, e, st, err)) return -1;
  } else if (mnn_xml_is(e, "prune")) {
    st->kind = MNN_STEP_PRUNE;
    char *s = mnn_xml_attr_string(e, "bonds");
    int *ids = NULL, n = mnn_cli_id_list(s, "bonds", &ids, err);
    free(s);
    if (n < 0 || n > MNN_CASE_MAX_PRUNE) {
      free(ids);
      if (n > MNN_CASE_MAX_PRUNE)
        return mnn_fail(err, "%s:%ld: <prune>: more than %d bonds: split it into several steps", c->path, st->line,
                        MNN_CASE_MAX_PRUNE);
      return mnn_error_prefix(err, "%s:%ld: <prune>", c->path, st->line), -1;
    }
    memcpy(st->prune_ids, ids, (size_t)n * sizeof(int));
    st->n_prune = n;
    free(ids);
  } else if (mnn_xml_is(e, "prune-sweep")) {
    st->kind = MNN_STEP_PRUNE_SWEEP;
    mnn_prune_defaults(&st->sweep);
    if (opt_double(e, "critical-drop", c->path, &st->sweep.critical_drop, err) ||
        opt_double(e, "critical-factor", c->path, &st->sweep.critical_factor, err) ||
        opt_int(e, "retrain-epochs", c->path, &st->sweep.retrain_epochs, err))
      return -1;
  } else {
    st->kind = MNN_STEP_GRADIENT_STUDY;
    mnn_gradient_study_options *o = &st->study;
    mnn_gradient_study_defaults(o);
    if (opt_int(e, "load-node", c->path, &o->load_node_id, err) ||
        opt_int(e, "output-node", c->path, &o->output_node_id, err) ||
        opt_double(e, "force", c->path, &o->force_y, err) || opt_double(e, "target", c->path, &o->target, err) ||
        opt_double(e, "step-min", c->path, &o->step_min, err) ||
        opt_double(e, "step-max", c->path, &o->step_max, err) || opt_int(e, "steps", c->path, &o->n_steps, err))
      return -1;
  }
  ++c->n_steps;
  return 0;
}

mnn_case *mnn_case_read(const char *path, mnn_error *err) {
  xmlDocPtr doc = mnn_xml_read(path, mnn_case_xsd, err);
  if (!doc) return NULL;
  mnn_case *c = calloc(1, sizeof *c);
  if (!c) {
    xmlFreeDoc(doc);
    return (void)mnn_fail(err, "%s: out of memory", path), NULL;
  }
  if (strlen(path) >= sizeof c->path) {
    xmlFreeDoc(doc);
    free(c);
    return (void)mnn_fail(err, "...%s: the path is longer than %zu characters: move the case nearer",
                          path + strlen(path) - 200, sizeof c->path - 1), NULL;
  }
  snprintf(c->path, sizeof c->path, "%s", path);
  const char *slash = strrchr(path, '/');
  if (slash) snprintf(c->dir, sizeof c->dir, "%.*s", (int)(slash - path), path);
  c->mesh_enabled = c->fem_enabled = c->stl_enabled = 1;
  mnn_mesh_options_default(&c->mesh);
  c->fem_order = 2;
  c->fem_direct = 1;
  c->fem_ranks = 1;
  mnn_printer_profile_default(&c->printer);
  mnn_report_thresholds_default(&c->thresholds);
  c->measurement_sd_warning = 2;
  c->measurement_sd_error = 3;

  xmlNodePtr root = xmlDocGetRootElement(doc);
  char *name = mnn_xml_attr_string(root, "name"), *title = mnn_xml_attr_string(root, "title");
  long root_line = xmlGetLineNo(root);
  int rc = copy_whole(c->name, sizeof c->name, name ? name : "case", c, root_line, "case name", err);
  /* the name is the default output folder build/cases/NAME: never "." or ".." */
  if (!rc && (!strcmp(c->name, ".") || !strcmp(c->name, "..")))
    rc = mnn_fail(err, "%s:%ld: <case name=\"%s\">: not a folder name: use letters, digits, '-', '_' or '.'", path,
                  root_line, c->name);
  if (!rc && copy_escaped(c->title, sizeof c->title, title ? title : c->name))
    rc = mnn_fail(err, "%s:%ld: <case title>: longer than %zu characters: shorten it", path, root_line,
                  sizeof c->title - 1);
  c->thresholds.in_situ = attr_bool(root, "in-situ-training", 0);
  free(name);
  free(title);
  for (xmlNodePtr e = root->children; e && !rc; e = e->next) {
    if (e->type != XML_ELEMENT_NODE) continue;
    if (mnn_xml_is(e, "network")) rc = (c->network = read_network(c, e, err)) ? 0 : -1;
    else if (mnn_xml_is(e, "train") || mnn_xml_is(e, "prune") || mnn_xml_is(e, "prune-sweep") ||
             mnn_xml_is(e, "gradient-study"))
      rc = read_step(c, e, err);
    else
      rc = read_settings(c, e, err);
  }
  xmlFreeDoc(doc);
  if (!rc) rc = mnn_case_check(c, err);
  if (rc) {
    mnn_case_free(c);
    return NULL;
  }
  return c;
}

void mnn_case_free(mnn_case *c) {
  if (!c) return;
  mnn_network_free(c->network);
  free(c);
}

int mnn_case_final_task(const mnn_case *c) {
  for (int i = c->n_steps - 1; i >= 0; --i)
    if (c->steps[i].kind == MNN_STEP_TRAIN) return i;
  return -1;
}

/* Fails when the network has zero modes, naming the moving nodes. */
static int check_stable(const mnn_network *net, const char *where, mnn_error *err) {
  double *k = malloc((size_t)(net->n_bonds > 0 ? net->n_bonds : 1) * sizeof(double));
  if (!k) return mnn_fail(err, "out of memory");
  mnn_network_stiffnesses(net, k);
  mnn_zero_modes zm = {0};
  int rc = mnn_bar_zero_modes(net, k, &zm, err);
  free(k);
  if (rc) return -1;
  if (zm.n_modes > 0) {
    char nodes[512] = "";
    for (int i = 0; i < zm.n_moving && i < 20; ++i) {
      size_t n = strlen(nodes);
      snprintf(nodes + n, sizeof nodes - n, "%s%d", i ? ", " : "", net->node_id[zm.moving_nodes[i]]);
    }
    rc = mnn_fail(err, "%s: the network has %d zero mode(s) (mechanisms): node(s) %s%s can move without stretching any "
                  "bond: prune fewer bonds or add supports", where, zm.n_modes, nodes, zm.n_moving > 20 ? ", ..." : "");
  }
  free(zm.moving_nodes);
  return rc;
}

int mnn_case_check(const mnn_case *c, mnn_error *err) {
  if (!c->network) return mnn_fail(err, "%s: no <network>", c->path);
  if (mnn_mesh_options_check(&c->mesh, err)) return mnn_error_prefix(err, "%s: <mesh>", c->path), -1;
  mnn_network *net = mnn_network_copy(c->network);
  if (!net) return mnn_fail(err, "out of memory");
  int rc = 0, last_train = -1;
  char where[MNN_CASE_PATH + 64];
  snprintf(where, sizeof where, "%s: <network>", c->path);
  rc = check_stable(net, where, err);
  for (int i = 0; i < c->n_steps && !rc; ++i) {
    const mnn_case_step *st = &c->steps[i];
    snprintf(where, sizeof where, "%s:%ld", c->path, st->line);
    if (st->kind == MNN_STEP_TRAIN) {
      last_train = i;
      if (st->fem_rounds > 0 && i != mnn_case_final_task(c))
        rc = mnn_fail(err, "<train fem-rounds>: only the last <train> step can have FEM rounds (the FEM stage "
                           "validates its task): move the attribute there");
      else if (st->fem_rounds > MNN_CASE_MAX_FEM_ROUNDS)
        rc = mnn_fail(err, "<train fem-rounds=\"%d\">: use at most %d", st->fem_rounds, MNN_CASE_MAX_FEM_ROUNDS);
      else if (st->fem_rounds > 0 && (!c->mesh_enabled || !c->fem_enabled))
        rc = mnn_fail(err, "<train fem-rounds=\"%d\">: FEM rounds mesh the network and solve it: enable <mesh> "
                           "and <fem>", st->fem_rounds);
      else if (st->fem_round_epochs > MNN_TASK_MAX_EPOCHS)
        rc = mnn_fail(err, "<train fem-round-epochs=\"%d\">: use at most %d", st->fem_round_epochs, MNN_TASK_MAX_EPOCHS);
      else if (mnn_task_check(&st->task, net, err)) rc = -1;
      else {
        mnn_dataset *d = mnn_task_dataset(&st->task, err);
        if (!d) rc = -1;
        mnn_dataset_free(d);
      }
    } else if (st->kind == MNN_STEP_PRUNE) {
      if (mnn_prune_bonds(net, st->n_prune, st->prune_ids, err)) rc = -1;
      else {
        snprintf(where, sizeof where, "%s:%ld: after <prune>", c->path, st->line);
        rc = check_stable(net, where, err);
        if (rc) break;
      }
    } else if (st->kind == MNN_STEP_PRUNE_SWEEP) {
      if (last_train < 0) rc = mnn_fail(err, "a <prune-sweep> needs a <train> step before it, for its task");
      else if (st->sweep.retrain_epochs > MNN_TASK_MAX_EPOCHS)
        rc = mnn_fail(err, "<prune-sweep retrain-epochs=\"%d\">: use at most %d", st->sweep.retrain_epochs,
                      MNN_TASK_MAX_EPOCHS);
    } else if (mnn_gradient_study_check(net, &st->study, err)) {
      mnn_error_prefix(err, "<gradient-study>");
      rc = -1;
    }
    if (rc && strncmp(err->message, where, strlen(where))) mnn_error_prefix(err, "%s", where);
  }
  mnn_network_free(net);
  return rc;
}

int mnn_case_inputs(const mnn_case *c, const char **paths, int max) {
  int n = 0;
  if (n < max) paths[n++] = c->path;
  if (c->network_file[0] && n < max) paths[n++] = c->network_file;
  for (int i = 0; i < c->n_steps && n < max; ++i)
    if (c->steps[i].kind == MNN_STEP_TRAIN && c->steps[i].task.data == MNN_DATA_CSV)
      paths[n++] = c->steps[i].task.csv_path;
  int final = mnn_case_final_task(c); /* FEM rounds train against the FEM, with its material */
  if (final >= 0 && c->steps[final].fem_rounds > 0 && c->fem_material_file[0] && n < max)
    paths[n++] = c->fem_material_file;
  return n;
}
