"""kill_midway.py LOG N COMMAND...: runs COMMAND, and once LOG holds N
records kills it with SIGKILL (as a user's kill -9 or a machine going down
would); fails if it ended by itself first."""
import os
import signal
import subprocess
import sys
import time

log, n, command = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
p = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
deadline = time.time() + 120
while time.time() < deadline and p.poll() is None:
    if os.path.exists(log) and sum(1 for _ in open(log)) >= n:
        p.send_signal(signal.SIGKILL)
        p.wait()
        sys.exit(0)
    time.sleep(0.01)
p.kill()
sys.exit("hcc-tune ended before writing %d records" % n)
