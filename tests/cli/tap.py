"""Shared helpers of the CLI tests: TAP output, running the klaster binary,
reading its CSV output."""
import atexit
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("KLASTER_BIN") or os.path.join(ROOT, "build", "klaster")


class Tap:
    """Counts checks; ok() prints "ok N - desc" or "not ok N - desc" with
    up to 20 lines of diagnostics."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, desc, why=None):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, desc))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, desc))
            if why is not None:
                for line in str(why).splitlines()[:20]:
                    print("#   " + line)
        sys.stdout.flush()
        return cond

    def done(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0


def workdir(prefix):
    """A scratch directory for one test file, removed when the test ends (a run leaves no
    files behind: some write hundreds of megabytes)."""
    work = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, work, True)
    return work


def run(*args, timeout=300):
    """Runs klaster from the project root; returns CompletedProcess (text)."""
    return subprocess.run([BIN] + list(args), cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def run_tty(argv, cols=0):
    """Runs argv (a list: the program and its arguments) with its standard error on a terminal (a
    pty; cols columns wide when given) and standard output thrown away; returns (exit code, what it
    wrote on the terminal)."""
    import fcntl
    import pty
    import struct
    import termios
    master, slave = pty.openpty()
    if cols:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    p = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            d = os.read(master, 65536)
        except OSError:   # the terminal's other side closed: the program has ended
            break
        if not d:
            break
        chunks.append(d)
    os.close(master)
    return p.wait(timeout=300), b"".join(chunks).decode("utf-8", "replace")
