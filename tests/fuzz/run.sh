#!/bin/sh
# Builds every libFuzzer target tests/fuzz/fuzz_*.c with AddressSanitizer
# and UBSan and runs each for SECONDS (default 60).  Prints one TAP line per
# target and ends with "N passed, N failed"; exit status 0 only when no
# target crashed.
#
#   sh tests/fuzz/run.sh [SECONDS]      (make fuzz FUZZ_SECONDS=…)
#   FUZZ_TARGETS="esc csv" limits the targets; FUZZ_CC picks the compiler.
#
# Each target keeps a growing corpus in build-fuzz/corpus/NAME, seeded from
# tests/fuzz/seeds/NAME/ when that exists; a crashing input is saved as
# build-fuzz/crash-NAME-* and its log as build-fuzz/NAME.log.
set -u
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-60}
CC=${FUZZ_CC:-clang}
OUT=build-fuzz
PKGS="libmicrohttpd sqlite3 libpq jansson libsodium xlsxwriter cairo fontconfig igraph libcurl libcmark pangocairo"

case $SECONDS_EACH in
''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac

# the generated sources (embedded migrations and static files) come from make
make -s all || { echo "not ok - make failed"; echo "0 passed, 1 failed"; exit 1; }
mkdir -p "$OUT/corpus"

FLAGS="-std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -O1 -g -fno-omit-frame-pointer
 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -DKLASTER_XLSX -include src/prelude.h -Isrc"
PKG_CFLAGS=$(pkg-config --cflags $PKGS)
PKG_LIBS=$(pkg-config --libs $PKGS)
# the library's sources, as the Makefile's LIB_SRC: not the two front ends' mains, nor
# klaster-map's CSV-only table writer
LIB_SRC=$(ls src/*.c | grep -v -e '^src/main\.c$' -e '^src/main_map\.c$' -e '^src/tablew_csvonly\.c$')

passed=0
failed=0
n=0
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	if [ -n "${FUZZ_TARGETS:-}" ]; then
		case " $FUZZ_TARGETS " in
		*" $name "*) ;;
		*) continue ;;
		esac
	fi
	n=$((n + 1))
	bin="$OUT/fuzz_$name"
	log="$OUT/$name.log"
	# shellcheck disable=SC2086
	if ! $CC $FLAGS $PKG_CFLAGS -o "$bin" "$src" $LIB_SRC build/migrations_gen.c build/static_gen.c \
		$PKG_LIBS -lm -lpthread >"$log" 2>&1; then
		echo "not ok $n - fuzz_$name: does not build"
		sed 's/^/#   /' "$log" | head -20
		failed=$((failed + 1))
		continue
	fi
	corpus="$OUT/corpus/$name"
	mkdir -p "$corpus"
	if [ -d "tests/fuzz/seeds/$name" ]; then
		cp -n tests/fuzz/seeds/"$name"/* "$corpus"/ 2>/dev/null
	fi
	if "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$OUT/crash-$name-" "$corpus" >"$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
		echo "ok $n - fuzz_$name: ${execs:-?} runs in ${SECONDS_EACH}s, no crash"
		passed=$((passed + 1))
	else
		echo "not ok $n - fuzz_$name: crashed (log $log)"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|klaster: BUG|artifact_prefix|Test unit written)' "$log" \
			| head -10 | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
done
echo "1..$n"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
