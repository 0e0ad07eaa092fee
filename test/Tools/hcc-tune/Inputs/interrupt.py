"""interrupt.py SIGNAL HCC-TUNE ARGS...: starts hcc-tune (with a fresh
TMPDIR), waits until it runs a child (hcc-compile or hcc-bench), stops it
with SIGNAL, and checks that it exited with status 130, that the child is
gone and that its work directory was removed."""
import os
import signal
import subprocess
import sys
import tempfile
import time

sig = getattr(signal, sys.argv[1])
tmp = tempfile.mkdtemp()
p = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, env=dict(os.environ, TMPDIR=tmp),
                     preexec_fn=lambda: signal.signal(signal.SIGINT,
                                                      signal.SIG_DFL))
children = []
deadline = time.time() + 120
while not children and time.time() < deadline and p.poll() is None:
    time.sleep(0.05)
    children = subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True,
                              text=True).stdout.split()
assert children, "hcc-tune ran no child"
assert os.listdir(tmp), "no work directory in TMPDIR"
p.send_signal(sig)
rc = p.wait(timeout=60)
assert rc == 130, rc


def running(pid):
    try:
        with open("/proc/%s/stat" % pid) as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


assert not any(running(c) for c in children), children
assert not os.listdir(tmp), os.listdir(tmp)
os.rmdir(tmp)
print("ok", sys.argv[1])
