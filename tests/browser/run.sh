#!/bin/sh
# Browser test: prepares an SQLite database with the demo data, starts
# klaster on a free loopback port and drives Debian's chromium through
# playwright-core (tests/browser/test_browser.mjs: the directory;
# test_portal.mjs: the portal's flows with real e-mail; test_axe.mjs: WCAG 2.1 AA
# checked by axe-core on every kind of page, in Polish and English).  Prints TAP.
#
#   KLASTER_BIN        the klaster binary (default build/klaster)
#   KLASTER_TEST_WORK  a scratch directory (default: a new temporary one);
#                      the database, the server log and the screenshots go there
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${KLASTER_BIN:-$ROOT/build/klaster}
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
if [ -n "${KLASTER_TEST_WORK:-}" ]; then
	WORK=$KLASTER_TEST_WORK/browser
	mkdir -p "$WORK"
	OWN_WORK=0
else
	WORK=$(mktemp -d /tmp/klaster-browser.XXXXXX)
	OWN_WORK=1
fi
DB="sqlite:$WORK/browser.db"
PID=""
SINK=""

cleanup() {
	if [ -n "$PID" ]; then
		kill "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
	fi
	if [ -n "$SINK" ]; then
		kill "$SINK" 2>/dev/null
		wait "$SINK" 2>/dev/null
	fi
	[ "$OWN_WORK" = 1 ] && [ -z "${KEEP_WORK:-}" ] && rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	echo "not ok 1 - $*"
	exit 1
}

[ -x "$BIN" ] || fail "no klaster binary at $BIN (run make)"
[ -d tests/browser/node_modules/playwright-core ] || fail "playwright-core is not installed (make deps)"
[ -f tests/browser/node_modules/axe-core/axe.min.js ] || fail "axe-core is not installed (make deps)"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps)"

rm -f "$WORK/browser.db" "$WORK/browser.db-wal" "$WORK/browser.db-shm"
for step in "db migrate" "import reference data" \
	"import organisations data/demo/organisations.csv" \
	"import clusters data/demo/clusters.csv" \
	"import members data/demo/members.csv" \
	"import stats data/stats/gus_regon_2025q3_employment_estimate.csv --dataset gus-2025q3 --title GUS-2025" \
	"import firms data/demo/firms.csv --dataset demo-firms --title Demo"; do
	# shellcheck disable=SC2086
	"$BIN" --db "$DB" $step >"$WORK/setup.log" 2>&1 || { cat "$WORK/setup.log"; fail "setup: klaster $step"; }
done

# an administrator for the portal flows
ADMIN=admin@portal.example
ADMIN_PW="browser admin password"
KLASTER_PASSWORD=$ADMIN_PW "$BIN" --db "$DB" user add "$ADMIN" --role admin >"$WORK/setup.log" 2>&1 ||
	{ cat "$WORK/setup.log"; fail "setup: user add"; }

# a real SMTP server on loopback; each message it gets becomes a file in MAILDIR
MAILDIR=$WORK/mail
rm -rf "$MAILDIR"
mkdir -p "$MAILDIR"
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
"$py" tests/smtp_sink.py "$MAILDIR" >"$WORK/sink.port" 2>"$WORK/sink.log" &
SINK=$!
i=0
until [ -s "$WORK/sink.port" ]; do
	i=$((i + 1))
	if [ "$i" -gt 100 ] || ! kill -0 "$SINK" 2>/dev/null; then
		cat "$WORK/sink.log"
		fail "the SMTP sink did not start"
	fi
	sleep 0.1
done
SMTP_PORT=$(head -n 1 "$WORK/sink.port")

# a free loopback port (the kernel picks one; a short race is acceptable)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()') \
	|| fail "cannot find a free port"
"$BIN" --db "$DB" serve --listen "127.0.0.1:$PORT" --quiet --smtp-url "smtp://127.0.0.1:$SMTP_PORT" \
	>"$WORK/server.log" 2>&1 &
PID=$!
URL="http://127.0.0.1:$PORT"
i=0
until curl -fsS --max-time 2 "$URL/healthz" >/dev/null 2>&1; do
	i=$((i + 1))
	if [ "$i" -gt 100 ] || ! kill -0 "$PID" 2>/dev/null; then
		cat "$WORK/server.log"
		fail "the server did not come up on $URL"
	fi
	sleep 0.1
done

KLASTER_SHOTS=${KLASTER_SHOTS:-$WORK/screenshots} \
	timeout 240 node tests/browser/test_browser.mjs "$URL"
status=$?
[ "$status" -eq 124 ] && echo "not ok - the browser test timed out"
KLASTER_SHOTS=${KLASTER_SHOTS:-$WORK/screenshots} KLASTER_MAILDIR=$MAILDIR KLASTER_ADMIN=$ADMIN \
	KLASTER_ADMIN_PASSWORD=$ADMIN_PW timeout 240 node tests/browser/test_portal.mjs "$URL"
status2=$?
[ "$status2" -eq 124 ] && echo "not ok - the portal browser test timed out"
KLASTER_ADMIN=$ADMIN KLASTER_ADMIN_PASSWORD=$ADMIN_PW timeout 240 node tests/browser/test_axe.mjs "$URL"
status3=$?
[ "$status3" -eq 124 ] && echo "not ok - the accessibility (axe-core) browser test timed out"
[ "$status" -eq 0 ] && [ "$status2" -eq 0 ] && [ "$status3" -eq 0 ]
