#!/bin/sh
# The cluster-mapping benchmark (see docs/BENCHMARKS.md, "Cluster mapping").
#
# Generates 5,000,000 fictional firm rows (region, industry, employment,
# establishments) once, then times (the first three in turn, round after
# round, so that they see the machine alike; best and median of each):
#   wc -l FILE                                      the floor for reading the file
#   klaster-map indicators FILE --sum -o OUT.csv    cells, LQ, stars, strong rule
#   klaster map indicators FILE --sum -o OUT.csv    the same from the portal's binary
#   python3 bench/mapping_pandas.py FILE OUT.csv    the same computation in pandas
# and compares the two result files cell by cell (keys, numbers to 1e-9
# relative, star and strong flags exactly): an independent check of klaster.
# Prints a Markdown table (also written to bench/out/mapping.md); exits with
# 1 when the two results differ.
#
#   KLASTER_BIN    the klaster binary (default build/klaster)
#   KLASTER_MAP_BIN  the klaster-map binary (default: beside KLASTER_BIN)
#   BENCH_ROWS     firm rows to generate (default 5000000)
#   BENCH_REPEAT   rounds (runs per command; default 3)
#   PYTHON         the Python with pandas and numpy (default: python3, or
#                  /usr/bin/python3 when the first has no pandas)
#
# Generated files stay in bench/out/; the input is reused when present.
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out
BIN=${KLASTER_BIN:-$ROOT/build/klaster}
MAPBIN=${KLASTER_MAP_BIN:-$(dirname "$BIN")/klaster-map}
ROWS=${BENCH_ROWS:-5000000}
REPEAT=${BENCH_REPEAT:-3}
PY=${PYTHON:-python3}

die() {
	echo "bench: $*" >&2
	exit 1
}
[ -x "$BIN" ] || die "no klaster binary at $BIN (make)"
[ -x "$MAPBIN" ] || die "no klaster-map binary at $MAPBIN (make)"
has_pandas() { "$1" -c 'import numpy, pandas' >/dev/null 2>&1; }
if ! has_pandas "$PY"; then
	[ -z "${PYTHON:-}" ] && has_pandas /usr/bin/python3 && PY=/usr/bin/python3 \
		|| die "$PY has no pandas and numpy (Debian: python3-pandas)"
fi

mkdir -p "$OUT"
t0=$(date +%s)
LOAD=$(cut -d" " -f1-3 /proc/loadavg)
FILE=$OUT/firms-$ROWS.csv
if [ ! -s "$FILE" ]; then
	echo "bench: generating $ROWS firm rows" >&2
	"$PY" bench/gen_cells.py "$FILE" "$ROWS"
fi
BYTES=$(wc -c <"$FILE")

# measure NAME N CMD(N words) [NAME N CMD ...]: runs the commands in turn,
# $REPEAT rounds (so that each round sees the machine in the same state;
# output to $OUT/NAME.log), then each once more for its peak resident set
# size; appends "NAME best_seconds median_seconds max_rss_kib" per command
# to $OUT/mapping-runs.  The time is the wall clock around the child.  The
# memory comes from /usr/bin/time when it is there; otherwise from getrusage
# of a Python process that runs only that child.
measure() {
	echo "bench: $1 … ($REPEAT rounds)" >&2
	"$PY" - "$REPEAT" "$OUT" "$@" >>"$OUT/mapping-runs" <<'PY' || die "a command failed (see $OUT/*.log)"
import os, statistics, subprocess, sys, tempfile, time
repeat, out, args = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
cmds = []
while args:
    n = int(args[1])
    cmds.append((args[0], args[2:2 + n]))
    args = args[2 + n:]
times = {name: [] for name, _ in cmds}
logs = {name: open(os.path.join(out, name + ".log"), "w") for name, _ in cmds}
for _ in range(repeat):
    for name, cmd in cmds:
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=logs[name], stderr=subprocess.STDOUT)
        t = time.perf_counter() - t
        if r.returncode != 0:
            sys.exit(1)
        times[name].append(t)
PEAK = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); " \
       "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
for name, cmd in cmds:
    if os.access("/usr/bin/time", os.X_OK):
        with tempfile.NamedTemporaryFile("r") as m:
            r = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", m.name] + cmd, stdout=logs[name],
                               stderr=subprocess.STDOUT)
            rss = int(m.read().split()[-1])
    else:
        r = subprocess.run([sys.executable, "-c", PEAK] + cmd, capture_output=True, text=True)
        rss = int(r.stdout.split()[-1]) if r.returncode == 0 else 0
    if r.returncode != 0:
        sys.exit(1)
    print(name, "%.4f" % min(times[name]), "%.4f" % statistics.median(times[name]), rss)
PY
}

: >"$OUT/mapping-runs"
rm -f "$OUT/klaster.csv" "$OUT/pandas.csv"
cat "$FILE" >/dev/null # into the page cache
measure wc 3 wc -l "$FILE" \
	klaster 6 "$MAPBIN" indicators "$FILE" --sum -o "$OUT/klaster.csv" \
	klaster_full 7 "$BIN" map indicators "$FILE" --sum -o "$OUT/klaster-full.csv"
cmp -s "$OUT/klaster.csv" "$OUT/klaster-full.csv" || die "klaster-map and klaster map wrote different files"
measure pandas 4 "$PY" bench/mapping_pandas.py "$FILE" "$OUT/pandas.csv"
LINES=$(awk '{print $1}' "$OUT/wc.log" | tail -1)
[ "$LINES" -eq $((ROWS + 1)) ] || die "wc -l counted $LINES lines, expected $((ROWS + 1))"

echo "bench: comparing the two results" >&2
SAME=1
"$PY" - "$OUT/klaster.csv" "$OUT/pandas.csv" >"$OUT/mapping-compare.txt" <<'PY' || SAME=0
import csv, math, sys

NUM = ["employment", "establishments", "lq", "share_of_region", "share_of_industry"]
FLAG = ["size_star", "specialisation_star", "focus_star", "stars", "strong", "strong10"]

def load(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {(row["region"], row["industry"]): row for row in csv.DictReader(f)}

def num(s):
    return math.nan if s == "" else float(s)

def flag(s):
    return "" if s == "" else str(int(float(s)))

k, p = load(sys.argv[1]), load(sys.argv[2])
bad, shown, with_data = 0, 0, 0
only_k, only_p = sorted(set(k) - set(p)), sorted(set(p) - set(k))
for key in sorted(set(k) & set(p)):
    a, b = k[key], p[key]
    with_data += a["employment"] != ""
    diff = []
    for c in NUM:
        x, y = num(a[c]), num(b[c])
        if math.isnan(x) and math.isnan(y):
            continue
        if math.isnan(x) or math.isnan(y) or abs(x - y) > 1e-9 * max(abs(x), abs(y)):
            diff.append("%s klaster %s pandas %s" % (c, a[c], b[c]))
    for c in FLAG:
        if flag(a[c]) != flag(b[c]):
            diff.append("%s klaster %s pandas %s" % (c, a[c], b[c]))
    if diff:
        bad += 1
        if shown < 10:
            shown += 1
            print("  mismatch %s x %s: %s" % (key[0], key[1], "; ".join(diff)))
print("cells: %d (%d with data), keys only in klaster: %d, only in pandas: %d, cells that differ: %d"
      % (len(k), with_data, len(only_k), len(only_p), bad))
sys.exit(1 if bad or only_k or only_p else 0)
PY
COMPARE=$(tail -1 "$OUT/mapping-compare.txt")

NPROC=$(nproc)
MODEL=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
PDV=$("$PY" -c 'import numpy, pandas, sys; print("pandas %s, numpy %s, Python %s" % (pandas.__version__, numpy.__version__, sys.version.split()[0]))')
{
	echo "Machine: $NPROC CPUs ($MODEL), load average before the runs: $LOAD; $PDV."
	echo "Input: $ROWS firm rows, $(awk -v b="$BYTES" 'BEGIN {printf "%.1f", b / 1048576}') MiB, in the page cache; $REPEAT rounds of \`wc -l\`, \`klaster-map\` and \`klaster map\` in turn, then $REPEAT runs of pandas; best and median of each."
	echo
	echo "| command | best s | median s | × wc -l (best, median) | klaster's speed-up | peak RSS |"
	echo "|---|---:|---:|---:|---:|---:|"
	awk '
		{ t[$1] = $2; md[$1] = $3; m[$1] = $4 }
		END {
			label["wc"] = "`wc -l` (floor: reading the file)"
			label["klaster"] = "`klaster-map indicators --sum`"
			label["klaster_full"] = "`klaster map indicators --sum` (klaster, with the portal libraries)"
			label["pandas"] = "pandas + numpy"
			n = split("wc klaster klaster_full pandas", order, " ")
			for (i = 1; i <= n; i++) {
				k = order[i]
				sp = k == "pandas" ? sprintf("%.1f×", t[k] / t["klaster"]) : "–"
				printf "| %s | %.3f | %.3f | %.1f, %.1f | %s | %.1f MiB |\n", label[k], t[k], md[k], t[k] / t["wc"],
				       md[k] / md["wc"], sp, m[k] / 1024
			}
		}' "$OUT/mapping-runs"
	echo
	echo "klaster against pandas: $COMPARE."
	grep '^  mismatch' "$OUT/mapping-compare.txt" || true
	echo
	echo "Total time: $(($(date +%s) - t0)) s."
} >"$OUT/mapping.md"
cat "$OUT/mapping.md"
[ "$SAME" -eq 1 ] || die "klaster and pandas differ (see $OUT/mapping-compare.txt)"
