"""check_log.py LOG N: the log's complete trial records measure N distinct
configurations, each once (records of a line cut by a kill are skipped, as
hcc-compile and hcc-tune skip them), the first being the defaults; records
marked "remeasure" measure one of those configurations again; every record
is a measurement (costs, with a baseline) or a failure (error)."""
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
configs = [json.dumps(r["config"], sort_keys=True) for r in records
           if not r.get("remeasure")]
again = [json.dumps(r["config"], sort_keys=True) for r in records
         if r.get("remeasure")]
assert set(again) <= set(configs), "a configuration re-measured, not measured"
assert len(configs) == len(set(configs)), "a configuration measured twice"
assert len(configs) == want, "%d records, expected %d" % (len(configs), want)
assert records[0]["config"]["tile-m"] in (4, 8), records[0]  # the defaults
for r in records:
    assert r["version"] == 1 and r["workload"].startswith("cpu:graph.MatMul")
    assert (r["costs"] and all(c > 0 for c in r["costs"])) or r["error"], r
    # A measurement has its baseline: the defaults in the same minutes.
    assert not r["costs"] or r.get("baseline", 0) > 0, r
print("ok: %d distinct configurations, %d measured again"
      % (len(configs), len(again)))

# check_log.py LOG N TOP: besides, the TOP fastest configurations (by
# hcc-compile --tuning-log's rule, tuning_rule.py) and the defaults were
# each measured at least 3 times (the confirmation), ranked as they were
# when it ended: before the context rounds that end the log.
if len(sys.argv) > 3:
    from tuning_rule import costs
    top = int(sys.argv[3])
    end = len(records)
    while end and records[end - 1].get("context"):
        end -= 1
    cost, _ = costs(records[:end])
    ranked = sorted(cost, key=cost.get)
    samples = {}
    for r in records:
        if r["costs"]:
            k = json.dumps(r["config"], sort_keys=True)
            samples.setdefault(k, []).append(r)
    for key in ranked[:top] + [configs[0]]:
        assert len(samples[key]) >= 3, (key, samples[key])
    print("ok: the %d best and the defaults measured 3 times or more" % top)
