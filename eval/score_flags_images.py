#!/usr/bin/env python3
"""Scores the brain's flag and image answers against an expected-answers TOML (eval/flags/*/,
eval/images/*/), written by reading the system's files before running the brain.

usage: score_flags_images.py flags|images EXPECTED.toml DATA_DIR REPO [BRAIN]
The brain must already have ingested the checkout into DATA_DIR as repository REPO.
Prints precision/recall per question; every miss and extra is listed.
"""
import json, subprocess, sys, tomllib

def brain(bin_, data, *args):
    out = subprocess.run([bin_, "--data-dir", data, *args, "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)

def pr(name, want, got):
    tp = len(want & got)
    p = tp / len(got) if got else 1.0
    r = tp / len(want) if want else 1.0
    print(f"{name}: precision {p:.3f} ({tp}/{len(got)}), recall {r:.3f} ({tp}/{len(want)})")
    for x in sorted(want - got):
        print(f"   miss  {x}")
    for x in sorted(got - want):
        print(f"   extra {x}")
    return tp, len(got), len(want)

def flags(exp, data, repo, bin_):
    rep = brain(bin_, data, "flags", "--repo", repo)
    defs, evals = set(), set()
    for f in rep["flags"]:
        for d in f["definitions"]:
            defs.add(f'{d["flag"]["path"]}:{f["key"]}')
        for e in f["evaluations"]:
            for line in e["lines"]:
                evals.add(f'{e["evidence"]["path"]}:{line}:{f["key"]}')
    pr("definitions", set(exp["defined"]), defs)
    pr("evaluations", set(exp["evaluated"]), evals)
    pr("evaluated never defined", set(exp["evaluated_never_defined"]), set(rep["evaluated_never_defined"]))
    pr("defined never evaluated", set(exp["defined_never_evaluated"]), set(rep["defined_never_evaluated"]))
    bad = [x for x in exp.get("not_evaluations", []) if any(e.startswith(x + ":") for e in evals)]
    print(f"run-time keys guessed: {len(bad)} {bad}; run-time evaluations listed: {len(rep['dynamic'])}")

def images(exp, data, repo, bin_):
    strip = lambda d: d.split(":", 1)[1]
    want, got = set(), set()
    for path, dfs in exp["includes"].items():
        want |= {f"{path} <- {d}" for d in dfs}
        ans = brain(bin_, data, "images", repo, path)
        got |= {f"{path} <- {strip(i['image']['dockerfile'])}" for i in ans["images"]}
    pr("images including a file", want, got)
    want, got = set(), set()
    for d, svcs in exp["built_from"].items():
        want |= {f"{d} -> {s}" for s in svcs}
        ans = brain(bin_, data, "images", repo, d)
        got |= {f"{d} -> {s['service']['name']}" for s in ans["services"]}
    pr("services built from a directory", want, got)
    ans = brain(bin_, data, "images", repo, ".")
    got = {f"{s['service']['name']} = {s['image']['path']}" for s in ans["services"] if s["image"]}
    want = {f"{k} = {v}" for k, v in exp["service_dockerfile"].items()}
    pr("service -> Dockerfile", want, got)

if __name__ == "__main__":
    what, path, data, repo = sys.argv[1:5]
    bin_ = sys.argv[5] if len(sys.argv) > 5 else "brain"
    exp = tomllib.load(open(path, "rb"))
    {"flags": flags, "images": images}[what](exp, data, repo, bin_)
