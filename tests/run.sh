#!/bin/sh
# The one test runner: every suite prints TAP ("ok N - …" / "not ok N - …");
# this script runs them all, keeps their output in $OUT, and ends with the
# line "N passed, N failed".  Exit status 0 only when nothing failed.
#
#   unit      C unit tests (build/tests/test_*)
#   storage   the storage test against SQLite and a real PostgreSQL
#   http      integration tests against running servers on both backends
#   cli       the cluster-mapping commands on statistics and firm-point files
#             (no database; firm points are compared with scikit-learn)
#   browser   Playwright (playwright-core) driving Debian's chromium
#
# TESTS="unit http" limits the suites; BUILD selects the build directory
# (build, build-asan, …).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
TESTS=${TESTS:-unit storage http cli browser}
export KLASTER_BIN="$PWD/$BUILD/klaster"
WORK=$(mktemp -d /tmp/klaster-test.XXXXXX)
chmod 755 "$WORK"
export KLASTER_TEST_WORK="$WORK"
passed=0
failed=0
PG_URL=""

cleanup() {
	[ -n "$PG_URL" ] && sh tests/pg.sh stop "$WORK/pg" >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# run NAME COMMAND...: runs one suite, counts its TAP lines
run() {
	name=$1
	shift
	log="$WORK/$(echo "$name" | tr / -).log"
	echo "== $name"
	"$@" >"$log" 2>&1
	status=$?
	p=$(grep -c '^ok ' "$log" 2>/dev/null)
	f=$(grep -c '^not ok ' "$log" 2>/dev/null)
	p=${p:-0}
	f=${f:-0}
	grep -E '^(not ok|#)' "$log" | head -40
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $status"
		tail -20 "$log"
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name ran no test"
		tail -20 "$log"
		f=1
	fi
	echo "   $name: $p passed, $f failed"
	passed=$((passed + p))
	failed=$((failed + f))
}

need_pg() {
	if [ -z "$PG_URL" ]; then
		PG_URL=$(sh tests/pg.sh start "$WORK/pg") || { echo "not ok - cannot start PostgreSQL"; failed=$((failed + 1)); return 1; }
		export KLASTER_TEST_PG="$PG_URL"
	fi
}

for suite in $TESTS; do
	case $suite in
	unit)
		for t in "$BUILD"/tests/test_*; do
			[ -x "$t" ] || continue
			case $t in
			*/test_storage) continue ;;
			esac
			run "unit/$(basename "$t")" "$t"
		done
		;;
	storage)
		run "storage/sqlite" env KLASTER_TEST_DB="sqlite:$WORK/storage.db" "$BUILD/tests/test_storage"
		if need_pg; then
			run "storage/postgres" env KLASTER_TEST_DB="$PG_URL" "$BUILD/tests/test_storage"
		fi
		;;
	http)
		# every tests/http/test_*.py on both backends; Debian's python3 has
		# aiosmtpd (the SMTP server the mail tests read)
		py=python3
		[ -x /usr/bin/python3 ] && py=/usr/bin/python3
		for t in tests/http/test_*.py; do
			part=$(basename "$t" .py)
			part=${part#test_}
			run "http/$part/sqlite" "$py" "$t" --backend sqlite
			if need_pg; then
				run "http/$part/postgres" "$py" "$t" --backend postgres
			fi
		done
		;;
	cli)
		run "cli/map" python3 tests/cli/test_map.py
		run "cli/klaster-map" python3 tests/cli/test_klaster_map.py
		run "cli/map-options" python3 tests/cli/test_map_options.py
		run "cli/map-progress" python3 tests/cli/test_map_progress.py
		run "cli/reference" python3 tests/cli/test_reference.py
		run "cli/datasets" python3 tests/cli/test_datasets.py
		run "cli/readme" python3 tests/cli/test_readme.py
		run "cli/cli" python3 tests/cli/test_cli.py
		run "cli/json-files" python3 tests/cli/test_json_files.py
		# scikit-learn comes from Debian (python3-sklearn): use Debian's python3
		# even when another python3 is first on PATH
		py=python3
		[ -x /usr/bin/python3 ] && py=/usr/bin/python3
		run "cli/spatial" "$py" tests/cli/test_spatial.py
		;;
	browser)
		run "browser" sh tests/browser/run.sh
		;;
	*)
		echo "unknown suite $suite" >&2
		failed=$((failed + 1))
		;;
	esac
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
