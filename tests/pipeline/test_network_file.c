/* Network files: round trip bit for bit, and one clear file:line error per kind
 * of bad input. */
#include <stdlib.h>
#include <unistd.h>
#include "network.h"
#include "network_file.h"
#include "test_util.h"

static char dir[] = "/tmp/mnn_test_netfile_XXXXXX";

static const char *write_text(const char *name, const char *text) {
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
  return path;
}

/* Reads a file that must fail; checks the message has the file:line and a hint. */
static void expect_error(const char *name, const char *body, const char *line, const char *hint) {
  char text[4096];
  snprintf(text, sizeof text, "<?xml version=\"1.0\"?>\n<network>\n%s</network>\n", body);
  const char *path = write_text(name, text);
  mnn_error err = {{0}};
  mnn_network *net = mnn_network_read(path, &err);
  CHECK_MSG(net == NULL, "%s was accepted", name);
  mnn_network_free(net);
  char where[600];
  snprintf(where, sizeof where, "%s:%s:", path, line);
  CHECK_CONTAINS(err.message, where);
  CHECK_CONTAINS(err.message, hint);
}

#define NODES "<node id=\"1\" x=\"0\" y=\"0\"/>\n<node id=\"2\" x=\"0.01\" y=\"0\"/>\n<node id=\"3\" x=\"0\" y=\"0.01\"/>\n"

int main(void) {
  CHECK(mkdtemp(dir) != NULL);
  mnn_error err;
  mnn_network *net = mnn_lattice_paper(&err);
  net->width[5] = 0.0017123456789012345;
  net->calibration.factor = 0.86;
  net->calibration.n_classes = 2; /* one class matches every bond (16 mm), one none */
  net->calibration.class_length[0] = 0.016, net->calibration.class_factor[0] = 0.8123456789012345;
  net->calibration.class_length[1] = 0.0226, net->calibration.class_factor[1] = 0.9;
  char path[512];
  snprintf(path, sizeof path, "%s/paper.xml", dir);
  CHECK(mnn_network_write(net, path, &err) == 0);
  mnn_network *back = mnn_network_read(path, &err);
  CHECK_MSG(back != NULL, "%s", err.message);
  if (back) {
    CHECK(back->n_nodes == 14 && back->n_bonds == 28);
    int same = 1;
    for (int b = 0; b < 28; ++b)
      same &= back->width[b] == net->width[b] && back->bond_a[b] == net->bond_a[b] && back->bond_b[b] == net->bond_b[b];
    for (int i = 0; i < 14; ++i) same &= back->x[i] == net->x[i] && back->y[i] == net->y[i] && back->fixed[i] == net->fixed[i];
    CHECK(same);
    CHECK(back->calibration.factor == 0.86);
    CHECK(back->calibration.n_classes == 2 && back->calibration.class_factor[0] == net->calibration.class_factor[0] &&
          back->calibration.class_length[1] == 0.0226 && back->calibration.class_factor[1] == 0.9);
    /* a bond of the 16 mm class takes that class's factor, not the network's */
    CHECK(mnn_bond_stiffness_factor(back, 3) == net->calibration.class_factor[0]);
    CHECK_CLOSE(mnn_bond_stiffness(back, 3),
                net->calibration.class_factor[0] * back->youngs_modulus * back->width[3] * back->thickness / 0.016, 1e-12, 0);
  }
  mnn_network_free(back);

  /* joint compliance: k = f / (L/(E w t) + 2 c_j), round trip, dk/dw vs central differences */
  net->calibration.n_classes = 0;
  net->calibration.joint_compliance = 5.136e-4;
  CHECK(mnn_network_write(net, path, &err) == 0);
  back = mnn_network_read(path, &err);
  CHECK_MSG(back != NULL, "%s", err.message);
  if (back) {
    CHECK(back->calibration.joint_compliance == 5.136e-4);
    double w = back->width[5], L = mnn_bond_length(back, 5), E = back->youngs_modulus, t = back->thickness;
    CHECK_CLOSE(mnn_bond_stiffness(back, 5), 0.86 / (L / (E * w * t) + 2 * 5.136e-4), 1e-14, 0);
    double h = 1e-7 * w, kp, km;
    back->width[5] = w + h, kp = mnn_bond_stiffness(back, 5);
    back->width[5] = w - h, km = mnn_bond_stiffness(back, 5);
    back->width[5] = w;
    CHECK_CLOSE(mnn_bond_dstiffness_dwidth(back, 5), (kp - km) / (2 * h), 1e-7, 0);
    back->calibration.joint_compliance = -1;
    CHECK(mnn_network_check(back, &err) != 0);
    CHECK_CONTAINS(err.message, "joint compliance");
  }
  mnn_network_free(back);
  mnn_network_free(net);

  expect_error("unknown_node.xml", NODES "<bond id=\"1\" from=\"1\" to=\"9\" width=\"0.002\"/>\n", "6", "no node 9");
  expect_error("unknown_support.xml", NODES "<support node=\"4\"/>\n", "6", "no node 4");
  expect_error("dup_bond.xml",
               NODES "<bond id=\"1\" from=\"1\" to=\"2\" width=\"0.002\"/>\n<bond id=\"2\" from=\"2\" to=\"1\" width=\"0.002\"/>\n",
               "7", "remove the duplicate");
  expect_error("dup_node.xml", NODES "<node id=\"2\" x=\"1\" y=\"1\"/>\n", "6", "appears twice");
  expect_error("zero_length.xml", NODES "<node id=\"4\" x=\"0\" y=\"0\"/>\n<bond id=\"1\" from=\"1\" to=\"4\" width=\"0.002\"/>\n",
               "7", "zero length");
  expect_error("dup_class.xml",
               "<length-class length=\"0.01\" stiffness-factor=\"0.9\"/>\n"
               "<length-class length=\"0.0100000001\" stiffness-factor=\"0.8\"/>\n" NODES,
               "4", "has a class already");
  expect_error("zero_class.xml", "<length-class length=\"0.01\" stiffness-factor=\"0\"/>\n" NODES, "3", "schema");
  expect_error("self_bond.xml", NODES "<bond id=\"1\" from=\"2\" to=\"2\" width=\"0.002\"/>\n", "6", "to itself");
  expect_error("neg_width.xml", NODES "<bond id=\"1\" from=\"1\" to=\"2\" width=\"-0.002\"/>\n", "6", "schema");
  expect_error("zero_width.xml", NODES "<bond id=\"1\" from=\"1\" to=\"2\" width=\"0\"/>\n", "6", "schema");
  expect_error("bad_number.xml", NODES "<node id=\"4\" x=\"1.2.3\" y=\"0\"/>\n", "6", "schema");
  expect_error("nan.xml", NODES "<node id=\"4\" x=\"NaN\" y=\"0\"/>\n", "6", "not a finite number");
  expect_error("malformed.xml", NODES "<bond id=\"1\" from=\"1\" to=\"2\" width=\"0.002\">\n", "7", "malformed XML");
  expect_error("unknown_element.xml", NODES "<spring id=\"1\"/>\n", "6", "schema");
  /* entities are not expanded, external ones not fetched */
  const char *xxe = write_text("xxe.xml",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE network [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
      "<network><node id=\"1\" x=\"&e;\" y=\"0\"/></network>\n");
  net = mnn_network_read(xxe, &err);
  CHECK(net == NULL);
  mnn_network_free(net);
  /* reversed width bounds */
  const char *rev = write_text("reversed.xml", "<?xml version=\"1.0\"?>\n<network width-min=\"0.003\" width-max=\"0.001\">\n" NODES "</network>\n");
  CHECK(mnn_network_read(rev, &err) == NULL);
  CHECK_CONTAINS(err.message, "width bounds");
  /* a missing file */
  CHECK(mnn_network_read("/nonexistent/net.xml", &err) == NULL);
  CHECK_CONTAINS(err.message, "cannot open");
  /* writing into a missing folder leaves nothing and says so */
  net = mnn_lattice_paper(&err);
  CHECK(mnn_network_write(net, "/nonexistent/dir/net.xml", &err) != 0);
  mnn_network_free(net);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
  return mnn_test_finish();
}
