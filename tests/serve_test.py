#!/usr/bin/env python3
"""tandem serve against a running server on a free loopback port.

  serve_test.py TANDEM_BINARY

The bad-input table (each row a raw request and the 4xx it must get, with
/healthz asked after every row), the shapes of the tmserver/amaGama and
tandem APIs (the same objects as the CLI's --json), the write token rules,
the live TM, the access log and a clean SIGTERM. Python's standard library
only; every wait is bounded.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

TANDEM = sys.argv[1]
TOKEN = "s3cret-token-for-tests-0123456789"
failures = []


T0 = time.monotonic()


def stage(name):
    print("%6.1f s  %s" % (time.monotonic() - T0, name), flush=True)


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)


UNITS = [
    ("Die Bundesregierung hat das Gesetz heute beschlossen.", "The federal government passed the law today."),
    ("Der Hund schläft im Garten hinter dem Haus.", "The dog is sleeping in the garden behind the house."),
    ("Die Bundesregierung plant neue Steuern für Großunternehmen.", "The federal government plans new taxes for large companies."),
    ("Die Bundesregierung lehnt den Vorschlag der Opposition ab.", "The federal government rejects the opposition's proposal."),
    ("„Wir müssen handeln“, sagte die Ministerin in München.", "\"We must act,\" the minister said in Munich."),
    ("Die Donaudampfschifffahrtsgesellschaft meldet Rekordzahlen.", "The Danube steamship company reports record figures."),
]


def run(*args, check_rc=True):
    p = subprocess.run([TANDEM, *args], capture_output=True, text=True, timeout=60)
    if check_rc and p.returncode != 0:
        raise RuntimeError("%s: %s" % (args, p.stderr))
    return p


class Server:
    def __init__(self, tm, *extra, quiet=False):
        self.dir = WORK
        self.portfile = os.path.join(self.dir, "port-%d" % time.monotonic_ns())
        self.log = open(self.portfile + ".log", "w+")
        args = [TANDEM, "serve", "--tm", tm, "--port", "0", "--port-file", self.portfile, "-j", "2",
                "--timeout", "2", "--no-lexicon", *extra]
        if quiet:
            args.append("--quiet")
        self.p = subprocess.Popen(args, stderr=self.log)
        for _ in range(200):
            if os.path.exists(self.portfile):
                break
            if self.p.poll() is not None:
                raise RuntimeError("server exited: %d" % self.p.returncode)
            time.sleep(0.05)
        self.port = int(open(self.portfile).read())

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
        try:
            return self.p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.p.kill()
            return None

    def logtext(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()


def raw(port, data, timeout=10):
    """Send bytes, read the whole answer (Connection: close): (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except OSError:
            pass  # the server answered early (413) and closed
        chunks = []
        while True:
            try:
                b = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not b:
                break
            chunks.append(b)
    resp = b"".join(chunks)
    head, _, body = resp.partition(b"\r\n\r\n")
    m = re.match(rb"HTTP/1\.[01] (\d+)", head)
    return (int(m.group(1)) if m else 0), head.decode("latin-1"), body


def req(port, method, target, body=b"", headers=()):
    h = "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" % (method, target)
    for k, v in headers:
        h += "%s: %s\r\n" % (k, v)
    if body or method == "POST":
        h += "Content-Length: %d\r\n" % len(body)
    return raw(port, h.encode("latin-1") + b"\r\n" + body)


def get_json(port, target, headers=()):
    st, hd, body = req(port, "GET", target, headers=headers)
    try:
        return st, json.loads(body.decode("utf-8"))
    except ValueError:
        return st, None


def q(s):
    return urllib.parse.quote(s, safe="")


def healthy(port, what):
    st, j = get_json(port, "/healthz")
    check(st == 200 and j == {"status": "ok"}, "healthz after %s: %s %s" % (what, st, j))


def bad_input_table(port):
    stage("bad_input_table")
    auth = [("Authorization", "Bearer " + TOKEN)]
    long_q = "a" * 100000
    rows = [
        # name, method, target, body, headers, accepted statuses
        ("bad percent-encoding in the path", "GET", "/tmserver/de/en/unit/Hallo%zzWelt", b"", (), {400}),
        ("bad percent-encoding in a parameter", "GET", "/api/lookup?q=%G1", b"", (), {400}),
        ("truncated percent-encoding", "GET", "/api/lookup?q=abc%4", b"", (), {400}),
        ("an encoded NUL", "GET", "/tmserver/de/en/unit/Hallo%00Welt", b"", (), {400}),
        ("invalid UTF-8 in the path", "GET", "/tmserver/de/en/unit/Gr%C3%28e", b"", (), {400}),
        ("invalid UTF-8 in q", "GET", "/api/lookup?q=M%FCnchen", b"", (), {400}),
        ("overlong UTF-8", "GET", "/api/concord?q=%C0%AF", b"", (), {400}),
        ("unknown language", "GET", "/tmserver/xx/en/unit/Hallo", b"", (), {404}),
        ("malformed language", "GET", "/tmserver/d%C3%A9/en/unit/Hallo", b"", (), {404}),
        ("same language twice", "GET", "/tmserver/de/de_DE/unit/Hallo", b"", (), {404}),
        ("a pair the TM lacks", "GET", "/api/v1/fr/en/unit/?source=Bonjour", b"", (), {404}),
        ("unknown language in /api/lookup", "GET", "/api/lookup?q=Hallo&src=qq&tgt=en", b"", (), {404}),
        ("100,000-character query (path)", "GET", "/tmserver/de/en/unit/" + long_q, b"", (), {400, 414}),
        ("100,000-character query (q)", "GET", "/api/lookup?q=" + long_q, b"", (), {400, 414}),
        ("100,000-character query (source)", "GET", "/api/v1/de/en/unit/?source=" + long_q, b"", (), {400, 414}),
        ("empty query", "GET", "/api/lookup?q=", b"", (), {400}),
        ("no text", "GET", "/tmserver/de/en/unit/", b"", (), {400}),
        ("min_similarity not a number", "GET", "/tmserver/de/en/unit/Hallo?min_similarity=viel", b"", (), {400}),
        ("max_candidates 0", "GET", "/tmserver/de/en/unit/Hallo?max_candidates=0", b"", (), {400}),
        ("JSONP callback with code in it", "GET", "/tmserver/de/en/unit/Hallo?callback=alert(1)", b"", (), {400}),
        ("path traversal", "GET", "/../../etc/passwd", b"", (), {404}),
        ("encoded path traversal", "GET", "/%2e%2e/%2e%2e/etc/passwd", b"", (), {404}),
        ("unknown page", "GET", "/admin", b"", (), {404}),
        ("unknown method", "DELETE", "/api/stats", b"", (), {405}),
        ("body over --max-body", "POST", "/tmserver/de/en/unit/Hallo", b"{" + b" " * 20000 + b"}", auth, {413}),
        ("import body over --max-import", "POST", "/api/v1/import", b"<" * (4 * 1024 * 1024 + 10), auth, {413}),
        ("body not JSON", "POST", "/tmserver/de/en/unit/Hallo", b"source=Hallo", auth, {400}),
        ("JSON without target", "POST", "/tmserver/de/en/unit/Hallo", b'{"source": "Hallo"}', auth, {400}),
        ("JSON with invalid UTF-8", "POST", "/tmserver/de/en/unit/Hallo", b'{"source": "a", "target": "\xff"}', auth, {400}),
        ("import of broken TMX", "POST", "/api/v1/import", b"<tmx><body><tu>", auth, {400}),
    ]
    for name, method, target, body, headers, want in rows:
        st, hd, resp = req(port, method, target, body, headers)
        ok = st in want
        try:
            j = json.loads(resp.decode("utf-8"))
            ok = ok and isinstance(j, dict) and isinstance(j.get("error"), str) and j["error"]
        except ValueError:
            ok = False
        check(ok, "bad input '%s': status %d (want %s), body %r" % (name, st, sorted(want), resp[:120]))
        healthy(port, name)

    # Past libmicrohttpd's own limit (the 1 MiB of MHD_OPTION_CONNECTION_MEMORY_LIMIT
    # for the request line and headers) the library answers by itself before
    # any callback of the server runs: 414 for the request line, 431 for the
    # headers, with its built-in HTML body (libmicrohttpd 0.9.75 has no option
    # to replace it). The status is the API's; the server goes on serving.
    big = b"a" * (2 << 20)
    for name, data, want in (
            ("request line over 1 MiB", b"GET /api/lookup?q=" + big + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
            ("headers over 1 MiB", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + big + b"\r\n\r\n", 431)):
        st, hd, resp = raw(port, data)
        check(st == want, "%s: status %d (want %d)" % (name, st, want))
        healthy(port, name)

    # A client that sends one byte a second: the server hangs up within
    # --timeout (2 s) plus the watchdog's quarter second, and answers
    # everyone else meanwhile.
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    start = time.monotonic()
    closed = False
    msg = b"GET /api/stats HTTP/1.1\r\nHost: x\r\n"
    got = b""
    for i, ch in enumerate(msg):
        try:
            s.sendall(bytes([ch]))
        except OSError:
            closed = True
            break
        t0 = time.monotonic()
        st, j = get_json(port, "/healthz")
        check(st == 200 and time.monotonic() - t0 < 1.0, "healthz while a slow client trickles")
        s.settimeout(0.5)
        try:
            b = s.recv(4096)
            if not b:
                closed = True
                break
            got += b
        except socket.timeout:
            pass
        except OSError:
            closed = True
            break
        if time.monotonic() - start > 8:
            break
    s.close()
    elapsed = time.monotonic() - start
    check(closed and elapsed < 5, "slow client cut off after %.1f s (closed=%s)" % (elapsed, closed))
    check(got == b"" or b" 408 " in got.split(b"\r\n")[0], "slow client answer: %r" % got[:60])
    healthy(port, "the slow client")


def api_shapes(port, tm):
    stage("api_shapes")
    # Weblate's order: the languages first.
    for prefix in ("/tmserver", "/api/v1"):
        st, j = get_json(port, prefix + "/languages/")
        check(st == 200 and "de" in j.get("sourceLanguages", []) and "en" in j.get("targetLanguages", []),
              "%s/languages/: %s %s" % (prefix, st, j))
    text = "Der Hund schläft im Garten hinter der Scheune."
    cli = json.loads(run("lookup", "--tm", tm, "-s", "de", "-t", "en", "--json", text).stdout)
    best = cli["matches"][0]
    for target in ("/tmserver/de/en/unit/" + q(text),
                   "/tmserver/de_DE/en_US/unit/" + q(text),
                   "/tmserver/DE-de/EN/unit/" + q(text),
                   "/api/v1/de/en/unit/" + q(text),
                   "/api/v1/de/en/unit/?source=" + q(text),
                   "/tmserver/de/en/unit/?source=" + q(text)):
        st, j = get_json(port, target)
        check(st == 200 and isinstance(j, list) and j and set(j[0]) == {"source", "target", "quality", "rank"},
              "unit lookup %s: %s %s" % (target, st, j))
        if st == 200 and j:
            check(j[0]["source"] == best["source"] and j[0]["target"] == best["target"] and
                  round(j[0]["quality"]) == round(best["score"]) and j[0]["rank"] == 1,
                  "unit lookup %s agrees with lookup --json: %s vs %s" % (target, j[0], best))
    # A "/" in the text, percent-encoded as Weblate does.
    st, j = get_json(port, "/tmserver/de/en/unit/" + q("Hund/Katze im Garten hinter dem Haus"))
    check(st == 200 and isinstance(j, list), "a %%2F in the text: %s %s" % (st, j))
    # min_similarity and max_candidates.
    st, j = get_json(port, "/tmserver/de/en/unit/" + q("Die Bundesregierung plant den Vorschlag.") + "?min_similarity=30&max_candidates=2")
    check(st == 200 and 1 <= len(j) <= 2 and all(m["quality"] >= 30 for m in j), "max_candidates=2: %s" % j)
    st, j = get_json(port, "/tmserver/de/en/unit/" + q(text) + "?min_similarity=99")
    check(st == 200 and j == [], "min_similarity=99 leaves nothing: %s" % j)
    st, j5 = get_json(port, "/tmserver/de/en/unit/" + q("Die Bundesregierung") + "?min_similarity=0")
    st, j30 = get_json(port, "/tmserver/de/en/unit/" + q("Die Bundesregierung") + "?min_similarity=30")
    check(j5 == j30, "min_similarity never below 30: %s vs %s" % (j5, j30))
    # JSONP, both parameter names.
    for p in ("jsoncallback", "callback"):
        st, hd, body = req(port, "GET", "/tmserver/de/en/unit/%s?%s=cb_1" % (q(text), p))
        b = body.decode()
        check(st == 200 and b.startswith("cb_1([") and b.rstrip().endswith(");") and "javascript" in hd,
              "JSONP %s: %r" % (p, b[:80]))
    # tandem's own API: the objects of --json.
    st, j = get_json(port, "/api/lookup?q=%s&src=de&tgt=en" % q(text))
    check(st == 200 and j == cli, "/api/lookup equals lookup --json:\n%s\n%s" % (j, cli))
    st, j = get_json(port, "/api/lookup?q=%s&min=50&max=2" % q("Die Bundesregierung plant Steuern"))
    cli2 = json.loads(run("lookup", "--tm", tm, "--json", "--min", "50", "--max", "2",
                          "Die Bundesregierung plant Steuern").stdout)
    check(st == 200 and j == cli2, "/api/lookup min/max equals the CLI: %s vs %s" % (j, cli2))
    lines = run("concord", "--tm", tm, "-s", "de", "-t", "en", "--no-lexicon", "--json", "Bundesregierung").stdout.splitlines()
    st, j = get_json(port, "/api/concord?q=Bundesregierung&src=de&tgt=en")
    check(st == 200 and j == [json.loads(l) for l in lines] and len(j) == 3, "/api/concord equals concord --json: %s" % j)
    lines = run("concord", "--tm", tm, "-s", "de", "-t", "en", "--lang", "en", "--no-lexicon", "--json", "government").stdout.splitlines()
    st, j = get_json(port, "/api/concord?q=government&src=de&tgt=en&lang=en")
    check(st == 200 and j == [json.loads(l) for l in lines] and j and j[0]["side"] == "target",
          "/api/concord lang=en equals concord --lang en --json")
    cli_t = json.loads(run("terms", "--tm", tm, "-s", "de", "-t", "en", "--no-lexicon", "--json", "Bundesregierung").stdout)
    st, j = get_json(port, "/api/terms?q=Bundesregierung&src=de&tgt=en")
    check(st == 200 and j == cli_t, "/api/terms equals terms --json:\n%s\n%s" % (j, cli_t))
    cli_s = json.loads(run("stats", "--tm", tm, "--json").stdout)
    st, j = get_json(port, "/api/stats")
    check(st == 200 and j == cli_s, "/api/stats equals stats --json: %s vs %s" % (j, cli_s))
    st, hd, body = req(port, "GET", "/")
    check(st == 200 and "text/html" in hd and b"<script" in body and b"http://" not in body.replace(b"http://www.w3.org", b"")
          and b"https://" not in body, "the page at / is self-contained")


def write_rules(tm, port_ro):
    stage("write_rules")
    units_before = json.loads(run("stats", "--tm", tm, "--json").stdout)["units"]
    body = json.dumps({"source": "Das Rathaus öffnet um neun Uhr.", "target": "The town hall opens at nine."}).encode()
    path = "/tmserver/de/en/unit/" + q("Das Rathaus öffnet um neun Uhr.")
    # A server without --allow-write refuses, token or not.
    for headers in ((), (("Authorization", "Bearer " + TOKEN),)):
        st, j = (lambda r: (r[0], json.loads(r[2])))(req(port_ro, "POST", path, body, headers))
        check(st == 403 and "error" in j, "write without --allow-write: %s %s" % (st, j))
    tokfile = os.path.join(WORK, "token")
    with open(tokfile, "w") as f:
        f.write(TOKEN + "\n")
    os.chmod(tokfile, 0o600)
    srv = Server(tm, "--allow-write", "--token-file", tokfile)
    try:
        for name, headers in (("no header", ()),
                              ("wrong token", (("Authorization", "Bearer wrong-token-0123456789abcd"),)),
                              ("token prefix", (("Authorization", "Bearer " + TOKEN[:-1]),)),
                              ("token and more", (("Authorization", "Bearer " + TOKEN + "x"),)),
                              ("basic scheme", (("Authorization", "Basic " + TOKEN),))):
            st, hd, resp = req(srv.port, "POST", path, body, headers)
            check(st == 403, "write with %s: %s %r" % (name, st, resp[:80]))
        check(json.loads(run("stats", "--tm", tm, "--json").stdout)["units"] == units_before,
              "refused writes wrote nothing")
        bad_input_table(srv.port)
        st, hd, resp = req(srv.port, "POST", path, body, (("Authorization", "Bearer " + TOKEN),))
        check(st == 200 and json.loads(resp) == {"added": True}, "write with the token: %s %r" % (st, resp))
        st, j = get_json(srv.port, "/tmserver/de/en/unit/" + q("Das Rathaus öffnet um zehn Uhr."))
        check(st == 200 and j and j[0]["target"] == "The town hall opens at nine.", "the written unit is found: %s" % j)
        tmx = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="de" datatype="plaintext" '
               'segtype="sentence" adminlang="en" o-tmf="test" creationtool="test" creationtoolversion="1"/><body>'
               '<tu><tuv xml:lang="de"><seg>Der Zug nach Köln fährt um acht Uhr ab.</seg></tuv>'
               '<tuv xml:lang="en"><seg>The train to Cologne leaves at eight.</seg></tuv></tu>'
               '</body></tmx>').encode()
        st, hd, resp = req(srv.port, "POST", "/api/v1/import", tmx, (("Authorization", "Bearer " + TOKEN),))
        check(st == 200 and json.loads(resp).get("added") == 1, "TMX import: %s %r" % (st, resp))
        st, j = get_json(srv.port, "/tmserver/de/en/unit/" + q("Der Zug nach Köln fährt um neun Uhr ab."))
        check(st == 200 and j and j[0]["target"] == "The train to Cologne leaves at eight.", "the imported unit is found: %s" % j)
        units = json.loads(run("stats", "--tm", tm, "--json").stdout)["units"]
        check(units == units_before + 2, "two units written: %d -> %d" % (units_before, units))
    finally:
        check(srv.stop() == 0, "the writing server stops cleanly")


def live_tm(tm, port):
    stage("live_tm")
    d = WORK
    tsv = os.path.join(d, "more.tsv")
    with open(tsv, "w") as f:
        f.write("Die Feuerwehr löschte den Brand in der Altstadt.\tThe fire brigade put out the fire in the old town.\n")
    st, j = get_json(port, "/tmserver/de/en/unit/" + q("Die Feuerwehr löschte den Brand in der Neustadt."))
    check(st == 200 and j == [], "not there before the import: %s" % j)
    run("import", "--tm", tm, "-s", "de", "-t", "en", tsv)
    t0 = time.monotonic()
    found = False
    while time.monotonic() - t0 < 1.0:
        st, j = get_json(port, "/tmserver/de/en/unit/" + q("Die Feuerwehr löschte den Brand in der Neustadt."))
        if st == 200 and j:
            found = True
            break
        time.sleep(0.05)
    check(found, "a unit imported by another process is found within a second")


def sigterm_in_flight(tm):
    stage("sigterm_in_flight")
    srv = Server(tm, quiet=True)
    # A request in flight: headers sent, body still coming when SIGTERM arrives.
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    s.sendall(b"POST /api/v1/import HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 10\r\n\r\n12345")
    time.sleep(0.3)
    srv.p.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    check(srv.p.poll() is None, "the server waits for the request in flight")
    s.sendall(b"67890")
    resp = b""
    while True:
        try:
            b = s.recv(4096)
        except OSError:
            break
        if not b:
            break
        resp += b
    s.close()
    check(resp.startswith(b"HTTP/1.1 403"), "the request in flight is answered: %r" % resp[:40])
    rc = srv.stop()
    check(rc == 0, "SIGTERM: exit status %s" % rc)
    check(srv.logtext() == "", "--quiet: nothing on stderr: %r" % srv.logtext()[:200])
    left = [n for n in os.listdir(WORK) if n.endswith(("-wal", "-shm"))]
    check(not left, "no -wal/-shm left: %s" % left)


def concurrent_clients(tm):
    """Eight clients at once (lookups, concordances, terms, and one writer)
    against a server with two workers: every answer as the same request gets
    alone, every write kept. Under ThreadSanitizer (.ci/run) this is the
    server's race check."""
    stage("concurrent_clients")
    tokfile = os.path.join(WORK, "token")
    with open(tokfile, "w") as f:
        f.write(TOKEN + "\n")
    os.chmod(tokfile, 0o600)
    srv = Server(tm, "--allow-write", "--token-file", tokfile, quiet=True)
    try:
        reads = ["/tmserver/de/en/unit/" + q(s.replace("heute", "gestern")) for s, _ in UNITS]
        reads += ["/api/concord?q=%s&src=de&tgt=en" % q("Bundesregierung"),
                  "/api/terms?q=%s&src=de&tgt=en" % q("Bundesregierung"),
                  "/api/lookup?q=%s&src=de&tgt=en" % q("Der Hund schläft im Haus."),
                  "/tmserver/languages/"]
        alone = {t: get_json(srv.port, t) for t in reads}
        check(all(st == 200 and j is not None for st, j in alone.values()), "every read answers alone")
        errors = []
        written = ["Der Zug Nummer %d fährt heute pünktlich ab." % i for i in range(12)]

        def reader(k):
            for i in range(24):
                t = reads[(k + i) % len(reads)]
                got = get_json(srv.port, t)
                if got != alone[t]:
                    errors.append("%s: %s, alone %s" % (t, got, alone[t]))

        def writer():
            for i, src in enumerate(written):
                body = json.dumps({"source": src, "target": "Train number %d leaves on time today." % i}).encode()
                st, hd, resp = req(srv.port, "POST", "/tmserver/de/en/unit/" + q(src), body,
                                   (("Authorization", "Bearer " + TOKEN),))
                if st != 200:
                    errors.append("write %d: %s %r" % (i, st, resp[:80]))

        threads = [threading.Thread(target=reader, args=(k,)) for k in range(7)]
        threads.append(threading.Thread(target=writer))
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        check(not any(t.is_alive() for t in threads), "every client finished")
        check(not errors, "concurrent answers equal the lone ones: %s" % errors[:3])
        for i, src in enumerate(written):
            st, j = get_json(srv.port, "/tmserver/de/en/unit/" + q(src))
            check(st == 200 and j and j[0]["target"] == "Train number %d leaves on time today." % i,
                  "written unit %d is found: %s" % (i, j))
        healthy(srv.port, "concurrent clients")
    finally:
        check(srv.stop() == 0, "the server stops cleanly after concurrent clients")


# The directory of the test's files (port files, logs, tokens, TSV).
WORK = None


def the_tm(d):
    """A TM file in d, or with $TANDEM_TEST_TM (the suite pg) a fresh schema of that database."""
    base = os.environ.get("TANDEM_TEST_TM")
    if not base:
        return os.path.join(d, "tm.db")
    schema = "serve_%d" % os.getpid()
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", base, "-c",
                    "SET client_min_messages = warning; DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s"
                    % (schema, schema)], check=True)
    return base + ("&" if "?" in base else "?") + "options=-csearch_path%3D" + schema


def main():
    global WORK
    with tempfile.TemporaryDirectory(prefix="tandem-serve-test-") as d:
        WORK = d
        tm = the_tm(d)
        tsv = os.path.join(d, "units.tsv")
        with open(tsv, "w") as f:
            for s, t in UNITS:
                f.write("%s\t%s\n" % (s, t))
        run("import", "--tm", tm, "-s", "de", "-t", "en", tsv)
        srv = Server(tm)
        try:
            api_shapes(srv.port, tm)
            write_rules(tm, srv.port)
            live_tm(tm, srv.port)
            healthy(srv.port, "everything")
        finally:
            rc = srv.stop()
        check(rc == 0, "SIGTERM: exit status %s" % rc)
        log = srv.logtext()
        clf = re.compile(r'^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET /healthz HTTP/1\.1" 200 \d+$', re.M)
        check(clf.search(log), "access log in common log format: %r" % log[:300])
        concurrent_clients(tm)
        sigterm_in_flight(tm)
    print("serve: %d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
