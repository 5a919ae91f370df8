#!/usr/bin/env python3
"""Agreement and leave-one-activation-out (LOAO) agreement of the probe's rule on the validation matrix.

usage: loao.py METRICS_CSV PROBE_JSON...

Outcome of a run (from its metrics.csv rows): DIVERGES if a training loss was NaN/inf, TRAINS if its best test
accuracy reached 85 %, STALLS otherwise. Prediction: the rule of dev.heinit.prognosis.PrognosisRule (same order of
stages) applied to the signals in the probe JSON. Thresholds are fitted by coordinate descent over the midpoints
between observed values (geometric for the positive log-scale signals), starting from thresholds that never fire,
ties broken by the middle candidate; LOAO refits without one activation's runs and predicts those.
"""
import csv, json, math, sys, collections

STAGES = [  # (signal, fires when, prediction, log scale)
    ("loss_ratio", "le", "TRAINS", False),
    ("last_hidden_cosine_end", "ge", "STALLS", False),
    ("forward_ratio_end", "lt", "STALLS", True),
    ("first_layer_move", "lt", "STALLS", True),
]
NEVER = [-math.inf, math.inf, 0.0, 0.0]
DEFAULT = [0.985, 0.985, 0.0054, 1e-5]  # PrognosisRule's constants


def outcomes(path):
    best, bad = collections.defaultdict(float), set()
    for r in csv.DictReader(open(path)):
        k = (r["activation"], r["init"], int(r["depth"]), int(r["seed"]))
        best.setdefault(k, 0.0)
        if r["test_accuracy"]:
            best[k] = max(best[k], float(r["test_accuracy"]))
        if not math.isfinite(float(r["train_loss"])):
            bad.add(k)
    return {k: "DIVERGES" if k in bad else ("TRAINS" if best[k] >= 0.85 else "STALLS") for k in best}


def predict(ev, th):
    if (ev.get("non_finite_step") or 0) > 0:
        return "DIVERGES"
    for (sig, op, pred, _), t in zip(STAGES, th):
        v = ev.get(sig)
        if v is None:
            continue
        if (op == "le" and v <= t) or (op == "ge" and v >= t) or (op == "lt" and v < t):
            return pred
    return "TRAINS"


def agreement(runs, th):
    return sum(predict(ev, th) == o for _, ev, o in runs)


def candidates(runs, i):
    sig, _, _, log = STAGES[i]
    vals = sorted({ev[sig] for _, ev, _ in runs if ev.get(sig) is not None and (not log or ev[sig] > 0)})
    mids = [math.sqrt(a * b) if log else (a + b) / 2 for a, b in zip(vals, vals[1:])]
    return [NEVER[i]] + mids


def fit(runs):
    th = list(NEVER)
    for _ in range(4):
        for i in range(len(STAGES)):
            cs = candidates(runs, i)
            scores = []
            for c in cs:
                t = list(th)
                t[i] = c
                scores.append(agreement(runs, t))
            top = max(scores)
            best = [c for c, s in zip(cs, scores) if s == top]
            th[i] = best[len(best) // 2]
    return th


def main():
    out = outcomes(sys.argv[1])
    runs = []
    for f in sys.argv[2:]:
        for r in json.load(open(f)):
            k = (r["activation"], r["init"], r["depth"], r["seed"])
            ev = {e["signal"]: e["value"] for e in r["evidence"]}
            runs.append((k, ev, out[k]))
    n = len(runs)
    conf = collections.Counter((predict(ev, DEFAULT), o) for _, ev, o in runs)
    print(f"runs: {n}")
    print(f"PrognosisRule.DEFAULT {DEFAULT}: agreement {agreement(runs, DEFAULT)}/{n}")
    print("confusion (prediction x outcome):")
    for p in ["TRAINS", "STALLS", "DIVERGES", "UNSURE"]:
        print(f"  {p:9s}" + "".join(f" {o}={conf[(p, o)]}" for o in ["TRAINS", "STALLS", "DIVERGES"]))
    for k, ev, o in runs:
        if predict(ev, DEFAULT) != o:
            print("  miss:", k, "predicted", predict(ev, DEFAULT), "outcome", o)
    th = fit(runs)
    print(f"refitted on all runs {['%.4g' % t for t in th]}: agreement {agreement(runs, th)}/{n}")
    total = 0
    for act in sorted({k[0] for k, _, _ in runs}):
        train = [r for r in runs if r[0][0] != act]
        test = [r for r in runs if r[0][0] == act]
        t = fit(train)
        a = agreement(test, t)
        total += a
        misses = [f"{k[1]} d{k[2]}: {predict(ev, t)} (was {o})" for k, ev, o in test if predict(ev, t) != o]
        print(f"LOAO without {act}: thresholds {['%.4g' % x for x in t]}, {a}/{len(test)}"
              + (f"; misses: {misses}" if misses else ""))
    print(f"LOAO agreement: {total}/{n} = {100 * total / n:.1f} %")


if __name__ == "__main__":
    main()
