#!/usr/bin/env python3
"""The klaster command line itself: the global options read as a command's
options are (`--db URL` or `--db=URL`, an option twice or without its value a
usage error), a usage error said in one line with a pointer to --help (the
whole usage only for `klaster`, `klaster --help` and `klaster help`), and
`klaster COMMAND SUB --help` describing that sub-command alone.  Prints TAP."""
import csv
import io
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import ROOT, BIN, Tap, workdir  # noqa: E402

TAP = Tap()
ok = TAP.ok
MAPBIN = os.path.join(os.path.dirname(BIN), "klaster-map")

# every command with sub-commands, and its sub-commands (the dispatch of main.c and cli_map.c)
SUBCOMMANDS = {
    "db": ["migrate", "version"],
    "import": ["organisations", "clusters", "members", "offers", "services", "reference", "regions", "pkd",
               "stats", "news", "firms"],
    "dataset": ["list", "delete"],
    "export": ["organisations", "clusters", "members"],
    "mail": ["deliver", "list"],
    "user": ["add", "token", "block", "unblock"],
    "map": ["indicators", "indices", "shift-share", "relatedness", "draw", "spatial", "hotspots"],
}


def kl(*args, env=None, binary=BIN):
    e = dict(os.environ)
    for k in [k for k in e if k.startswith("KLASTER_")]:
        del e[k]   # the settings of whoever runs the tests do not count
    e.update(env or {})
    return subprocess.run([binary] + list(args), cwd=ROOT, capture_output=True, text=True, timeout=120, env=e)


def one_line_usage_error(r, words, desc):
    """Exit 2, and on standard error one line that has words and points to --help (no usage dump)."""
    lines = r.stderr.splitlines()
    ok(r.returncode == 2 and len(lines) == 1 and all(w in lines[0] for w in words) and "usage:" not in r.stderr
       and not r.stdout, desc, (r.returncode, r.stderr[:1500]))


def form_lines(text, cmd):
    """The usage forms at the start of text: the lines that start 'usage: klaster CMD ' or
    '       CMD ' ('       klaster CMD ' in the usage of one sub-command); a form's following
    lines start with spaces and a bracket."""
    block = text.split("\n\n", 1)[0]
    return [ln for ln in block.splitlines() if re.match(r"^(usage: klaster |       (klaster )?)%s " % re.escape(cmd), ln)]


def form_sub(form):
    """The sub-commands a form is for: the word after the command, split at '|'."""
    return re.match(r"^(?:usage: klaster |       (?:klaster )?)\S+ (\S+)", form).group(1).split("|")


def test_global_options(work):
    db = os.path.join(work, "g.db")
    r = kl("--db", "sqlite:" + db, "db", "migrate")
    ok(r.returncode == 0 and os.path.exists(db), "--db URL (apart) as before", r.stderr)
    r = kl("--db=sqlite:" + db, "dataset", "list")
    ok(r.returncode == 0 and not r.stderr, "--db=URL dataset list (as docs/CLI.md has it)", r.stderr)
    fresh = os.path.join(work, "fresh.db")
    r = kl("--db=sqlite:" + fresh, "db", "migrate")
    ok(r.returncode == 0 and os.path.exists(fresh), "--db=sqlite:PATH db migrate: that database", r.stderr)
    r = kl("--db=" + db, "db", "version")
    ok(r.returncode == 0 and r.stdout.split()[0] != "0", "--db=PATH (a bare path: SQLite)", (r.stdout, r.stderr))

    conf = os.path.join(work, "k.conf")
    with open(conf, "w") as f:
        f.write("db = sqlite:%s\n" % db)
    for args, desc in [(["--config=" + conf], "--config=FILE"), (["--config", conf], "--config FILE"),
                       (["--config=" + conf, "--db=sqlite:" + db], "--config=FILE --db=URL together")]:
        r = kl(*args, "db", "version")
        ok(r.returncode == 0 and r.stdout.split()[0] != "0", desc + ": the file's database", (r.stdout, r.stderr))

    # an empty global option is a usage error, never a quiet default database (--db "$UNSET")
    for args in (["--db="], ["--db", ""], ["--config="]):
        r = kl(*args, "db", "version", env={"KLASTER_DB": "sqlite:" + db, "KLASTER_CONFIG": conf})
        ok(r.returncode == 2 and "%s is empty: give a value or leave it out" % args[0].rstrip("=") in r.stderr
           and r.stdout == "", "%r: a usage error" % " ".join(args), (r.stdout, r.stderr))

    # a database SQLite would make in memory or as a temporary file: a usage error, never a
    # "db migrate" that succeeds and keeps nothing (run where a file of that name would be made)
    for url in ("sqlite:", ":memory:", "sqlite::memory:"):
        for args, env in (((["--db=" + url], {})), (([], {"KLASTER_DB": url}))):
            r = subprocess.run([BIN] + args + ["db", "migrate"], cwd=work, capture_output=True, text=True,
                               timeout=120, env=dict({k: v for k, v in os.environ.items()
                                                      if not k.startswith("KLASTER_")}, **env))
            ok(r.returncode == 2 and "is no file" in r.stderr and "give sqlite:PATH" in r.stderr and not r.stdout
               and not os.path.exists(os.path.join(work, ":memory:")),
               "%s db migrate: a usage error" % (args[0] if args else "KLASTER_DB=" + url), (r.stdout[-300:], r.stderr))

    # the usage errors of a command's options, said the same way
    one_line_usage_error(kl("--db=sqlite:" + db, "--db=sqlite:" + db, "dataset", "list"), ["--db is given twice"],
                         "--db=… twice: a usage error")
    one_line_usage_error(kl("--db", "sqlite:" + db, "--db=sqlite:" + db, "dataset", "list"),
                         ["--db is given twice"], "--db URL --db=URL: a usage error")
    one_line_usage_error(kl("--config=" + conf, "--config", conf, "dataset", "list"), ["--config is given twice"],
                         "--config twice: a usage error")
    one_line_usage_error(kl("--db"), ["--db needs a value", "--help"], "--db at the end: needs a value")
    one_line_usage_error(kl("--db", "--config", conf, "dataset", "list"), ["--db needs a value", "--help"],
                         "--db --config FILE: --db needs a value (a value starting with -- is joined)")
    one_line_usage_error(kl("--colour", "dataset", "list"), ["unknown option '--colour'", "--help"],
                         "an unknown global option: one line, no usage")
    one_line_usage_error(kl("--db-url=x", "dataset", "list"), ["unknown option '--db-url=x'"],
                         "--db-url=x is not --db")
    one_line_usage_error(kl("--db=sqlite:" + db), ["no command", "klaster --help"],
                         "global options without a command: one line")
    one_line_usage_error(kl("frobnicate"), ["unknown command 'frobnicate'", "klaster --help"],
                         "an unknown command: one line, no usage")
    one_line_usage_error(kl("help", "frobnicate"), ["unknown command 'frobnicate'", "klaster --help"],
                         "help of an unknown command: one line")
    r = kl("\x1b[31mred")
    ok(r.returncode == 2 and "\x1b" not in r.stderr and "\\x1B[31mred" in r.stderr,
       "an unknown command is quoted escaped", repr(r.stderr))
    one_line_usage_error(kl("--db", "sqlite:" + db, "dataset", "list", "--colour"), ["unknown option '--colour'"],
                         "an unknown option of a command: one line (as before)")
    one_line_usage_error(kl("help", "frobnicate", binary=MAPBIN), ["map what? indicators, indices,",
                                                                   "not 'frobnicate'", "--help"],
                         "klaster-map help of an unknown command: one line listing the commands")

    # the whole usage: klaster alone (a usage error), --help, -h and help
    r = kl()
    ok(r.returncode == 2 and r.stderr.startswith("usage: klaster") and "commands:" in r.stderr,
       "klaster alone: the whole usage, exit 2", r.stderr[:300])
    for args in (["--help"], ["-h"], ["help"], ["--db=sqlite:" + db, "--help"]):
        r = kl(*args)
        ok(r.returncode == 0 and r.stdout.startswith("usage: klaster") and "commands:" in r.stdout
           and "import pkd FILE.csv" in r.stdout and "user unblock EMAIL" in r.stdout,
           "klaster %s: the whole usage, every form" % " ".join(args), r.stdout[:300] + r.stderr)
    # -- ends the global options: the command follows it
    stats = os.path.join(work, "s.csv")
    with open(stats, "w") as f:
        f.write("region,industry,employment\nA,x,10\nA,y,5\nB,x,3\nB,y,9\n")
    want = kl("map", "indicators", stats)
    for args in (["--"], ["--db=sqlite:" + db, "--"], ["--db", "sqlite:" + db, "--config", conf, "--"]):
        r = kl(*args, "map", "indicators", stats)
        ok(r.returncode == 0 and want.returncode == 0 and r.stdout == want.stdout,
           "klaster %s map indicators: the command after --" % " ".join(args), r.stderr)
    r = kl("--db=sqlite:" + db, "--", "dataset", "list")
    ok(r.returncode == 0 and not r.stderr, "--db=URL -- dataset list: that database", r.stderr)
    r = kl("--db=sqlite:" + db, "--", "help", "import", "stats")
    ok(r.returncode == 0 and r.stdout == kl("import", "stats", "--help").stdout, "-- help import stats", r.stderr)
    one_line_usage_error(kl("--db", "--", "dataset", "list"), ["--db needs a value"], "--db -- : --db needs a value")
    one_line_usage_error(kl("--db=sqlite:" + db, "--"), ["no command", "klaster --help"],
                         "-- without a command after it: one line")
    one_line_usage_error(kl("--", "--db=sqlite:" + db, "dataset", "list"), ["unknown command '--db=sqlite:"],
                         "after --, no global option: the command word")
    r = kl("--version")
    ok(r.returncode == 0 and r.stdout.startswith("klaster "), "--version", r.stdout + r.stderr)


def test_help_words():
    """--help anywhere after the command names the sub-command by the first word that is no option;
    'help --help' is the usage; '--db -h' names a database, as '--db -x' does; every form of a
    command in the full usage starts under the one before it."""
    r = kl("import", "--help", "stats")
    ok(r.returncode == 0 and "import stats" in r.stdout and "import firms" not in r.stdout,
       "import --help stats: the stats form alone", r.stdout[:600])
    r = kl("help", "--help")
    ok(r.returncode == 0 and r.stdout.startswith("usage: klaster [--db URL]"), "help --help: the usage",
       (r.stdout[:200], r.stderr))
    r = kl("--db", "-h", "dataset", "list")
    ok(r.returncode == 4 and "there is no database -h" in r.stderr and "usage:" not in r.stdout,
       "--db -h: a database named -h, not help", (r.stdout[:200], r.stderr))
    r = kl("--help")
    lines = r.stdout.splitlines()
    ok(r.returncode == 0 and "  db migrate" in lines and "  db version" in lines,
       "the full usage: a command's forms aligned one under another", r.stdout[:800])
    maps = [ln for ln in lines if re.match(r"^ *map [a-z-]+ [A-Z]", ln)]
    ok(len(maps) == 9 and all(ln.startswith("  map ") for ln in maps),
       "the full usage: every map command's form begins under the others (two spaces)", maps)
    r = kl("map", "--help")
    maps = [ln for ln in r.stdout.splitlines() if re.match(r"^.*map [a-z-]+ [A-Z]", ln)]
    ok(len(maps) == 9 and maps[0].startswith("usage: klaster map indicators ")
       and all(ln.startswith("       klaster map ") for ln in maps[1:]),
       "klaster map --help: every form begins 'klaster map', under the first", maps)


def test_subcommand_help():
    for cmd, subs in SUBCOMMANDS.items():
        r = kl(cmd, "--help")
        every = form_lines(r.stdout, cmd)
        ok(r.returncode == 0 and every and all(
            any(s in form_sub(f) for f in every) for s in subs),
           "klaster %s --help: every sub-command's form" % cmd, r.stdout[:2000])
        for sub in subs:
            r = kl(cmd, sub, "--help")
            forms = form_lines(r.stdout, cmd)
            # each form shown is for sub: its word after the command (alternatives split at '|') is sub
            mine = [f for f in forms if sub in form_sub(f)]
            ok(r.returncode == 0 and forms and forms == mine and len(forms) < len(every) and not r.stderr,
               "klaster %s %s --help: that sub-command's usage alone" % (cmd, sub), r.stdout[:2000] + r.stderr)
    # -h, help COMMAND SUB and the global options before the command say the same
    want = kl("import", "stats", "--help").stdout
    for args in (["import", "stats", "-h"], ["help", "import", "stats"], ["--db=x.db", "import", "stats", "--help"],
                 ["import", "stats", "s.csv", "--dataset", "d", "--help"]):
        r = kl(*args)
        ok(r.returncode == 0 and r.stdout == want, "klaster %s: as import stats --help" % " ".join(args),
           r.stdout[:600] + r.stderr)
    ok("import firms" not in want and "import organisations" not in want,
       "import stats --help names no other import command", want)
    r = kl("import", "firms", "--help")
    ok("import stats" not in r.stdout and "--industry-names CODES.csv" in r.stdout,
       "import firms --help: its usage, every line of it, and no other import command", r.stdout)
    # a sub-command the command does not have: a usage error naming it, as an unknown command is,
    # in every way of asking and from both binaries
    for args, words in ((["help", "import", "nosuch"], ["unknown command 'import nosuch'", "klaster import --help"]),
                        (["import", "nosuch", "--help"], ["unknown command 'import nosuch'", "klaster import --help"]),
                        (["import", "--help", "nosuch"], ["unknown command 'import nosuch'"]),
                        (["help", "map", "nosuch"], ["unknown command 'map nosuch'", "klaster map --help"]),
                        (["map", "nosuch", "-h"], ["unknown command 'map nosuch'", "klaster map --help"]),
                        (["help", "db", "nosuch"], ["unknown command 'db nosuch'", "klaster db --help"]),
                        (["--db=x.db", "user", "nosuch", "--help"], ["unknown command 'user nosuch'"])):
        one_line_usage_error(kl(*args), words, "klaster %s: a usage error naming the sub-command" % " ".join(args))
    # klaster-map: asking for the help of a command that is none says what running it says, the
    # commands there are
    ran = kl("nosuch", "x.csv", binary=MAPBIN)
    one_line_usage_error(ran, ["klaster-map: map what? indicators, indices, shift-share, relatedness, draw, "
                               "spatial or hotspots, not 'nosuch' (see --help)"], "klaster-map nosuch: the commands listed")
    for args in (["help", "nosuch"], ["nosuch", "--help"], ["nosuch", "x.csv", "-h"], ["help", "map", "nosuch"],
                 ["map", "nosuch", "--help"]):
        r = kl(*args, binary=MAPBIN)
        one_line_usage_error(r, ["not 'nosuch'"], "klaster-map %s: a usage error naming the command" % " ".join(args))
        ok(r.stderr == ran.stderr, "klaster-map %s: as klaster-map nosuch says" % " ".join(args), r.stderr)
    r = kl("help", "map", binary=MAPBIN)
    ok(r.returncode == 0 and r.stdout == kl("--help", binary=MAPBIN).stdout,
       "klaster-map help map: as klaster-map --help", r.stdout[:300] + r.stderr)
    r = kl("help", "map", "indices", binary=MAPBIN)
    ok(r.returncode == 0 and r.stdout == kl("indices", "--help", binary=MAPBIN).stdout and "indices" in r.stdout,
       "klaster-map help map indices: as klaster-map indices --help", r.stdout[:300] + r.stderr)
    # a command without sub-commands takes no word as one: its usage, as before
    r = kl("serve", "sideways", "--help")
    ok(r.returncode == 0 and r.stdout.startswith("usage: klaster serve") and not r.stderr,
       "serve sideways --help: the usage of serve", r.stdout[:300] + r.stderr)


def test_database_message():
    """libpq's message of a failed connection has two lines: said as one ("…refused; Is the server
    running…"), neither split nor with an escaped line break in it."""
    r = kl("--db", "postgres://127.0.0.1:1/none?connect_timeout=5", "db", "version")
    lines = r.stderr.splitlines()
    ok(r.returncode == 6 and len(lines) == 1 and "cannot connect to PostgreSQL: " in lines[0] and
       "\\x0A" not in r.stderr and "\t" not in r.stderr, "a failed connection: exit 6, one line", r.stderr)


def test_options_before_database(work):
    """A command checks its own arguments before it looks for its database: a wrong option is a
    usage error (exit 2) in a directory without klaster.db, and db migrate --bogus creates none;
    a global option after the command is said to be one; an empty config value or an empty
    KLASTER_CONFIG gives no value, as an empty environment variable does."""
    empty = os.path.join(work, "empty")
    os.mkdir(empty)

    def here(*args, env=None):
        e = dict(os.environ)
        for k in [k for k in e if k.startswith("KLASTER_")]:
            del e[k]
        e.update(env or {})
        return subprocess.run([BIN] + list(args), cwd=empty, capture_output=True, text=True, timeout=120, env=e)

    for args in (["dataset", "list", "--bogus"], ["export", "organisations", "--typo", "x"],
                 ["db", "migrate", "--bogus"], ["import", "pkd", "a", "b"], ["audit", "--nope"]):
        r = here(*args)
        ok(r.returncode == 2 and ("unknown option" in r.stderr or "expected 1 argument" in r.stderr) and
           not os.path.exists(os.path.join(empty, "klaster.db")),
           "%s: a usage error before any database is looked for or created" % " ".join(args), r.stderr)
    # a wrong value of an option or an argument is told too, not that there is no database
    for args, code, said in ((["audit", "--limit", "abc"], 2, "--limit must be a whole number"),
                             (["audit", "--from", "yesterday"], 2, "from"),
                             (["dataset", "delete", "Bad_Name"], 2, "is not a dataset name"),
                             (["user", "add", "notanemail"], 3, "e-mail"),
                             (["user", "token", "notanemail"], 3, "e-mail"),
                             (["user", "block", "notanemail"], 3, "e-mail")):
        r = here(*args)
        ok(r.returncode == code and said in r.stderr and "no database" not in r.stderr and
           not os.path.exists(os.path.join(empty, "klaster.db")),
           "%s: exit %d naming the value, before any database is looked for" % (" ".join(args), code), r.stderr)
    r = here("--db", "sqlite:" + os.path.join(work, "g.db"), "import", "organisations", "x.csv", "--skip-invalid=1")
    ok(r.returncode == 2 and "--skip-invalid takes no value: write --skip-invalid alone" in r.stderr,
       "a flag given a value is told so (not 'given twice')", r.stderr)
    r = here("--db", "sqlite:" + os.path.join(work, "g.db"), "export", "-o", os.path.join(empty, "o.csv"), "organisations")
    ok(r.returncode == 2 and "export -o: the sub-command comes first, then its options (klaster export SUB -o" in r.stderr
       and not os.path.exists(os.path.join(empty, "o.csv")),
       "an option before the sub-command: said so, not 'export what?'", r.stderr)
    for n, want in ((150, 0), (201, 2)):
        r = here("--db", "sqlite:" + os.path.join(work, "g.db"), "user", "add", "l%d@example.org" % n, "--name", "ł" * n,
                 env={"KLASTER_PASSWORD": "Długie hasło 2026 xyz"})
        ok(r.returncode == want and (want == 0 or "--name: at most 200 characters" in r.stderr),
           "user add --name of %d Polish letters (%d bytes): %s" % (n, 2 * n, "taken" if want == 0 else "too long"),
           r.stderr)
    for cp in ("\u202e", "\u2028", "\u2067", "\u200f"):
        r = here("--db", "sqlite:" + os.path.join(work, "g.db"), "user", "add", "d%04x@example.org" % ord(cp),
                 "--name", "Ewa%sKowalska" % cp, env={"KLASTER_PASSWORD": "Długie hasło 2026 xyz"})
        ok(r.returncode == 2 and "--name: control characters are not allowed" in r.stderr,
           "user add --name with U+%04X (a direction override or separator): refused as the portal's forms refuse it"
           % ord(cp), r.stderr)
    r = here("dataset", "list", "--db", "sqlite:" + os.path.join(work, "g.db"))
    ok(r.returncode == 2 and "--db is a global option: give it before the command (klaster --db VALUE dataset" in r.stderr,
       "a global option after the command is said to be one", r.stderr)
    r = here("dataset", "list")
    ok(r.returncode == 4 and "there is no database klaster.db" in r.stderr, "  right arguments: the database is looked for",
       r.stderr)
    r = here("--db", "sqlite:" + os.path.join(work, "g.db"), "dataset", "list", env={"KLASTER_CONFIG": ""})
    ok(r.returncode == 0, "an empty KLASTER_CONFIG names no config file", r.stderr)
    conf = os.path.join(empty, "c.conf")
    with open(conf, "w") as f:
        f.write("db =\nthreads =\n")
    r = here("--config", conf, "dataset", "list")
    ok(r.returncode == 4 and "there is no database klaster.db" in r.stderr,
       "an empty config value gives no value: the default database is asked", r.stderr)
    r = here("--db", "sqlite:" + os.path.join(work, "g.db"), "import", "regions", os.path.join(empty, "none.geojson"),
             "--level", "powiat")
    ok(r.returncode == 1 and ("cannot open %s: No such file" % os.path.join(empty, "none.geojson")) in r.stderr,
       "import regions of a GeoJSON file that is not there: exit 1, cannot open (no line and column)", r.stderr)
    r = here("--db", "sqlite:" + os.path.join(work, "g.db"), "serve", "--trust-proxy", "maybe")
    ok(r.returncode == 2 and "trust-proxy must be 1 or 0 (yes/no, true/false, on/off), not 'maybe'" in r.stderr,
       "serve --trust-proxy maybe: a usage error, not quietly off", r.stderr)
    # each setting serve refuses after the mail settings are read: a usage error and nothing left
    # allocated (the sanitizer builds fail a run that leaks the mail settings' base URL)
    for opt, val, said in (("--threads", "0", "threads must be a number from 1 to 256"),
                           ("--max-body", "10", "max-body must be a number of bytes"),
                           ("--search-cache", "-1", "search-cache must be a number of MiB"),
                           ("--session-idle", "x", "session-idle must be a number of minutes")):
        r = here("--db", "sqlite:" + os.path.join(work, "g.db"), "serve", opt, val)
        ok(r.returncode == 2 and said in r.stderr and "Sanitizer" not in r.stderr,
           "serve %s %s: a usage error, exit 2" % (opt, val), r.stderr)
    missing = os.path.join(empty, "no-such.db")
    r = here("--db", "sqlite:" + missing, "db", "version")
    ok(r.returncode == 4 and "there is no database" in r.stderr and not os.path.exists(missing),
       "db version of a database that is not there: exit 4, and no empty file made", r.stderr)
    r = here("--db", "sqlite:" + os.path.join(work, "g.db"), "mail", "list", env={"KLASTER_MAIL_LEASE": "1"})
    ok(r.returncode == 0, "mail list needs no mail settings (a bad mail-lease is delivery's)", r.stderr)
    r = here("--db", "sqlite:" + os.path.join(work, "g.db"), "mail", "list", "--base-url", "http://x")
    ok(r.returncode == 2 and "unknown option '--base-url'" in r.stderr, "  nor takes their flags", r.stderr)
    bad = os.path.join(empty, "bad.geojson")
    with open(bad, "w") as f:
        f.write('{"type":"FeatureCollection","features":[')
    r = here("--db", "sqlite:" + os.path.join(work, "g.db"), "import", "regions", bad, "--level", "powiat")
    ok(r.returncode == 3 and "bad.geojson: invalid JSON at line 1, column 40" in r.stderr,
       "  a broken one: exit 3, the line and column of the JSON error", r.stderr)


def directory_db(work, name):
    """A migrated database with the reference data and the demo directory: its --db URL."""
    url = "sqlite:" + os.path.join(work, name)
    for args in (["db", "migrate"], ["import", "reference", "data"],
                 ["import", "organisations", "data/demo/organisations.csv"],
                 ["import", "clusters", "data/demo/clusters.csv"], ["import", "members", "data/demo/members.csv"]):
        r = kl("--db", url, *args)
        if r.returncode != 0:
            raise RuntimeError("%s: %s" % (" ".join(args), r.stderr))
    return url


def test_export_reimport(work):
    """Every export writes the import format: written to a file or to standard output, imported
    again it changes nothing."""
    db = directory_db(work, "exp.db")
    for what, n in (("organisations", 91), ("clusters", 6), ("members", 93)):
        path = os.path.join(work, "exp-%s.csv" % what)
        r = kl("--db", db, "export", what, "-o", path)
        ok(r.returncode == 0 and os.path.exists(path), "export %s -o FILE: exit 0, the file written" % what,
           (r.returncode, r.stderr))
        r2 = kl("--db", db, "export", what)
        ok(r2.returncode == 0 and r2.stdout.count("\n") == n + 1,
           "export %s to standard output: the header and %d rows" % (what, n), (r2.returncode, r2.stderr))
        r = kl("--db", db, "import", what, path)
        ok(r.returncode == 0 and "%d rows: 0 inserted, 0 updated, %d unchanged, 0 skipped" % (n, n) in r.stdout,
           "  imported again: every row unchanged", (r.returncode, r.stdout, r.stderr))



def test_coordinator_from_members(work):
    """Clusters imported without a coordinator take one from a member imported with the role
    'coordinator': the clusters exported then and imported again are unchanged, not 'updated'."""
    db = "sqlite:" + os.path.join(work, "coord.db")
    for args in (["db", "migrate"], ["import", "reference", "data"],
                 ["import", "organisations", "data/demo/organisations.csv"]):
        r = kl("--db", db, *args)
        if r.returncode != 0:
            raise RuntimeError("%s: %s" % (" ".join(args), r.stderr))
    with open(os.path.join(ROOT, "data/demo/clusters.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("coordinator")
    for row in rows[1:]:
        row[col] = ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    r = import_file(work, db, "clusters", "coord-clusters.csv", out.getvalue())
    ok(r.returncode == 0 and "6 rows: 6 inserted" in r.stdout, "clusters without a coordinator imported",
       (r.stdout, r.stderr))
    r = kl("--db", db, "import", "members", "data/demo/members.csv")
    ok(r.returncode == 0, "members with a coordinator each imported", r.stderr)
    path = os.path.join(work, "coord-export.csv")
    r = kl("--db", db, "export", "clusters", "-o", path)
    with open(path, encoding="utf-8") as f:
        exported = list(csv.DictReader(f))
    ok(r.returncode == 0 and len(exported) == 6 and all(c["coordinator"] for c in exported),
       "  the export names each cluster's coordinator, set by the members' role", exported[:1])
    r = kl("--db", db, "import", "clusters", path)
    ok(r.returncode == 0 and "6 rows: 0 inserted, 0 updated, 6 unchanged, 0 skipped" in r.stdout,
       "  that export imported again: every cluster unchanged", (r.returncode, r.stdout, r.stderr))

ORG_HEADER = ("name,type,size_class,nip,regon,krs,pkd,pkd_version,street,postal_code,city,teryt,lat,lon,website,"
              "email,phone,description_pl,description_en,demo\n")


def import_file(work, db, what, name, text, *opts):
    """Writes text (str or bytes) to name in work and imports it: the CompletedProcess."""
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
    return kl("--db", db, "import", what, path, *opts)


def count_orgs(db):
    r = kl("--db", db, "export", "organisations")
    return r.stdout.count("\n") - 1


def test_match_by_name(work):
    """A row without NIP and REGON is matched by name and postal code only to an organisation that has
    neither: one that has a NIP or REGON is not replaced by it (its numbers erased), the row is refused
    saying so; and two organisations of one name, one with a NIP, export and import again unchanged."""
    db = directory_db(work, "byname.db")
    before = kl("--db", db, "export", "organisations").stdout
    r = import_file(work, db, "organisations", "byname.csv",
                    "name,type,postal_code\nPrecyzmet Zakłady Lotnicze S.A.,ngo,35-105\n")
    ok(r.returncode == 3 and "byname.csv:2: column nip: organisation #" in r.stderr
       and "has this name and postal code and a NIP or REGON: give its NIP or REGON" in r.stderr,
       "a row without NIP naming an organisation that has one: refused, saying to give its NIP",
       (r.returncode, r.stderr))
    ok(kl("--db", db, "export", "organisations").stdout == before, "  the organisation keeps its NIP, REGON, KRS")
    r = import_file(work, db, "organisations", "twins.csv",
                    "name,type,nip\nBliźniak Sp. z o.o.,ngo,\nBliźniak Sp. z o.o.,ngo,5260250274\n")
    ok(r.returncode == 0 and "2 rows: 2 inserted" in r.stdout, "two organisations of one name, one with a NIP",
       (r.returncode, r.stdout, r.stderr))
    path = os.path.join(work, "twins-export.csv")
    r = kl("--db", db, "export", "organisations", "-o", path)
    r = kl("--db", db, "import", "organisations", path)
    ok(r.returncode == 0 and "93 rows: 0 inserted, 0 updated, 93 unchanged, 0 skipped" in r.stdout,
       "  exported and imported again: every row unchanged", (r.returncode, r.stdout, r.stderr))
    r = import_file(work, db, "organisations", "twins2.csv", "name,type\nBliźniak Sp. z o.o.,ngo\n")
    ok(r.returncode == 0 and "1 row: 0 inserted, 0 updated, 1 unchanged" in r.stdout,
       "  the row without NIP is the organisation without one", (r.returncode, r.stdout, r.stderr))


def test_import_header(work):
    """A header the import cannot take says what is most likely wrong, in one line: columns
    separated by semicolons or tabs (a spreadsheet's "CSV" in a Polish locale), a known name in
    another case or with spaces, a nameless column, a second byte-order mark; nothing is written."""
    db = directory_db(work, "header.db")
    before = count_orgs(db)
    for what, text, want in (
            ("organisations", "name;type\nFirma;ngo\n",
             "hdr.csv:1: unknown column 'name;type': the columns are separated by semicolons, not by commas"),
            ("members", "cluster;organisation\nKLPS;8133607277\n", "separated by semicolons, not by commas"),
            ("organisations", "name\ttype\nFirma\tngo\n",
             "hdr.csv:1: unknown column 'name\\ttype': the columns are separated by tabs"),
            ("organisations", "Name,Type\nFirma,ngo\n", "unknown column 'Name': did you mean 'name'?"),
            ("clusters", " acronym ,name\nAB,Klaster\n", "unknown column ' acronym ': did you mean 'acronym'?"),
            ("organisations", "name,type,\nFirma,ngo,\n", "column 3 of the header has no name"),
            ("organisations", "\ufeff\ufeffname,type\nFirma,ngo\n", "unknown column '\\uFEFFname' (known: name, type"),
            ("organisations", "colour,name,type\nred,Firma,ngo\n", "unknown column 'colour' (known: name, type")):
        r = import_file(work, db, what, "hdr.csv", text)
        lines = r.stderr.splitlines()
        ok(r.returncode == 3 and len(lines) == 1 and want in lines[0] and "\t" not in lines[0],
           "import %s with header %r: exit 3, %r" % (what, text.split("\n")[0], want), (r.returncode, r.stderr))
    ok(count_orgs(db) == before, "  nothing written", count_orgs(db))


def test_import_text(work):
    """A name, street, city or acronym is one line of text and a description has lines: a control
    character (ESC, BEL, a line break in a name, a C1 control) is refused with the line, the column
    and the character, and nothing is written."""
    db = directory_db(work, "text.db")
    before = count_orgs(db)
    for value, col, cc in (("Firma\x1b[31m", "name", "U+001B"), ('"Firma\nDruga"', "name", "U+000A"),
                           ("Firma\tX", "name", "U+0009"), ("Firma\x01", "name", "U+0001"),
                           ("Firma\u0085X", "name", "U+0085")):
        r = import_file(work, db, "organisations", "ctl.csv", ORG_HEADER + "%s,ngo,,,,,,,,,,,,,,,,,,\n" % value)
        ok(r.returncode == 3 and "ctl.csv:2: column %s: holds a control character (%s)" % (col, cc) in r.stderr,
           "a name with %s: exit 3 naming the line, column and character" % cc, (r.returncode, r.stderr))
    for street in ("ul. Długa 1\x07", "ul.\x7fDługa"):
        r = import_file(work, db, "organisations", "ctl.csv", ORG_HEADER + "Firma,ngo,,,,,,,%s,,,,,,,,,,,\n" % street)
        ok(r.returncode == 3 and "ctl.csv:2: column street: holds a control character" in r.stderr,
           "a street with a control character: refused", (r.returncode, r.stderr))
    r = import_file(work, db, "organisations", "ctl.csv",
                    ORG_HEADER + 'Firma,ngo,,,,,,,,,,,,,,,,"a\r\nb\x1b[2J",,\n')
    ok(r.returncode == 3 and "ctl.csv:2: column description_pl: holds a control character (U+001B)" in r.stderr,
       "a description with ESC: refused", (r.returncode, r.stderr))
    r = import_file(work, db, "clusters", "ctl.csv", "acronym,name\nAB\x1bC,Klaster\n")
    ok(r.returncode == 3 and "ctl.csv:2: column acronym: holds a control character (U+001B)" in r.stderr,
       "an acronym with ESC: refused", (r.returncode, r.stderr))
    ok(count_orgs(db) == before, "  nothing written", count_orgs(db))
    r = import_file(work, db, "organisations", "ctl.csv",
                    ORG_HEADER + 'Firma Tekst,ngo,,,,,,,,,,,,,,,,"a\r\nb\tc",,\n')
    ok(r.returncode == 0 and "1 inserted" in r.stdout, "a description's line breaks and tabs are kept",
       (r.returncode, r.stderr))


def test_import_numbers(work):
    """NIP, REGON and KRS: a row whose NIP is one organisation's and whose REGON another's is
    refused naming the column and both organisations (not the database's uniqueness message),
    and the file writes nothing."""
    db = directory_db(work, "numbers.db")
    r = kl("--db", db, "export", "organisations")
    first, second = list(csv.DictReader(io.StringIO(r.stdout)))[:2]
    row = "Zmieszana,ngo,,%s,%s,,,,,,,,,,,,,,,\n" % (first["nip"], second["regon"])
    good = "Nowa Fundacja,ngo,,5260250274,,,,,,,,,,,,,,,,\n"
    r = import_file(work, db, "organisations", "mix.csv", ORG_HEADER + good + row)
    ok(r.returncode == 3 and ("mix.csv:3: column regon: REGON %s is another organisation's" % second["regon"])
       in r.stderr and second["name"] in r.stderr and "UNIQUE" not in r.stderr,
       "a NIP of one organisation with the REGON of another: exit 3, line, column and both named",
       (r.returncode, r.stderr))
    r2 = kl("--db", db, "export", "organisations")
    ok("5260250274" not in r2.stdout and first["name"] in r2.stdout, "  nothing written", r2.stdout[:300])
    r = import_file(work, db, "organisations", "mix.csv", ORG_HEADER + good + row, "--skip-invalid")
    ok(r.returncode == 0 and "2 rows: 1 inserted, 0 updated, 0 unchanged, 1 skipped" in r.stdout and
       "mix.csv:3: skipped: column regon:" in r.stderr, "  --skip-invalid: that row skipped, the other written",
       (r.returncode, r.stdout, r.stderr))


def test_command_options(work):
    """The options of the directory's commands: --output is -o spelt out (both given is the option
    twice, not an unknown one), and contradicting flags are a usage error."""
    db = directory_db(work, "opts.db")
    a, b = os.path.join(work, "o-a.csv"), os.path.join(work, "o-b.csv")
    for what in ("organisations", "clusters", "members"):
        one_line_usage_error(kl("--db", db, "export", what, "-o", a, "--output", b),
                             ["--output is given twice (also as -o)"], "export %s -o A --output B: the option twice" % what)
        ok(not os.path.exists(a) and not os.path.exists(b), "  nothing written")
        r = kl("--db", db, "export", what, "--output", b)
        ok(r.returncode == 0 and os.path.exists(b), "export %s --output FILE alone: written" % what, r.stderr)
        os.unlink(b)
    good = os.path.join(work, "o-good.csv")
    with open(good, "w") as f:
        f.write(ORG_HEADER + "Nowa Fundacja,ngo,,5260250274,,,,,,,,,,,,,,,,\n")
    for flags in (["--progress", "--no-progress"], ["--no-progress", "--progress"]):
        one_line_usage_error(kl("--db", db, "import", "organisations", good, *flags),
                             ["--progress and --no-progress contradict each other"],
                             "import organisations %s: a usage error" % " ".join(flags))
    r = kl("--db", db, "export", "organisations")
    ok("5260250274" not in r.stdout, "  nothing imported", r.stderr)


PASSWORD = "correct horse battery staple"


def users_of(db):
    """app_user's (email, role, org_id, cluster_id) rows, by e-mail."""
    import sqlite3
    con = sqlite3.connect(db[len("sqlite:"):])
    try:
        return {r[0]: r[1:] for r in con.execute("SELECT email, role, org_id, cluster_id FROM app_user")}
    finally:
        con.close()


def user_id(db, email):
    import sqlite3
    con = sqlite3.connect(db[len("sqlite:"):])
    try:
        return con.execute("SELECT id FROM app_user WHERE email = ?", (email,)).fetchone()[0]
    finally:
        con.close()


def test_user_add(work):
    """user add: --org is an editor's and --cluster a coordinator's, so either with another role
    (the default role is admin) is a usage error that makes no account, as is an editor without
    --org or a coordinator without --cluster."""
    db = directory_db(work, "users.db")
    env = {"KLASTER_PASSWORD": PASSWORD}
    for args, words in (
            (["--org", "8133607277"], ["--org is the organisation of an editor", "--role editor", "admin by default"]),
            (["--role", "admin", "--org", "8133607277"], ["--org is the organisation of an editor"]),
            (["--role", "user", "--cluster", "BKM"], ["--cluster is the cluster of a coordinator"]),
            (["--cluster", "BKM"], ["--cluster is the cluster of a coordinator", "admin by default"]),
            (["--role", "editor", "--org", "8133607277", "--cluster", "BKM"], ["--cluster is the cluster of a coordinator"]),
            (["--role", "editor"], ["--role editor needs --org"]),
            (["--role", "coordinator"], ["--role coordinator needs --cluster"])):
        one_line_usage_error(kl("--db", db, "user", "add", "who@example.org", *args, env=env), words,
                             "user add %s: a usage error" % " ".join(args))
    for name, words in (("Ewa\x1b[2J\nAdmin", ["--name holds a control character (U+001B)"]),
                        ("Ewa\tNowak", ["--name holds a control character (U+0009)"]),
                        ("Ewa\u0085Nowak", ["--name holds a control character (U+0085)"]),
                        ("x" * 201, ["--name: at most 200 characters"])):
        one_line_usage_error(kl("--db", db, "user", "add", "who@example.org", "--role", "user", "--name", name, env=env),
                             words, "user add --name %r: a usage error" % name[:20])
    ok(users_of(db) == {}, "  no account made", users_of(db))
    r = kl("--db", db, "user", "add", "ed@example.org", "--role", "editor", "--org", "8133607277", env=env)
    ok(r.returncode == 0 and users_of(db)["ed@example.org"][0] == "editor" and users_of(db)["ed@example.org"][1],
       "user add --role editor --org NIP: an editor of that organisation", (r.returncode, r.stderr))
    r = kl("--db", db, "user", "add", "co@example.org", "--role", "coordinator", "--cluster", "bkm", env=env)
    ok(r.returncode == 0 and users_of(db)["co@example.org"][0] == "coordinator" and users_of(db)["co@example.org"][2],
       "user add --role coordinator --cluster ACRONYM: a coordinator of that cluster", (r.returncode, r.stderr))
    r = kl("--db", db, "audit", "--action", "user-add")
    entries = {row["object_id"]: row["detail"] for row in csv.DictReader(io.StringIO(r.stdout))}
    u = users_of(db)
    ok(r.returncode == 0 and len(entries) == 2 and "editor org=%d" % u["ed@example.org"][1] in entries.values() and
       "coordinator cluster=%d" % u["co@example.org"][2] in entries.values(),
       "  the audit log names the role and its organisation or cluster", (r.stdout, r.stderr))
    r = kl("--db", db, "user", "add", "adm@example.org", env=env)
    ok(r.returncode == 0, "user add: an administrator", r.stderr)
    one_line_usage_error(kl("--db", db, "user", "token", "adm@example.org", "--label", "a\nforged line"),
                         ["--label must be one line"], "user token --label with a line break: a usage error")
    r = kl("--db", db, "user", "token", "adm@example.org", "--label", "nightly sync")
    a = kl("--db", db, "audit", "--action", "token-add")
    rows = list(csv.DictReader(io.StringIO(a.stdout)))
    ok(r.returncode == 0 and len(rows) == 1 and rows[0]["detail"] == "nightly sync" and rows[0]["ip"] == "cli" and
       rows[0]["object_id"] == str(user_id(db, "adm@example.org")),
       "user token: the token issued is in the audit log, once, with its label", (r.stderr, a.stdout))


def test_import_offers_once(work):
    """import offers|services: an entry is its organisation's title, so a second row of the same
    organisation and title is refused naming both lines (it overwrote the first unseen), and the
    file writes nothing."""
    db = directory_db(work, "offers.db")
    head = "organisation,kind,title,description,valid_from,valid_until,contact_name,contact_email\n"
    row = ("8138496581,subcontracting,Obróbka tytanu na zamówienie,%s,2026-01-01,2027-12-31,Jan Nowak,"
           "jan@example.org\n")
    other = ("8138496581,subcontracting,Spawanie aluminium,Spawanie TIG elementów z aluminium,2026-01-01,"
             "2027-12-31,Jan Nowak,jan@example.org\n")
    text = head + row % "Pierwszy opis oferty obróbki tytanu" + other + row % "Drugi opis oferty obróbki tytanu"
    r = import_file(work, db, "offers", "dup-offers.csv", text)
    ok(r.returncode == 3 and "dup-offers.csv:4: the same organisation and title as line 2: give each offer once"
       in r.stderr, "import offers: the same organisation and title twice: exit 3 naming both lines",
       (r.returncode, r.stdout, r.stderr))
    r = import_file(work, db, "offers", "one-offer.csv", head + other)
    ok(r.returncode == 0 and "1 row: 1 inserted" in r.stdout, "  nothing of it written (the other entry is new)",
       (r.returncode, r.stdout, r.stderr))
    shead = "organisation,category,title,description,price_model,contact_name,contact_email\n"
    srow = "6752703670,training,Szkolenia z RODO,Warsztaty z ochrony danych %s,quote,Ewa Nowak,ewa@example.org\n"
    r = import_file(work, db, "services", "dup-services.csv", shead + srow % "raz" + srow % "dwa")
    ok(r.returncode == 3 and "dup-services.csv:3: the same organisation and title as line 2: give each service once"
       in r.stderr, "import services: the same organisation and title twice: exit 3", (r.returncode, r.stderr))


def test_import_pkd(work):
    """import pkd FILE: a code must be one of its row's level, written as GUS writes it, and a short
    row is named as such; a refused file loads nothing."""
    db = directory_db(work, "pkd.db")
    head = "version,level,code,parent,name_pl,name_en\n"
    good = "2007,group,62.0,62,Działalność związana z oprogramowaniem,Software\n"
    for row, words in (("2007,division,XYZ,J,Zła,Bad\n", ["pkd-bad.csv:3: column code: 'XYZ' is not a PKD division code"]),
                       ("2007,division,62.01,J,Zła,Bad\n", ["pkd-bad.csv:3: column code: '62.01' is not a PKD division"]),
                       ("2007,class,62.01.Z,62.0,Zła,Bad\n", ["pkd-bad.csv:3: column code: '62.01.Z' is not a PKD class"]),
                       ("2007,division\n", ["pkd-bad.csv:3: has 2 fields, the header has 6"]),
                       ("2007,division,63,J,,Bad\n", ["pkd-bad.csv:3: column name_pl: empty"]),
                       ("2007,division," + "ł" * 41 + ",J,Zła,Bad\n",   # cut on a character, with an ellipsis
                        ["pkd-bad.csv:3: column code: '" + "ł" * 18 + "\u2026' is not a PKD division"])):
        r = import_file(work, db, "pkd", "pkd-bad.csv", head + good + row)
        ok(r.returncode == 3 and all(w in r.stderr for w in words) and "sqlite" not in r.stderr,
           "import pkd %r: exit 3 naming the line and column" % row.strip(), (r.returncode, r.stderr))
    r = kl("--db", db, "export", "organisations", "--pkd", "62.0")
    ok(r.returncode == 0, "  the group loaded before stays as it was (the file was refused whole)", r.stderr)


def main():
    work = workdir("klaster-cli.")
    test_database_message()
    test_help_words()
    test_global_options(work)
    test_options_before_database(work)
    test_subcommand_help()
    test_export_reimport(work)
    test_coordinator_from_members(work)
    test_import_header(work)
    test_match_by_name(work)
    test_import_text(work)
    test_import_numbers(work)
    test_command_options(work)
    test_user_add(work)
    test_import_offers_once(work)
    test_import_pkd(work)
    return TAP.done()


if __name__ == "__main__":
    sys.exit(main())
