"""Prints the size and generation time of each kind of PDF document.

Runs against a server started on a fresh SQLite database with the demo firm (see
scripts/bench-documents.sh): orders two registrations, lets the provider's staff
invoice them, then downloads each document N times over loopback.
"""
import http.cookiejar
import json
import os
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ.get("BENCH_URL", "http://127.0.0.1:3200")
PASSWORD = "demo-espace-2026"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "50"))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def client(email):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())
    call(opener, "account/login", {"email": email, "password": PASSWORD, "next": "/espaces"})
    return opener


def call(opener, endpoint, form):
    req = urllib.request.Request(
        f"{BASE}/api/{endpoint}",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Origin": BASE, "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        body = opener.open(req).read()
    except urllib.error.HTTPError as e:  # a redirect (3xx) is a success here
        if e.code >= 400:
            raise SystemExit(f"{endpoint}: {e.code} {e.read()[:200]!r}")
        body = e.read()
    return json.loads(body) if body else None


def main():
    alice = client("alice.admin@cabinet-demo.fr")
    company = call(alice, "spaces/mine", {})["companies"][0]["id"]
    call(alice, "wizard/start", {"session_id": "1"})
    call(alice, "wizard/structure", {"kind": "dirigeant", "mode": "existing", "existing_company_id": str(company),
                                      "existing_siret": "", "company[legal_name]": ""})
    for email in ["paul.collaborateur@cabinet-demo.fr", "nina.collaboratrice@cabinet-demo.fr"]:
        call(alice, "wizard/participants", {"op": "add_directory", "directory_email": email, "email": "", "first_name": "", "last_name": ""})
    call(alice, "wizard/participants", {"op": "confirm", "email": "", "first_name": "", "last_name": ""})
    call(alice, "orders/validate", {"company_id": str(company), "billing": f"company:{company}", "billing_siret": "",
                                     "po_reference": "BC-BENCH", "accept_terms": "on"})
    order = call(alice, "orders/list", {"company_id": str(company)})["orders"][0]["id"]
    staff = client("olivier.organisme@crcc-formation.fr")
    call(staff, "provider/session/op", {"session_id": "1", "op": f"downpayment:{order}"})
    call(staff, "provider/session/op", {"session_id": "1", "op": "confirm"})
    call(staff, "provider/session/op", {"session_id": "1", "op": f"invoice:{order}"})
    docs = call(alice, "company/documents", {"company_id": str(company)})
    invoice = next(i["id"] for i in docs["invoices"] if i["kind"] == "Invoice")
    down = next(i["id"] for i in docs["invoices"] if i["kind"] == "DownPayment")
    certificate = docs["certificates"][0][0]
    urls = {
        "facture": f"/documents/facture/{invoice}",
        "facture d'acompte": f"/documents/facture/{down}",
        "bon de commande": f"/documents/bon-de-commande/{order}",
        "convention collective": f"/documents/convention-collective/1?entreprise={company}",
        "certificat de réalisation": f"/documents/certificat/{certificate}",
        "liste CSV": f"/documents/export/{company}",
    }
    print(f"{'document':28} {'bytes':>7} {'median ms':>10} {'p95 ms':>8}  ({ROUNDS} GET over loopback, one at a time)")
    for name, url in urls.items():
        times, size = [], 0
        for _ in range(ROUNDS):
            start = time.perf_counter()
            size = len(alice.open(BASE + url).read())
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"{name:28} {size:>7} {statistics.median(times):>10.2f} {times[int(len(times) * 0.95) - 1]:>8.2f}")


if __name__ == "__main__":
    main()
