#!/bin/sh
# The portal under mixed reads and writes (make bench-portal; see
# docs/BENCHMARKS.md, "Portal: mixed reads and writes").
#
# Builds a fresh SQLite database with the demo data (as `make demo-db`) plus
# 100,000 generated organisations and generated offers, services, offers
# awaiting moderation and news articles, imported through `klaster import`;
# creates a coordinator, editors and users with `klaster user add`; starts
# `klaster serve` (mail to the outbox: no --smtp-url); logs every account in
# through the login form (bench/portal_sessions.py) and runs wrk with
# bench/portal.lua:
#   1. mixed: about 90% reads and 10% writes of every kind on one set of
#      connections;
#   2. reads and writes side by side: two wrk processes at once, one only
#      reading and one only writing at run 1's write rate, so each has its
#      own latency figures;
#   3. as 1, but only writes that no cached page depends on (account
#      profile, "I am interested"), to show what the response cache gives.
# The run passes only with no error at all: no socket error, no 4xx or 5xx,
# every write answered by its own redirect, the database holding exactly the
# writes that were answered, and every queued mail delivered to the outbox.
# Prints a Markdown report (also bench/out/portal/results.md).
#
#   KLASTER_BIN          the klaster binary (default build/klaster)
#   BENCH_ORGS           generated organisations (default 100000)
#   BENCH_USERS          users who comment and write to offers (default 200)
#   BENCH_EDITORS        editors who add offers (default 8)
#   BENCH_DURATION       each wrk run (default 25s)
#   BENCH_CONN           connections (default 64; in run 2, 48 read and 16 write)
#                        wrk's time-out is 10 s; a slower answer is an error
#   BENCH_THREADS        klaster --threads (default 4)
#   BENCH_WRITE_SHARE    writes in run 1 (default 0.10)
#
# Everything runs on 127.0.0.1 (logins from 127.0.0.10 and up, see
# portal_sessions.py); generated files stay in bench/out/portal/.
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out/portal
BIN=${KLASTER_BIN:-$ROOT/build/klaster}
ORGS=${BENCH_ORGS:-100000}
NUSERS=${BENCH_USERS:-200}
NEDITORS=${BENCH_EDITORS:-8}
DUR=${BENCH_DURATION:-25s}
CONN=${BENCH_CONN:-64}
THREADS=${BENCH_THREADS:-4}
SHARE=${BENCH_WRITE_SHARE:-0.10}
export BENCH_PASSWORD="benchmark password 2026"
KPID=""

cleanup() {
	if [ -n "$KPID" ]; then kill "$KPID" 2>/dev/null || true; wait "$KPID" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() {
	echo "bench-portal: $*" >&2
	exit 1
}
for tool in wrk curl python3; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (make deps)"
done
[ -x "$BIN" ] || die "no klaster binary at $BIN (make)"

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
wait_http() { # wait_http URL: waits up to 10 s for a 200
	i=0
	until curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -le 100 ] || return 1
		sleep 0.1
	done
}
mem() { # mem PID: "VmRSS VmHWM" in KiB
	awk '/^VmRSS:/ {r = $2} /^VmHWM:/ {h = $2} END {print r, h}' "/proc/$1/status"
}
sql() { # sql QUERY: the first column of the first row, from the database file
	python3 -c 'import sqlite3, sys; r = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True).execute(sys.argv[2]).fetchone(); print(r[0] if r else "")' \
		"$OUT/portal.db" "$1"
}
k() { "$BIN" --db "$DB" "$@" >>"$OUT/setup.log" 2>&1 || { tail "$OUT/setup.log" >&2; die "klaster $1 $2 failed"; }; }

rm -rf "$OUT"
mkdir -p "$OUT"
t0=$(date +%s)
LOAD=$(cut -d" " -f1-3 /proc/loadavg)

echo "bench-portal: generating $ORGS organisations and the portal content" >&2
python3 bench/gen_orgs.py "$OUT/organisations.csv" "$ORGS"
python3 bench/gen_portal.py "$OUT/organisations.csv" "$OUT"

echo "bench-portal: building a fresh SQLite database" >&2
DB="sqlite:$OUT/portal.db"
k db migrate
k import reference data
# the demo data, as make demo-db
k import organisations data/demo/organisations.csv
k import clusters data/demo/clusters.csv
k import members data/demo/members.csv
k import news data/demo/news/*.md
k import offers data/demo/offers.csv
k import services data/demo/services.csv
k import stats data/stats/gus_regon_2025q3_employment_estimate.csv --dataset gus-2025q3 --title "GUS REGON 2025 Q3"
k import stats data/stats/eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv --dataset eurostat-sbs-2015 \
	--region-kind nuts2013 --skip-invalid --region-prefix PL --region-length 4 --industry-length 3 \
	--industry-names data/reference/eurostat_nace_r2_dictionary_en.csv --title "Eurostat SBS 2015"
# the volume
k import organisations "$OUT/organisations.csv" --no-progress
k import offers "$OUT/offers.csv"
k import offers "$OUT/pending.csv"
k import services "$OUT/services.csv"
k import news "$OUT"/news/*.md

echo "bench-portal: creating 1 coordinator, $NEDITORS editors and $NUSERS users" >&2
: >"$OUT/users.tsv"
MKTC=$(sql "SELECT id FROM cluster WHERE acronym = 'MKTC'")
echo "koordynator@bench.example	coordinator	--cluster $MKTC" >>"$OUT/users.tsv"
for org in $(sql "SELECT group_concat(id, ' ') FROM (SELECT id FROM organisation WHERE type = 'enterprise' ORDER BY id LIMIT $NEDITORS OFFSET 200)"); do
	echo "redaktor$org@bench.example	editor	--org $org" >>"$OUT/users.tsv"
done
i=1
while [ "$i" -le "$NUSERS" ]; do
	echo "uzytkownik$i@bench.example	user	" >>"$OUT/users.tsv"
	i=$((i + 1))
done
# two at a time (Argon2id makes each one take a tenth of a second)
n=0
while IFS="	" read -r email role extra; do
	# shellcheck disable=SC2086
	KLASTER_PASSWORD=$BENCH_PASSWORD "$BIN" --db "$DB" user add "$email" --role "$role" --name "Konto $email" $extra \
		>>"$OUT/users.log" 2>&1 &
	n=$((n + 1))
	if [ $((n % 2)) -eq 0 ]; then wait; fi
done <"$OUT/users.tsv"
wait
[ "$(sql "SELECT COUNT(*) FROM app_user")" -eq "$n" ] || { tail "$OUT/users.log" >&2; die "user add failed"; }
cut -f1-2 "$OUT/users.tsv" >"$OUT/accounts.tsv"

PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
"$BIN" --db "$DB" serve --listen "127.0.0.1:$PORT" --threads "$THREADS" --quiet >"$OUT/klaster.log" 2>&1 &
KPID=$!
wait_http "$URL/healthz" || { cat "$OUT/klaster.log" >&2; die "klaster did not start"; }
mem_start=$(mem "$KPID")

echo "bench-portal: logging $n accounts in" >&2
python3 bench/portal_sessions.py "$URL" "$OUT/portal.db" "$OUT/accounts.tsv" "$OUT/data.lua" >"$OUT/sessions.txt" \
	|| die "logging in failed"
cat "$OUT/sessions.txt" >&2
mem_sessions=$(mem "$KPID")
# the peak from here on is the load's, not the logins' (Argon2id takes 64 MiB each)
hwm_reset=1
echo 5 >"/proc/$KPID/clear_refs" 2>/dev/null || hwm_reset=0

export BENCH_DATA="$OUT/data.lua"
# wrkrun NAME MIX SLICE THREADS CONN [ENV=VALUE…]: one wrk process for $DUR (warm-up: 3 s),
# output in wrk-NAME.txt.  The runs use disjoint thirds of the users and of
# the offers awaiting moderation (BENCH_SLICE), so no budget is shared.
wrkrun() {
	name=$1 mix=$2 slice=$3 wt=$4 wc=$5
	shift 5
	d=$DUR
	[ "$name" = warmup ] && d=3s
	env BENCH_MIX="$mix" BENCH_SLICE="$slice" BENCH_WRK_THREADS="$wt" BENCH_WRITE_SHARE="$SHARE" "$@" \
		timeout 300 wrk -t"$wt" -c"$wc" -d"$d" --timeout 10s --latency -s bench/portal.lua "$URL" \
		>"$OUT/wrk-$name.txt" 2>&1 || { cat "$OUT/wrk-$name.txt" >&2; die "wrk failed ($name)"; }
}
gen() { sql "SELECT generation FROM change_counter"; }
# cpu: "klaster's CPU time, all CPUs' busy time, all CPUs' time" in clock ticks,
# so each run can say how much of the machine the server had
cpu() {
	k=$(awk '{print $14 + $15}' "/proc/$KPID/stat")
	awk -v k="$k" '/^cpu / {t = 0; for (i = 2; i <= NF; i++) t += $i; print k, t - $5 - $6, t}' /proc/stat
}

echo "bench-portal: warm-up (reads, 3 s)" >&2
wrkrun warmup read 0/3 2 "$CONN"
gen0=$(gen)
cpu0=$(cpu)

echo "bench-portal: 1. mixed, wrk -t2 -c$CONN -d$DUR" >&2
wrkrun mixed mixed 0/3 2 "$CONN"
gen1=$(gen)
cpu1=$(cpu)
mem1=$(mem "$KPID")

# run 2: the writes at run 1's rate, beside as many reads as the rest of the connections get
WRATE=$(awk '/^COUNTS/ {for (i = 2; i <= NF; i++) if ($i ~ /^s3xx=/) w = substr($i, 6)}
	/^PORTAL/ {d = $4 / 1e6} END {printf "%.0f", w / d}' "$OUT/wrk-mixed.txt")
RCONN=$((CONN - CONN / 4))
WCONN=$((CONN / 4))
echo "bench-portal: 2. side by side, reads wrk -t2 -c$RCONN and writes wrk -t1 -c$WCONN at $WRATE/s, -d$DUR" >&2
wrkrun read read 1/3 2 "$RCONN" &
rpid=$!
wrkrun write write 1/3 1 "$WCONN" BENCH_WRITE_RATE="$WRATE"
wait "$rpid" || die "wrk failed (read)"
gen2=$(gen)
cpu2=$(cpu)
mem2=$(mem "$KPID")

echo "bench-portal: 3. mixed, writes that no cached page depends on, wrk -t2 -c$CONN -d$DUR" >&2
wrkrun quiet mixed 2/3 2 "$CONN" BENCH_WRITE_KINDS=interest,profile
gen3=$(gen)
cpu3=$(cpu)
mem3=$(mem "$KPID")

# the mail the writes queued must all reach the outbox
i=0
while [ "$(sql "SELECT COUNT(*) FROM mail_queue WHERE status IN ('queued', 'sending')")" -ne 0 ]; do
	i=$((i + 1))
	[ "$i" -le 600 ] || break
	sleep 0.1
done
mail_wait=$i

NPROC=$(nproc)
MODEL=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
MEMTOTAL=$(awk '/^MemTotal:/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)
status=0
HWM_RESET=$hwm_reset MEM0=$mem_start MEMS=$mem_sessions MEM1=$mem1 MEM2=$mem2 MEM3=$mem3 MAIL_WAIT=$mail_wait \
GENS="$gen0 $gen1 $gen2 $gen3" WRATE=$WRATE CPUS="$cpu0 $cpu1 $cpu2 $cpu3" \
MACHINE="$NPROC CPUs ($MODEL), ${MEMTOTAL} GiB RAM, load average before: $LOAD" \
SETUP="klaster --threads $THREADS, SQLite, $ORGS generated organisations; $(cat "$OUT/sessions.txt")" \
CONN=$CONN RCONN=$RCONN WCONN=$WCONN DUR=$DUR T0=$t0 \
	python3 - "$OUT" <<'PY' >"$OUT/results.md" || status=1
import os, re, sqlite3, sys, time
out = sys.argv[1]
env = os.environ
errors = []

def wrk(name):
    text = open(f"{out}/wrk-{name}.txt", encoding="utf-8").read()
    p = re.search(r"^PORTAL (\S+) (.*)$", text, re.M)
    c = re.search(r"^COUNTS (.*)$", text, re.M)
    if not p or not c:
        sys.exit(f"no result from wrk ({name}):\n{text}")
    req, dur, rps, p50, p90, p99, mx, sockerr, status_err = p.group(2).split()
    counts = {k: int(v) for k, v in (x.split("=") for x in c.group(1).split())}
    return dict(req=int(req), dur=int(dur) / 1e6, rps=float(rps), p50=int(p50), p90=int(p90), p99=int(p99),
                max=int(mx), sockerr=int(sockerr), **counts)

runs = {n: wrk(n) for n in ("warmup", "mixed", "read", "write", "quiet")}
for name, r in runs.items():
    if r["sockerr"]:
        errors.append(f"{name}: {r['sockerr']} socket errors or time-outs")
    for cls in ("s4xx", "s5xx", "bad3xx"):
        if r[cls]:
            errors.append(f"{name}: {r[cls]} responses {cls[1:]}")
    # reads answer 200 and writes 303: the counts must agree with what was made
    # (a request still in flight when wrk stops has no answer, and wrk makes
    # one request at start-up that it only checks, never sends)
    slack = int(env["CONN"]) + 1
    if not (0 <= r["read"] - r["s2xx"] <= slack and 0 <= r["write"] - r["s3xx"] <= slack):
        errors.append(f"{name}: sent {r['read']} reads, {r['write']} writes; got {r['s2xx']} 2xx, {r['s3xx']} 3xx")

kinds = ("comment", "interest", "offer", "approve", "profile")
sent = {k: sum(r[f"sent_{k}"] for r in runs.values()) for k in kinds}
done = {k: sum(r[f"ok_{k}"] for r in runs.values()) for k in kinds}
db = sqlite3.connect(f"file:{out}/portal.db?mode=ro", uri=True)
q = lambda s, *a: db.execute(s, a).fetchone()[0]
rows = {
    "comment": q("SELECT COUNT(*) FROM article_comment WHERE body LIKE 'Komentarz z testu obciążenia%'"),
    "interest": q("SELECT COUNT(*) FROM offer_message"),
    "offer": q("SELECT COUNT(*) FROM offer WHERE title LIKE 'Współpraca przy łożyskach — test%'"),
    "approve": q("SELECT COUNT(*) FROM offer WHERE status = 'approved' AND contact_email LIKE '%@moderacja-bench.example'"),
    "profile": q("SELECT COUNT(*) FROM audit_log WHERE action = 'profile'"),
}
for k in kinds:
    if not done[k] <= rows[k] <= sent[k]:
        errors.append(f"{k}: {sent[k]} sent, {done[k]} answered 303, {rows[k]} in the database")
mail = dict(db.execute("SELECT status, COUNT(*) FROM mail_queue GROUP BY status").fetchall())
if mail.get("queued", 0) or mail.get("sending", 0) or mail.get("failed", 0):
    errors.append(f"mail queue not delivered: {mail}")
if mail.get("outbox", 0) != rows["interest"]:
    errors.append(f"{rows['interest']} messages relayed but {mail.get('outbox', 0)} mails in the outbox")
over = q("SELECT COUNT(*) FROM rate_limit WHERE (rkey LIKE 'comment-user:%' OR rkey LIKE 'offer-interest-user:%')"
         " AND hits > 5")
if over:
    errors.append(f"{over} rate-limit keys over their limit")

ms = lambda us: f"{us / 1000:.1f} ms"
mib = lambda kib: f"{int(kib) / 1024:.1f} MiB"
g = [int(x) for x in env["GENS"].split()]
mem = {k: env[k].split() for k in ("MEM0", "MEMS", "MEM1", "MEM2", "MEM3")}
print(f"Machine: {env['MACHINE']}.")
print(f"Setup: {env['SETUP']}.")
print()
c = [int(x) for x in env["CPUS"].split()]
tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
def cpu(i, *rs):
    # klaster's share of the CPUs, how busy they were (klaster, wrk and anything
    # else on the machine), and klaster's CPU time per answered request: the
    # figure that does not depend on what else the machine runs
    k, busy, total = (c[3 * i + j] - c[3 * (i - 1) + j] for j in range(3))
    answered = sum(r["s2xx"] + r["s3xx"] for r in rs)
    return f"{k / total:.0%} / {busy / total:.0%} | {k * tick_ms / max(1, answered):.2f} ms"
print("| run | requests/s | p50 | p99 | max | answered: reads / writes | cache generation moves | "
      "CPU: klaster / all | klaster CPU per request | errors: socket / 4xx / 5xx |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
def row(label, r, moves, used):
    print(f"| {label} | {r['rps']:.0f} | {ms(r['p50'])} | {ms(r['p99'])} | {ms(r['max'])} | "
          f"{r['s2xx']} / {r['s3xx']} | {moves} | {used} | {r['sockerr']} / {r['s4xx']} / {r['s5xx']} |")
m, rd, wr, qt = runs["mixed"], runs["read"], runs["write"], runs["quiet"]
share = lambda r: f"{r['write'] / max(1, r['read'] + r['write']):.1%}"
row(f"1. mixed: {share(m)} writes of all kinds, {env['CONN']} connections", m, g[1] - g[0], cpu(1, m))
row(f"2. reads only, {env['RCONN']} connections, beside run 2's writes", rd, "", cpu(2, rd, wr))
row(f"2. writes only, {env['WCONN']} connections, paced at run 1's {env['WRATE']}/s", wr, g[2] - g[1], "(both) |")
row(f"3. mixed: {share(qt)} writes that no cached page depends on, {env['CONN']} connections", qt, g[3] - g[2],
    cpu(3, qt))
print()
print(f"Each run {env['DUR']}; run 2's two wrk processes run at the same time. Logged-in reads (never served "
      f"from the cache): {m['read_session']} of run 1's {m['read']} reads.")
print()
print("| write | sent | answered 303 | rows in the database |")
print("|---|---:|---:|---:|")
labels = {"comment": "comment on an article (users)", "interest": "\"I am interested\" (users; mail to the outbox)",
          "offer": "new offer (editors)", "approve": "approve an offer (coordinator)",
          "profile": "account profile (users)"}
for k in kinds:
    print(f"| {labels[k]} | {sent[k]} | {done[k]} | {rows[k]} |")
subst = sum(r["substituted"] for r in runs.values())
print()
print(f"Writes that became a profile change because their run's budget was spent: {subst}. "
      f"Responses 429: {sum(r['s429'] for r in runs.values())}.")
print(f"Mail queue after the runs: {', '.join(f'{v} {k}' for k, v in sorted(mail.items())) or 'empty'} "
      f"(the queue was empty {int(env['MAIL_WAIT']) / 10:.1f} s after the last run).")
print()
print(f"klaster memory (VmRSS): {mib(mem['MEM0'][0])} at start, {mib(mem['MEMS'][0])} after the logins "
      f"(peak {mib(mem['MEMS'][1])}: Argon2id), {mib(mem['MEM1'][0])} after run 1, {mib(mem['MEM2'][0])} after run 2, "
      f"{mib(mem['MEM3'][0])} after run 3; peak " +
      ("during the runs (VmHWM, reset after the logins) " if env["HWM_RESET"] == "1" else "(VmHWM, logins included) ") +
      f"{mib(mem['MEM3'][1])}.")
print()
print(f"Total time: {int(time.time()) - int(env['T0'])} s.")
print()
if errors:
    print("**FAILED**: " + "; ".join(errors))
    sys.exit(1)
print("**PASSED**: 0 errors.")
PY
cat "$OUT/results.md"
# --quiet: the server logs only its address, unless something went wrong
if grep -v '^klaster: serving ' "$OUT/klaster.log" >"$OUT/klaster-errors.log"; then
	echo "bench-portal: the server wrote to its log:" >&2
	head -20 "$OUT/klaster-errors.log" >&2
	status=1
fi
exit "$status"
