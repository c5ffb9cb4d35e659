#!/usr/bin/env python3
"""`timerlint lsp` (#14, the editor route), driven as an editor drives it:
a scripted LSP client speaking JSON-RPC 2.0 with Content-Length framing
over the real binary's stdin and stdout.

initialize (capabilities, serverInfo with the binary's version) ->
initialized -> didOpen of a file with a warning, an error and a note-level
finding (its .timerlint.yaml makes missing-join a note) -> the
publishDiagnostics for its URI match `timerlint scan --no-db --format json`
of the same file: count, codes, severities (1 error, 2 warning, 3 note),
0-based lines and columns, source, messages, relatedInformation (the path
notes, in the same file) -> the file is fixed on disk, didSave -> the
diagnostics update -> a bug is added back, didSave -> they update again ->
didClose -> empty diagnostics -> a copy of
testdata/posix-timer/missing-stop-errpath.c matches scan too -> an unknown request gets -32601, an unknown
notification nothing -> a body that is not JSON gets -32700 (id null), a
header block without Content-Length is skipped, and the server still
answers -> shutdown (null) -> exit: status 0. A second server that sees
exit without shutdown exits 1; a third one that sees EOF exits without
hanging.

usage: test_lsp.py TIMERLINT"""
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

from checks import check, totals

TL = os.path.realpath(sys.argv[1])
SRC = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
TIMEOUT = 120  # seconds for one reply: a scan parses the file with libclang

BUGGY = """#include <pthread.h>
#include <signal.h>
#include <time.h>

static void *work(void *arg) { return arg; }

int leak(int fail)
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (fail)
        return -2;
    timer_delete(t);
    return 0;
}

void twice(void)
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return;
    timer_delete(t);
    timer_delete(t);
}

int spawn(void)
{
    pthread_t tid;
    if (pthread_create(&tid, NULL, work, NULL) != 0)
        return -1;
    return 0;
}
"""

FIXED = BUGGY.replace("""    if (fail)
        return -2;
""", """    if (fail) {
        timer_delete(t);
        return -2;
    }
""").replace("""    timer_delete(t);
    timer_delete(t);
}""", """    timer_delete(t);
}""").replace("""        return -1;
    return 0;
}
""", """        return -1;
    pthread_join(tid, NULL);
    return 0;
}
""")

READDED = FIXED.replace("""    if (fail) {
        timer_delete(t);
        return -2;
    }
""", """    if (fail)
        return -2;
""")


class Client:
    def __init__(self, cwd):
        self.p = subprocess.Popen([TL, "lsp"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, cwd=cwd)
        self.buf = b""
        self.pending = []  # messages read while waiting for another

    def raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, id, method, params=None):
        m = {"jsonrpc": "2.0", "id": id, "method": method}
        if params is not None:
            m["params"] = params
        self.send(m)

    def notify(self, method, params=None):
        m = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            m["params"] = params
        self.send(m)

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no message from the server")
        r, _, _ = select.select([self.p.stdout], [], [], left)
        if not r:
            raise TimeoutError("no message from the server")
        chunk = os.read(self.p.stdout.fileno(), 65536)
        if not chunk:
            raise EOFError("the server closed its stdout")
        self.buf += chunk

    def _one(self, deadline):
        while b"\r\n\r\n" not in self.buf:
            self._fill(deadline)
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        length = None
        for line in head.split(b"\r\n"):
            k, _, v = line.partition(b":")
            if k.strip().lower() == b"content-length":
                length = int(v.strip())
        assert length is not None, f"reply without Content-Length: {head!r}"
        while len(self.buf) < length:
            self._fill(deadline)
        body, self.buf = self.buf[:length], self.buf[length:]
        return json.loads(body)

    def wait(self, pred, timeout=TIMEOUT):
        """The first message pred accepts; the others are kept."""
        for i, m in enumerate(self.pending):
            if pred(m):
                return self.pending.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            m = self._one(deadline)
            if pred(m):
                return m
            self.pending.append(m)

    def reply(self, id):
        return self.wait(lambda m: m.get("id", "none") == id and
                         "method" not in m)

    def diagnostics(self, uri):
        return self.wait(lambda m: m.get("method") ==
                         "textDocument/publishDiagnostics" and
                         m["params"]["uri"] == uri)["params"]

    def finish(self, timeout=30):
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            rc = None
        err = self.p.stderr.read().decode(errors="replace")
        return rc, err


def scan_json(path, cwd):
    p = subprocess.run([TL, "scan", "--no-db", "--format", "json", "-q", path],
                       capture_output=True, text=True, cwd=cwd, timeout=300)
    check(p.returncode in (0, 1), f"scan exit {p.returncode}: {p.stderr}")
    return json.loads(p.stdout)["findings"]


SEVERITY = {"error": 1, "warning": 2, "note": 3}


def same_as_scan(diags, path, uri, cwd, what):
    """The diagnostics say what scan says of the file, finding by finding."""
    found = scan_json(path, cwd)
    check(len(diags) == len(found),
          f"{what}: {len(diags)} diagnostics, scan reports {len(found)}")
    key = lambda d: (d["range"]["start"]["line"], d["code"])
    want = sorted(found, key=lambda f: (f["line"] - 1, f["rule"]))
    for d, f in zip(sorted(diags, key=key), want):
        at = f"{what}: {f['rule']} at line {f['line']}"
        r = d["range"]
        check(r["start"]["line"] == f["line"] - 1 and
              r["start"]["character"] == f["column"] - 1,
              f"{at}: range starts at {r['start']}, not 0-based")
        check(r["end"]["line"] == r["start"]["line"] and
              r["end"]["character"] >= r["start"]["character"],
              f"{at}: range {r}")
        check(d["code"] == f["rule"], f"{at}: code {d.get('code')}")
        check(d["source"] == "timerlint", f"{at}: source {d.get('source')}")
        check(d["severity"] == SEVERITY[f["severity"]],
              f"{at}: severity {d.get('severity')} for {f['severity']}")
        check(d["message"] == f["message"], f"{at}: message {d['message']}")
        rel = d.get("relatedInformation", [])
        check(len(rel) == len(f["path"]) and len(rel) > 0,
              f"{at}: {len(rel)} relatedInformation, {len(f['path'])} notes")
        for ri, n in zip(rel, f["path"]):
            loc = ri["location"]
            check(loc["uri"] == uri, f"{at}: note in {loc['uri']}")
            check(loc["range"]["start"]["line"] == n["line"] - 1,
                  f"{at}: note line {loc['range']['start']}")
            check(ri["message"] == n["message"], f"{at}: note {ri['message']}")
    return found


def main():
    tmp = tempfile.mkdtemp(prefix="tl-lsp-")
    try:
        session(tmp)
        no_shutdown(tmp)
        at_eof(tmp)
    finally:
        shutil.rmtree(tmp)
    return totals()


def session(tmp):
    src = os.path.join(tmp, "src")
    os.makedirs(src)
    path = os.path.join(src, "svc.c")
    with open(path, "w") as f:
        f.write(BUGGY)
    with open(os.path.join(tmp, ".timerlint.yaml"), "w") as f:
        f.write("severity: {missing-join: note}\n")
    uri = "file://" + path
    version = subprocess.run([TL, "--version"], capture_output=True,
                             text=True).stdout.split()[-1]

    c = Client(tmp)
    c.request(1, "initialize", {"processId": os.getpid(), "rootUri":
                                "file://" + tmp, "capabilities": {}})
    r = c.reply(1)["result"]
    sync = r["capabilities"]["textDocumentSync"]
    check(sync.get("openClose") is True, f"openClose: {sync}")
    check(sync.get("change") == 0, f"change: {sync}")
    check(sync.get("save") == {"includeText": False}, f"save: {sync}")
    check(r.get("serverInfo") == {"name": "timerlint", "version": version},
          f"serverInfo: {r.get('serverInfo')}")
    c.notify("initialized", {})

    c.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "c", "version": 1, "text": BUGGY}})
    d = c.diagnostics(uri)
    found = same_as_scan(d["diagnostics"], path, uri, tmp, "didOpen")
    codes = sorted(x["code"] for x in d["diagnostics"])
    check(codes == ["missing-join", "missing-stop", "use-after-release"],
          f"didOpen codes {codes}")
    check(sorted(x["severity"] for x in d["diagnostics"]) == [1, 2, 3],
          "didOpen: one error, one warning, one note")
    check(len(found) == 3, f"scan found {len(found)}")

    with open(path, "w") as f:
        f.write(FIXED)
    c.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    d = c.diagnostics(uri)
    check(d["diagnostics"] == [], f"didSave after the fix: {d['diagnostics']}")
    check(scan_json(path, tmp) == [], "scan of the fixed file")

    with open(path, "w") as f:
        f.write(READDED)
    c.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    d = c.diagnostics(uri)
    same_as_scan(d["diagnostics"], path, uri, tmp, "didSave")
    check([x["code"] for x in d["diagnostics"]] == ["missing-stop"],
          f"didSave with the bug back: {d['diagnostics']}")

    c.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    d = c.diagnostics(uri)
    check(d["diagnostics"] == [], "didClose: empty diagnostics")

    # A testdata file as it stands: many findings, each with its notes.
    td = os.path.join(tmp, "src", "missing-stop-errpath.c")
    shutil.copy(os.path.join(SRC, "testdata", "posix-timer",
                             "missing-stop-errpath.c"), td)
    c.notify("textDocument/didOpen", {"textDocument": {
        "uri": "file://" + td, "languageId": "c", "version": 1, "text": ""}})
    d = c.diagnostics("file://" + td)
    many = same_as_scan(d["diagnostics"], td, "file://" + td, tmp, "testdata")
    check(len(many) >= 10, f"testdata: scan found only {len(many)}")

    c.notify("$/timerlint/unknown", {})
    c.request(7, "textDocument/hover", {"textDocument": {"uri": uri},
                                        "position": {"line": 0,
                                                     "character": 0}})
    e = c.reply(7).get("error", {})
    check(e.get("code") == -32601, f"unknown request: {e}")

    c.raw(b"Content-Length: 9\r\n\r\n{not json")
    e = c.reply(None)
    check(e.get("error", {}).get("code") == -32700, f"bad JSON: {e}")
    c.raw(b"X-Nothing: here\r\n\r\n")
    c.request(8, "timerlint/none")
    check(c.reply(8).get("error", {}).get("code") == -32601,
          "answers after a header without Content-Length")

    c.request(9, "shutdown")
    r = c.reply(9)
    check("result" in r and r["result"] is None, f"shutdown: {r}")
    c.notify("exit")
    rc, err = c.finish()
    check(rc == 0, f"exit after shutdown: status {rc}; stderr: {err}")
    check(not c.pending or all("method" in m for m in c.pending),
          f"unanswered replies: {c.pending}")


def no_shutdown(tmp):
    c = Client(tmp)
    c.request(1, "initialize", {"capabilities": {}})
    c.reply(1)
    c.notify("exit")
    rc, err = c.finish()
    check(rc == 1, f"exit without shutdown: status {rc}; stderr: {err}")


def at_eof(tmp):
    c = Client(tmp)
    c.request(1, "initialize", {"capabilities": {}})
    c.reply(1)
    c.raw(b"Content-Length: 40\r\n\r\n{\"jsonrpc\"")  # cut short
    c.p.stdin.close()
    rc, err = c.finish()
    check(rc is not None, "EOF: the server did not exit")
    check(rc in (0, 1) and "Sanitizer" not in err,
          f"EOF: status {rc}; stderr: {err}")


if __name__ == "__main__":
    sys.exit(main())
