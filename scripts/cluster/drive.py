"""The driver of scripts/cluster-test.sh (Python 3.11, standard library only).

Against the cluster that scripts/cluster.sh started (its cluster.json is argv[1]), through
nginx only, as the portal's own pages do (server functions under /api/, with Origin and
Accept headers):

- the demo firm's administrator opens registration to every account (policy "open"), so
  that each of the seven demo accounts of the firm has a cart of its own;
- those seven clients, one thread each, register new participants (one or two per order)
  for sessions of the catalogue and validate their orders, each under a purchase-order
  reference of its own (BC-<run>-<client>-<n>), which finds the order in the database;
  they take their seats from a shared count of each session's free seats, so that no
  session is ever asked for more than it has;
- the provider's staff (second factor: the demo key is public) invoices the orders of
  its sessions as they come;
- in the middle of the run, while instance 2 is provably in the middle of sending a mail
  (the SMTP server holds it at RCPT TO, before any data), instance 2 is killed with
  SIGKILL; the clients go on through nginx; it is started again and its time to /readyz
  200 is measured; the clients go on until nginx has sent it requests again. Killed at
  that point, the instance cannot have had a mail accepted by the SMTP server without
  recording it as sent, so every mail must arrive exactly once. (Killed between the
  server's "250 OK" and that record, it would have the mail sent a second time by the
  instance that takes its claim over: at least once is all SMTP allows. The test does
  not leave that to chance, so that its verdict does not depend on it.);
- then the outbox must drain (the mails instance 2 had claimed are taken over by
  instance 1 once their lease ends), and the database, the mailbox and nginx's log are
  checked. Any violation makes the exit status 1.

What may fail, and is not counted: a request in flight on the killed instance (nginx
answers 502). Its outcome is unknown to the client: an order whose validation was not
acknowledged may exist or not; participants of an interrupted registration may end up in
a later order of the same client (the cart is the account's). Everything else must hold:
see `check`.

Before the verdict, the checks are run again on altered copies of what was collected (a
mail received twice, a mail lost, an acknowledged order missing, a gap in the order
numbers...): each alteration must be caught, or the checks themselves are broken.
"""
import base64
import collections
import copy
import hashlib
import hmac
import http.client
import http.cookiejar
import json
import os
import re
import signal
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

CFG = json.load(open(sys.argv[1]))
BASE = CFG["url"]
DB = CFG["database_url"]
PASSWORD = "demo-espace-2026"
STAFF = "olivier.organisme@crcc-formation.fr"
STAFF_TOTP = "MRSW233PFVSXG4DBMNSS2MRQGI3C25DPORYC2ZDFNVXS2MJS"
CLIENTS = [
    "alice.admin@cabinet-demo.fr",
    "thomas.formation@cabinet-demo.fr",
    "berenice.facturation@cabinet-demo.fr",
    "paul.collaborateur@cabinet-demo.fr",
    "nina.collaboratrice@cabinet-demo.fr",
    "hugo.collaborateur@cabinet-demo.fr",
    "ines.collaboratrice@cabinet-demo.fr",
]
ORDERS = int(os.environ.get("CLUSTER_ORDERS", "12"))  # per client, at least
RUN = f"{os.getpid()}"
VICTIM = 2  # the instance killed
START = time.monotonic()


def log(msg):
    print(f"[{time.monotonic() - START:7.2f}s] {msg}", flush=True)


# ---------------------------------------------------------------------------------------
# HTTP through nginx

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


REQUESTS = []  # (start, end, who, endpoint, status); status 0: no answer
REQUESTS_LOCK = threading.Lock()


class Answer:
    def __init__(self, status, location, body):
        self.status, self.location, self.body = status, location, body

    @property
    def failed(self):
        """No answer from the portal (a dead instance): the outcome is unknown."""
        return self.status == 0 or self.status >= 500

    def json(self):
        return json.loads(self.body) if self.body else None


class Client:
    def __init__(self, who):
        self.who = who
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def call(self, endpoint, form):
        req = urllib.request.Request(
            f"{BASE}/api/{endpoint}",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Origin": BASE, "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
        )
        start = time.monotonic()
        try:
            with self.opener.open(req, timeout=60) as res:
                answer = Answer(res.status, res.headers.get("Location"), res.read())
        except urllib.error.HTTPError as e:  # 3xx (not followed), 4xx, 5xx
            answer = Answer(e.code, e.headers.get("Location"), e.read())
        except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError) as e:
            answer = Answer(0, None, str(e).encode())
        with REQUESTS_LOCK:
            REQUESTS.append((start, time.monotonic(), self.who, endpoint, answer.status))
        return answer

    def must(self, endpoint, form):
        """For the set-up, before any instance is killed: anything but success stops the run."""
        a = self.call(endpoint, form)
        if a.status >= 400 or a.status == 0:
            raise SystemExit(f"{self.who}: {endpoint}: {a.status} {a.body[:300]!r}")
        return a


def totp(secret, at):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at // 30)), hashlib.sha1).digest()
    o = digest[-1] & 15
    return f"{(struct.unpack('>I', digest[o:o + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def log_in(who):
    c = Client(who)
    a = c.must("account/login", {"email": who, "password": PASSWORD, "next": "/espaces"})
    if a.location and a.location.startswith("/connexion/code"):
        # Each time step is accepted once: wait for a fresh one if needed.
        for _ in range(3):
            a = c.call("account/login-code", {"code": totp(STAFF_TOTP, time.time())})
            if a.location:
                break
            time.sleep(31 - time.time() % 30)
    if not a.location or not a.location.startswith("/espaces"):
        raise SystemExit(f"log-in of {who} failed: {a.status} {a.location} {a.body[:200]!r}")
    return c


# ---------------------------------------------------------------------------------------
# The database (psql), for the set-up's choice of sessions and for the checks

def sql_json(query):
    out = subprocess.run(["psql", DB, "-AtqX", "-v", "ON_ERROR_STOP=1", "-c", f"SELECT COALESCE(json_agg(t), '[]') FROM ({query}) t"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def sql_value(query):
    return subprocess.run(["psql", DB, "-AtqX", "-v", "ON_ERROR_STOP=1", "-c", query], capture_output=True, text=True, check=True).stdout.strip()


# ---------------------------------------------------------------------------------------
# The workload

class Shared:
    def __init__(self):
        self.lock = threading.Lock()
        self.attempts = 0  # order attempts started, all clients
        self.quota = ORDERS  # per client; raised after the restart
        self.enough = threading.Event()  # set once the restarted instance served again
        self.stop_staff = threading.Event()
        self.kill_at = None  # monotonic time of the SIGKILL
        self.seats = {}  # session id: seats not yet given to an attempt

    def take_seats(self, start, count):
        """A session with `count` free seats (looked for from position `start`), whose
        seats are then the caller's: no session is asked for more than it has."""
        with self.lock:
            ids = list(self.seats)
            for k in range(len(ids)):
                session = ids[(start + k) % len(ids)]
                if self.seats[session] >= count:
                    self.seats[session] -= count
                    return session
        return None


SHARED = Shared()


class Worker(threading.Thread):
    """One demo account: registers new participants and validates its orders."""

    def __init__(self, index, who, company):
        super().__init__(name=who)
        self.index, self.who, self.company = index, who, company
        self.acked = []  # (po, must: participants certainly in the order, may: perhaps in it)
        self.unacked = []  # po of validations without an answer
        self.refused = []  # (po, why): answered, but not validated
        self.app_errors = []  # (step, status, body): a 4xx the client did not expect
        self.pending = set()  # registered in the cart (acknowledged), not yet in an acknowledged order
        self.uncertain = set()  # registrations whose outcome is unknown
        self.done = 0
        self.client = None

    def run(self):
        try:
            self.client = log_in(self.who)
            n = 0
            while True:
                with SHARED.lock:
                    quota = SHARED.quota
                if n >= quota and SHARED.enough.is_set():
                    break
                if n >= 4 * ORDERS or not self.attempt(n):
                    break
                n += 1
                time.sleep(0.2)  # the user reads the page
            self.done = n
        except BaseException as e:  # reported as a violation
            self.app_errors.append(("thread", 0, repr(e)))

    def step(self, endpoint, form, expect_location=True):
        """A step's answer; None when it failed (no answer, or an unexpected refusal)."""
        a = self.client.call(endpoint, form)
        if a.failed:
            return None
        if a.status >= 400 or (expect_location and not a.location):
            self.app_errors.append((endpoint, a.status, a.body[:300].decode(errors="replace")))
            return None
        return a

    def attempt(self, n):
        """One order: False when no session has room left for it."""
        count = 2 if n % 4 == 1 else 1
        session = SHARED.take_seats(self.index * 3 + n, count)
        if session is None:
            return False
        with SHARED.lock:
            SHARED.attempts += 1
        po = f"BC-{RUN}-{self.index}-{n}"
        people = [(f"p{RUN}.{self.index}.{n}.{k}@participants-cluster.fr", f"Prénom{k}", f"Cluster{RUN}x{self.index}x{n}") for k in range(count)]
        emails = {p[0] for p in people}
        kind = "dirigeant" if self.index == 0 else "salarie"
        ok = self.step("wizard/start", {"session_id": str(session)})
        ok = ok and self.step("wizard/structure", {"kind": kind, "mode": "existing", "existing_company_id": str(self.company),
                                                   "existing_siret": "", "company[legal_name]": ""})
        for email, first, last in people:
            ok = ok and self.step("wizard/participants", {"op": "add", "email": email, "first_name": first, "last_name": last},
                                  expect_location=False)
        if not ok:
            # Added to the draft at most: a later registration for the same session
            # could carry them along.
            self.uncertain |= emails
            return True
        confirmed = self.step("wizard/participants", {"op": "confirm", "email": "", "first_name": "", "last_name": ""})
        if not confirmed:
            self.uncertain |= emails
            return True
        self.pending |= emails
        a = self.client.call("orders/validate", {"company_id": str(self.company), "billing": f"company:{self.company}",
                                                 "billing_siret": "", "po_reference": po, "accept_terms": "on"})
        if a.failed:
            # Validated or not: the cart's lines are in that order, or in the next one.
            self.unacked.append(po)
            self.uncertain |= self.pending
            self.pending = set()
        elif a.location and (a.location.endswith("/commandes") or a.location == "/espaces"):
            self.acked.append((po, frozenset(self.pending), frozenset(self.uncertain)))
            self.pending = set()
        else:
            self.refused.append((po, f"{a.status} {a.location} {a.body[:200]!r}"))
        return True


class Staff(threading.Thread):
    """The provider's staff: invoices each order of its sessions once."""

    def __init__(self, sessions):
        super().__init__(name="staff")
        self.sessions = sessions
        self.acked = []  # (order id, session id)
        self.unacked = []
        self.app_errors = []
        self.tried = set()

    def run(self):
        try:
            client = log_in(STAFF)
            last = False
            while not last:
                last = SHARED.stop_staff.is_set()
                for s in self.sessions:
                    a = client.call("provider/session", {"session_id": str(s)})
                    if a.failed:
                        continue
                    if a.status >= 400:
                        self.app_errors.append(("provider/session", a.status, a.body[:300].decode(errors="replace")))
                        continue
                    page = a.json()
                    invoiced = {i["order_number"] for i in page["invoices"] if i["kind"] == "Invoice"}
                    for order_id, number, _company in page["orders"]:
                        if number in invoiced or (order_id, s) in self.tried:
                            continue
                        self.tried.add((order_id, s))
                        r = client.call("provider/session/op", {"session_id": str(s), "op": f"invoice:{order_id}"})
                        if r.failed:
                            self.unacked.append((order_id, s))
                        elif r.status >= 400:
                            self.app_errors.append(("provider/session/op", r.status, r.body[:300].decode(errors="replace")))
                        else:
                            self.acked.append((order_id, s))
                time.sleep(1)
        except BaseException as e:
            self.app_errors.append(("thread", 0, repr(e)))


# ---------------------------------------------------------------------------------------
# The instances, directly on loopback (as an operator does)

def instance(i):
    return CFG["instances"][i - 1]


def pid_of(i):
    try:
        pid = int(open(instance(i)["pid_file"]).read().strip())
        return pid if b"release/server" in open(f"/proc/{pid}/cmdline", "rb").read() else None
    except (OSError, ValueError):
        return None


def get(url, timeout=2):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError):
        return 0, ""


def served(i):
    """Requests the instance answered since it started, the operator's own excepted."""
    status, text = get(f"{instance(i)['url']}/metrics")
    if status != 200:
        return None
    total = 0
    for line in text.splitlines():
        m = re.match(r'http_requests_total\{(.*)\} (\d+)', line)
        if m and not re.search(r'route="/(metrics|readyz|healthz)"', m.group(1)):
            total += int(m.group(2))
    return total


def kill_and_restart(report):
    """Kills the victim while its mail worker waits in the middle of an SMTP exchange,
    starts it again, and measures its time to /readyz 200."""
    hold, held = CFG["hold_file"], CFG["hold_file"] + ".held"
    with open(hold, "w") as f:
        f.write(str(instance(VICTIM)["smtp_port"]))
    deadline = time.monotonic() + 60
    while not os.path.exists(held) and time.monotonic() < deadline:
        time.sleep(0.02)
    if not os.path.exists(held):
        report["violations"].append("instance 2 sent no mail within 60 s: it could not be caught in the middle of a delivery")
        os.remove(hold)
        return None
    report["held"] = json.load(open(held))
    pid = pid_of(VICTIM)
    report["served_before_kill"] = {i: served(i) for i in (1, 2)}
    os.kill(pid, signal.SIGKILL)
    SHARED.kill_at = time.monotonic()
    report["kill_wall"] = time.time()
    log(f"instance {VICTIM} (pid {pid}) killed with SIGKILL while it was sending a mail to {report['held']['to']}")
    os.remove(hold)
    time.sleep(3)
    started = time.monotonic()
    report["restart_wall"] = time.time()
    subprocess.Popen(["bash", instance(VICTIM)["script"]], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)
    while time.monotonic() - started < 60:
        if get(f"{instance(VICTIM)['url']}/readyz", timeout=1)[0] == 200:
            ready = time.monotonic() - started
            log(f"instance {VICTIM} started again: /readyz 200 after {ready:.2f} s")
            return ready
        time.sleep(0.02)
    report["violations"].append("instance 2 was not ready 60 s after its restart")
    return None


# ---------------------------------------------------------------------------------------
# The checks: pure functions of what was collected, so that they can be tried on altered
# copies

def check(data):
    """Every violation found in `data` (see `collect`), as sentences."""
    v = []
    orders = data["orders"]  # {id: {number, po, company}}
    regs = data["registrations"]  # [{order_id, session_id, email, status}]
    by_po = collections.defaultdict(list)
    for o in orders.values():
        by_po[o["po"]].append(o)
    regs_of = collections.defaultdict(set)
    for r in regs:
        if r["order_id"] is not None:
            regs_of[r["order_id"]].add(r["email"])
    ours = re.compile(rf"^BC-{re.escape(data['run'])}-\d+-\d+$")

    # Each acknowledged order is there, once, with the participants registered for it.
    for po, must, may in data["acked"]:
        found = by_po.get(po, [])
        if len(found) != 1:
            v.append(f"acknowledged order {po}: {len(found)} order(s) in the database, expected 1")
            continue
        emails = regs_of[found[0]["id"]]
        if not set(must) <= emails:
            v.append(f"acknowledged order {po}: participants missing: {sorted(set(must) - emails)}")
        if not emails <= set(must) | set(may):
            v.append(f"acknowledged order {po}: registrations that no request of its client put there: {sorted(emails - set(must) - set(may))}")
    for po in data["unacked"]:
        if len(by_po.get(po, [])) > 1:
            v.append(f"order {po} (not acknowledged) is in the database {len(by_po[po])} times")
    for po, found in by_po.items():
        if not ours.match(po) and not po.startswith("BC-DEMO-"):
            v.append(f"order {found[0]['number']} with reference {po!r}: no client asked for it")
    # Every order has its registrations; every registration's order exists; a participant
    # is registered once per session.
    for oid, o in orders.items():
        if not regs_of[oid]:
            v.append(f"order {o['number']} has no registration")
    for oid in regs_of:
        if oid not in orders:
            v.append(f"registrations point to order {oid}, which does not exist")
    twice = collections.Counter((r["session_id"], r["email"]) for r in regs)
    for key, n in twice.items():
        if n > 1:
            v.append(f"participant {key[1]} registered {n} times for session {key[0]}")

    # Order numbers: CMD-<year>-<seq>, one sequence per year, without gaps, ending at its counter.
    seqs = collections.defaultdict(list)
    for o in orders.values():
        m = re.fullmatch(r"CMD-(\d{4})-(\d{6})", o["number"])
        if not m:
            v.append(f"order number {o['number']!r} is not CMD-<year>-<number>")
            continue
        seqs[int(m.group(1))].append(int(m.group(2)))
    for year, s in seqs.items():
        if sorted(s) != list(range(1, len(s) + 1)):
            v.append(f"order numbers of {year} are not 1..{len(s)} once each: gaps {sorted(set(range(1, max(s) + 1)) - set(s))}, "
                     f"twice {sorted(k for k, n in collections.Counter(s).items() if n > 1)}")
        if data["counters"].get(f"order-{year}") != max(s):
            v.append(f"counter order-{year} is {data['counters'].get(f'order-{year}')}, the last order number {max(s)}")

    # Invoice numbers: one sequence per provider and year, without gaps; each acknowledged
    # invoice is there, and no order is invoiced twice on a session.
    iseq = collections.defaultdict(list)
    for inv in data["invoices"]:
        iseq[(inv["provider_id"], inv["year"])].append(inv["seq"])
    for (provider, year), s in iseq.items():
        if sorted(s) != list(range(1, len(s) + 1)):
            v.append(f"invoice numbers of provider {provider} in {year} are not 1..{len(s)} once each: {sorted(s)}")
        if data["counters"].get(f"invoice-{provider}-{year}") != max(s):
            v.append(f"counter invoice-{provider}-{year} is {data['counters'].get(f'invoice-{provider}-{year}')}, the last invoice {max(s)}")
    invoiced = collections.Counter((i["order_id"], i["session_id"]) for i in data["invoices"] if i["kind"] == "facture")
    for key, n in invoiced.items():
        if n > 1:
            v.append(f"order {key[0]} invoiced {n} times for session {key[1]}")
    for key in data["invoices_acked"]:
        if invoiced.get(tuple(key), 0) != 1:
            v.append(f"acknowledged invoice of order {key[0]} (session {key[1]}) not in the database")

    # The outbox is drained, and each of its mails was received exactly once.
    for m in data["outbox"]:
        if m["sent_at"] is None:
            v.append(f"mail {m['id']} to {m['to_addr']} ({m['subject']!r}) was not sent" + (f": failed, {m['error']}" if m["failed_at"] else ""))
    sent = collections.Counter(mail_key(m["to_addr"], m["subject"], m["body"]) for m in data["outbox"] if m["sent_at"] is not None)
    received = collections.Counter(mail_key(to, r["subject"], r["text"]) for r in data["mailbox"] for to in r["to"])
    for key in sent.keys() | received.keys():
        if sent[key] != received[key]:
            v.append(f"mail to {key[0]} ({key[1]!r}): {sent[key]} in the outbox, received {received[key]} time(s)")
    # The mail held when instance 2 was killed was claimed by it: instance 1 took it over
    # once the lease had ended.
    held = data.get("held")
    if held:
        taken = [m for m in data["outbox"] if m["to_addr"].lower() == held["to"].lower() and m["attempts"] >= 2 and m["sent_at"] is not None]
        if not taken:
            v.append(f"no mail to {held['to']} was taken over after the killed instance's lease")
    return v


def mail_key(to, subject, body):
    return (to.strip().lower(), subject.strip(), body.replace("\r\n", "\n").strip())


def self_test(data):
    """Alterations that the checks must catch: (how many were tried, those missed)."""
    tried, missed = [], []

    def expect(name, alter):
        d = copy.deepcopy(data)
        alter(d)
        tried.append(name)
        if not check(d):
            missed.append(name)

    def drop_order(d, oid):
        d["orders"].pop(oid)
        d["registrations"] = [r for r in d["registrations"] if r["order_id"] != oid]

    expect("a mail received twice", lambda d: d["mailbox"].append(d["mailbox"][-1]))
    expect("a mail lost", lambda d: d["mailbox"].pop(0))
    expect("a mail not sent", lambda d: d["outbox"][0].update(sent_at=None))
    if data["acked"]:
        po = data["acked"][0][0]
        oid = next(o for o, x in data["orders"].items() if x["po"] == po)
        expect("an acknowledged order missing", lambda d: drop_order(d, oid))
        expect("an order made twice", lambda d: d["orders"].update({-1: dict(d["orders"][oid], id=-1, number="CMD-1999-000001")}))
        expect("a participant missing from an order", lambda d: d["registrations"].remove(
            next(r for r in d["registrations"] if r["order_id"] == oid)))
    expect("a registration twice", lambda d: d["registrations"].append(dict(d["registrations"][-1])))
    first = min(data["orders"].values(), key=lambda o: o["number"])
    expect("a gap in the order numbers", lambda d: drop_order(d, first["id"]))
    if data["invoices"]:
        expect("a gap in the invoice numbers", lambda d: d["invoices"].pop(0))
        expect("an order invoiced twice", lambda d: d["invoices"].append(dict(d["invoices"][0], seq=len(d["invoices"]) + 1)))
    return tried, missed


def collect(report, workers, staff):
    orders = {o["id"]: o for o in sql_json("SELECT id, number, po_reference AS po, company_id FROM orders")}
    return {
        "run": RUN,
        "orders": orders,
        "registrations": sql_json("SELECT order_id, session_id, participant_email AS email, status FROM registrations WHERE status <> 'panier'"),
        "counters": {c["name"]: c["value"] for c in sql_json("SELECT name, value FROM counters")},
        "invoices": sql_json("SELECT provider_id, year, seq, number, kind, order_id, session_id FROM invoices"),
        "outbox": sql_json("SELECT id, to_addr, subject, body, attempts, created_at, sent_at, failed_at, error FROM outbox ORDER BY id"),
        "mailbox": [json.loads(line) for line in open(CFG["mailbox"]) if line.strip()],
        "acked": [a for w in workers for a in w.acked],
        "unacked": [po for w in workers for po in w.unacked],
        "invoices_acked": staff.acked,
        "held": report.get("held"),
    }


# ---------------------------------------------------------------------------------------

def main():
    report = {"violations": []}
    violations = report["violations"]
    lease = CFG.get("mail_lease_secs") or 540

    # Set-up: the firm opens registration to anybody, so that every demo account of it
    # has a cart of its own; sessions with room, those of provider 1 (the staff's) first.
    alice = log_in(CLIENTS[0])
    company = alice.must("spaces/mine", {}).json()["companies"][0]["id"]
    alice.must("company/policy", {"company_id": str(company), "policy": "open"})
    rows = sql_json("SELECT s.id, t.provider_id, s.capacity - s.seats_taken AS free FROM training_sessions s "
                    "JOIN trainings t ON t.id = s.training_id "
                    "WHERE s.status = 'open' AND s.capacity > s.seats_taken AND s.start_date > CAST(CURRENT_DATE AS TEXT) "
                    "ORDER BY t.provider_id, s.id")
    SHARED.seats = {r["id"]: r["free"] for r in rows}
    sessions = [r["id"] for r in rows]
    staff_sessions = [r["id"] for r in rows if r["provider_id"] == 1]
    log(f"run {RUN}: company {company}, {len(sessions)} sessions with {sum(SHARED.seats.values())} free seats "
        f"({len(staff_sessions)} of the staff's provider), "
        f"{len(CLIENTS)} clients, {ORDERS} orders each at least; mail lease {lease} s")

    workers = [Worker(i, who, company) for i, who in enumerate(CLIENTS)]
    staff = Staff(staff_sessions)
    for t in workers + [staff]:
        t.start()

    # Two thirds of the orders planned: kill instance 2 in the middle of a mail, start it
    # again; the clients go on meanwhile, and after it until nginx sends it requests again.
    while SHARED.attempts < len(CLIENTS) * ORDERS * 2 // 3 and any(w.is_alive() for w in workers):
        time.sleep(0.05)
    ready = kill_and_restart(report)
    report["ready_secs"] = ready
    # Go on until nginx has sent the restarted instance some of the clients' requests.
    with SHARED.lock:
        SHARED.quota = max(SHARED.quota, max(1, SHARED.attempts // len(CLIENTS)) + 2)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        n = served(VICTIM) or 0
        if n >= 10:
            break
        time.sleep(0.25)
    else:
        violations.append("nginx sent no requests to the restarted instance within 90 s")
    report["served_by_restarted"] = served(VICTIM)
    SHARED.enough.set()
    for w in workers:
        w.join()
    SHARED.stop_staff.set()
    staff.join()
    clients_done = time.monotonic()
    log(f"clients done: {sum(w.done for w in workers)} order attempts")

    # The outbox drains: instance 2's claims are taken over once their lease ends. Given
    # up only when nothing was sent for longer than a lease and a poll.
    waiting, last_progress, least = None, time.monotonic(), None
    while time.monotonic() - last_progress < lease + 30:
        waiting = int(sql_value("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"))
        if waiting == 0:
            break
        if least is None or waiting < least:
            least, last_progress = waiting, time.monotonic()
        time.sleep(0.5)
    drain = time.monotonic() - clients_done
    if waiting:
        violations.append(f"the outbox did not drain: {waiting} mail(s) still waiting, none sent for {lease + 30} s")
    log(f"outbox drained {drain:.1f} s after the clients")

    data = collect(report, workers, staff)
    violations += check(data)
    for w in workers + [staff]:
        for step, status, body in w.app_errors:
            violations.append(f"{w.name}: {step} answered {status}: {body}")
    for w in workers:
        for po, why in w.refused:
            violations.append(f"{w.name}: validation of {po} refused: {why}")
    # A request may fail only if it was in flight on the killed instance (sent before the
    # kill, or within the second that nginx takes to see that instance's connections go).
    failed = [r for r in REQUESTS if r[4] == 0 or r[4] >= 500]
    kill_at = SHARED.kill_at
    late = [r for r in failed if kill_at is None or r[1] < kill_at or r[0] > kill_at + 1.0]
    for r in late[:10]:
        violations.append(f"{r[2]}: {r[3]} failed ({r[4]}) {r[0] - (kill_at or 0):+.2f} s from the kill: not in flight on the killed instance")

    # Requests per instance: nginx's log (the instance that answered each one).
    ports = {instance(i)["url"].rsplit(":", 1)[1]: i for i in (1, 2)}
    per = collections.Counter()
    per_before_kill = collections.Counter()
    per_after_restart = collections.Counter()
    for line in open(CFG["nginx_access_log"]):
        m = re.match(r"(\S+) (\d+) .* upstream=(.*?) upstream_status", line)
        if not m or "/api/" not in line:
            continue
        at, addr = float(m.group(1)), m.group(3).split(",")[-1].strip()
        i = ports.get(addr.rsplit(":", 1)[-1])
        if i is None:
            continue
        per[i] += 1
        if report.get("kill_wall") and at < report["kill_wall"]:
            per_before_kill[i] += 1
        if report.get("restart_wall") and at > report["restart_wall"]:
            per_after_restart[i] += 1
    total_before = sum(per_before_kill.values())
    for i in (1, 2):
        if total_before and per_before_kill[i] < total_before * 0.25:
            violations.append(f"before the kill, instance {i} answered {per_before_kill[i]} of {total_before} requests: not spread")

    tried, missed = self_test(data)
    for name in missed:
        violations.append(f"the checks did not catch {name} (self-test)")

    # Figures.
    acked = len(data["acked"])
    found = sum(1 for po, _, _ in data["acked"] if any(o["po"] == po for o in data["orders"].values()))
    unacked_found = sum(1 for po in data["unacked"] if any(o["po"] == po for o in data["orders"].values()))
    attempted = acked + len(data["unacked"]) + sum(len(w.refused) for w in workers)
    sent = [m for m in data["outbox"] if m["sent_at"] is not None]
    taken_over = [m for m in data["outbox"] if m["attempts"] >= 2]
    by_port = collections.Counter(r["port"] for r in data["mailbox"])
    smtp_ports = {instance(i)["smtp_port"]: i for i in (1, 2)}
    print()
    print("== cluster test figures ==")
    print(f"orders: {attempted} validations attempted, {acked} acknowledged, {found} of them found in the database; "
          f"{len(data['unacked'])} unanswered (instance killed), {unacked_found} of those exist anyway")
    print(f"registrations interrupted by the kill: {sum(len(w.uncertain) for w in workers)} participant(s) of unknown outcome")
    print(f"invoices: {len(staff.acked)} acknowledged, {len(staff.unacked)} unanswered; {len(data['invoices'])} in the database "
          f"(numbers 1..{max((i['seq'] for i in data['invoices']), default=0)} of provider 1)")
    print(f"requests through nginx: {len(REQUESTS)}, failed {len(failed)} (all in flight on the killed instance: {not late})")
    print(f"answered per instance (nginx log, /api/): instance 1 {per[1]}, instance 2 {per[2]}; before the kill "
          f"{per_before_kill[1]} / {per_before_kill[2]}; after the restart {per_after_restart[1]} / {per_after_restart[2]}")
    print(f"/metrics http_requests_total: before the kill {report.get('served_before_kill')}; restarted instance 2 since: "
          f"{report.get('served_by_restarted')}")
    print(f"mails: {len(data['outbox'])} in the outbox, {len(sent)} sent, {len(data['mailbox'])} received "
          f"(by instance 1: {by_port[instance(1)['smtp_port']]}, by instance 2: {by_port[instance(2)['smtp_port']]}); "
          f"taken over after a lease: {len(taken_over)}; outbox drained {drain:.1f} s after the clients (lease {lease} s)")
    if report.get("held"):
        print(f"killed while sending to {report['held']['to']}; restart to /readyz 200: "
              f"{report['ready_secs']:.2f} s" if report.get("ready_secs") is not None else "restart: not ready")
    print(f"checks tried on {len(tried)} altered copies (a mail received twice, a gap in the order numbers...): "
          f"{'each caught' if not missed else 'MISSED ' + ', '.join(missed)}")
    print(f"duration: {time.monotonic() - START:.0f} s")
    if violations:
        print(f"\nFAILED: {len(violations)} violation(s)")
        for x in violations[:60]:
            print(f"  - {x}")
        sys.exit(1)
    print("\nOK: no violation")


if __name__ == "__main__":
    main()
