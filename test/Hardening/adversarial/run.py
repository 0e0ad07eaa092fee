#!/usr/bin/env python3
"""The adversarial corpus of docs/Hardening.md: every case must end with one
clear message (at most 2 lines, none longer than 400 characters: no input
echoed), an exit code that is neither 0 nor a signal, within the time limit
(10 s) and 2 GB of memory, with nothing left half-written, and no sanitizer
report.

usage: run.py TOOLS_DIR WORK_DIR [--time-limit S] [--only SUBSTRING]
             [--sanitized]

TOOLS_DIR holds hcc-compile, hcc-translate, hcc-run and hcc-bench (the main
build's bin/, or the fuzz build's for the ASan+UBSan run, with --sanitized:
the few cases ASan cannot run are then skipped and counted). WORK_DIR is
cleared and filled with the generated inputs. Prints one line per failing
case and ends with `N passed, N failed` and the count per class."""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import all_or_nothing  # noqa: E402
import boundaries  # noqa: E402
import budgets  # noqa: E402
import bundles  # noqa: E402
import special_files  # noqa: E402

CLASSES = {1: "bundle manifest vs. code", 2: "work bounded by input size",
           3: "special files", 4: "exceptions at the boundaries",
           5: "all or nothing"}
MAX_RSS_KB = 2 * 1024 * 1024
SANITIZER_MARKS = ("Sanitizer", "runtime error:", "LeakSanitizer")


def run_case(case, out, time_limit, work):
    """Returns "" or what went wrong."""
    argv = [a.replace("{out}", out) for a in case.argv]
    env = dict(os.environ)
    env.update(SANITIZER_ENV)
    env.update({k: v.replace("{out}", out) for k, v in case.env.items()})
    with open(os.path.join(out, "..", "stdout"), "wb") as so, \
            open(os.path.join(out, "..", "stderr"), "wb") as se:
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdout=so, stderr=se,
                                stdin=subprocess.DEVNULL, env=env,
                                start_new_session=True)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > time_limit:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                timed_out = True
                break
            time.sleep(0.005)
        proc.returncode = 0  # reaped by wait4
        elapsed = time.monotonic() - start
    err = open(os.path.join(out, "..", "stderr"), "rb").read().decode(
        "utf-8", "replace")
    lines = [line for line in err.splitlines() if line.strip()]
    problems = []
    if timed_out:
        problems.append("still running after %.0f s" % time_limit)
    elif os.WIFSIGNALED(status):
        problems.append("killed by signal %d" % os.WTERMSIG(status))
    elif os.WEXITSTATUS(status) == 0:
        problems.append("exit code 0")
    elif os.WEXITSTATUS(status) >= 128:
        problems.append("exit code %d (a crash)" % os.WEXITSTATUS(status))
    if usage.ru_maxrss > MAX_RSS_KB:
        problems.append("used %d MB" % (usage.ru_maxrss // 1024))
    if any(mark in err for mark in SANITIZER_MARKS):
        problems.append("sanitizer report")
    if not timed_out and not lines:
        problems.append("no message")
    if len(lines) > 2:
        problems.append("%d lines of message" % len(lines))
    # Paths of the case's files count as one character: their length is
    # where the test runs, not an echo of the input.
    lengths = [len(line.replace(work, "W")) for line in lines]
    if any(n > 400 for n in lengths):
        problems.append("a message line of %d characters" % max(lengths))
    if case.expect and case.expect not in err:
        problems.append("message lacks '%s'" % case.expect)
    left = sorted(set(os.listdir(out)) - case.keep)
    if left:
        problems.append("left behind: %s" % ", ".join(left))
    if case.check:
        problem = case.check(out)
        if problem:
            problems.append(problem)
    if problems:
        first = lines[0][:200] if lines else ""
        return "; ".join(problems) + " (%.1f s) [%s]" % (elapsed, first)
    return ""


# For the fuzz build's tools: LLVM's headers poison BumpPtrAllocator slabs
# when compiled with ASan, but Debian's LLVM libraries were not, so ASan's
# user poisoning only gives false reports there. Leaks are not errors of a
# tool that exits.
SANITIZER_ENV = {
    "ASAN_OPTIONS": "allow_user_poisoning=0:detect_leaks=0:"
                    "allocator_may_return_null=1",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tools")
    parser.add_argument("work")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--only", default="")
    parser.add_argument("--sanitized", action="store_true")
    args = parser.parse_args()
    tools = {name: os.path.join(args.tools, name) for name in
             ("hcc-compile", "hcc-translate", "hcc-run", "hcc-bench")}
    for path in tools.values():
        if not os.access(path, os.X_OK):
            sys.exit("run.py: error: %s is not an executable" % path)
    # The other tools where the directory has them (the sanitized build
    # makes only the four above).
    for name in ("hcc-opt", "hcc-tune", "hcc-profile", "hcc-costmodel",
                 "hcc-sim"):
        path = os.path.join(args.tools, name)
        if os.access(path, os.X_OK):
            tools[name] = path
    os.environ.update(SANITIZER_ENV)  # for the generators' compiles too
    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    cases = []
    for module in (bundles, budgets, special_files, boundaries,
                   all_or_nothing):
        gen = os.path.join(work, module.__name__)
        os.makedirs(gen)
        cases += module.cases(tools, gen)
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    cases = [c for c in cases if args.only in c.name]
    skipped = [c for c in cases if args.sanitized and not c.sanitized]
    cases = [c for c in cases if c not in skipped]
    failed = 0
    per_class = {}
    for i, case in enumerate(cases):
        per_class[case.cls] = per_class.get(case.cls, 0) + 1
        case_dir = os.path.join(work, "run", "%03d" % i)
        out = os.path.join(case_dir, "out")
        os.makedirs(out)
        if case.prepare:
            case.prepare(out)
        problem = run_case(case, out, args.time_limit, work) or \
            _devices_replaced()
        if problem:
            failed += 1
            print("FAIL %s: %s" % (case.name, problem))
    for cls in sorted(per_class):
        print("class %d (%s): %d cases" % (cls, CLASSES[cls], per_class[cls]))
    if skipped:
        print("skipped under sanitizers: %s" %
              ", ".join(c.name for c in skipped))
    print("%d passed, %d failed" % (len(cases) - failed, failed))
    sys.exit(1 if failed else 0)


def _devices_replaced():
    """Cases write to /dev/full and /dev/null: a tool that renamed a file
    over one (as root) replaced the device node."""
    import stat
    for path in ("/dev/null", "/dev/full"):
        if os.path.exists(path) and not stat.S_ISCHR(os.stat(path).st_mode):
            return "%s is no longer a character device" % path
    return ""


if __name__ == "__main__":
    main()
