//! Every page says what it offers in one `<meta name="description">` of its head
//! (issue 11, Lighthouse SEO): 70 to 160 characters, and no two pages alike. Each route
//! of `app/src/lib.rs` is opened by the user it is made for, on the demo firm.

mod common;

use app::server::demo::{DEMO_STAFF, PAST_SESSION};
use axum::http::StatusCode;
use common::{demo_login, TestApp};
use std::collections::BTreeMap;

/// Who opens a page.
#[derive(Clone, Copy, Debug)]
enum Who {
    Visitor,
    /// A visitor who clicked INSCRIPTION on a session.
    Registrant,
    /// The demo firm's administrator.
    Admin,
    /// A collaborator of the demo firm, without a role.
    Participant,
    /// The provider's staff.
    Staff,
}

/// A link whose token matches nothing: the page says so.
const UNKNOWN_TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// Each `<Route path=path!("…") view=…>` of the app: (path, view).
fn routes_of_the_app() -> Vec<(String, String)> {
    let source = include_str!("../../app/src/lib.rs");
    source
        .split("<Route path=path!(\"")
        .skip(1)
        .map(|rest| {
            let (path, rest) = rest.split_once('"').expect("a closing quote");
            let view = rest.split("view=").nth(1).expect("a view").split_whitespace().next().unwrap();
            (path.to_string(), view.to_string())
        })
        .collect()
}

/// The `content` of each `<meta name="description">` of the page, and whether all of them
/// are in its head.
fn descriptions(html: &str) -> (Vec<String>, bool) {
    let head_end = html.find("</head>").unwrap_or(0);
    let mut found = Vec::new();
    let mut in_head = true;
    for (at, _) in html.match_indices("<meta ") {
        let tag = &html[at..at + html[at..].find('>').expect("a closed tag")];
        if !tag.contains(r#"name="description""#) {
            continue;
        }
        in_head &= at < head_end;
        let content = tag.split(r#"content=""#).nth(1).and_then(|c| c.split('"').next()).unwrap_or("");
        found.push(unescape(content));
    }
    (found, in_head)
}

fn unescape(attribute: &str) -> String {
    attribute.replace("&quot;", "\"").replace("&#x27;", "'").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[tokio::test]
async fn every_page_has_one_description_of_its_own() {
    let app = TestApp::spawn_with(true).await;
    let mut visitor = app.new_client();
    let mut registrant = app.new_client();
    registrant.json("wizard/start", &[("session_id", "1")]).await;
    let mut admin = demo_login(&app, "alice.admin@cabinet-demo.fr").await;
    let mut participant = demo_login(&app, "paul.collaborateur@cabinet-demo.fr").await;
    let mut staff = demo_login(&app, DEMO_STAFF.0).await;

    let company = admin.json("spaces/mine", &[]).await["companies"][0]["id"].as_i64().expect("the demo firm");
    let survey = participant.json("spaces/mine", &[]).await["surveys_to_fill"][0].as_i64().expect("a questionnaire to fill");
    let cid = company.to_string();
    participant.json("company/request-rights", &[("company_id", cid.as_str()), ("role", "training_manager")]).await;
    let (request,): (i64,) =
        sqlx::query_as("SELECT id FROM rights_requests WHERE company_id = $1").bind(company).fetch_one(app.db()).await.expect("the request");
    let registration = admin.json("company/home", &[("company_id", cid.as_str())]).await["registrations"]["items"][0]["id"]
        .as_i64()
        .expect("a registration");

    // (route, address, who, whether the page opens for him: no refusal nor error shown)
    let c = |tab: &str| format!("/entreprise/{company}{tab}");
    let pages: Vec<(&str, String, Who, bool)> = vec![
        ("/", "/".into(), Who::Visitor, true),
        ("/catalogue", "/catalogue".into(), Who::Visitor, true),
        ("/formations/:id", "/formations/1".into(), Who::Visitor, true),
        ("/connexion", "/connexion".into(), Who::Visitor, true),
        ("/connexion/code", "/connexion/code".into(), Who::Visitor, true),
        ("/mon-compte/double-authentification", "/mon-compte/double-authentification".into(), Who::Participant, true),
        ("/creer-un-compte", "/creer-un-compte".into(), Who::Visitor, true),
        ("/mot-de-passe-oublie", "/mot-de-passe-oublie".into(), Who::Visitor, true),
        ("/nouveau-mot-de-passe/:token", format!("/nouveau-mot-de-passe/{UNKNOWN_TOKEN}"), Who::Visitor, false),
        ("/mon-compte", "/mon-compte".into(), Who::Participant, true),
        ("/confidentialite", "/confidentialite".into(), Who::Visitor, true),
        ("/changer-adresse/:token", format!("/changer-adresse/{UNKNOWN_TOKEN}"), Who::Participant, false),
        ("/inscription", "/inscription".into(), Who::Visitor, true),
        ("/inscription/:step", "/inscription/connexion".into(), Who::Registrant, true),
        ("/espaces", "/espaces".into(), Who::Participant, true),
        ("/organisme", "/organisme".into(), Who::Staff, true),
        ("/organisme/catalogue", "/organisme/catalogue".into(), Who::Staff, true),
        ("/organisme/session/:id", format!("/organisme/session/{PAST_SESSION}"), Who::Staff, true),
        ("/entreprise/:id", c(""), Who::Admin, true),
        ("/entreprise/:id/informations", c("/informations"), Who::Admin, true),
        ("/entreprise/:id/annuaire", c("/annuaire"), Who::Admin, true),
        ("/entreprise/:id/etablissements", c("/etablissements"), Who::Admin, true),
        ("/entreprise/:id/documents", c("/documents"), Who::Admin, true),
        ("/entreprise/:id/factures", c("/factures"), Who::Admin, true),
        ("/entreprise/:id/delegations", c("/delegations"), Who::Admin, true),
        ("/entreprise/:id/interlocuteurs", c("/interlocuteurs"), Who::Admin, true),
        ("/entreprise/:id/journal", c("/journal"), Who::Admin, true),
        ("/entreprise/:id/panier", c("/panier"), Who::Admin, true),
        ("/entreprise/:id/commandes", c("/commandes"), Who::Admin, true),
        ("/entreprise/:id/questionnaires", c("/questionnaires"), Who::Admin, true),
        ("/entreprise/:id/obligations", c("/obligations"), Who::Admin, true),
        ("/entreprise/:id/demandes/:request", c(&format!("/demandes/{request}")), Who::Admin, true),
        ("/entreprise/:id/inscriptions/:registration", c(&format!("/inscriptions/{registration}")), Who::Admin, true),
        ("/entreprise/:id/inscriptions/:registration/remplacer", c(&format!("/inscriptions/{registration}/remplacer")), Who::Admin, true),
        ("/questionnaire/:id", format!("/questionnaire/{survey}"), Who::Participant, true),
        ("/test-des-acquis/:id", format!("/test-des-acquis/{survey}"), Who::Participant, true),
        ("/organisme/formation/:id/tests", "/organisme/formation/1/tests".into(), Who::Staff, true),
        ("/liste-d-attente/:id", "/liste-d-attente/3".into(), Who::Participant, true),
        ("/mes-obligations", "/mes-obligations".into(), Who::Participant, true),
        ("/invitation/:token", format!("/invitation/{UNKNOWN_TOKEN}"), Who::Visitor, false),
        ("/confirmer/:token", format!("/confirmer/{UNKNOWN_TOKEN}"), Who::Visitor, false),
    ];

    // Every route of the app is here, and nothing else.
    let routes = routes_of_the_app();
    let mut listed: Vec<&str> = routes.iter().map(|(p, _)| p.as_str()).collect();
    let mut tested: Vec<&str> = pages.iter().map(|p| p.0).collect();
    listed.sort_unstable();
    tested.sort_unstable();
    assert_eq!(tested, listed, "the routes of app/src/lib.rs and of this test differ");
    let view_of: BTreeMap<&str, &str> = routes.iter().map(|(p, v)| (p.as_str(), v.as_str())).collect();

    // The page (its view) of each description: a view serves several routes ("/" and
    // "/catalogue", the wizard's steps) with one description, two views never share one.
    let mut pages_of: BTreeMap<String, (&str, &str)> = BTreeMap::new();
    for (route, path, who, opens) in &pages {
        let client = match who {
            Who::Visitor => &mut visitor,
            Who::Registrant => &mut registrant,
            Who::Admin => &mut admin,
            Who::Participant => &mut participant,
            Who::Staff => &mut staff,
        };
        let (status, html) = client.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path} ({who:?})");
        if *opens {
            assert!(!html.contains(r#"role="alert""#), "{path} shows {who:?} an error or a refusal");
        }
        let view = view_of[route];
        if let Some((other_route, other_view)) = pages_of.insert(one_description(path, &html), (route, view)) {
            assert_eq!(other_view, view, "{route} and {other_route} share their description");
        }
    }
    for (route, view) in &view_of {
        let of_view: Vec<&String> = pages_of.iter().filter(|(_, (_, v))| v == view).map(|(d, _)| d).collect();
        assert_eq!(of_view.len(), 1, "{route} ({view}) has several descriptions: {of_view:?}");
    }

    // A training's page takes its summary; an unknown one still has one description.
    let summary = pages_of.iter().find(|(_, (r, _))| *r == "/formations/:id").map(|(d, _)| d.clone()).unwrap();
    let seeded = visitor.json("catalogue/training", &[("id", "1")]).await;
    assert_eq!(Some(summary.as_str()), seeded["summary"]["summary"].as_str(), "{seeded}");
    let unknown = one_description("/formations/999999", &visitor.get("/formations/999999").await.1);
    assert_ne!(unknown, summary);

    // The page of an address that leads nowhere.
    let (status, html) = visitor.get("/cette-page-n-existe-pas").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let d = one_description("/cette-page-n-existe-pas", &html);
    assert!(!pages_of.contains_key(&d), "the page not found shares its description with {:?}", pages_of[&d]);
}

/// The page's one description, in its head, of 70 to 160 characters.
fn one_description(path: &str, html: &str) -> String {
    let (found, in_head) = descriptions(html);
    assert_eq!(found.len(), 1, "{path}: {} descriptions: {found:?}", found.len());
    assert!(in_head, "{path}: the description is not in the head");
    let d = found.into_iter().next().unwrap();
    let n = d.chars().count();
    assert!((70..=160).contains(&n), "{path}: a description of {n} characters: {d}");
    d
}
