//! Pagination of the lists that grow (issue 12): the catalogue's results, a company's
//! directory, registrations, orders, documents and audit log, a provider's sessions.
//! Each is seeded with more than one page of rows; its server function answers the first
//! page and the total, then any page asked for (page 0, garbage and pages past the end
//! brought back within bounds), pages that neither overlap nor skip; its page
//! (`GET …?page=2`) shows the total and the links to the other pages, its filters kept.

mod common;

use app::domain::page::per_page;
use app::domain::registration::RegistrationStatus;
use app::server::db::{new_id, now, today};
use axum::http::StatusCode;
use common::{siret, TestApp};
use serde_json::Value;
use std::collections::BTreeSet;

/// Runs a statement of the seed.
async fn exec(app: &TestApp, sql: &str, binds: Vec<Bind>) {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = match b {
            Bind::I(v) => q.bind(v),
            Bind::S(v) => q.bind(v),
        };
    }
    q.execute(app.db()).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

enum Bind {
    I(i64),
    S(String),
}

fn i(v: i64) -> Bind {
    Bind::I(v)
}

fn s(v: impl Into<String>) -> Bind {
    Bind::S(v.into())
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(app.db()).await.unwrap();
    id
}

async fn count(app: &TestApp, sql: &str, id: i64) -> u64 {
    let (n,): (i64,) = sqlx::query_as(sql).bind(id).fetch_one(app.db()).await.unwrap();
    n as u64
}

/// A logged-in administrator of a new company: (client, company id, his user id).
async fn admin_with_company(n: u32) -> (TestApp, i64, i64) {
    let mut admin = TestApp::spawn().await;
    admin.sign_up("Marie", "Durand", "marie@cabinet-pages.fr").await;
    let company = admin.create_company(1, &siret(n), "restricted", &[]).await;
    let uid = user_id(&admin, "marie@cabinet-pages.fr").await;
    (admin, company, uid)
}

/// One page of a list as a server function answers it.
struct Page {
    items: Vec<Value>,
    total: u64,
    page: u64,
    per_page: u64,
}

fn page_of(v: &Value) -> Page {
    Page {
        items: v["items"].as_array().unwrap_or_else(|| panic!("not a page: {v}")).clone(),
        total: v["total"].as_u64().unwrap(),
        page: v["page"].as_u64().unwrap(),
        per_page: v["per_page"].as_u64().unwrap(),
    }
}

/// Reads a list page by page through `fetch` (page number as typed → the page) and checks
/// the pages: each full but the last, the total the same on each, the last holding the
/// remainder; page 0, garbage and pages past the end brought back within bounds.
/// Returns every item's key (`key`), in order, each once.
async fn walk<F, Fut>(label: &str, per: u32, expected_total: u64, mut fetch: F, key: impl Fn(&Value) -> String) -> Vec<String>
where
    F: FnMut(String) -> Fut,
    Fut: std::future::Future<Output = Page>,
{
    let per = u64::from(per);
    let pages = expected_total.div_ceil(per).max(1);
    assert!(pages >= 2, "{label}: seed more than one page ({expected_total} rows, {per} a page)");
    let first = fetch(String::new()).await;
    assert_eq!((first.total, first.page, first.per_page), (expected_total, 1, per), "{label}: first page without a page asked for");
    assert_eq!(first.items.len() as u64, per, "{label}: the first page is full");
    let mut keys: Vec<String> = Vec::new();
    for n in 1..=pages {
        let p = fetch(n.to_string()).await;
        assert_eq!((p.total, p.page, p.per_page), (expected_total, n, per), "{label}: page {n}");
        let want = if n < pages { per } else { expected_total - per * (pages - 1) };
        assert_eq!(p.items.len() as u64, want, "{label}: items on page {n} of {pages}");
        keys.extend(p.items.iter().map(&key));
    }
    let distinct: BTreeSet<&String> = keys.iter().collect();
    assert_eq!(distinct.len(), keys.len(), "{label}: an item on two pages: {keys:?}");
    assert_eq!(keys.len() as u64, expected_total, "{label}: the pages cover the list");
    let first_keys: Vec<String> = first.items.iter().map(&key).collect();
    assert_eq!(first_keys[..], keys[..per as usize], "{label}: no page asked for is page 1");
    // Hostile page numbers: the first page, or the last.
    for raw in ["0", "-1", "abc", "1.5", "", " "] {
        let p = fetch(raw.to_string()).await;
        assert_eq!((p.page, p.total), (1, expected_total), "{label}: page {raw:?}");
        assert_eq!(p.items.iter().map(&key).collect::<Vec<_>>(), first_keys, "{label}: page {raw:?} is the first");
    }
    for raw in [(pages + 1).to_string(), "4294967295".to_string(), "99999999999999999999".to_string()] {
        let p = fetch(raw.clone()).await;
        assert_eq!((p.page, p.total), (pages, expected_total), "{label}: page {raw} is the last");
        assert_eq!(p.items.len() as u64, expected_total - per * (pages - 1), "{label}: page {raw}");
    }
    keys
}

/// The HTML of a page with `&amp;` read back as `&`.
async fn html(client: &mut TestApp, path: &str) -> String {
    let (status, body) = client.get(path).await;
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body.replace("&amp;", "&")
}

/// The `<nav>` named `label` in a page: its links as (text, href), and the text of the
/// element marked as the current page.
fn nav(html: &str, label: &str) -> (Vec<(String, String)>, String) {
    let open = format!(r#"<nav aria-label="{label}""#);
    let start = html.find(&open).unwrap_or_else(|| panic!("no nav {label:?} in {html}"));
    let rest = &html[start..];
    let nav = &rest[..rest.find("</nav>").expect("a closed nav")];
    let text = |s: &str| {
        let mut out = String::new();
        let mut in_tag = false;
        for c in s.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.trim().to_string()
    };
    let mut links = Vec::new();
    let mut current = String::new();
    for part in nav.split("<a ").skip(1) {
        let tag_end = part.find('>').unwrap();
        let tag = &part[..tag_end];
        let href = tag.split(r#"href=""#).nth(1).and_then(|h| h.split('"').next()).unwrap_or("").to_string();
        let inner = text(&part[tag_end + 1..part.find("</a>").unwrap()]);
        if tag.contains(r#"aria-current="page""#) {
            current = inner.clone();
        }
        links.push((inner, href));
    }
    (links, current)
}

fn link<'a>(links: &'a [(String, String)], text: &str) -> Option<&'a str> {
    links.iter().find(|(t, _)| t == text).map(|(_, h)| h.as_str())
}

/// Page 2 of a list of `pages` pages, as rendered: the count, "Précédente" to page 1,
/// "Suivante" to page 3 (or no link on the last page), page 2 current, every link keeping
/// `keep` (the other query parameters).
fn check_second_page(label: &str, html: &str, nav_label: &str, param: &str, pages: u64, keep: &str, count: &str) {
    assert!(html.contains(count), "{label}: {count:?} not shown");
    let (links, current) = nav(html, nav_label);
    assert_eq!(current, "2", "{label}: current page");
    let to = |n: u64| format!("?{param}={n}{keep}");
    assert_eq!(link(&links, "Précédente"), Some(to(1).as_str()), "{label}: Précédente");
    assert_eq!(link(&links, "1"), Some(to(1).as_str()), "{label}: page 1");
    assert_eq!(link(&links, "2"), Some(to(2).as_str()), "{label}: page 2");
    if pages > 2 {
        assert_eq!(link(&links, "Suivante"), Some(to(3).as_str()), "{label}: Suivante");
    } else {
        assert_eq!(link(&links, "Suivante"), None, "{label}: no next page, no link");
        assert!(html.contains("Suivante"), "{label}: Suivante shown, not as a link");
    }
    assert_eq!(link(&links, &pages.to_string()), Some(to(pages).as_str()), "{label}: the last page");
}

// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn the_catalogue_results_come_by_page_with_their_filters() {
    let mut visitor = TestApp::spawn().await;
    let app = visitor.clone();
    // 45 trainings found by one word, in one provider's catalogue; two share a title.
    let n = 45;
    for k in 0..n {
        let id = 60_000 + k;
        let title = if k == 7 { "Pagination 03".to_string() } else { format!("Pagination {k:02}") };
        exec(
            &app,
            "INSERT INTO trainings (id, provider_id, code, title, summary, objectives, programme, prerequisites, audience, modality, \
             duration_hours, price_cents, search_text) VALUES ($1, 1, $2, $3, 'Résumé', 'Objectif', 'Programme', 'Aucun', 'EC', 'presentiel', 7, 10000, $4)",
            vec![i(id), s(format!("PAG-{k}")), s(title), s("zzpagination formation")],
        )
        .await;
    }
    app.state.catalogue.invalidate();
    let client = visitor.new_client();
    let keys = walk(
        "catalogue",
        per_page::CATALOGUE,
        n as u64,
        |page| {
            let mut c = client.clone();
            async move { page_of(&c.json("catalogue/search", &[("query[q]", "zzpagination"), ("page", page.as_str())]).await["trainings"]) }
        },
        |t| t["id"].to_string(),
    )
    .await;
    // The catalogue's order (title, then id for equal titles).
    assert_eq!(keys[3], "60003");
    assert_eq!(keys[4], "60007", "equal titles in a fixed order");
    // Without the word: the demo catalogue too.
    let (trainings,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM trainings").fetch_one(app.db()).await.unwrap();
    let all = visitor.json("catalogue/search", &[]).await;
    assert_eq!(all["trainings"]["total"].as_u64().unwrap(), trainings as u64);
    assert!(trainings > n, "the demo catalogue as well");

    let page = html(&mut visitor, "/catalogue?q=zzpagination&page=2").await;
    check_second_page("catalogue", &page, "Pagination", "page", 3, "&q=zzpagination", "45 formations");
    assert_eq!(page.matches("href=\"/formations/").count(), 20, "20 trainings on page 2");
    // A hand-typed page past the end shows the last one.
    let last = html(&mut visitor, "/catalogue?q=zzpagination&page=999").await;
    assert_eq!(nav(&last, "Pagination").1, "3");
    let garbage = html(&mut visitor, "/catalogue?q=zzpagination&page=abc").await;
    assert_eq!(nav(&garbage, "Pagination").1, "1");
}

#[tokio::test]
async fn the_directory_comes_by_page_in_alphabetical_order() {
    let (mut admin, company, _) = admin_with_company(301).await;
    let cid = company.to_string();
    // 60 people (and the administrator), some with accents that sort as plain letters.
    let names = ["Émery", "Eber", "Zola", "Ëtienne", "Ecker", "Abadie"];
    for k in 0..60 {
        let last = format!("{}{k:02}", names[k % names.len()]);
        exec(
            &admin,
            "INSERT INTO collaborators (id, company_id, email, first_name, last_name, created_at) VALUES ($1, $2, $3, 'Prénom', $4, $5)",
            vec![i(new_id()), i(company), s(format!("p{k}@cabinet-pages.fr")), s(last), i(now())],
        )
        .await;
    }
    let total = count(&admin, "SELECT COUNT(*) FROM collaborators WHERE company_id = $1", company).await;
    assert!((60..=62).contains(&total), "{total}");
    let client = admin.clone();
    let keys = walk(
        "directory",
        per_page::DIRECTORY,
        total,
        |page| {
            let mut c = client.clone();
            let cid = cid.clone();
            async move { page_of(&c.json("company/people", &[("company_id", cid.as_str()), ("page", page.as_str())]).await["data"]) }
        },
        |p| p["last_name"].as_str().unwrap().to_string(),
    )
    .await;
    let folded: Vec<String> = keys.iter().map(|k| app::domain::catalogue::fold(k)).collect();
    let mut sorted = folded.clone();
    sorted.sort();
    assert_eq!(folded, sorted, "accents folded: É and Ë with the E");

    let page = html(&mut admin, &format!("/entreprise/{company}/annuaire?page=2")).await;
    check_second_page("directory", &page, "Pagination", "page", 3, "", &format!("{total} collaborateurs"));
    // A refusal stays a refusal on any page.
    let mut stranger = admin.new_client();
    stranger.sign_up("Paul", "Martin", "paul@ailleurs.fr").await;
    let (status, _, _) = stranger.call("company/people", &[("company_id", cid.as_str()), ("page", "2")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Sessions and registrations of a company for the registrations and documents: 24
/// upcoming sessions with one confirmed registration each (and two cancelled ones), an
/// upcoming e-learning session with 21 confirmed, a past session with 23 done. Returns
/// the number of registrations listed.
async fn seed_registrations(app: &TestApp, company: i64, by: i64) -> u64 {
    exec(
        app,
        "INSERT INTO trainings (id, provider_id, code, title, summary, objectives, programme, prerequisites, audience, modality, \
         duration_hours, price_cents, search_text) VALUES (70000, 1, 'PAG-P', 'Présentiel paginé', 'R', 'O', 'P', 'A', 'EC', 'presentiel', 7, 10000, 'x'), \
         (70001, 1, 'PAG-E', 'E-learning paginé', 'R', 'O', 'P', 'A', 'EC', 'e_learning', 7, 10000, 'x')",
        vec![],
    )
    .await;
    let session = |id: i64, training: i64, days: i64| async move {
        let start = today().add_days(days).iso();
        exec(
            app,
            "INSERT INTO training_sessions (id, training_id, start_date, end_date, schedule, city, place, capacity, seats_taken) \
             VALUES ($1, $2, $3, $4, '9h-17h', 'Paris', 'Salle', 100, 0)",
            vec![i(id), i(training), s(start.clone()), s(start)],
        )
        .await;
    };
    let registration = |session: i64, email: String, status: RegistrationStatus| async move {
        exec(
            app,
            "INSERT INTO registrations (id, session_id, company_id, participant_email, participant_first_name, participant_last_name, \
             status, registered_by, created_at) VALUES ($1, $2, $3, $4, 'Prénom', $5, $6, $7, $8)",
            vec![i(new_id()), i(session), i(company), s(email.clone()), s(email), s(status.code()), i(by), i(now())],
        )
        .await;
    };
    for k in 0..24 {
        session(71_000 + k, 70000, 10 + k).await;
        registration(71_000 + k, format!("p{k:02}@cabinet-pages.fr"), RegistrationStatus::Confirmed).await;
    }
    registration(71_000, "annule1@cabinet-pages.fr".into(), RegistrationStatus::Cancelled).await;
    registration(71_001, "annule2@cabinet-pages.fr".into(), RegistrationStatus::Cancelled).await;
    session(72_000, 70001, 30).await;
    for k in 0..21 {
        registration(72_000, format!("e{k:02}@cabinet-pages.fr"), RegistrationStatus::Confirmed).await;
    }
    session(73_000, 70000, -40).await;
    for k in 0..23 {
        registration(73_000, format!("d{k:02}@cabinet-pages.fr"), RegistrationStatus::Done).await;
    }
    24 + 2 + 21 + 23
}

#[tokio::test]
async fn the_registrations_come_by_page_with_their_filters() {
    let (mut admin, company, uid) = admin_with_company(302).await;
    let cid = company.to_string();
    let before = page_of(&admin.json("company/home", &[("company_id", cid.as_str())]).await["registrations"]).total;
    let total = before + seed_registrations(&admin, company, uid).await;
    let client = admin.clone();
    let fetch = |filter: [(&'static str, &'static str); 3]| {
        let client = client.clone();
        let cid = cid.clone();
        move |page: String| {
            let mut c = client.clone();
            let cid = cid.clone();
            async move {
                let mut form = vec![("company_id", cid.as_str()), ("page", page.as_str())];
                form.extend(filter);
                page_of(&c.json("company/home", &form).await["registrations"])
            }
        }
    };
    let none = [("filter[participant]", ""), ("filter[status]", ""), ("filter[period]", "")];
    let keys = walk("registrations", per_page::REGISTRATIONS, total, fetch(none), |r| r["id"].to_string()).await;
    assert_eq!(keys.len() as u64, total);
    // The upcoming first (soonest first), then the past.
    let all: Vec<Value> = {
        let mut out = Vec::new();
        for n in 1..=total.div_ceil(u64::from(per_page::REGISTRATIONS)) {
            out.extend(fetch(none)(n.to_string()).await.items);
        }
        out
    };
    let upcoming: Vec<bool> = all.iter().map(|r| r["upcoming"].as_bool().unwrap()).collect();
    let first_past = upcoming.iter().position(|u| !u).unwrap();
    assert!(upcoming[first_past..].iter().all(|u| !u), "the past after the upcoming");
    let starts: Vec<&str> = all[..first_past].iter().map(|r| r["start_date"].as_str().unwrap()).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "the soonest first: {starts:?}");

    // Filtered on the server, paginated after the filter.
    let upcoming_only = [("filter[participant]", ""), ("filter[status]", ""), ("filter[period]", "a_venir")];
    walk("upcoming registrations", per_page::REGISTRATIONS, 47, fetch(upcoming_only), |r| r["id"].to_string()).await;
    let done = [("filter[participant]", ""), ("filter[status]", RegistrationStatus::Done.code()), ("filter[period]", "")];
    walk("done registrations", per_page::REGISTRATIONS, 23, fetch(done), |r| r["id"].to_string()).await;
    let one = page_of(
        &admin
            .json("company/home", &[("company_id", cid.as_str()), ("filter[participant]", "e03@cabinet-pages.fr"), ("page", "2")])
            .await["registrations"],
    );
    assert_eq!((one.total, one.page, one.items.len()), (1, 1, 1));
    let home = admin.json("company/home", &[("company_id", cid.as_str()), ("filter[period]", "passees")]).await;
    assert_eq!(home["registrations"]["total"], 23);
    assert_eq!(home["registrations_total"].as_u64(), Some(total), "the count of all the company's registrations");
    assert!(home["participants"].as_array().unwrap().len() >= 70, "every participant offered in the filter");

    // The page keeps its filters in its links.
    let page = html(&mut admin, &format!("/entreprise/{company}?periode=a_venir&page=2")).await;
    check_second_page("registrations", &page, "Pagination", "page", 3, "&periode=a_venir", &format!("47 inscription(s) sur {total}"));
}

#[tokio::test]
async fn the_orders_come_by_page_newest_first() {
    let (mut admin, company, uid) = admin_with_company(303).await;
    let cid = company.to_string();
    // 45 orders, 30 of them validated in the same second.
    let at = now();
    for k in 0..45 {
        exec(
            &admin,
            "INSERT INTO orders (id, number, company_id, billing_company_id, po_reference, total_cents, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, 1000, $6, $7)",
            vec![i(new_id()), s(format!("CMD-PAG-{k:06}")), i(company), i(company), s(format!("BC-{k}")), i(uid), i(if k < 30 { at } else { at - 1000 + k as i64 })],
        )
        .await;
    }
    let client = admin.clone();
    let keys = walk(
        "orders",
        per_page::ORDERS,
        45,
        |page| {
            let mut c = client.clone();
            let cid = cid.clone();
            async move { page_of(&c.json("orders/list", &[("company_id", cid.as_str()), ("page", page.as_str())]).await["orders"]) }
        },
        |o| o["number"].as_str().unwrap().to_string(),
    )
    .await;
    assert_eq!(keys[0], "CMD-PAG-000029", "newest first, then the higher number");
    assert_eq!(keys[29], "CMD-PAG-000000");
    assert_eq!(keys[30], "CMD-PAG-000044");

    let page = html(&mut admin, &format!("/entreprise/{company}/commandes?page=2")).await;
    check_second_page("orders", &page, "Pagination", "page", 3, "", "45 commandes");
    // Somebody without a right on the company gets no page of its orders.
    let mut other = admin.new_client();
    other.sign_up("Jean", "Dupont", "jean@ailleurs.fr").await;
    let (status, _, _) = other.call("orders/list", &[("company_id", cid.as_str()), ("page", "2")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn each_kind_of_document_comes_by_page() {
    let (mut admin, company, uid) = admin_with_company(304).await;
    let cid = company.to_string();
    seed_registrations(&admin, company, uid).await;
    // (argument and URL parameter, JSON field, expected total)
    let kinds = [
        ("agreements", "conventions", "agreements", 26u64),
        ("individual_agreements", "conventions-individuelles", "individual_agreements", 68),
        ("protocols", "protocoles", "protocols", 21),
        ("certificates", "certificats", "certificates", 23),
    ];
    for (arg, _, field, total) in kinds {
        let client = admin.clone();
        let cid = cid.clone();
        walk(
            field,
            per_page::DOCUMENTS,
            total,
            move |page| {
                let mut c = client.clone();
                let cid = cid.clone();
                async move {
                    // Another kind's page asked for at the same time changes nothing here.
                    let other = if arg == "protocols" { "certificates" } else { "protocols" };
                    page_of(&c.json("company/documents", &[("company_id", cid.as_str()), (arg, page.as_str()), (other, "2")]).await[field])
                }
            },
            |d| d[0].to_string(),
        )
        .await;
    }
    // Each list has its own page in the URL, the others' kept.
    let page = html(&mut admin, &format!("/entreprise/{company}/documents?certificats=2&conventions-individuelles=3")).await;
    let (links, current) = nav(&page, "Pagination — Certificats de réalisation");
    assert_eq!(current, "2");
    assert_eq!(link(&links, "Précédente"), Some("?certificats=1&conventions-individuelles=3#certificats"));
    assert_eq!(link(&links, "Suivante"), None);
    let (links, current) = nav(&page, "Pagination — Conventions individuelles");
    assert_eq!(current, "3");
    assert_eq!(link(&links, "Suivante"), Some("?conventions-individuelles=4&certificats=2#conventions-individuelles"));
    let (_, current) = nav(&page, "Pagination — Conventions collectives");
    assert_eq!(current, "1");
    for count in ["26 documents", "68 documents", "21 documents", "23 documents"] {
        assert!(page.contains(count), "{count}");
    }
}

#[tokio::test]
async fn the_audit_log_comes_by_page_newest_first() {
    let (mut admin, company, uid) = admin_with_company(305).await;
    let cid = company.to_string();
    // 70 changes, many in the same second.
    let at = now() + 100;
    for k in 0..70 {
        exec(
            &admin,
            "INSERT INTO audit_log (id, company_id, actor_user_id, action, before_json, after_json, created_at) VALUES ($1, $2, $3, 'info.update', '{}', $4, $5)",
            vec![i(new_id()), i(company), i(uid), s(format!("{{\"k\":{k}}}")), i(at + (k / 10) as i64)],
        )
        .await;
    }
    let total = count(&admin, "SELECT COUNT(*) FROM audit_log WHERE company_id = $1", company).await;
    assert!(total >= 70);
    let client = admin.clone();
    let keys = walk(
        "audit log",
        per_page::AUDIT_LOG,
        total,
        |page| {
            let mut c = client.clone();
            let cid = cid.clone();
            async move { page_of(&c.json("company/audit", &[("company_id", cid.as_str()), ("page", page.as_str())]).await["data"]) }
        },
        |a| format!("{}|{}|{}|{}", a["at"], a["action"], a["before"], a["after"]),
    )
    .await;
    let times: Vec<i64> = keys.iter().map(|k| k.split('|').next().unwrap().parse().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");

    let page = html(&mut admin, &format!("/entreprise/{company}/journal?page=2")).await;
    let pages = total.div_ceil(u64::from(per_page::AUDIT_LOG));
    check_second_page("audit log", &page, "Pagination", "page", pages, "", &format!("{total} modifications"));
}

#[tokio::test]
async fn the_provider_sessions_come_by_page_upcoming_first() {
    let app = TestApp::spawn().await;
    let mut olivier = app.provider_staff("olivier@crcc-pages.fr", 1).await;
    exec(
        &app,
        "INSERT INTO trainings (id, provider_id, code, title, summary, objectives, programme, prerequisites, audience, modality, \
         duration_hours, price_cents, search_text) VALUES (80000, 1, 'PAG-S', 'Sessions paginées', 'R', 'O', 'P', 'A', 'CAC', 'presentiel', 7, 10000, 'x')",
        vec![],
    )
    .await;
    // 40 sessions, some on the same day; 10 of them past.
    for k in 0..40i64 {
        let start = today().add_days(if k < 10 { -5 - k } else { 3 + k / 3 }).iso();
        exec(
            &app,
            "INSERT INTO training_sessions (id, training_id, start_date, end_date, schedule, city, place, capacity, seats_taken) \
             VALUES ($1, 80000, $2, $3, '9h-17h', 'Lyon', 'Salle', 10, 0)",
            vec![i(81_000 + k), s(start.clone()), s(start)],
        )
        .await;
    }
    let total = count(&app, "SELECT COUNT(*) FROM training_sessions s JOIN trainings t ON t.id = s.training_id WHERE t.provider_id = $1", 1).await;
    let client = olivier.clone();
    let keys = walk(
        "provider sessions",
        per_page::PROVIDER_SESSIONS,
        total,
        |page| {
            let mut c = client.clone();
            async move { page_of(&c.json("provider/home", &[("page", page.as_str())]).await["sessions"]) }
        },
        |s| s["id"].to_string(),
    )
    .await;
    let ids: BTreeSet<String> = keys.into_iter().collect();
    let all: Vec<(i64,)> = sqlx::query_as("SELECT s.id FROM training_sessions s JOIN trainings t ON t.id = s.training_id WHERE t.provider_id = 1")
        .fetch_all(app.db())
        .await
        .unwrap();
    assert_eq!(ids, all.iter().map(|(id,)| id.to_string()).collect(), "every session of the provider, once");
    let first = olivier.json("provider/home", &[]).await;
    assert!(first["sessions"]["items"].as_array().unwrap().iter().all(|s| s["upcoming"] == true), "the upcoming first");

    let page = html(&mut olivier, "/organisme?page=2").await;
    let pages = total.div_ceil(u64::from(per_page::PROVIDER_SESSIONS));
    check_second_page("provider sessions", &page, "Pagination", "page", pages, "", &format!("{total} sessions"));
    // Somebody who is not on the staff gets no page of it.
    let mut visitor = app.new_client();
    visitor.sign_up("Paul", "Martin", "paul@ailleurs.fr").await;
    let (status, _, _) = visitor.call("provider/home", &[("page", "2")]).await;
    assert!(status.is_client_error(), "{status}");
}
