#!/usr/bin/env python3
"""The README's command lines run as written: every `build/klaster …` and
`build/klaster-map …` line of its "Using it" block that needs no server
(the database ones on a fresh SQLite file, the map ones on the files the
sources ship), each in a scratch directory the results go to.  A README
that names a file the sources do not have, or an option a command does not
take, fails here.  Prints TAP."""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import ROOT, BIN, Tap  # noqa: E402

TAP = Tap()
ok = TAP.ok


# the words the README's forms leave for the reader to fill in
PLACEHOLDERS = {"STATS.csv", "NAME"}


def readme_commands():
    """The commands of the README's first ```sh block after "## Using it", joined over
    backslash continuations, comments dropped."""
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    start = text.index("## Using it")
    block = re.search(r"```sh\n(.*?)```", text[start:], re.S).group(1)
    cmds, cur = [], ""
    for line in block.splitlines():
        line = re.sub(r"\s+#.*$", "", line) if not line.lstrip().startswith("#") else ""
        if line.rstrip().endswith("\\"):
            cur += line.rstrip()[:-1] + " "
            continue
        cur += line
        if cur.strip():
            cmds.append(cur.strip())
        cur = ""
    return cmds


def main():
    work = tempfile.mkdtemp(prefix="klaster-readme.")
    db = os.path.join(work, "my.db")
    cmds = readme_commands()
    ok(len(cmds) >= 10, "the README's block has its commands (%d)" % len(cmds))
    ran = 0
    skipped = []
    for cmd in cmds:
        argv = shlex.split(cmd)
        if argv[0] not in ("build/klaster", "build/klaster-map") or "serve" in argv or "--help" in argv:
            continue   # the server and the help are tested elsewhere
        if any(a in PLACEHOLDERS for a in argv[1:]):
            # a form for the reader to fill in: the files it names must be there all the same
            files = [a for a in argv[1:] if re.match(r"^(data|tests)/", a)]
            ok(all(os.path.exists(os.path.join(ROOT, f)) for f in files),
               "README (a form to fill in): the files it names exist: %s" % cmd[:90], files)
            skipped.append(cmd)
            continue
        binary = BIN if argv[0] == "build/klaster" else os.path.join(os.path.dirname(BIN), "klaster-map")
        env = None
        if argv[0] == "build/klaster-map":
            # a klaster-map line shows what it does alone: a copy with no klaster beside it or on
            # PATH, so that a command it would hand over to klaster fails here
            alone = os.path.join(work, "alone")
            os.makedirs(alone, exist_ok=True)
            shutil.copy(binary, os.path.join(alone, "klaster-map"))
            binary = os.path.join(alone, "klaster-map")
            env = dict(os.environ, PATH=alone)
        args = []
        for a in argv[1:]:
            if a.startswith("sqlite:"):
                a = "sqlite:" + db
            elif re.match(r"^[\w.-]+\.(csv|xlsx|png|svg|pdf|json|geojson)$", a) and not os.path.exists(os.path.join(ROOT, a)):
                a = os.path.join(work, a)   # a result: into the scratch directory
            elif a == "data" or re.match(r"^(data|tests)/", a):
                a = os.path.join(ROOT, a)
            args.append(a)
        out = args[args.index("-o") + 1] if "-o" in args else None
        if out:
            try:
                os.remove(out)
            except OSError:
                pass
        r = subprocess.run([binary] + args, cwd=work, capture_output=True, text=True, timeout=300, env=env)
        ok(r.returncode == 0 and (not out or os.path.getsize(out) > 0), "README: %s" % cmd[:110],
           r.stderr[-600:])
        ran += 1
    # every command ran but the server, the help and the three forms with placeholders (import stats,
    # dataset show and dataset delete of a NAME)
    ok(len(skipped) == 3 and ran == sum(1 for c in cmds if c.startswith("build/")) - 3 - sum(
        1 for c in cmds if " serve" in c or "--help" in c), "the README's commands ran (%d, %d forms)" % (ran, len(skipped)),
       skipped)
    shutil.rmtree(work, ignore_errors=True)
    return TAP.done()


if __name__ == "__main__":
    sys.exit(main())
