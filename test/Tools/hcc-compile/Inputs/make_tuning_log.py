"""make_tuning_log.py KEYFILE OUT: a tuning log for the workload in KEYFILE
with one best record, a slower one, a failed one, one faster once but
slower in two re-measurements, one faster alone but slower in context
(measured in the model as compiled), one faster alone but not measured in
context (it counts with the usual context penalty), one faster as measured
but slower over its baseline (the defaults measured in the same minutes),
and one bad line of each kind hcc-compile
--tuning-log must skip (malformed, or outside the workload's search space) (tuning-log.test checks the line
numbers)."""
import json
import sys

key = open(sys.argv[1]).read().strip()


def rec(config, costs=None, error="", **extra):
    r = {"version": 1, "hcc": "0.1.0", "workload": key, "target": "cpu",
         "device": "test", "config": config, "error": error,
         "time": "2026-12-04T00:00:00Z"}
    if costs is not None:
        r["costs"] = costs
    r.update(extra)
    return json.dumps(r)


lines = [
    rec({"tile-m": 4, "cache-k": 256}, [1e-4, 1.1e-4, 0.9e-4]),  # 1: best
    rec({"tile-m": 6}, [2e-4]),                                     # 2: slower
    "{not json",                                                    # 3
    rec({"tile-m": 2}, [1e-6], version=2),                          # 4
    rec({"unroll": 4}, [1e-6]),                                     # 5
    rec({"tile-m": 99}, [1e-6]),                                    # 6
    rec({"tile-m": 2}, error="timed out after 10 s"),               # 7: failed
    rec({"tile-m": 2}, [1e-6], target="tpu"),                       # 8
    rec({"tile-m": 2}),                                             # 9
    rec({"tile-m": 2}, [-1]),                                       # 10
    # A lucky first run, slower when measured again: the median decides.
    rec({"tile-m": 8}, [0.5e-4]),                                   # 11
    rec({"tile-m": 8}, [3e-4], remeasure=True),                     # 12
    rec({"tile-m": 8}, [3e-4, 3.1e-4], remeasure=True),             # 13
    rec({"tile-m": 2}, [1e-6], remeasure="yes"),                    # 14
    # Fast alone, slower in the model as compiled: the context decides.
    rec({"tile-m": 16}, [0.4e-4]),                                  # 15
    rec({"tile-m": 16}, [0.4e-4], remeasure=True),                  # 16
    rec({"tile-m": 16}, [1.5e-4], remeasure=True, context=True),    # 17
    rec({"tile-m": 2}, [1e-6], remeasure=True, context=1),          # 18
    rec({"tile-m": 4, "cache-k": 256}, [1.05e-4], remeasure=True,
        context=True),                                              # 19
    # Not measured in context: counts with the usual context penalty of the
    # workloads (median of 1.05 and 3.75: 2.4x), so it loses too.
    rec({"tile-m": 12}, [0.9e-4]),                                  # 20
    rec({"tile-m": 2}, [1e-6], baseline=-1),                        # 21
    # Faster than the best as measured, but while the machine ran fast (the
    # defaults took half their time then): over its baseline it is slower.
    rec({"tile-m": 10}, [0.9e-4], context=True, baseline=0.5e-4),   # 22
    rec({"tile-m": 4, "cache-k": 256}, [1.05e-4], remeasure=True,
        context=True, baseline=1e-4),                               # 23
    # In range, but not points of this workload's search space (which
    # codegen could reject, or take minutes to compile), and a record of
    # another target's knobs under this workload.
    rec({"tile-m": 7}, [1e-6]),                                     # 24
    rec({"prefetch-kib": 8}, [1e-6]),                               # 25
    rec({"tile-m": 2}, [1e-6], target="opencl"),                    # 26
]
with open(sys.argv[2], "w") as f:
    f.write("\n".join(lines) + "\n")
