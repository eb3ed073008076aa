#!/bin/sh
# A throw-away PostgreSQL server for the tests, from Debian's postgresql
# package: `tests/pg.sh start DIR` initialises a cluster in DIR on a free
# port, starts it and prints its URL; `tests/pg.sh stop DIR` stops it and
# removes DIR (`down` and `up` stop and start it in between, as in an
# outage).  PostgreSQL refuses to run as root, so as root the server runs as
# the postgres user.
set -eu
cmd=$1
dir=$2
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "pg.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

case "$cmd" in
start)
	mkdir -p "$dir"
	chmod 755 "$dir"
	# the postgres user must be able to reach DIR (mktemp -d makes 0700 folders)
	chmod o+x "$(dirname "$dir")" 2>/dev/null || true
	[ "$(id -u)" = 0 ] && chown postgres "$dir"
	port=$(free_port)
	as_pg "$bindir/initdb" -D "$dir/data" -U klaster --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null ||
		{ cat "$dir/server.log" >&2; exit 1; }
	as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U klaster klaster_test
	echo "$port" >"$dir/port"
	echo "postgres://klaster@127.0.0.1:$port/klaster_test"
	;;
createdb)
	# tests/pg.sh createdb DIR NAME [ICU_LOCALE]: one more empty database on the same server; with
	# ICU_LOCALE (en-US, pl-PL) its default collation is that ICU locale's, not C
	port=$(cat "$dir/port")
	if [ -n "${4:-}" ]; then
		as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U klaster --template=template0 \
			--locale-provider=icu --icu-locale="$4" "$3"
	else
		as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U klaster "$3"
	fi
	echo "postgres://klaster@127.0.0.1:$port/$3"
	;;
restart)
	# the same server stopped and started again (connections are cut)
	port=$(cat "$dir/port")
	as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" restart >/dev/null
	;;
down)
	# tests/pg.sh down DIR: the server stopped as in an outage (its clients are cut), DIR kept
	as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
	;;
up)
	# tests/pg.sh up DIR: the server of DIR started again after down, on the same port
	port=$(cat "$dir/port")
	as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
	;;
stop)
	if [ -d "$dir/data" ]; then
		as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: tests/pg.sh start|stop|restart|down|up|createdb DIR [NAME [ICU_LOCALE]]" >&2
	exit 2
	;;
esac
