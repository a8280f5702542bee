//! The company space as the guide draws it, per role: the tabs a user is shown and the
//! pages the server opens to him come from one table (`domain::rights`), and must agree.

mod common;

use axum::http::{header, StatusCode};
use common::{siret, TestApp};
use serde_json::Value;

/// The server functions behind each tab of `Tabs` (its JSON field). A new tab without
/// its pages here fails the test.
fn pages_of(tab: &str) -> &'static [&'static str] {
    match tab {
        "home" => &["company/home"],
        "documents" => &["company/documents"],
        "surveys" => &["survey/company"],
        "cart" => &["orders/cart"],
        "orders" => &["orders/list"],
        "invoices" => &["company/invoices"],
        "admin" => &["company/info", "company/people", "company/establishments", "company/contacts", "company/delegations", "company/audit"],
        other => panic!("tab {other:?} has no pages in this test"),
    }
}

/// domain.md, "Who sees which point de repère", spelled out: the tabs of each role.
fn expected(role: &str) -> Vec<&'static str> {
    match role {
        "admin" => vec!["home", "documents", "surveys", "cart", "orders", "invoices", "admin"],
        "training" => vec!["home", "documents", "surveys", "cart", "orders"],
        "billing" => vec!["home", "documents", "orders", "invoices"],
        // A participant without a role: his own trainings, in Mes espaces only.
        "participant" => vec![],
        // Anybody, on a company open to all: his own cart.
        "open" => vec!["cart"],
        _ => unreachable!(),
    }
}

const TABS: [&str; 7] = ["home", "documents", "surveys", "cart", "orders", "invoices", "admin"];

async fn check(who: &str, client: &mut TestApp, company: i64) {
    let cid = company.to_string();
    let want = expected(who);
    for tab in TABS {
        for endpoint in pages_of(tab) {
            let (status, _, body) = client.call(endpoint, &[("company_id", cid.as_str())]).await;
            if want.contains(&tab) {
                assert_eq!(status, StatusCode::OK, "{who} refused {endpoint} ({tab}): {body}");
                let v: Value = serde_json::from_str(&body).unwrap();
                // Whatever page he opens, he is shown exactly the tabs the server opens.
                if let Some(tabs) = v.get("tabs") {
                    let shown: Vec<&str> = tabs.as_object().unwrap().iter().filter(|(_, on)| on.as_bool() == Some(true)).map(|(k, _)| k.as_str()).collect();
                    for k in tabs.as_object().unwrap().keys() {
                        pages_of(k);
                    }
                    let mut shown = shown;
                    shown.sort();
                    let mut w = want.clone();
                    w.sort();
                    assert_eq!(shown, w, "{who}: tabs shown on {endpoint}");
                }
            } else {
                assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{who} opened {endpoint} ({tab}): {status} {body}");
            }
        }
    }
}

#[tokio::test]
async fn every_role_is_shown_the_tabs_the_server_opens_to_it() {
    let mut admin = TestApp::spawn().await;
    admin.sign_up("Alice", "Admin", "alice@cabinet-nav.fr").await;
    let persons: [(&str, &str, &str, &[&str]); 2] =
        [("tom@cabinet-nav.fr", "Tom", "Formation", &["role_training"]), ("bea@cabinet-nav.fr", "Béa", "Facture", &["role_billing"])];
    let company = admin.create_company(1, &siret(301), "restricted", &persons).await;
    // Paul is a participant: registered, without a role.
    admin.json("wizard/participants", &[("op", "add"), ("email", "paul@cabinet-nav.fr"), ("first_name", "Paul"), ("last_name", "Martin")]).await;
    admin.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    admin.validate_cart(company).await;

    check("admin", &mut admin, company).await;
    for (who, email) in [("training", "tom@cabinet-nav.fr"), ("billing", "bea@cabinet-nav.fr"), ("participant", "paul@cabinet-nav.fr")] {
        let mut c = admin.new_client();
        c.sign_up("Prénom", "Nom", email).await;
        check(who, &mut c, company).await;
    }

    // A company open to all: a stranger registers, and sees his own cart only.
    let cid = company.to_string();
    admin.json("company/policy", &[("company_id", cid.as_str()), ("policy", "open")]).await;
    let mut stranger = admin.new_client();
    stranger.sign_up("Zoé", "Passante", "zoe@ailleurs.fr").await;
    check("open", &mut stranger, company).await;
}

#[tokio::test]
async fn a_training_manager_validates_his_cart_and_sees_his_order_only() {
    let mut admin = TestApp::spawn().await;
    admin.sign_up("Alice", "Admin", "alice@cabinet-tm.fr").await;
    let persons: [(&str, &str, &str, &[&str]); 1] = [("tom@cabinet-tm.fr", "Tom", "Formation", &["role_training"])];
    let company = admin.create_company(1, &siret(302), "restricted", &persons).await;
    let cid = company.to_string();
    admin.json("wizard/participants", &[("op", "add"), ("email", "alice@cabinet-tm.fr"), ("first_name", ""), ("last_name", "")]).await;
    admin.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    admin.validate_cart(company).await;

    let mut tom = admin.new_client();
    tom.sign_up("Tom", "Formation", "tom@cabinet-tm.fr").await;
    tom.json("wizard/start", &[("session_id", "4")]).await;
    let (_, headers, body) = tom
        .call("wizard/structure", &[("kind", "salarie"), ("mode", "existing"), ("existing_company_id", cid.as_str()), ("existing_siret", ""), ("company[legal_name]", "")])
        .await;
    assert_eq!(headers.get(header::LOCATION).map(|v| v.to_str().unwrap()), Some("/inscription/participants"), "{body}");
    tom.json("wizard/participants", &[("op", "add"), ("email", "marc@cabinet-tm.fr"), ("first_name", "Marc"), ("last_name", "Petit")]).await;
    tom.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    // He lands on the orders page, which tells him the order is validated.
    tom.validate_cart(company).await;
    let page = tom.json("orders/list", &[("company_id", cid.as_str())]).await;
    let notice = page["notice"].as_str().unwrap_or_default();
    assert!(notice.starts_with("Commande CMD-") && notice.ends_with(" validée."), "{page}");
    assert_eq!(page["only_mine"], true);
    let orders = page["orders"]["items"].as_array().unwrap();
    assert_eq!(orders.len(), 1, "his order, not the administrator's: {page}");
    let mine = orders[0]["id"].as_i64().unwrap();
    let all = admin.json("orders/list", &[("company_id", cid.as_str())]).await;
    assert_eq!(all["orders"]["items"].as_array().unwrap().len(), 2);
    assert_eq!(all["orders"]["total"], 2);
    assert_eq!(all["only_mine"], false);
    let theirs = all["orders"]["items"].as_array().unwrap().iter().map(|o| o["id"].as_i64().unwrap()).find(|id| *id != mine).unwrap();
    // His purchase order is his; the administrator's is not.
    assert_eq!(tom.download(&format!("/documents/bon-de-commande/{mine}")).await.0, StatusCode::OK);
    assert_eq!(tom.download(&format!("/documents/bon-de-commande/{theirs}")).await.0, StatusCode::FORBIDDEN);
}
