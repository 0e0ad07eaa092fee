"""check_context.py LOG ROUNDS: the log ends with the context measurement:
records marked "context" (and "remeasure": each measures a configuration
measured before) of at most ROUNDS rounds, at least one; unless the rounds
ran out, the best configuration by hcc-compile --tuning-log's rule
(tuning_rule.py) was measured in context twice."""
import json
import sys

from tuning_rule import costs

path, rounds = sys.argv[1], int(sys.argv[2])
records = [json.loads(line) for line in open(path) if line.strip()]
key = lambda r: json.dumps(r["config"], sort_keys=True)
trials = {key(r) for r in records if not r.get("remeasure")}
context = [r for r in records if r.get("context")]
assert context, "no record in context"
assert len(context) <= rounds, (len(context), rounds)
for r in context:
    assert r.get("remeasure") and key(r) in trials, r
# The context rounds come last.
first = records.index(context[0])
assert all(r.get("context") for r in records[first:]), "context rounds interleaved"
cost, in_context = costs(records)
best = min(cost, key=cost.get)
if len(context) < rounds:
    assert len(in_context.get(best, [])) >= 2, (best, in_context)
print("ok: %d rounds in context; the best, %s, measured %d times in context"
      % (len(context), best, len(in_context.get(best, []))))
