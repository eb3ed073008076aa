#!/bin/sh
# Installs the Debian 12 packages klaster needs to build, run and test.
# Idempotent: packages already installed are not touched, so a second run
# costs one dpkg query.  Run as root (make run / make test call it).
set -eu

PKGS="build-essential pkg-config clang libclang-rt-14-dev
libmicrohttpd-dev libsqlite3-dev sqlite3 libpq-dev libjansson-dev libsodium-dev
libcairo2-dev libpango1.0-dev libfontconfig-dev libigraph-dev libxlsxwriter-dev libcurl4-openssl-dev libcmark-dev libglpk-dev
postgresql chromium nginx-light wrk curl python3 ca-certificates poppler-utils fonts-dejavu-core
python3-numpy python3-sklearn python3-aiosmtpd proj-bin"

# python3-sklearn: the firm-point test compares DBSCAN with scikit-learn;
# proj-bin: it compares the grid of Europe (EPSG:3035) with PROJ's cs2cs.
# poppler-utils: the news test reads the article PDF (pdftotext, pdfinfo);
# fonts-dejavu-core: the font of the PDFs and maps.
# --bench adds what the benchmarks compare against (pandas)
if [ "${1:-}" = "--bench" ]; then
	PKGS="$PKGS python3-pandas"
fi

missing=""
# Node.js and npm for the browser test: any installation will do (a machine
# may carry its own Node.js build, which conflicts with Debian's npm package)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	PKGS="$PKGS nodejs npm"
fi
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "install-deps: these Debian packages are missing:$missing" >&2
		echo "install-deps: run 'make deps' as root (or: apt-get install$missing)" >&2
		exit 1
	fi
	echo "install-deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# playwright-core and axe-core for the browser test (a local, pinned npm
# install of tests/browser/package.json: playwright-core drives Debian's
# chromium and downloads no browser of its own; axe-core checks WCAG 2.1 AA
# and is injected into the pages from node_modules, never from a CDN)
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
	echo "install-deps: npm install playwright-core axe-core (tests/browser)"
	(cd tests/browser && npm install --no-audit --no-fund --silent >/dev/null)
fi
