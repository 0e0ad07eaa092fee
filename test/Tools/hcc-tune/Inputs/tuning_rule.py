"""The cost hcc-compile --tuning-log (tuning::measuredConfigs) gives each
configuration of a one-workload log: the median of its records' medians
in context when it has some, else of its other records times the context
scale (the median over configurations measured both ways of in-context /
alone); a record's median counts over its baseline (the defaults measured
in the same minutes) times the median of the log's baselines."""
import json
import statistics


def key(record):
    return json.dumps(record["config"], sort_keys=True)


def costs(records):
    alone, in_context = {}, {}
    baselines = [r["baseline"] for r in records
                 if r["costs"] and r.get("baseline")]
    reference = statistics.median(baselines) if baselines else None
    for r in records:
        if r["costs"]:
            cost = statistics.median(r["costs"])
            if reference and r.get("baseline"):
                cost *= reference / r["baseline"]
            (in_context if r.get("context") else alone).setdefault(
                key(r), []).append(cost)
    ratios = [statistics.median(in_context[k]) / statistics.median(alone[k])
              for k in in_context if k in alone]
    scale = statistics.median(ratios) if ratios else 1.0
    result = {k: statistics.median(v) * scale for k, v in alone.items()}
    result.update({k: statistics.median(v) for k, v in in_context.items()})
    return result, in_context
