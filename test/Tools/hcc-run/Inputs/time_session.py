"""time_session.py HCC_BENCH BUNDLE SECONDS: loading BUNDLE, creating a
session and running it once (hcc-bench, one iteration, no warm-up) takes
under SECONDS of wall time; prints the time."""
import subprocess
import sys
import time

bench, bundle, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
start = time.monotonic()
subprocess.run([bench, bundle, "--iterations", "1", "--warmup", "0"],
               check=True, stdout=subprocess.DEVNULL)
took = time.monotonic() - start
print("%.2f s" % took)
assert took < limit, "took %.2f s, more than %g" % (took, limit)
