#!/usr/bin/env python3
"""Statistics from a long pipe (docs/BENCHMARKS.md, "A long pipe").

Writes a file of 15,000,000 firm rows (bench-mapping's 5,000,000 three times
over, 196 MB: longer than the 128 MiB a pipe is read whole up to) once, then
times in turn, round after round (best and median of each):

  cat FILE | wc -c                                  the floor: the pipe's bytes alone
  klaster-map indicators FILE --sum                 the same rows from the file
  cat FILE | klaster-map indicators - --sum         a pipe: copied into a temporary file
  cat FILE | TMPDIR=/nonexistent klaster-map …      a pipe where no such file can be made:
                                                    read on as it comes

with the peak resident set size of klaster-map in each way, and checks that
the three results are the same byte for byte (exit 1 otherwise).

usage: pipes.py KLASTER_MAP FIRMS_5M_CSV [ROUNDS]
"""
import os
import resource
import statistics
import subprocess
import sys
import time


def run(cmd, env=None):
    t = time.perf_counter()
    r = subprocess.run(cmd, shell=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit("bench: %s failed: %s" % (cmd, r.stderr.decode(errors="replace")[-500:]))
    return t


def peak(cmd, env=None):
    """The peak RSS (KiB) of klaster-map in cmd, by /usr/bin/time around it."""
    mark = cmd.replace("KMAP", "/usr/bin/time -f %M -o " + OUT + "/pipes-rss KMAP")
    run(mark.replace("KMAP", KMAP), env)
    with open(OUT + "/pipes-rss") as f:
        return int(f.read().split()[-1])


KMAP, SRC = sys.argv[1], sys.argv[2]
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 5
OUT = os.path.dirname(os.path.abspath(SRC))
BIG = os.path.join(OUT, "firms-15000000.csv")
if not os.path.exists(BIG) or os.path.getsize(BIG) < 3 * os.path.getsize(SRC) - 200:
    with open(SRC, "rb") as f:
        head = f.readline()
        body = f.read()
    with open(BIG + ".tmp", "wb") as g:
        g.write(head)
        for _ in range(3):
            g.write(body)
    os.rename(BIG + ".tmp", BIG)
size = os.path.getsize(BIG)
env_none = dict(os.environ, TMPDIR="/nonexistent/klaster")
ways = [
    ("`cat` into `wc -c` (the pipe's floor)", "cat %s | wc -c" % BIG, None, None),
    ("from the file", "KMAP indicators %s --sum -o %s/pipes-file.csv" % (BIG, OUT), None, "file"),
    ("through a pipe, copied into a temporary file",
     "cat %s | KMAP indicators - --sum -o %s/pipes-spill.csv" % (BIG, OUT), None, "spill"),
    ("through a pipe, read as it comes (no temporary file)",
     "cat %s | KMAP indicators - --sum -o %s/pipes-stream.csv" % (BIG, OUT), env_none, "stream"),
]
load = open("/proc/loadavg").read().split()[:3]
subprocess.run("cat %s > /dev/null" % BIG, shell=True)   # into the page cache
times = {w[0]: [] for w in ways}
for _ in range(ROUNDS):
    for name, cmd, env, _ in ways:
        times[name].append(run(cmd.replace("KMAP", KMAP), env))
for a, b in (("file", "spill"), ("file", "stream")):
    if open("%s/pipes-%s.csv" % (OUT, a), "rb").read() != open("%s/pipes-%s.csv" % (OUT, b), "rb").read():
        sys.exit("bench: the results %s and %s differ" % (a, b))
print("%d rows, %.0f MB, %d rounds, load %s before them; the three results are the same byte for byte\n"
      % (15000000, size / 1e6, ROUNDS, " ".join(load)))
print("| way | best (s) | median (s) | klaster-map's peak RSS (MiB) |")
print("|---|---:|---:|---:|")
for name, cmd, env, tag in ways:
    rss = "%.0f" % (peak(cmd, env) / 1024) if tag else ""
    print("| %s | %.3f | %.3f | %s |" % (name, min(times[name]), statistics.median(times[name]), rss))
