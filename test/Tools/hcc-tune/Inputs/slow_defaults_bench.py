"""slow_defaults_bench.py LOG REAL ARGS...: runs REAL (hcc-bench) with
ARGS; when the bundle runs the defaults of hcc-tune's one task (its model
with the defaults, base.hccb, or a round whose candidate, in round.jsonl
beside the bundle, is the configuration of LOG's first record), every
kernel of the runtime's trace ($HCC_TRACE) takes three times as long, so
that any other configuration measures faster than the defaults."""
import json
import os
import subprocess
import sys

log, real, args = sys.argv[1], sys.argv[2], sys.argv[3:]
code = subprocess.run([real] + args).returncode
trace = os.environ.get("HCC_TRACE")
bundle = next((a for a in args if a.endswith(".hccb")), "")


def runs_defaults():
    if os.path.basename(bundle) == "base.hccb":
        return True
    with open(log) as f:
        defaults = json.loads(f.readline())["config"]
    with open(os.path.join(os.path.dirname(bundle), "round.jsonl")) as f:
        round_ = [json.loads(line) for line in f if line.strip()]
    return len(round_) == 1 and round_[0]["config"] == defaults


if code == 0 and trace and bundle and runs_defaults():
    with open(trace) as f:
        data = json.load(f)
    for event in data["traceEvents"]:
        if event.get("cat") == "kernel":
            event["dur"] *= 3
    with open(trace, "w") as f:
        json.dump(data, f)
sys.exit(code)
