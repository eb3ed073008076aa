"""Direct SQL on a test database, for the HTTP tests that check what a
request changed (tests/http/test_matrix.py, test_hostile.py).

Db(url).rows(sql, params) returns a list of tuples with the columns' values
as Python values (int, str or None) on both backends; Db.one returns the
first column of the first row.  Statements use "?" placeholders.

SQLite: one connection of the sqlite3 module in autocommit mode.
PostgreSQL: one psql process kept open for the whole test (a query costs a
round trip, not a process), its answers read as JSON so that text with
tabs and line breaks comes back exactly.
"""
import json
import sqlite3
import subprocess


class Db:
    END = "__ktdb_end__"

    def __init__(self, url):
        self.url = url
        self.sqlite = url.startswith("sqlite:")
        if self.sqlite:
            self.con = sqlite3.connect(url[7:], timeout=30, isolation_level=None)
        else:
            self.proc = subprocess.Popen(["psql", url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=0"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         text=True, encoding="utf-8", bufsize=1)

    @staticmethod
    def _lit(v):
        if v is None:
            return "NULL"
        if isinstance(v, bool):
            return "1" if v else "0"
        if isinstance(v, int):
            return str(v)
        return "'" + str(v).replace("'", "''") + "'"

    def _pg(self, text):
        self.proc.stdin.write(text + "\n\\echo " + self.END + "\n")
        self.proc.stdin.flush()
        out = []
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("psql exited")
            if line.rstrip("\n") == self.END:
                break
            out.append(line.rstrip("\n"))
        for line in out:
            if line.startswith(("ERROR:", "FATAL:", "psql:")):
                raise RuntimeError("psql: %s (in %s)" % ("\n".join(out), text[:300]))
        return out

    def _subst(self, sql, params):
        # "?" outside quoted strings only: the tests' statements keep
        # literals free of question marks
        parts = sql.split("?")
        if len(parts) - 1 != len(params):
            raise ValueError("%d placeholders, %d parameters" % (len(parts) - 1, len(params)))
        text = parts[0]
        for p, rest in zip(params, parts[1:]):
            text += self._lit(p) + rest
        return text

    def rows(self, sql, params=()):
        if self.sqlite:
            return [tuple(r) for r in self.con.execute(sql, tuple(params)).fetchall()]
        text = self._subst(sql, params).rstrip().rstrip(";")
        head = text.lstrip().split(None, 1)[0].upper()
        if head not in ("SELECT", "WITH"):
            self._pg(text + ";")
            return []
        out = self._pg("SELECT COALESCE(json_agg(ktdb_q), '[]') FROM (%s) ktdb_q;" % text)
        # a row is a JSON object in column order; keep the values by position
        return [tuple(r) for r in json.loads("".join(out) or "[]", object_pairs_hook=lambda kv: [v for _, v in kv])]

    def one(self, sql, params=()):
        r = self.rows(sql, params)
        return r[0][0] if r else None

    def run(self, sql, params=()):
        self.rows(sql, params)

    def close(self):
        if self.sqlite:
            self.con.close()
        else:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except Exception:
                self.proc.kill()
