"""check_context.py LOG ROUNDS [--tuned]: the log (of a model with one task) ends
with the context measurement: records marked "context" (and "remeasure":
each measures a configuration measured before) of at most ROUNDS rounds, at
least one; a round whose best is not the defaults is followed by the run
of the model with the defaults, in context too; unless the rounds ran out,
the best configuration by hcc-compile --tuning-log's rule (tuning_rule.py)
was measured in context twice."""
import json
import sys

from tuning_rule import costs

path, rounds = sys.argv[1], int(sys.argv[2])
# --tuned: the best is not the defaults, so every round measured the
# defaults too.
tuned = "--tuned" in sys.argv[3:]
records = [json.loads(line) for line in open(path) if line.strip()]
key = lambda r: json.dumps(r["config"], sort_keys=True)
trials = {key(r) for r in records if not r.get("remeasure")}
context = [r for r in records if r.get("context")]
assert context, "no record in context"
for r in context:
    assert r.get("remeasure") and key(r) in trials, r
# The context rounds come last.
first = records.index(context[0])
assert all(r.get("context") for r in records[first:]), "context rounds interleaved"
# The defaults are the first trial (the base run).
defaults = key(records[0])
tuned_rounds = 0
for i, r in enumerate(context):
    if key(r) != defaults:
        tuned_rounds += 1
        assert i + 1 < len(context) and key(context[i + 1]) == defaults, \
            "a tuned round without the defaults measured after it"
    # Each measurement in the rounds has its baseline.
    assert r.get("baseline", 0) > 0, r
rounds_run = len(context) - tuned_rounds
if tuned:
    assert tuned_rounds == rounds_run, "a round whose best was the defaults"
assert rounds_run <= rounds, (rounds_run, rounds)
cost, in_context = costs(records)
best = min(cost, key=cost.get)
if rounds_run < rounds:
    assert len(in_context.get(best, [])) >= 2, (best, in_context)
print("ok: %d rounds in context; the best, %s, measured %d times in context"
      % (rounds_run, best, len(in_context.get(best, []))))
