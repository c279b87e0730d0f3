#!/usr/bin/env python3
"""Places a classification data set's features on a lattice as input forces, by the
linear classifier's weights (docs/tasks/classification.md); prints the `inputs` list
of a task (NODE:y:FORCE,...) for the case file.

A mechanical network predicts the class c with the largest |u_c| of u = G f, and its
widths only change G within a limited range (1.5 to 2.5 mm: k within a factor 1.67),
so the uniform lattice must already be close to a good linear classifier. The rule:
  1. fit the linear classifier (multinomial logistic regression, `mnn train
     --baseline-weights`) on the task's training split; W is classes x features, the
     intercepts go to the constant column `bias`;
  2. G0[o, j]: output o's displacement under a unit F_y at free node j of the uniform
     lattice (one `mnn respond` per output, by reciprocity);
  3. features in order of the size of their weights (centred over the classes) each
     take the unused free node whose response over the outputs (centred over the
     outputs) is most nearly parallel or anti-parallel to the weights, with the force
     per unit feature -(least-squares factor), so that -G0 f follows W x + b up to a
     part common to all outputs;
  4. the constant column `weight` (a dead weight) goes to the unused node whose
     response is most nearly the same at every output, with the force that makes the
     common part of every output at least twice its class-dependent part for every
     sample's features: then every u_c has the same sign and the largest |u_c| is the
     largest (W x + b)_c;
  5. the forces are scaled so that the largest is SCALE (N).
usage: scripts/place-inputs.py NETWORK.xml DATA.csv OUTPUTS [SCALE [SEED [C | choose TRAIN-OPTIONS...]]]
  OUTPUTS  the task's outputs, e.g. 25:y,28:y,32:y; SCALE default 0.049 N; SEED default 1;
  C        the classifier's C (default: the baseline's, by cross-validation);
  choose   make the placement for each C of 0.01 ... 1000, train each with
           `mnn train ... TRAIN-OPTIONS` and keep the best training accuracy
  MNN      environment variable: the mnn program (default build/pipeline/mnn if it is
           there, else mnn from the PATH)"""
import math
import os
import subprocess
import sys
import tempfile


def norm(v):
    return math.sqrt(sum(t * t for t in v))


def centred(v):
    m = sum(v) / len(v)
    return [t - m for t in v]


def read_network(path):
    """Node ids in file order and the supported ones."""
    nodes, fixed = [], set()
    for line in open(path):
        if "<node " in line:
            nodes.append(int(line.split('id="')[1].split('"')[0]))
        if "<support " in line:
            fixed.add(int(line.split('node="')[1].split('"')[0]))
    return nodes, fixed


def placement(mnn, net, data, out_list, scale, seed, c):
    """The inputs list for the classifier fitted with C = c (None: cross-validated)."""
    outs = [(int(o.split(":")[0]), o.split(":")[1]) for o in out_list.split(",")]
    header = open(data).readline().strip().split(",")
    n_feat = len(header) - 1
    ib = header.index("bias") if "bias" in header else None
    iw = header.index("weight") if "weight" in header else None
    nodes, fixed = read_network(net)
    free = [n for n in nodes if n not in fixed]
    out_nodes = {n for n, c in outs}
    cand = [n for n in free if n not in out_nodes]
    if len(cand) < n_feat:
        sys.exit(f"place-inputs: {n_feat} features but only {len(cand)} free nodes besides the outputs: "
                 "use a larger lattice")

    # 1. the linear classifier on this seed's training split (any valid inputs will do)
    with tempfile.TemporaryDirectory() as tmp:
        wfile = os.path.join(tmp, "w.csv")
        subprocess.run([mnn, "train", net, "--task", "custom", "--data", data, "--loss", "softmax",
                        "--inputs", ",".join(f"{cand[k]}:y:1" for k in range(n_feat)),
                        "--outputs", out_list, "--epochs", "0", "--seed", seed, "-q",
                        "--baseline-weights", wfile] + (["--baseline-c", c] if c else []), check=True)
        rows = [l.strip().split(",") for l in open(wfile).readlines()[1:]]
    W = [[float(v) for v in r[1:1 + n_feat]] for r in rows]
    if ib is not None:
        for c, r in enumerate(rows):
            W[c][ib] += float(r[-1])
    Wc = [centred([W[c][i] for c in range(len(W))]) for i in range(n_feat)]

    # 2. the uniform lattice's responses (reciprocity: a unit force along each output)
    G = {}
    for o, (n, comp) in enumerate(outs):
        p = subprocess.run([mnn, "respond", net, "--load", f"{n}:{int(comp == 'x')}:{int(comp == 'y')}", "-q"],
                           capture_output=True, text=True, check=True)
        for line in p.stdout.splitlines()[1:]:
            if not line.strip():
                break
            nid, ux, uy = line.split(",")
            G.setdefault(int(nid), [0.0] * len(outs))[o] = float(uy)
    Gc = {j: centred(G[j]) for j in cand}

    # 3. features, largest weights first, to the best matching unused node
    used, assign = set(), {}
    for i in sorted((i for i in range(n_feat) if i != iw), key=lambda i: -norm(Wc[i])):
        best = None
        for j in cand:
            gn = norm(Gc[j])
            if j in used or gn == 0:
                continue
            cos = sum(a * b for a, b in zip(Wc[i], Gc[j])) / (gn * max(norm(Wc[i]), 1e-300))
            if best is None or abs(cos) > best[0]:
                best = (abs(cos), j, -cos * norm(Wc[i]) / gn)
        used.add(best[1])
        assign[i] = (best[1], best[2])

    # 4. the dead weight
    if iw is not None:
        X = [[float(v) for v in l.strip().split(",")[:n_feat]] for l in open(data).readlines()[1:]]
        mx = [max(abs(x[k]) for x in X) or 1 for k in range(n_feat)]
        X = [[x[k] / mx[k] for k in range(n_feat)] for x in X]
        mean = {j: sum(G[j]) / len(G[j]) for j in cand}
        jw = max((j for j in cand if j not in used), key=lambda j: abs(mean[j]) / max(norm(Gc[j]), 1e-300))
        need = 0.0
        for x in X:
            common = sum(a * mean[j] * x[i] for i, (j, a) in assign.items())
            spread = max(abs(sum(a * Gc[j][o] * x[i] for i, (j, a) in assign.items())) for o in range(len(outs)))
            need = min(need, (-2 * spread - common) / mean[jw])
        assign[iw] = (jw, need)

    # 5. scale
    amax = max(abs(a) for j, a in assign.values())
    return ",".join(f"{assign[i][0]}:y:{scale * assign[i][1] / amax:.4g}" for i in range(n_feat))


GRID = ["0.01", "0.1", "1", "10", "100", "1000"]


def choose(mnn, net, data, out_list, scale, seed, train_options):
    """The placement, of those made from the classifier with each C of GRID, whose
    network has the best training accuracy after `mnn train` with train_options
    (ties: the smaller C). The test set plays no part."""
    best = None
    with tempfile.TemporaryDirectory() as tmp:
        hist = os.path.join(tmp, "h.csv")
        for c in GRID:
            inputs = placement(mnn, net, data, out_list, scale, seed, c)
            subprocess.run([mnn, "train", net, "--task", "custom", "--data", data, "--inputs", inputs,
                            "--outputs", out_list, "--seed", seed, "-q", "--history", hist] + train_options,
                           check=True)
            acc = float(open(hist).read().strip().splitlines()[-1].split(",")[3])
            if best is None or acc > best[0]:
                best = (acc, c, inputs)
    sys.stderr.write(f"place-inputs: C = {best[1]}: training accuracy {best[0]:.4f}\n")
    return best[2]


def main():
    if len(sys.argv) < 4 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) > 1 else 2
    mnn = os.environ.get("MNN") or ("build/pipeline/mnn" if os.path.exists("build/pipeline/mnn") else "mnn")
    net, data, out_list = sys.argv[1:4]
    scale = float(sys.argv[4]) if len(sys.argv) > 4 else 0.049
    seed = sys.argv[5] if len(sys.argv) > 5 else "1"
    c = sys.argv[6] if len(sys.argv) > 6 else None  # C of the fit; default: the baseline's cross-validated C
    if c == "choose":
        print(choose(mnn, net, data, out_list, scale, seed, sys.argv[7:]))
    else:
        print(placement(mnn, net, data, out_list, scale, seed, c))
    return 0


if __name__ == "__main__":
    sys.exit(main())
