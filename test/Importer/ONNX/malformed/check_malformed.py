#!/usr/bin/env python3
"""Runs hcc-translate on every case of a corpus written by gen_malformed.py.

usage: check_malformed.py HCC_TRANSLATE CORPUS_DIR [--timeout SECONDS]

A case passes when `hcc-translate --import-onnx <case>.onnx -o <tmp>`
 - finishes within the time limit,
 - exits with status exactly 1 (not a signal, not an abort),
 - writes no output file,
 - prints exactly one line containing "error:" on stderr, and that line
   contains the case's expected substring, and at most MAX_STDERR
   characters in all (no input echoed),
 - prints no "Stack dump", "Assertion" or sanitizer report.
Prints one line per failure and `N passed, N failed`; exits 1 on a failure.
"""
import argparse
import os
import subprocess
import sys
import tempfile

# One clear message: at most this long (a diagnostic, not an input echo).
MAX_STDERR = 1000
CRASH_MARKERS = ("Stack dump", "Assertion", "PLEASE submit a bug report",
                 "Sanitizer", "LLVM ERROR", "terminate called")


def read_cases(corpus):
    cases = []
    with open(os.path.join(corpus, "cases.txt")) as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                name, expected = line.split("\t", 1)
                cases.append((name, expected))
    return cases


def check_case(tool, corpus, name, expected, timeout, scratch):
    """Returns None if the case passes, else what went wrong."""
    model = os.path.join(corpus, name + ".onnx")
    output = os.path.join(scratch, name + ".mlir")
    try:
        p = subprocess.run([tool, "--import-onnx", model, "-o", output],
                           stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timed out after %g s" % timeout
    problems = []
    if p.returncode < 0:
        problems.append("killed by signal %d" % -p.returncode)
    elif p.returncode != 1:
        problems.append("exit code %d, expected 1" % p.returncode)
    if os.path.lexists(output):
        problems.append("wrote the output file")
    for marker in CRASH_MARKERS:
        if marker in p.stderr:
            problems.append("stderr contains %r" % marker)
    errors = [l for l in p.stderr.splitlines() if "error:" in l]
    if len(errors) != 1:
        problems.append("%d lines with 'error:', expected 1" % len(errors))
    if not any(expected in l for l in errors):
        problems.append("no error line contains %r" % expected)
    if len(p.stderr) > MAX_STDERR:
        problems.append("%d characters on stderr (input echoed?), at most %d"
                        % (len(p.stderr), MAX_STDERR))
    if not problems:
        return None
    stderr = "\n".join("    | " + l for l in p.stderr.splitlines()[:20])
    return "; ".join(problems) + ("\n" + stderr if stderr else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tool", help="path or name of hcc-translate")
    parser.add_argument("corpus", help="directory written by gen_malformed.py")
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()

    cases = read_cases(args.corpus)
    if not cases:
        sys.exit("no cases in %s" % args.corpus)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="hcc-malformed-") as scratch:
        for name, expected in cases:
            problem = check_case(args.tool, args.corpus, name, expected,
                                 args.timeout, scratch)
            if problem:
                failed += 1
                print("FAIL %s: %s" % (name, problem))
    print("%d passed, %d failed" % (len(cases) - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
