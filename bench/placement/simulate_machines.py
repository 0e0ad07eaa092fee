#!/usr/bin/env python3
"""Placement on the described machines we do not have (machines/*.json),
SIMULATED with hcc-sim: the partitioner against HEFT fed the same
estimates, each device alone, exhaustive search on 16-kernel windows, the
throughput objective, and the edge+cloud split at three bandwidths.

usage: simulate_machines.py BIN_DIR MODELS_DIR [--models ...] [--work DIR]
Every figure is simulated from the machines' public figures (roofline
costs), never measured.
"""
import argparse
import json
import math
import os
import subprocess
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MACHINES = ["h200-pcie5-server", "u250-server", "phone-soc-npu",
            "edge-cloud-100mbit"]


def sim(bindir, plan, machine, *flags):
    out = subprocess.run(
        [os.path.join(bindir, "hcc-sim"), plan, "--json",
         "--machine=" + os.path.join(ROOT, "machines", machine + ".json")]
        + list(flags), capture_output=True, text=True, check=True).stdout
    return {p["plan"].split(" (")[0]: p for p in json.loads(out)["plans"]}


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bindir")
    ap.add_argument("models_dir")
    ap.add_argument("--models", nargs="*")
    ap.add_argument("--work")
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="hcc-sim-")
    os.makedirs(work, exist_ok=True)
    names = args.models or sorted(
        f[:-5] for f in os.listdir(args.models_dir) if f.endswith(".onnx"))
    plans = {}
    for name in names:
        plan = os.path.join(work, name + ".json")
        if not os.path.exists(plan):
            subprocess.run(
                [os.path.join(args.bindir, "hcc-compile"),
                 os.path.join(args.models_dir, name + ".onnx"),
                 "--emit=placed", "--dump-placement=" + plan],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                check=True)
        plans[name] = plan

    print("SIMULATED: costs from the machines' public figures (roofline), "
          "%d models" % len(plans))
    for machine in MACHINES:
        vs_heft, vs_single, vs_exh, tput, heft_exh = [], [], [], [], []
        print("\n== %s" % machine)
        print("%-22s %10s %10s %10s %9s %9s %10s %9s" % (
            "model", "hcc ms", "HEFT ms", "best dev", "HEFT/hcc",
            "dev/hcc", "exh16/hcc", "tput x"))
        for name, plan in plans.items():
            lat = sim(args.bindir, plan, machine)
            singles = {k: v for k, v in lat.items() if k.startswith("only ")}
            best_single = min(v["latency_s"] for v in singles.values())
            hcc = lat["hcc"]["latency_s"]
            heft = lat["HEFT"]["latency_s"]
            window = sim(args.bindir, plan, machine, "--first-kernels=16")
            exh = window["exhaustive"]["latency_s"] / \
                window["hcc"]["latency_s"]
            heft_exh.append(window["exhaustive"]["latency_s"] /
                            window["HEFT"]["latency_s"])
            thr = sim(args.bindir, plan, machine, "--objective=throughput",
                      "--requests=64")
            single_t = sorted((v["throughput_per_s"] for k, v in thr.items()
                               if k.startswith("only ")), reverse=True)
            gain = thr["hcc"]["throughput_per_s"] / single_t[0]
            # Two devices within 2x of each other: the pipelining bar.
            close = len(single_t) > 1 and single_t[0] <= 2 * single_t[1]
            vs_heft.append(heft / hcc)
            vs_single.append(best_single / hcc)
            vs_exh.append(exh)
            if close:
                tput.append(gain)
            print("%-22s %10.3f %10.3f %10.3f %9.3f %9.3f %10.3f %8.2f%s" % (
                name, hcc * 1e3, heft * 1e3, best_single * 1e3, heft / hcc,
                best_single / hcc, exh, gain, "*" if close else ""))
        print("geomean: HEFT/hcc %.3f, best device/hcc %.3f, exhaustive/hcc"
              " on 16-kernel windows %.3f (worst %.3f), exhaustive/HEFT on "
              "them %.3f (worst %.3f)" % (
                  geomean(vs_heft), geomean(vs_single), geomean(vs_exh),
                  min(vs_exh), geomean(heft_exh), min(heft_exh)))
        if tput:
            print("throughput objective where the two best devices are "
                  "within 2x (*): geomean %.2fx the best device over %d "
                  "models (min %.2fx)" % (geomean(tput), len(tput),
                                          min(tput)))
        else:
            print("throughput objective: no model has two devices within "
                  "2x of each other on this machine")

    print("\n== edge+cloud split (edge-cloud-100mbit, link bandwidth swept)")
    print("%-22s %12s %12s %12s" % ("model", "10 Mbit/s", "100 Mbit/s",
                                    "1 Gbit/s"))
    matches = 0
    total = 0
    for name, plan in plans.items():
        cells = []
        for gbps in ("0.00125", "0.0125", "0.125"):
            r = sim(args.bindir, plan, "edge-cloud-100mbit",
                    "--link-gbps=" + gbps)
            split = r["best split"]["latency_s"]
            hcc = r["hcc"]["latency_s"]
            total += 1
            ok = hcc <= split * 1.0001
            matches += ok
            cut = sum(d == "cpu" for d in r["hcc"]["devices"])
            cells.append("%s%d/%d" % ("=" if ok else "!", cut,
                                      len(r["hcc"]["devices"])))
        print("%-22s %12s %12s %12s" % (name, *cells))
    print("hcc's plan is at least as fast as the exhaustive best split in "
          "%d of %d cases (cells: kernels on the edge / all)" % (
              matches, total))


if __name__ == "__main__":
    main()
