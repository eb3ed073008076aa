#!/usr/bin/env python3
"""`klaster import stats|firms` and `klaster dataset list` on a database: what
the coordinator gives besides the file (title, source, licence) is checked
before the file is read, and nothing is stored when it is refused; the
source and licence are shown by `dataset show` and `dataset list`; `import
stats --progress|--no-progress` as the other imports take them.  Prints TAP."""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import ROOT, BIN, Tap, run_tty  # noqa: E402

TAP = Tap()
ok = TAP.ok


def kl(db, *args):
    return subprocess.run([BIN, "--db", db] + list(args), cwd=ROOT, capture_output=True, timeout=120)


def main():
    work = tempfile.mkdtemp(prefix="klaster-datasets.")
    db = "sqlite:" + os.path.join(work, "ds.db")
    r = kl(db, "db", "migrate")
    ok(r.returncode == 0, "db migrate", r.stderr)
    stats = os.path.join(work, "s.csv")
    with open(stats, "w") as f:
        f.write("region,industry,employment\n02,C,10\n04,C,20\n02,G,5\n04,G,7\n")
    firms = os.path.join(work, "f.csv")
    with open(firms, "w") as f:
        f.write("id,name,industry,lat,lon\n1,A,C,52.1,21.0\n2,B,C,52.2,21.1\n")
    r = kl(db, "import", "stats", stats, "--dataset", "good", "--title", "Good <b> & \"x\"")
    ok(r.returncode == 0, "import stats: a title with markup is text (escaped where shown)", r.stderr)

    # 1. a title or source that is not one line of UTF-8 text: exit 2, nothing stored.  A new
    # line in a title forged a line of `dataset list` (tab-separated, one a line), a tab a
    # field; bytes that are not UTF-8 went into the database as they were
    for opt, val, words in [
        ("--title", b"one\nstats\tfake\t1 region\tX", [b"--title", b"control character (U+000A)"]),
        ("--title", b"a\tb", [b"--title", b"(U+0009)"]),
        ("--source", b"\x1b[31mred", [b"--source", b"(U+001B)"]),
        ("--title", b"Gda\xf1sk", [b"--title is not UTF-8"]),
        ("--source", b"\xc2\x85next", [b"--source", b"(U+0085)"]),
        ("--licence", b"CC BY\n4.0", [b"--licence", b"(U+000A)"]),
        ("--license", b"CC\tBY", [b"--license", b"(U+0009)"]),
        ("--licence", b"Licencja \xb3", [b"--licence is not UTF-8"]),
        ("--title", b"", [b"--title is empty"]),
    ]:
        for kind, path in (("stats", stats), ("firms", firms)):
            r = kl(db, "import", kind, path, "--dataset", "bad", opt, val)
            ok(r.returncode == 2 and all(w in r.stderr for w in words) and not r.stdout,
               "import %s %s %r: exit 2 naming the option and why" % (kind, opt, val), r.stderr + r.stdout)
    r = kl(db, "dataset", "list")
    lines = r.stdout.decode().splitlines()
    ok(r.returncode == 0 and len(lines) == 1 and lines[0].split("\t")[:2] == ["stats", "good"] and
       lines[0].split("\t")[3:] == ['Good <b> & "x"', "-", "-"],
       "dataset list: one line of six fields per dataset (no source, no licence: '-'), nothing of the refused",
       r.stdout)
    r = kl(db, "dataset", "show", "good")
    facts = dict(l.split("\t", 1) for l in r.stdout.decode().splitlines()) if r.returncode == 0 else {}
    ok(facts == {"name": "good", "title": 'Good <b> & "x"', "source": "-", "licence": "-", "region kind": "teryt",
                 "regions": "2 (02 to 04)", "industries": "2 (0 named)", "years": "one period, no year column",
                 "cells with a value": "4 of 4", "establishments": "no",
                 "reference economy": "no (the reference is the sum of the regions)", "traded flags": "no"},
       "dataset show: what the dataset holds, one fact a line", r.stdout)
    one = os.path.join(work, "one-year.csv")
    with open(one, "w") as f:
        f.write("region,industry,year,employment\n02,C,2015,10\n04,C,2015,20\n02,G,2015,5\n04,G,2015,7\n")
    r = kl(db, "import", "stats", one, "--dataset", "one-year")
    r = kl(db, "dataset", "show", "one-year")
    ok(r.returncode == 0 and b"\nyears\t1 (2015)\n" in r.stdout, "dataset show of one year: '1 (2015)'", r.stdout)
    r = kl(db, "dataset", "delete", "one-year")
    r = kl(db, "dataset", "show", "none-such")
    ok(r.returncode == 4 and b"there is no statistics dataset 'none-such'" in r.stderr, "dataset show of no dataset: exit 4",
       r.stderr)
    r = kl(db, "dataset", "show", "Bad Name")
    ok(r.returncode == 2 and b"is not a dataset name" in r.stderr, "dataset show of an impossible name: exit 2", r.stderr)
    # 2. a reference economy whose every value for the data is unknown: the reason is said (not
    # "the data has no year column" of a reference without years), with the first industry and
    # line, and the stored dataset stays as it was
    ref = os.path.join(work, "ref.csv")
    with open(ref, "w") as f:
        f.write("industry,employment\nC,:\nG,c\n")
    for what, cmd in (("map indicators", [BIN, "map", "indicators", stats]),
                      ("import stats", [BIN, "--db", db, "import", "stats", stats, "--dataset", "good"])):
        r = subprocess.run(cmd + ["--reference", ref], cwd=ROOT, capture_output=True, text=True, timeout=120)
        ok(r.returncode == 3 and "ref.csv: the reference economy has no known value for any industry of the data:"
           in r.stderr and "first: C, line 2" in r.stderr and "year column" not in r.stderr,
           "%s --reference of unknown values only: the reason, the first industry and its line" % what,
           r.stderr)
    xwalk = os.path.join(work, "xw.csv")
    with open(xwalk, "w") as f:
        f.write("industry,cluster\nC,ELEC\nD,ELEC\nG,TRADE\n")
    with open(ref, "w") as f:
        f.write("industry,employment\nC,1000\nD,:\n")
    r = subprocess.run([BIN, "map", "indicators", stats, "--crosswalk", xwalk, "--reference", ref], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    ok(r.returncode == 3 and "no known value for any industry of the data" in r.stderr and
       "first: ELEC, line 2" in r.stderr and "year column" not in r.stderr,
       "map indicators --crosswalk: a cluster left unknown by one code is said so", r.stderr)
    r = kl(db, "dataset", "list")
    ok(r.stdout.decode().split("\t")[:3] == ["stats", "good", "2 regions x 2 industries x 1 year"],
       "the refused import left the stored dataset", r.stdout)
    # 3. a name beginning with '-' reads as an option: `dataset delete -a` could not delete it
    for kind, path in (("stats", stats), ("firms", firms)):
        r = kl(db, "import", kind, path, "--dataset", "-a")
        ok(r.returncode == 2 and b"not beginning with '-'" in r.stderr and not r.stdout,
           "import %s --dataset -a: exit 2, a name that the command line reads as an option" % kind, r.stderr)
    # an option given without its value (--dataset --title T): named as such, not as not given
    for args, words in [(["import", "stats", stats, "--dataset", "--title", "T"], b"--dataset needs a value"),
                        (["import", "firms", firms, "--dataset"], b"--dataset needs a value"),
                        (["import", "regions", stats, "--level", "--x"], b"--level needs a value"),
                        (["import", "stats", stats], b"import stats needs --dataset NAME")]:
        r = kl(db, *args)
        ok(r.returncode == 2 and words in r.stderr and not r.stdout, "%s: exit 2, %s" % (" ".join(args[:2] + args[3:]),
           words.decode()), r.stderr)
    r = kl(db, "import", "stats", stats, "--dataset", "a-")
    ok(r.returncode == 0, "import stats --dataset a-: '-' inside or at the end is a name", r.stderr)
    r = kl(db, "dataset", "delete", "a-")
    ok(r.returncode == 0, "dataset delete a-", r.stderr)
    r = kl(db, "dataset", "list")
    ok(b"\t-a\t" not in r.stdout and b"\ta-\t" not in r.stdout, "nothing stored under -a, a- deleted", r.stdout)
    r = kl(db, "import", "firms", firms, "--dataset", "ok", "--source", "")
    ok(r.returncode == 0 and b"replacing" not in r.stderr, "import firms --source '': no source, as without it",
       r.stderr)
    r = kl(db, "import", "firms", firms, "--dataset", "ok", "--title", "Drugi raz")
    ok(r.returncode == 0 and b'firm list ok: replaced the stored one ("ok")\n' in r.stderr,
       "import firms over a stored list: says it replaces it, as import stats does", r.stderr)
    r = kl(db, "import", "firms", firms, "--dataset", "ok")
    ok(r.returncode == 0 and b'firm list ok: replaced the stored one ("Drugi raz"); without --title its title '
       b'became "ok"\n' in r.stderr, "  naming the title it had, and that it is lost", r.stderr)
    licences(db, work, stats, firms)
    newcomer(work, stats)
    progress(db, work)
    demo_attribution(work)
    # --industry-names - reads standard input, in import firms as in import stats and map
    names = b"code,name\nC,Manufacturing\n"
    for cmd, path in (("firms", firms), ("stats", stats)):
        r = subprocess.run([BIN, "--db", db, "import", cmd, path, "--dataset", "named", "--industry-names", "-"],
                           cwd=ROOT, input=names, capture_output=True, timeout=120)
        ok(r.returncode == 0 and b"No such file" not in r.stderr,
           "import %s --industry-names -: the names from standard input" % cmd, (r.stdout, r.stderr))
    ok(b"industry names from standard input: 1 industry" in
       subprocess.run([BIN, "--db", db, "import", "firms", firms, "--dataset", "named", "--industry-names", "-"],
                      cwd=ROOT, input=names, capture_output=True, timeout=120).stdout,
       "  import firms names it standard input")
    r = subprocess.run([BIN, "--db", db, "import", "firms", firms, "--dataset", "named", "--industry-names", "-"],
                       cwd=ROOT, input=b'code,name\n"C,Manufacturing\n', capture_output=True, timeout=120)
    ok(r.returncode == 3 and r.stderr.startswith(b"klaster: standard input:2: unterminated quoted field"),
       "  a bad names file on standard input: named so, with its line", r.stderr)
    r = subprocess.run([BIN, "--db", db, "import", "firms", "-", "--dataset", "named2", "--industry-names", "-"],
                       cwd=ROOT, input=open(firms, "rb").read(), capture_output=True, timeout=120)
    ok(r.returncode == 2 and b"only one input can be read from standard input" in r.stderr
       and b"named2" not in kl(db, "dataset", "list").stdout,
       "import firms - --industry-names -: a usage error, nothing stored", r.stderr)
    shutil.rmtree(work)
    return TAP.done()


def newcomer(work, stats):
    """What a newcomer following docs/MAPPING.md meets: the regions the portal's map of Europe
    leaves out named at import, a side file that is not there named by its option, a repeated
    cell with the option that adds it."""
    db = "sqlite:" + os.path.join(work, "eu.db")
    kl(db, "db", "migrate")
    r = kl(db, "import", "reference", "data")
    ok(r.returncode == 0, "import reference data", r.stderr)
    sbs = ["import", "stats", "data/stats/eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv", "--region-kind",
           "nuts2013", "--skip-invalid", "--region-length", "4", "--industry-length", "3"]
    r = kl(db, *sbs, "--dataset", "eurostat-sbs-2015-eu")
    ok(r.returncode == 0 and b"dataset eurostat-sbs-2015-eu: 11 of 285 regions have no boundaries on the portal's "
       b"map of Europe (first: ELZZ) \xe2\x80\x94 boundaries changed (no correspondence): NO01, NO03; extra-regio "
       b"(no territory): ELZZ, FRZZ; outside the map's frame: ES70, FRA1" in r.stderr,
       "import stats of Europe's NUTS-2 regions: those the map leaves out, by reason, as map draw names them",
       r.stderr)
    r = kl(db, *sbs, "--dataset", "eu-no", "--region-prefix", "NO")
    ok(r.returncode == 0 and b"2 of 7 regions have no boundaries on the portal's map of Europe (first: NO01)"
       in r.stderr, "  Norway alone: NO01 and NO03, whose boundaries changed", r.stderr)
    r = kl(db, *sbs, "--dataset", "eu-pl", "--region-prefix", "PL")
    ok(r.returncode == 0 and b"no boundaries" not in r.stderr, "  Poland alone: on the voivodeships, no notice",
       r.stderr)
    for opt in ("--reference", "--crosswalk", "--industry-names", "--boundaries"):
        r = kl(db, "import", "stats", stats, "--dataset", "side", opt, os.path.join(work, "nonexist.csv"))
        ok(r.returncode == 1 and (opt + ": cannot open ").encode() in r.stderr and b"nonexist.csv" in r.stderr,
           "import stats %s that is not there: named by its option, as klaster map names it" % opt, r.stderr)
    dup = os.path.join(work, "dup.csv")
    with open(dup, "w") as f:
        f.write("region,industry,year,employment\n02,10,2020,5\n04,10,2020,6\n02,10,2020,7\n")
    r = kl(db, "import", "stats", dup, "--dataset", "dup")
    ok(r.returncode == 3 and r.stderr.endswith(b"dup.csv:4: region 02, industry 10, year 2020 given twice (first at "
                                               b"line 2); --sum adds such rows together\n"),
       "import stats of a repeated cell: --sum named", r.stderr)
    r = kl(db, "import", "stats", dup, "--dataset", "dup", "--sum")
    ok(r.returncode == 0, "  with --sum: stored", r.stderr)
    for binary in (BIN, BIN + "-map"):
        r = subprocess.run([binary, "map", "indicators", dup], cwd=ROOT, capture_output=True, timeout=60)
        ok(r.returncode == 3 and b"given twice (first at line 2); --sum adds such rows together" in r.stderr,
           "%s map indicators of a repeated cell: --sum named" % os.path.basename(binary), r.stderr)


def licences(db, work, stats, firms):
    """--licence (or --license) TEXT: the terms of reuse, stored with the dataset or firm list and
    shown by dataset show and list next to the source; a re-import without it says it is lost."""
    lic = "Otwarte dane GUS: ponowne wykorzystanie z podaniem źródła"
    r = kl(db, "import", "stats", stats, "--dataset", "lic", "--source", "Źródło: GUS BDL", "--licence", lic)
    ok(r.returncode == 0, "import stats --licence", r.stderr)
    r = kl(db, "dataset", "show", "lic")
    ok(r.returncode == 0 and ("\nsource\tŹródło: GUS BDL\nlicence\t%s\n" % lic).encode() in r.stdout,
       "dataset show: the licence after the source", r.stdout)
    r = kl(db, "import", "firms", firms, "--dataset", "lic-firms", "--source", "EU ETS (EUTL)", "--license",
           "CC BY 4.0")
    ok(r.returncode == 0, "import firms --license (the American spelling)", r.stderr)
    lines = {tuple(l.split("\t")[:2]): l.split("\t")[3:] for l in kl(db, "dataset", "list").stdout.decode().splitlines()}
    ok(lines.get(("stats", "lic")) == ["lic", "Źródło: GUS BDL", lic] and
       lines.get(("firms", "lic-firms")) == ["lic-firms", "EU ETS (EUTL)", "CC BY 4.0"],
       "dataset list: title, source and licence of a dataset and of a firm list", lines)
    for kind, path in (("stats", stats), ("firms", firms)):
        r = kl(db, "import", kind, path, "--dataset", "lic-two", "--licence", "A", "--license", "B")
        ok(r.returncode == 2 and b"--licence and --license are one option spelt two ways" in r.stderr and not r.stdout,
           "import %s --licence A --license B: exit 2, give it once" % kind, r.stderr)
    r = kl(db, "import", "stats", stats, "--dataset", "lic", "--source", "Źródło: GUS BDL", "--licence", "a\tb")
    ok(r.returncode == 2 and lic.encode() in kl(db, "dataset", "show", "lic").stdout,
       "a refused --licence leaves the stored dataset's licence", r.stderr)
    r = kl(db, "import", "stats", stats, "--dataset", "lic", "--source", "Źródło: GUS BDL")
    ok(r.returncode == 0 and ('without --licence it has none (it was "%s")' % lic).encode() in r.stderr and
       b"\nlicence\t-\n" in kl(db, "dataset", "show", "lic").stdout,
       "import stats again without --licence: says the licence is lost", r.stderr)
    r = kl(db, "import", "firms", firms, "--dataset", "lic-firms", "--source", "EU ETS (EUTL)")
    ok(r.returncode == 0 and b'without --licence it has none (it was "CC BY 4.0")' in r.stderr,
       "  and import firms", r.stderr)


def progress(db, work):
    """import stats --progress | --no-progress, as import organisations takes them: the progress line
    of a long file on a terminal (as `klaster map` draws it, the default), or none."""
    import random
    rnd = random.Random(5)
    big = os.path.join(work, "progress-stats.csv")
    with open(big, "w") as f:
        f.write("region,industry,employment\n")
        for i in range(120000):
            f.write("%02d,C%02d,%d\n" % (2 + 2 * rnd.randrange(16), 10 + rnd.randrange(20), 1 + rnd.randrange(50)))
    code, text = run_tty([BIN, "--db", db, "import", "stats", big, "--dataset", "big", "--sum", "--progress"])
    ok(code == 0 and "progress-stats.csv [####################] 100% 120000 rows" in text,
       "import stats --progress on a terminal: a progress line ending at 100%", text[-300:])
    code, text = run_tty([BIN, "--db", db, "import", "stats", big, "--dataset", "big", "--sum", "--no-progress"])
    ok(code == 0 and "[#" not in text and "[." not in text and "100%" not in text,
       "import stats --no-progress on a terminal: no progress line", text[-300:])
    r = kl(db, "import", "stats", big, "--dataset", "big", "--sum", "--progress")
    ok(r.returncode == 0 and b"progress-stats.csv [####################] 100% 120000 rows" in r.stderr,
       "import stats --progress with standard error to a pipe (a log): the progress line too", r.stderr[-300:])
    r = kl(db, "import", "stats", big, "--dataset", "big", "--sum")
    ok(r.returncode == 0 and b"100%" not in r.stderr, "without it, none in a pipe", r.stderr[-300:])
    r = kl(db, "import", "stats", big, "--dataset", "big2", "--progress", "--no-progress")
    ok(r.returncode == 2 and b"--progress and --no-progress contradict each other" in r.stderr and
       b"big2" not in kl(db, "dataset", "list").stdout, "import stats --progress --no-progress: exit 2, nothing stored",
       r.stderr)


def demo_recipe_imports():
    """The `import stats` and `import firms` commands of the Makefile's demo-db recipe (what `make
    run` loads), as argument lists after the database option."""
    text = open(os.path.join(ROOT, "Makefile"), encoding="utf-8").read()
    recipe = re.search(r"^demo-db:.*?\n((?:\t.*\n)+)", text, re.M).group(1).replace("\\\n", " ")
    cmds = []
    for line in recipe.splitlines():
        argv = shlex.split(line.strip())
        if len(argv) > 4 and argv[0].endswith("/klaster") and argv[3] == "import" and argv[4] in ("stats", "firms"):
            cmds.append(argv[3:])
    return cmds


def demo_attribution(work):
    """Every dataset and firm list that `make run` loads has its source and its licence, those
    data/README.md gives: GUS open data reuse with attribution, Eurostat's reuse with
    acknowledgement, CC BY 4.0 for the EU ETS list of cedricr/eutl."""
    cmds = demo_recipe_imports()
    ok(len(cmds) == 5, "the demo recipe imports four datasets and a firm list", cmds)
    db = "sqlite:" + os.path.join(work, "demo.db")
    kl(db, "db", "migrate")
    for argv in cmds:
        r = subprocess.run([BIN, "--db", db] + argv, cwd=ROOT, capture_output=True, timeout=300)
        ok(r.returncode == 0, "make run's %s" % " ".join(argv[:4]), r.stderr[-500:])
    r = kl(db, "dataset", "list")
    rows = {l.split("\t")[1]: l.split("\t") for l in r.stdout.decode().splitlines()}
    wants = {"gus-": ("GUS", "Otwarte dane GUS: ponowne wykorzystanie z podaniem źródła"),
             "eurostat-": ("Eurostat", "Eurostat reuse policy: reuse with acknowledgement of the source"),
             "eu-ets-": ("EU Transaction Log via cedricr/eutl", "CC BY 4.0")}
    for argv in cmds:
        name = argv[argv.index("--dataset") + 1]
        row = rows.get(name, [])
        want = next(v for k, v in wants.items() if name.startswith(k))
        ok(len(row) == 6 and want[0] in row[4] and want[1] in row[5],
           "make run's %s: source and licence as data/README.md gives them" % name, row[4:])


if __name__ == "__main__":
    sys.exit(main())
