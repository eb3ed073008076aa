#!/usr/bin/env python3
"""--progress and --no-progress of every `klaster map` command and of klaster-map, as `import
stats` takes them: the progress line of a long input (1 MiB or more; DBSCAN's of 100000 points
or more) on standard error whatever it is (a pipe, a file), or never, even on a terminal;
without either, on a terminal only.  The result is the same either way; both at once are a
usage error.  Prints TAP."""
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import ROOT, BIN, Tap, run_tty, workdir  # noqa: E402

TAP = Tap()
ok = TAP.ok
MAPBIN = os.environ.get("KLASTER_MAP_BIN") or os.path.join(os.path.dirname(BIN), "klaster-map")
VOIV = os.path.join(ROOT, "data", "reference", "voivodeships.geojson")
BAR = "[####################] 100% "   # the progress line's end


def programs():
    """klaster map and klaster-map: (name in messages, argument list in front of a command)."""
    return (("klaster map", [BIN, "map"]), ("klaster-map", [MAPBIN]))


def run_pipe(argv):
    """Runs argv with standard error to a pipe; returns (code, what it wrote there)."""
    r = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)
    return r.returncode, r.stderr.decode("utf-8", "replace")


def no_line(text):
    return "[#" not in text and "[." not in text and "100%" not in text


def read(path):
    with open(path, "rb") as f:
        return f.read()


def big_stats(work):
    """A statistics file of two years over 1 MiB (the progress line's threshold, progress.h):
    the voivodeships' TERYT codes, so that it can be drawn on the shipped boundaries."""
    rnd = random.Random(11)
    path = os.path.join(work, "big-stats.csv")
    with open(path, "w") as f:
        f.write("region,industry,year,employment\n")
        for i in range(100000):
            f.write("%02d,C%02d,%d,%d\n" % (2 + 2 * (i % 16), 10 + rnd.randrange(20), 2019 + (i // 16) % 2,
                                           1 + rnd.randrange(50)))
    assert os.path.getsize(path) >= 1024 * 1024
    return path


def big_firms(work):
    """Firm points over 1 MiB and more than DBSCAN's 100000 points for its progress line."""
    rnd = random.Random(12)
    path = os.path.join(work, "big-firms.csv")
    with open(path, "w") as f:
        f.write("id,lat,lon\n")
        for i in range(110000):
            f.write("F%06d,%.5f,%.5f\n" % (i, 49.5 + 5 * rnd.random(), 14.5 + 9 * rnd.random()))
    assert os.path.getsize(path) >= 1024 * 1024
    return path


def commands(stats, firms):
    """Every map command on a long input: (title, arguments but -o, output ending, the
    progress lines a forced run shows)."""
    rows = BAR + "100000 rows"
    return (
        ("indicators", ["indicators", stats, "--sum"], "csv", [rows]),
        ("indices", ["indices", stats, "--sum", "--year", "2020"], "csv", [rows]),
        ("shift-share", ["shift-share", stats, "--sum", "--from", "2019", "--to", "2020"], "csv", [rows]),
        ("relatedness", ["relatedness", stats, "--sum"], "csv", [rows]),
        ("draw", ["draw", stats, "--sum", "--boundaries", VOIV, "--industry", "C10"], "svg", [rows]),
        ("hotspots --regions", ["hotspots", stats, "--sum", "--regions", VOIV, "--industry", "C10",
                                "--band", "200000"], "csv", [rows]),
        ("spatial", ["spatial", firms, "--eps", "200"], "csv", [BAR + "110000 rows", "DBSCAN " + BAR + "110000 points"]),
        ("hotspots --cell", ["hotspots", firms, "--cell", "10000"], "csv", [BAR + "110000 rows"]),
    )


def forced_and_none(work, stats, firms):
    for prog, front in programs():
        for title, args, ext, lines in commands(stats, firms):
            what = "%s %s" % (prog, title)
            out = {}
            for mode, flags, runner in (("default", [], run_pipe), ("progress", ["--progress"], run_pipe),
                                        ("no-progress", ["--no-progress"], run_tty)):
                path = os.path.join(work, "%s-%s-%s.%s" % (prog.replace(" ", "-"), title.replace(" ", ""),
                                                          mode, ext))
                code, text = runner(front + args + flags + ["-o", path])
                out[mode] = read(path) if code == 0 and os.path.exists(path) else None
                if mode == "default":
                    ok(code == 0 and no_line(text), "%s, standard error to a pipe: no progress line" % what,
                       text[-400:])
                elif mode == "progress":
                    ok(code == 0 and all(line in text for line in lines),
                       "%s --progress, standard error to a pipe: the progress line to 100%%" % what, text[-400:])
                else:
                    ok(code == 0 and no_line(text), "%s --no-progress on a terminal: no progress line" % what,
                       text[-400:])
            ok(out["default"] is not None and out["default"] == out["progress"] == out["no-progress"],
               "  %s: the same result with --progress, --no-progress and neither" % what)


def terminal_default(stats, firms):
    """Without either option a terminal shows the line, as before (so --no-progress is what hides it)."""
    for prog, front in programs():
        code, text = run_tty(front + ["indicators", stats, "--sum", "-o", os.devnull])
        ok(code == 0 and BAR + "100000 rows" in text, "%s indicators on a terminal: the progress line" % prog,
           text[-400:])
        code, text = run_tty(front + ["spatial", firms, "--eps", "200", "-o", os.devnull])
        ok(code == 0 and "DBSCAN " + BAR + "110000 points" in text,
           "%s spatial on a terminal: the reading's and DBSCAN's progress lines" % prog, text[-400:])


def small_input(work):
    """--progress keeps the threshold: a small file finishes too fast for a line."""
    small = os.path.join(ROOT, "tests", "data", "stats", "long_year.csv")
    for prog, front in programs():
        code, text = run_pipe(front + ["indicators", small, "--progress", "-o", os.path.join(work, "small.csv")])
        ok(code == 0 and no_line(text), "%s indicators --progress on a small file: no progress line" % prog,
           text[-400:])


def both_at_once(work, stats, firms):
    """Both options, in either order: exit 2 before anything is read or written, as import says it."""
    for prog, front in programs():
        for title, args, ext, _ in commands(stats, firms):
            for flags in (["--progress", "--no-progress"], ["--no-progress", "--progress"]):
                path = os.path.join(work, "both." + ext)
                r = subprocess.run(front + args + flags + ["-o", path], cwd=ROOT, capture_output=True, text=True,
                                   timeout=300)
                ok(r.returncode == 2 and "--progress and --no-progress contradict each other" in r.stderr and
                   r.stderr.count("\n") == 1 and not os.path.exists(path),
                   "%s %s %s: a usage error, nothing written" % (prog, title, " ".join(flags)), r.stderr)
        r = subprocess.run(front + ["indicators", stats, "--progress=yes"], cwd=ROOT, capture_output=True, text=True,
                           timeout=300)
        ok(r.returncode == 2 and "--progress takes no value" in r.stderr, "%s indicators --progress=yes: exit 2" % prog,
           r.stderr)


def help_lists_them():
    for prog, front in programs():
        for what in ("indicators", "indices", "shift-share", "relatedness", "draw", "spatial", "hotspots"):
            r = subprocess.run(front + [what, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
            forms = r.stdout.split("\n       %s " % prog)
            ok(r.returncode == 0 and forms and all("[--progress|--no-progress]" in f for f in forms),
               "%s %s --help: every form lists [--progress|--no-progress]" % (prog, what), r.stdout)


def main():
    work = workdir("klaster-progress.")
    stats, firms = big_stats(work), big_firms(work)
    forced_and_none(work, stats, firms)
    terminal_default(stats, firms)
    small_input(work)
    both_at_once(work, stats, firms)
    help_lists_them()
    return TAP.done()


if __name__ == "__main__":
    sys.exit(main())
