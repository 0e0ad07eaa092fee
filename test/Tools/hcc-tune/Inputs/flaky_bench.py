"""flaky_bench.py COUNTER AFTER REAL ARGS...: runs REAL (hcc-bench) with
ARGS for the first AFTER calls (counted in the file COUNTER), then fails
as hcc-bench does when its device is gone."""
import os
import subprocess
import sys

counter, after, real, args = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
    sys.argv[4:]
calls = int(open(counter).read()) if os.path.exists(counter) else 0
with open(counter, "w") as f:
    f.write(str(calls + 1))
if calls >= after:
    sys.exit("hcc-bench: error: device lost")
sys.exit(subprocess.run([real] + args).returncode)
