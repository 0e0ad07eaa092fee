"""check_log.py LOG N: the log's complete records measure N distinct
configurations, each once (records of a line cut by a kill are skipped, as
hcc-compile and hcc-tune skip them), the first being the defaults, and
every record is a measurement (costs) or a failure (error)."""
import json
import sys

path, want = sys.argv[1], int(sys.argv[2])
records = []
for line in open(path):
    line = line.strip()
    if not line:
        continue
    try:
        records.append(json.loads(line))
    except json.JSONDecodeError:
        continue  # cut by the kill
configs = [json.dumps(r["config"], sort_keys=True) for r in records]
assert len(configs) == len(set(configs)), "a configuration measured twice"
assert len(configs) == want, "%d records, expected %d" % (len(configs), want)
assert records[0]["config"]["tile-m"] in (4, 8), records[0]  # the defaults
for r in records:
    assert r["version"] == 1 and r["workload"].startswith("cpu:graph.MatMul")
    assert (r["costs"] and all(c > 0 for c in r["costs"])) or r["error"], r
print("ok: %d distinct configurations" % len(configs))
