"""check_fpga_log.py LOG N [REPORT]: the log holds N trial records of FPGA
kernels, each costed by the board model (its device names the modelled
board; every run costs the same) and none failed; with REPORT (hcc-compile
--report of the log applied), the kernels' DSP blocks together stay within
80 % of the board's."""
import json
import re
import sys

records = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
trials = [r for r in records if not r.get("remeasure")]
assert len(trials) == int(sys.argv[2]), (len(trials), sys.argv[2])
assert not any(r.get("remeasure") for r in records), "modelled costs re-measured"
for r in records:
    assert r["target"] == "fpga" and not r["error"], r
    assert r["device"].startswith("modelled on board"), r["device"]
    assert r["costs"] and len(set(r["costs"])) == 1, r["costs"]
    assert r["config"]["tile-m"] * r["config"]["tile-n"] <= 1024, r["config"]
print("ok: %d modelled records" % len(records))

if len(sys.argv) > 3:
    text = open(sys.argv[3]).read()
    board = re.search(r"board '[^']*'", text)
    total = [l.split() for l in text.splitlines() if l.startswith("total")][0]
    # total CYCLES US DSP % LOGIC % RAM %
    dsp, share = int(total[3]), float(total[4])
    assert share <= 80.0 + 1e-9, total
    print("ok: %d DSP blocks, %.1f %% of the board" % (dsp, share))
