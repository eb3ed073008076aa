"""Shared helpers of the portal's HTTP tests (tests/http/test_*.py).

TAP output (ok/eq/diag/done), the klaster CLI and servers, a browser-like
client with a cookie jar that reads CSRF tokens from forms (Client), and a
real SMTP server on loopback (SmtpSink, Debian's python3-aiosmtpd) whose
received messages the tests read.

Environment: KLASTER_BIN, KLASTER_TEST_WORK, KLASTER_TEST_PG (see
tests/run.sh).  A test script calls kt.database(backend, name) for a fresh
migrated database and kt.finish() at the end.
"""
import atexit
import email
import email.policy
import http.client
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("KLASTER_BIN") or os.path.join(ROOT, "build", "klaster")
WORK = os.environ.get("KLASTER_TEST_WORK")
if not WORK:   # run alone, not by tests/run.sh (which removes its own): removed at the end
    WORK = tempfile.mkdtemp(prefix="klaster-http.")
    atexit.register(shutil.rmtree, WORK, True)
TIMEOUT = 20

# ---------------------------------------------------------------- TAP

_n = 0
_failed = 0


def diag(msg):
    for line in str(msg).splitlines() or [""]:
        print("# " + line)
    sys.stdout.flush()


def ok(cond, desc, why=None):
    global _n, _failed
    _n += 1
    if cond:
        print("ok %d - %s" % (_n, desc))
    else:
        _failed += 1
        print("not ok %d - %s" % (_n, desc))
        if why is not None:
            diag("  " + str(why)[:1500])
    sys.stdout.flush()
    return bool(cond)


def eq(got, want, desc):
    return ok(got == want, desc, "got %r, want %r" % (got, want))


def section(fn, *args, **kw):
    """Runs one group of checks; an exception is one failure, not the end."""
    try:
        return fn(*args, **kw)
    except Exception:
        import traceback
        ok(False, "%s raised" % fn.__name__, traceback.format_exc())
        return None


def finish():
    print("1..%d" % _n)
    return 1 if _failed else 0


# ---------------------------------------------------------------- processes

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class ClosedPort:
    """A port that refuses connections for as long as the object lives: bound, never listening,
    so no other program (another test run on the machine) can take it and answer there."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]

    def close(self):
        self.sock.close()


def cli(db, *args, env=None, timeout=300, input=None):
    e = dict(os.environ)
    e.pop("KLASTER_DB", None)
    if env:
        e.update(env)
    argv = [BIN] + (["--db", db] if db else []) + list(args)
    return subprocess.run(argv, cwd=ROOT, env=e, capture_output=True, text=True, timeout=timeout, input=input)


def database(backend, name):
    """A fresh, migrated database with the reference and demo data; returns its URL."""
    if backend == "sqlite":
        db = "sqlite:" + os.path.join(WORK, "%s.db" % name)
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(db[7:] + suffix)
            except FileNotFoundError:
                pass
    else:
        if not os.environ.get("KLASTER_TEST_PG"):
            raise RuntimeError("KLASTER_TEST_PG is not set")
        dbname = "klaster_%s_%d_%d" % (re.sub(r"[^a-z0-9]", "_", name), os.getpid(), int(time.time() * 1000) % 100000)
        r = subprocess.run(["sh", "tests/pg.sh", "createdb", os.path.join(WORK, "pg"), dbname], cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError("createdb: " + r.stderr)
        db = r.stdout.strip().splitlines()[-1]
    for step in (["db", "migrate"], ["import", "reference", "data"],
                 ["import", "organisations", "data/demo/organisations.csv"],
                 ["import", "clusters", "data/demo/clusters.csv"],
                 ["import", "members", "data/demo/members.csv"]):
        r = cli(db, *step)
        if r.returncode != 0:
            raise RuntimeError("klaster %s: %s" % (" ".join(step), r.stderr))
    return db


def add_user(db, email_addr, password, role="user", name=None, org=None, cluster=None):
    """Adds an active account through the CLI (roles with their scope)."""
    args = ["user", "add", email_addr, "--role", role]
    if name:
        args += ["--name", name]
    if org is not None:
        args += ["--org", str(org)]
    if cluster is not None:
        args += ["--cluster", str(cluster)]
    r = cli(db, *args, env={"KLASTER_PASSWORD": password})
    if r.returncode != 0:
        raise RuntimeError("user add %s: %s" % (email_addr, r.stderr))


class Server:
    """klaster serve on a free port; extra arguments go to serve."""

    def __init__(self, db, name, *extra, env=None):
        self.port = free_port()
        self.name = name
        self.db = db
        self.extra = list(extra)
        self.env = env or {}
        self.logpath = os.path.join(WORK, "server-%s.log" % name)
        self._start()

    def _start(self):
        self.log = open(self.logpath, "ab")
        env = dict(os.environ)
        env.pop("KLASTER_DB", None)
        env.update(self.env)
        self.proc = subprocess.Popen(
            [BIN, "--db", self.db, "serve", "--listen", "127.0.0.1:%d" % self.port, "--quiet"] + self.extra,
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server %s exited with %s" % (self.name, self.proc.returncode))
            try:
                st, _, _ = request(self.port, "GET", "/healthz", timeout=2)
                if st == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server %s did not start" % self.name)

    def url(self, path=""):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def alive(self):
        return self.proc.poll() is None

    def kill(self):
        """SIGKILL: no clean-up at all, as in a crash."""
        self.proc.kill()
        self.proc.wait(timeout=10)
        self.log.close()

    def restart(self):
        self._start()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if not self.log.closed:
            self.log.close()

    def clean_exit(self):
        """Stops the server; 1 when it exited with 0 and logged no sanitizer report."""
        self.stop()
        with open(self.logpath, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        bad = [l for l in text.splitlines() if "Sanitizer" in l or "runtime error" in l or "ERROR:" in l]
        return ok(self.proc.returncode == 0 and not bad, "server %s stopped cleanly" % self.name,
                  "exit %s; %s" % (self.proc.returncode, "\n".join(bad[:10])))


def request(port, method, path, body=None, headers=None, timeout=TIMEOUT):
    """One request; returns (status, headers with lower-case names, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        hdrs = {}
        for k, v in resp.getheaders():
            k = k.lower()
            hdrs[k] = hdrs[k] + "\n" + v if k in hdrs else v
        return resp.status, hdrs, data
    finally:
        conn.close()


# ---------------------------------------------------------------- HTML forms

class Forms(HTMLParser):
    """The forms of a page: action, method and their fields (name → value)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._cur = None
        self._textarea = None
        self._select = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._cur = {"action": a.get("action", ""), "method": (a.get("method") or "get").lower(),
                         "fields": {}, "class": a.get("class", "")}
            self.forms.append(self._cur)
        elif self._cur is not None and tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._cur["fields"][a["name"]] = a.get("value", "")
        elif self._cur is not None and tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._cur["fields"][a["name"]] = ""
        elif self._cur is not None and tag == "select" and a.get("name"):
            self._select = a["name"]
        elif self._cur is not None and tag == "option" and self._select:
            if "selected" in a or self._select not in self._cur["fields"]:
                self._cur["fields"][self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._cur = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea and self._cur is not None:
            self._cur["fields"][self._textarea] += data


class Client:
    """A visitor with a cookie jar.  get/post return (status, headers, text);
    submit() fills a form of the last page the way a browser would (with its
    hidden CSRF token) and posts it."""

    def __init__(self, port, lang="en"):
        self.port = port
        self.cookies = {}
        self.lang = lang
        self.last = ""
        self.last_path = "/"

    def _headers(self, extra=None):
        h = {"Accept-Language": self.lang}
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if extra:
            h.update(extra)
        return h

    def _keep(self, hdrs):
        for line in hdrs.get("set-cookie", "").split("\n"):
            if not line:
                continue
            nv = line.split(";")[0]
            name, _, value = nv.partition("=")
            if "Max-Age=0" in line or not value:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()

    def get(self, path, headers=None):
        st, h, body = request(self.port, "GET", path, headers=self._headers(headers))
        self._keep(h)
        self.last = body.decode("utf-8", "replace")
        self.last_path = path
        return st, h, self.last

    def post(self, path, fields, headers=None, raw=None):
        body = raw if raw is not None else urllib.parse.urlencode(fields, doseq=True)
        hd = {"Content-Type": "application/x-www-form-urlencoded"}
        hd.update(headers or {})
        st, h, data = request(self.port, "POST", path, body=body.encode("utf-8") if isinstance(body, str) else body,
                              headers=self._headers(hd))
        self._keep(h)
        self.last = data.decode("utf-8", "replace")
        return st, h, self.last

    def forms(self, text=None):
        return Forms(text if text is not None else self.last).forms

    def form(self, action, text=None):
        for f in self.forms(text):
            if f["action"] == action or f["action"].split("?")[0] == action:
                return f
        return None

    def csrf(self, page="/register"):
        """The CSRF token of this visitor (read from a form of page)."""
        self.get(page)
        for f in self.forms():
            if "csrf" in f["fields"]:
                return f["fields"]["csrf"]
        return None

    def submit(self, page, action, fields, follow=False):
        """Opens page, fills the form that posts to action, posts it."""
        st, _, _ = self.get(page)
        f = self.form(action)
        if f is None:
            raise AssertionError("no form to %s on %s (status %s)" % (action, page, st))
        data = dict(f["fields"])
        data.update(fields)
        st, h, text = self.post(f["action"], data)
        if follow and st in (302, 303) and h.get("location", "").startswith("/"):
            return self.get(h["location"])
        return st, h, text

    def confirm(self, action, text=None):
        """The second step of a destructive action (web_confirm_page): posts the
        form of the page last received (or text) that sends confirm=1 to action."""
        for f in self.forms(text):
            if f["action"] == action and f["fields"].get("confirm") == "1":
                return self.post(action, f["fields"])
        raise AssertionError("no confirmation form to %s on the page: %s" % (action, text_of(self.last)[:300]))

    def submit_confirmed(self, page, action, fields):
        """submit() of a destructive action, then its confirmation: the first
        answer must be the page that asks (200), the second is returned."""
        st, _, text = self.submit(page, action, fields)
        if st != 200:
            raise AssertionError("%s answered %s instead of asking first: %s" % (action, st, text_of(text)[:300]))
        return self.confirm(action, text)

    def login(self, email_addr, password):
        st, h, text = self.submit("/login", "/login", {"email": email_addr, "password": password})
        if st != 303:
            raise AssertionError("login of %s failed: %s %s" % (email_addr, st, text[:300]))
        return st


def api_error(port, path, headers=None):
    """(status, the JSON error's message) of a GET; the message None when the answer has none."""
    st, h, body = request(port, "GET", path, headers=headers or {"Accept-Language": "en"})
    try:
        return st, json.loads(body)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return st, None


def text_of(html):
    """Visible text of a page, roughly (tags dropped, entities decoded)."""
    import html as h
    return h.unescape(re.sub(r"<[^>]+>", " ", html))


# ---------------------------------------------------------------- SMTP

class SmtpSink:
    """A real SMTP server on loopback (aiosmtpd).  messages() returns the
    received email.message objects; delay_rcpt makes every RCPT TO wait, so
    a test can stop klaster in the middle of sending."""

    def __init__(self, delay_rcpt=0.0):
        from aiosmtpd.controller import Controller
        self.port = free_port()
        self.received = []
        self.lock = threading.Lock()
        self.delay_rcpt = delay_rcpt
        sink = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if sink.delay_rcpt:
                    import asyncio
                    await asyncio.sleep(sink.delay_rcpt)
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
                with sink.lock:
                    sink.received.append((envelope.mail_from, list(envelope.rcpt_tos), msg))
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    @property
    def url(self):
        return "smtp://127.0.0.1:%d" % self.port

    def messages(self, to=None):
        with self.lock:
            return [m for (_, rcpt, m) in self.received if to is None or to in rcpt]

    def wait(self, to, count=1, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            got = self.messages(to)
            if len(got) >= count:
                return got
            time.sleep(0.05)
        return self.messages(to)

    def stop(self):
        self.controller.stop()


def body_of(msg):
    part = msg.get_body(preferencelist=("plain",)) if msg.is_multipart() else msg
    return part.get_content()


def link_in(msg, path):
    """The first link to path (e.g. "/confirm") in a message, as a local path with its query."""
    m = re.search(r"https?://[^/\s]+(%s\?[^\s]+)" % re.escape(path), body_of(msg))
    return m.group(1) if m else None


def xlsx_sheet_texts(data, sheet):
    """The texts of an XLSX file's sheet (shared strings resolved), or None without it."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        if "xl/worksheets/sheet%d.xml" % sheet not in names:
            return None
        shared = []
        if "xl/sharedStrings.xml" in names:
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
                shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
        out = []
        for c in ET.fromstring(z.read("xl/worksheets/sheet%d.xml" % sheet)).iter("{%s}c" % ns["m"]):
            v = c.find("m:v", ns)
            text = v.text if v is not None else "".join(t.text or "" for t in c.iter("{%s}t" % ns["m"]))
            out.append(shared[int(text)] if c.get("t") == "s" else text)
        return out
