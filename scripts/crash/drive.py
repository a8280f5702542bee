"""Crash test driver (run by scripts/crash-test.sh; Python 3.11, standard library only).

Serves the release build on one SQLite file, has clients validate orders and the
provider's staff issue invoices and record payments, and SIGKILLs the server at moments
drawn from a seeded random generator while requests are in flight, restarting it on the
same file each time. After each restart it checks, on the file itself (read-only):

- `PRAGMA integrity_check` answers ok;
- every order, invoice and payment whose request was acknowledged is there (an
  acknowledgement is the server's success answer, sent after its commit);
- order numbers and invoice numbers have no gap: for every counter of `next_in_sequence`,
  the numbers used are exactly 1..value.

At the end, `server backup` copies the database while the clients keep writing, and the
copy is checked the same way. Prints the figures; exits non-zero on any violation.

`--self-test FILE` instead damages copies of a database (one acknowledged order
deleted, a counter moved on, a payment deleted, pages overwritten) and exits non-zero
unless the checks report each damage: the checks can fail.
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import http.cookiejar
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = "demo-espace-2026"
# Two clients of the demo firm (each validates his own cart) and the staff of the demo
# catalogue's first provider, whose second factor has this key (app/src/server/demo.rs).
CLIENTS = ["alice.admin@cabinet-demo.fr", "thomas.formation@cabinet-demo.fr"]
STAFF = "olivier.organisme@crcc-formation.fr"
STAFF_TOTP = "MRSW233PFVSXG4DBMNSS2MRQGI3C25DPORYC2ZDFNVXS2MJS"
PROVIDER = 1
REQUEST_TIMEOUT = 20


def log(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------------------------------
# The server process


class Server:
    """The release server on one SQLite file, started through release_server_exec."""

    def __init__(self, root, db_file, port, log_file):
        self.root, self.db_file, self.port, self.log_file = root, db_file, port, log_file
        self.url = f"http://127.0.0.1:{port}"
        self.proc = None

    def start(self):
        """Starts it and waits for /readyz; returns the seconds it took."""
        started = time.monotonic()
        self.proc = subprocess.Popen(
            ["bash", "-c", '. scripts/lib/release-server.sh && release_server_exec "$1" "$2" "$3"', "_",
             self.db_file, str(self.port), self.log_file],
            cwd=self.root,
        )
        deadline = started + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server stopped at start (exit {self.proc.returncode}); see {self.log_file}")
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=2) as r:
                    if r.status == 200:
                        return time.monotonic() - started
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.01)
        raise SystemExit(f"the server was not ready within 60 s; see {self.log_file}")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ---------------------------------------------------------------------------------------
# Clients


class Down(Exception):
    """No answer: the server was killed under the request, or is not back yet."""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Traffic:
    """What the clients did, shared with the checks (under `lock`)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.inflight = 0
        self.up = threading.Event()
        self.stop = threading.Event()
        self.attempted = {"order": 0, "invoice": 0, "payment": 0}
        self.unknown = {"order": 0, "invoice": 0, "payment": 0}
        # Acknowledged: order references; (order id, session id, kind code); (invoice id, cents).
        self.acked = {"order": [], "invoice": [], "payment": []}
        self.refused = {}
        self.server_errors = {}
        self.errors = []

    def snapshot(self):
        with self.lock:
            return {k: list(v) for k, v in self.acked.items()}

    def refusal(self, what, status=None):
        """An answer that is no acknowledgement: a refusal, or a server error (5xx)."""
        seen = self.server_errors if status is not None and status >= 500 else self.refused
        key = what if status is None else f"{what} {status}"
        with self.lock:
            seen[key] = seen.get(key, 0) + 1


def totp(secret, at=None):
    """RFC 6238 (SHA-1, 6 digits, 30 s), as the staff's authenticator app computes it."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    step = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


class Client:
    """One browser: its cookie jar, posting to server functions as the page's JavaScript does."""

    def __init__(self, base, traffic):
        self.base, self.traffic = base, traffic
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def call(self, endpoint, form):
        """(status, Location header, body); raises Down when the server does not answer."""
        req = urllib.request.Request(
            f"{self.base}/api/{endpoint}",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Origin": self.base, "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
        )
        with self.traffic.lock:
            self.traffic.inflight += 1
        try:
            try:
                with self.opener.open(req, timeout=REQUEST_TIMEOUT) as r:
                    return r.status, r.headers.get("Location"), r.read()
            except urllib.error.HTTPError as e:
                return e.code, e.headers.get("Location"), e.read()
        except (OSError, http.client.HTTPException) as e:
            raise Down(str(e)) from e
        finally:
            with self.traffic.lock:
                self.traffic.inflight -= 1

    def json(self, endpoint, form):
        status, _, body = self.call(endpoint, form)
        if status != 200:
            raise RuntimeError(f"{endpoint}: {status} {body[:300]!r}")
        return json.loads(body) if body else None

    def log_in(self, email, totp_secret=None):
        status, location, body = self.call("account/login", {"email": email, "password": PASSWORD, "next": "/espaces"})
        if totp_secret and location == "/connexion/code":
            status, location, body = self.call("account/login-code", {"code": totp(totp_secret)})
        if status != 200 or location != "/espaces":
            raise SystemExit(f"log-in of {email} failed: {status} {location} {body[:300]!r}")


def wait_up(traffic):
    while not traffic.up.wait(0.05):
        if traffic.stop.is_set():
            return False
    return not traffic.stop.is_set()


def client_loop(client, index, company, sessions, tag, traffic):
    """Orders one seat at a time: the wizard to the cart, then orders/validate."""
    k = 0
    while wait_up(traffic):
        k += 1
        ref = f"CRASH-{tag}-{index}-{k}"
        session = sessions[(k + index) % len(sessions)]
        steps = [
            ("wizard/start", {"session_id": str(session)}),
            ("wizard/structure", {"kind": "dirigeant", "mode": "existing", "existing_company_id": str(company),
                                  "existing_siret": "", "company[legal_name]": ""}),
            ("wizard/participants", {"op": "add", "email": f"crash-{tag}-{index}-{k}@exemple.fr",
                                     "first_name": "Camille", "last_name": f"Essai {index}-{k}"}),
            ("wizard/participants", {"op": "confirm", "email": "", "first_name": "", "last_name": ""}),
        ]
        try:
            for endpoint, form in steps:
                status, _, body = client.call(endpoint, form)
                if status != 200:
                    traffic.refusal(f"{endpoint} {body[:80]!r}", status)
                    break
            else:
                status = None
        except Down:
            continue
        if status is not None:
            continue
        with traffic.lock:
            traffic.attempted["order"] += 1
        try:
            status, location, body = client.call("orders/validate", {"company_id": str(company), "billing": f"company:{company}",
                                                                      "billing_siret": "", "po_reference": ref, "accept_terms": "on"})
        except Down:
            with traffic.lock:
                traffic.unknown["order"] += 1
            continue
        # Validated: the browser is sent to the company's orders (or, for one who may
        # not read them, to his spaces); a refusal stays on the cart with its errors.
        if status == 200 and location and (location.endswith("/commandes") or location == "/espaces"):
            with traffic.lock:
                traffic.acked["order"].append(ref)
        else:
            traffic.refusal(f"orders/validate {body[:80]!r}", status)


def staff_loop(staff, sessions, traffic):
    """For each order of the sessions: a down payment, then the invoice; one payment per
    invoice, each of an amount of its own (so that it is found again)."""
    amount = 100
    while wait_up(traffic):
        for session in sessions:
            if traffic.stop.is_set():
                return
            try:
                page = staff.json("provider/session", {"session_id": str(session)})
                kinds = {}
                for inv in page["invoices"]:
                    kinds.setdefault(inv["order_number"], set()).add(inv["kind"])
                todo = []
                for order_id, number, _ in page["orders"]:
                    have = kinds.get(number, set())
                    if "DownPayment" not in have:
                        todo.append((order_id, "downpayment"))
                    elif "Invoice" not in have:
                        todo.append((order_id, "invoice"))
                # A few per page read, so that payments interleave with invoices.
                for order_id, op in todo[:5]:
                    kind = "acompte" if op == "downpayment" else "facture"
                    with traffic.lock:
                        traffic.attempted["invoice"] += 1
                    try:
                        status, _, body = staff.call("provider/session/op", {"session_id": str(session), "op": f"{op}:{order_id}"})
                    except Down:
                        with traffic.lock:
                            traffic.unknown["invoice"] += 1
                        raise
                    if status == 200:
                        with traffic.lock:
                            traffic.acked["invoice"].append((order_id, session, kind))
                    else:
                        traffic.refusal(f"provider/session/op {body[:80]!r}", status)
                for inv in page["invoices"]:
                    if inv["kind"] == "CreditNote" or inv["paid"] != 0:
                        continue
                    amount += 1
                    with traffic.lock:
                        traffic.attempted["payment"] += 1
                    try:
                        status, _, body = staff.call("provider/payment", {"session_id": str(session), "invoice_id": str(inv["id"]),
                                                                          "amount": f"{amount // 100},{amount % 100:02d}"})
                    except Down:
                        with traffic.lock:
                            traffic.unknown["payment"] += 1
                        raise
                    if status == 200:
                        with traffic.lock:
                            traffic.acked["payment"].append((inv["id"], amount))
                    else:
                        traffic.refusal(f"provider/payment {body[:80]!r}", status)
            except Down:
                break
            except (RuntimeError, KeyError, ValueError) as e:
                # A page cut by the kill reads as a bad answer too.
                if traffic.up.is_set():
                    traffic.refusal(f"staff: {str(e)[:80]}")


# ---------------------------------------------------------------------------------------
# Checks


def read_only(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30, isolation_level=None)
    con.execute("PRAGMA busy_timeout = 30000")
    return con


def check(path, acked, tag):
    """The violations found in the database file at `path` (empty: none) and its figures.
    `acked` was read before: all of it must be there."""
    violations = []
    con = read_only(path)
    try:
        integrity = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as e:
        con.close()
        return [f"integrity_check: {e}"], {}
    if integrity != ["ok"]:
        lines = "\n".join(integrity).splitlines()
        more = f" (and {len(lines) - 3} more lines)" if len(lines) > 3 else ""
        violations.append(f"integrity_check: {' / '.join(lines[:3])}{more}")
        con.close()
        return violations, {}
    try:
        # One snapshot for every query below.
        con.execute("BEGIN")
        refs = {r[0] for r in con.execute("SELECT po_reference FROM orders WHERE po_reference LIKE ?", (f"CRASH-{tag}-%",))}
        invoices = set(con.execute("SELECT order_id, session_id, kind FROM invoices"))
        payments = set(con.execute("SELECT invoice_id, amount_cents FROM payments"))
        counters = dict(con.execute("SELECT name, value FROM counters WHERE name LIKE 'order-%' OR name LIKE 'invoice-%'"))
        used = {}
        for (number,) in con.execute("SELECT number FROM orders"):
            prefix, year, seq = number.rsplit("-", 2)
            used.setdefault(f"order-{year}", []).append(int(seq))
        for provider, year, seq in con.execute("SELECT provider_id, year, seq FROM invoices"):
            used.setdefault(f"invoice-{provider}-{year}", []).append(seq)
        con.execute("COMMIT")
    except sqlite3.DatabaseError as e:
        con.close()
        return [f"reading the database: {e}"], {}
    con.close()
    missing = [r for r in acked["order"] if r not in refs]
    if missing:
        violations.append(f"{len(missing)} acknowledged order(s) missing: {missing[:5]}")
    missing = [i for i in acked["invoice"] if i not in invoices]
    if missing:
        violations.append(f"{len(missing)} acknowledged invoice(s) missing: {missing[:5]}")
    missing = [p for p in acked["payment"] if p not in payments]
    if missing:
        violations.append(f"{len(missing)} acknowledged payment(s) missing: {missing[:5]}")
    for name in sorted(set(counters) | set(used)):
        numbers = sorted(used.get(name, []))
        value = counters.get(name, 0)
        if numbers != list(range(1, value + 1)):
            gaps = sorted(set(range(1, max([value] + numbers) + 1)) - set(numbers))
            dups = sorted({n for n in numbers if numbers.count(n) > 1})
            violations.append(f"sequence {name}: counter at {value}, {len(numbers)} numbers used; missing {gaps[:5]}, repeated {dups[:5]}")
    payments_ours = payments & set(acked["payment"])
    figures = {
        "orders": len(refs),
        "invoices": len(invoices),
        "payments": len(payments),
        "payments_acked_found": len(payments_ours),
        "sequences": {k: len(v) for k, v in used.items()},
    }
    return violations, figures


def self_test(db_file, tag):
    """Damages copies of `db_file` and expects the checks to report each damage."""
    con = read_only(db_file)
    refs = [r[0] for r in con.execute("SELECT po_reference FROM orders WHERE po_reference LIKE ? ORDER BY rowid", (f"CRASH-{tag}-%",))]
    payments = list(con.execute("SELECT invoice_id, amount_cents FROM payments ORDER BY rowid"))
    invoices = list(con.execute("SELECT order_id, session_id, kind FROM invoices ORDER BY rowid"))
    con.close()
    if not refs or not payments or not invoices:
        raise SystemExit("self-test: the database has no order, invoice or payment of this run to damage")
    acked = {"order": refs, "invoice": invoices, "payment": payments}
    violations, _ = check(db_file, acked, tag)
    if violations:
        raise SystemExit(f"self-test: the undamaged database already fails: {violations}")
    damages = {
        "an acknowledged order deleted": ("DELETE FROM orders WHERE po_reference = ?", (refs[len(refs) // 2],), "order(s) missing"),
        "a counter moved on (a gap)": ("UPDATE counters SET value = value + 1 WHERE name LIKE 'order-%'", (), "sequence order-"),
        "an invoice number changed": ("UPDATE invoices SET seq = seq + 1000 WHERE rowid = (SELECT MAX(rowid) FROM invoices)", (), "sequence invoice-"),
        "an acknowledged payment deleted": ("DELETE FROM payments WHERE invoice_id = ? AND amount_cents = ?", payments[-1], "payment(s) missing"),
        "pages overwritten": (None, (), "integrity_check"),
    }
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for what, (sql, params, expected) in damages.items():
            copy = os.path.join(tmp, "damaged.db")
            for suffix in ("-wal", "-shm", ""):
                if os.path.exists(copy + suffix):
                    os.remove(copy + suffix)
            src = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
            dst = sqlite3.connect(copy)
            src.backup(dst)
            src.close()
            if sql:
                dst.execute("PRAGMA foreign_keys = OFF")
                dst.execute(sql, params)
                dst.commit()
                dst.close()
            else:
                dst.execute("PRAGMA journal_mode = DELETE")
                page = dst.execute("PRAGMA page_size").fetchone()[0]
                dst.close()
                size = os.path.getsize(copy)
                with open(copy, "r+b") as f:
                    # From the middle of the file, the start of every 7th page: b-tree pages
                    # whose headers no longer make sense (the file's header stays).
                    for at in range(size // 2 // page * page, size, page * 7):
                        f.seek(at)
                        f.write(b"\x5a" * 512)
            violations, _ = check(copy, acked, tag)
            seen = any(expected in v for v in violations)
            log(f"  self-test, {what}: {'detected' if seen else 'NOT DETECTED'}{' — ' + violations[0] if violations else ''}")
            failed |= not seen
    if failed:
        raise SystemExit("self-test: a damage went unnoticed: the checks cannot be trusted")
    log("  self-test: every damage detected")


# ---------------------------------------------------------------------------------------
# The run


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def describe(times):
    ms = sorted(t * 1000 for t in times)
    return f"min {ms[0]:.0f} ms, median {statistics.median(ms):.0f} ms, max {ms[-1]:.0f} ms"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--root", default=os.getcwd(), help="the repository (scripts/lib/release-server.sh is sourced from it)")
    p.add_argument("--work", required=True, help="a directory for the database, the backup and the server's log")
    p.add_argument("--binary", required=True, help="the release server binary (for `server backup`)")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--kills", type=int, default=20)
    p.add_argument("--min-gap", type=float, default=0.3, help="shortest run between two kills, in seconds")
    p.add_argument("--max-gap", type=float, default=2.5, help="longest run between two kills, in seconds")
    p.add_argument("--self-test", action="store_true", help="after the run, check that damaged copies are caught")
    args = p.parse_args()

    rng = random.Random(args.seed)
    gaps = [rng.uniform(args.min_gap, args.max_gap) for _ in range(args.kills)]
    tag = f"{args.seed}"
    log(f"seed {args.seed}: {args.kills} kills after {', '.join(f'{g:.2f}' for g in gaps)} s of running")

    db_file = os.path.join(args.work, "crash.db")
    server_log = os.path.join(args.work, "server.log")
    server = Server(args.root, db_file, free_port(), server_log)
    traffic = Traffic()
    violations = []
    began = time.monotonic()
    try:
        first = server.start()
        log(f"server ready in {first * 1000:.0f} ms on a new database ({server.url})")
        traffic.up.set()
        clients = []
        for email in CLIENTS:
            c = Client(server.url, traffic)
            c.log_in(email)
            clients.append(c)
        company = clients[0].json("spaces/mine", {})["companies"][0]["id"]
        staff = Client(server.url, traffic)
        staff.log_in(STAFF, STAFF_TOTP)
        con = read_only(db_file)
        sessions = [r[0] for r in con.execute(
            "SELECT s.id FROM training_sessions s JOIN trainings t ON t.id = s.training_id "
            "WHERE t.provider_id = ? AND s.status = 'open' AND s.start_date > date('now') ORDER BY s.id", (PROVIDER,))]
        con.close()
        if not sessions:
            raise SystemExit("no open session of the demo provider")
        for s in sessions:
            status, _, body = staff.call("provider/session/capacity", {"session_id": str(s), "capacity": "500"})
            if status != 200:
                raise SystemExit(f"capacity of session {s}: {status} {body[:200]!r}")
        log(f"clients {', '.join(CLIENTS)} order on sessions {sessions} of provider {PROVIDER}; staff {STAFF} invoices them")

        threads = [threading.Thread(target=client_loop, args=(c, i, company, sessions, tag, traffic), daemon=True) for i, c in enumerate(clients)]
        threads.append(threading.Thread(target=staff_loop, args=(staff, sessions, traffic), daemon=True))
        for t in threads:
            t.start()

        ready_times, cut = [], []
        for n, gap in enumerate(gaps, 1):
            time.sleep(gap)
            # At a moment when requests are in flight (the clients hardly ever pause).
            deadline = time.monotonic() + 2
            while traffic.inflight == 0 and time.monotonic() < deadline:
                time.sleep(0.0005)
            inflight = traffic.inflight
            traffic.up.clear()
            server.kill()
            cut.append(inflight)
            ready = server.start()
            ready_times.append(ready)
            acked = traffic.snapshot()
            found, figures = check(db_file, acked, tag)
            traffic.up.set()
            status = "ok" if not found else "VIOLATION"
            log(f"kill {n:2}: {inflight} request(s) in flight; ready again in {ready * 1000:.0f} ms; "
                f"{len(acked['order'])} orders, {len(acked['invoice'])} invoices, {len(acked['payment'])} payments acknowledged so far: {status}")
            for v in found:
                log(f"  {v}")
            violations += [f"after kill {n}: {v}" for v in found]

        # A backup while the clients write, checked as the database is.
        time.sleep(0.5)
        acked_before = traffic.snapshot()
        copy = os.path.join(args.work, "backup.db")
        out = subprocess.run([args.binary, "backup", copy], env={**os.environ, "DATABASE_URL": f"sqlite://{db_file}?mode=rwc"},
                             capture_output=True, text=True, timeout=120)
        log(f"server backup under load: {(out.stdout + out.stderr).strip()}")
        if out.returncode != 0:
            violations.append(f"server backup failed (exit {out.returncode})")
        else:
            found, _ = check(copy, acked_before, tag)
            violations += [f"backup: {v}" for v in found]
            again = subprocess.run([args.binary, "backup", copy], env={**os.environ, "DATABASE_URL": f"sqlite://{db_file}?mode=rwc"},
                                   capture_output=True, text=True, timeout=120)
            if again.returncode == 0 or "exists already" not in again.stderr:
                violations.append(f"server backup onto an existing file was not refused: {again.returncode} {again.stderr.strip()}")

        time.sleep(0.5)
        traffic.stop.set()
        for t in threads:
            t.join(timeout=REQUEST_TIMEOUT + 5)
        server.stop()
        acked = traffic.snapshot()
        found, figures = check(db_file, acked, tag)
        violations += [f"at the end: {v}" for v in found]
    finally:
        traffic.stop.set()
        server.stop()
    elapsed = time.monotonic() - began

    a, u = traffic.attempted, traffic.unknown
    log("")
    log(f"seed {args.seed}, {elapsed:.0f} s")
    log(f"kills: {len(cut)} (requests in flight at each: {', '.join(map(str, cut))}), restarts: {len(ready_times)}")
    log(f"ready after restart: {describe(ready_times)}")
    log(f"orders: attempted {a['order']}, acknowledged {len(acked['order'])}, answer lost in a kill {u['order']}, "
        f"found {figures.get('orders', '?')}")
    log(f"invoices: attempted {a['invoice']}, acknowledged {len(acked['invoice'])}, answer lost in a kill {u['invoice']}, "
        f"found {figures.get('invoices', '?')} in the database")
    log(f"payments: attempted {a['payment']}, acknowledged {len(acked['payment'])}, answer lost in a kill {u['payment']}, "
        f"acknowledged ones found {figures.get('payments_acked_found', '?')} of {figures.get('payments', '?')} in the database")
    log(f"numbers used, gapless: {figures.get('sequences', {})}")
    if traffic.refused:
        log(f"refusals: {traffic.refused}")
    if traffic.server_errors:
        # Nothing acknowledged was lost, but a request refused with 500 while the server
        # was up is a bug (e.g. SQLite's "database is locked" on a read-then-write
        # transaction): the client lost his change without being told why.
        violations.append(f"server errors (5xx) while the server was up: {traffic.server_errors}")
    if a["order"] == 0 or not acked["order"] or not acked["invoice"] or not acked["payment"]:
        violations.append("nothing of some kind was acknowledged: the run proves nothing")
    if args.self_test and not violations:
        self_test(db_file, tag)
    if violations:
        log(f"FAILED: {len(violations)} violation(s)")
        for v in violations:
            log(f"  {v}")
        sys.exit(1)
    log("crash test passed: integrity ok after every restart, nothing acknowledged was lost, numbers gapless")


if __name__ == "__main__":
    main()
