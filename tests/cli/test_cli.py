#!/usr/bin/env python3
"""The klaster command line itself: `klaster COMMAND SUB --help` describing
that sub-command alone.  Prints TAP."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import ROOT, BIN, Tap  # noqa: E402

TAP = Tap()
ok = TAP.ok

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


def kl(*args, env=None):
    e = dict(os.environ)
    for k in [k for k in e if k.startswith("KLASTER_")]:
        del e[k]   # the settings of whoever runs the tests do not count
    e.update(env or {})
    return subprocess.run([BIN] + list(args), cwd=ROOT, capture_output=True, text=True, timeout=120, env=e)


def form_lines(text, cmd):
    """The usage forms at the start of text: the lines that start 'usage: klaster CMD ' or
    '       CMD ' ('       klaster CMD ' in the usage of one sub-command); a form's following
    lines start with spaces and a bracket."""
    block = text.split("\n\n", 1)[0]
    return [ln for ln in block.splitlines() if re.match(r"^(usage: klaster |       (klaster )?)%s " % re.escape(cmd), ln)]


def form_sub(form):
    """The sub-commands a form is for: the word after the command, split at '|'."""
    return re.match(r"^(?:usage: klaster |       (?:klaster )?)\S+ (\S+)", form).group(1).split("|")


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
    for args in (["import", "stats", "-h"], ["help", "import", "stats"], ["--db", "x.db", "import", "stats", "--help"],
                 ["import", "stats", "s.csv", "--dataset", "d", "--help"]):
        r = kl(*args)
        ok(r.returncode == 0 and r.stdout == want, "klaster %s: as import stats --help" % " ".join(args),
           r.stdout[:600] + r.stderr)
    ok("import firms" not in want and "import organisations" not in want,
       "import stats --help names no other import command", want)
    r = kl("import", "firms", "--help")
    ok("import stats" not in r.stdout and "--industry-names CODES.csv" in r.stdout,
       "import firms --help: its usage, every line of it, and no other import command", r.stdout)
    # a sub-command the command does not have: the command's whole usage, as map does
    r = kl("import", "sideways", "--help")
    ok(r.returncode == 0 and len(form_lines(r.stdout, "import")) == len(form_lines(kl("import", "--help").stdout,
                                                                                   "import")),
       "import sideways --help: every import form", r.stdout[:600])


def main():
    test_subcommand_help()
    return TAP.done()


if __name__ == "__main__":
    sys.exit(main())
