#!/usr/bin/env python3
"""Whether the two CPUs slow each other down: the mapping benchmark's file read by two
processes at once, one half each, against one half alone and the whole file in two threads.

    make bench-halves        # = python3 bench/halves.py bench/out/firms-5000000.csv [ROUNDS]

It writes the two halves of the file (each with the header) next to it once, reads the three
files into the page cache, then takes ROUNDS rounds (default 15) of, in turn:

  half      `klaster-map indicators A --sum`, pinned to CPU 0 (its two threads share it: the
            half read in one CPU's time);
  halves    the same on A pinned to CPU 0 and on B pinned to CPU 1, at once: two processes,
            no memory shared but the page cache — the time until both have ended;
  whole     `klaster-map indicators FILE --sum` as the benchmark runs it (two threads);
  wc -l     `wc -l FILE`.

If the CPUs were independent, "halves" would take as long as "half"; the report gives the best
and the median of each and their ratio.  Standard library only; Linux (os.sched_setaffinity).
"""
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("KLASTER_MAP_BIN") or os.path.join(ROOT, "build", "klaster-map")


def halves(path):
    a, b = path[:-4] + "-half-a.csv", path[:-4] + "-half-b.csv"
    if os.path.exists(a) and os.path.exists(b) and os.path.getmtime(a) >= os.path.getmtime(path):
        return a, b
    with open(path, "rb") as f:
        data = f.read()
    head_end = data.index(b"\n") + 1
    mid = data.index(b"\n", head_end + (len(data) - head_end) // 2) + 1
    with open(a, "wb") as f:
        f.write(data[:mid])
    with open(b, "wb") as f:
        f.write(data[:head_end] + data[mid:])
    return a, b


def pinned(cpu):
    return lambda: os.sched_setaffinity(0, {cpu})


def run(*procs):
    """Starts every (argv, preexec) at once; the seconds until all have ended."""
    t0 = time.perf_counter()
    ps = [subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=pre)
          for argv, pre in procs]
    for p in ps:
        if p.wait() != 0:
            sys.exit("halves: %s failed" % " ".join(p.args))
    return time.perf_counter() - t0


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: halves.py FILE.csv [ROUNDS]")
    path, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 15
    if len(os.sched_getaffinity(0)) < 2:
        sys.exit("halves: needs two CPUs")
    a, b = halves(path)
    out = os.path.join(os.path.dirname(path), "halves-out")
    os.makedirs(out, exist_ok=True)
    for f in (a, b, path):
        with open(f, "rb") as fh:
            while fh.read(1 << 20):
                pass
    ind = lambda f, o: [BIN, "indicators", f, "--sum", "-o", os.path.join(out, o)]
    t = {"half": [], "halves": [], "whole": [], "wc -l": []}
    for _ in range(rounds):
        t["half"].append(run((ind(a, "a.csv"), pinned(0))))
        t["halves"].append(run((ind(a, "a2.csv"), pinned(0)), (ind(b, "b2.csv"), pinned(1))))
        t["whole"].append(run((ind(path, "w.csv"), None)))
        t["wc -l"].append(run((["wc", "-l", path], None)))
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print("%s: %d rounds, load average after them %s\n" % (os.path.basename(path), rounds, load))
    print("| run | best s | median s |\n|---|---:|---:|")
    for k, v in t.items():
        print("| %s | %.3f | %.3f |" % (k, min(v), statistics.median(v)))
    print("\nhalves / half: %.2f best, %.2f median (1.00 if the two CPUs did not slow each other)"
          % (min(t["halves"]) / min(t["half"]), statistics.median(t["halves"]) / statistics.median(t["half"])))


if __name__ == "__main__":
    main()
