//! MON ENTREPRISE details through the real router: key contacts chosen from the
//! directory, establishments changed and removed (never one a live order is invoiced
//! to), the help desk shown beside errors.

mod common;

use axum::http::StatusCode;
use common::{siret, TestApp};

async fn admin_with_company(n: u32) -> (TestApp, i64) {
    let mut admin = TestApp::spawn().await;
    admin.sign_up("Marie", "Durand", "marie@cabinet-details.fr").await;
    let id = admin.create_company(1, &siret(n), "restricted", &[("lea@cabinet-details.fr", "Léa", "Petit", &["role_training"])]).await;
    (admin, id)
}

fn contact<'a>(page: &'a serde_json::Value, kind: &str) -> &'a serde_json::Value {
    page["data"]["contacts"].as_array().unwrap().iter().find(|c| c["kind"] == kind).unwrap_or_else(|| panic!("{kind}: {page}"))
}

#[tokio::test]
async fn key_contacts_are_people_of_the_directory() {
    let (mut admin, id) = admin_with_company(60).await;
    let cid = id.to_string();
    // Created by the wizard: the administrator for the three kinds, as pre-filled.
    let page = admin.json("company/contacts", &[("company_id", cid.as_str())]).await;
    assert_eq!(page["data"]["contacts"].as_array().unwrap().len(), 3);
    for kind in ["direction", "formation", "facturation"] {
        let c = contact(&page, kind);
        assert_eq!((c["name"].as_str(), c["email"].as_str(), c["in_directory"].as_bool()), (Some("Marie Durand"), Some("marie@cabinet-details.fr"), Some(true)), "{kind}");
    }
    let directory: Vec<&str> = page["data"]["directory"].as_array().unwrap().iter().map(|p| p[0].as_str().unwrap()).collect();
    assert_eq!(directory, vec!["marie@cabinet-details.fr", "lea@cabinet-details.fr"]);

    // Léa, of the directory, becomes the training contact: audited before and after.
    set_contact(&mut admin, &cid, "formation", "Lea@cabinet-details.fr", "01 23 45 67 89").await;
    let page = admin.json("company/contacts", &[("company_id", cid.as_str())]).await;
    let c = contact(&page, "formation");
    assert_eq!((c["name"].as_str(), c["email"].as_str(), c["phone"].as_str()), (Some("Léa Petit"), Some("lea@cabinet-details.fr"), Some("0123456789")));
    assert_eq!(page["forms"]["formation"]["notice"], "Interlocuteur formation enregistré.");
    let log = admin.json("company/audit", &[("company_id", cid.as_str())]).await;
    let change = log["data"]["items"].as_array().unwrap().iter().find(|e| e["action"] == "contact.update").expect("audited");
    assert!(change["before"].as_str().unwrap().contains("marie@cabinet-details.fr"), "{change}");
    assert!(change["after"].as_str().unwrap().contains("lea@cabinet-details.fr"), "{change}");

    // Somebody outside the directory cannot be chosen; nothing changes.
    set_contact(&mut admin, &cid, "facturation", "inconnu@ailleurs.fr", "").await;
    let page = admin.json("company/contacts", &[("company_id", cid.as_str())]).await;
    assert_eq!(page["forms"]["facturation"]["errors"]["email"], "Choisissez une personne de l'annuaire.");
    assert_eq!(page["forms"]["facturation"]["values"]["email"], "inconnu@ailleurs.fr");
    assert_eq!(contact(&page, "facturation")["email"], "marie@cabinet-details.fr");
    // An unknown kind is refused outright.
    let (status, _, _) = admin
        .call("company/contacts/set", &[("company_id", cid.as_str()), ("kind", "pirate"), ("email", "marie@cabinet-details.fr"), ("phone", "")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // A contact typed by hand before (as the migration leaves one matching nobody)
    // stays readable, marked as outside the directory.
    sqlx::query("UPDATE key_contacts SET collaborator_id = NULL, name = 'Ancien Directeur', email = 'ancien@cabinet-details.fr' WHERE company_id = $1 AND kind = 'direction'")
        .bind(id)
        .execute(admin.db())
        .await
        .unwrap();
    let page = admin.json("company/contacts", &[("company_id", cid.as_str())]).await;
    let c = contact(&page, "direction");
    assert_eq!((c["name"].as_str(), c["in_directory"].as_bool()), (Some("Ancien Directeur"), Some(false)));

    // The training manager may not change them.
    let mut lea = admin.new_client();
    lea.sign_up("Léa", "Petit", "lea@cabinet-details.fr").await;
    let (status, _, _) = lea
        .call("company/contacts/set", &[("company_id", cid.as_str()), ("kind", "formation"), ("email", "lea@cabinet-details.fr"), ("phone", "")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Léa leaves the directory: she is no longer the training contact.
    admin.json("company/people/remove", &[("company_id", cid.as_str()), ("email", "lea@cabinet-details.fr")]).await;
    let page = admin.json("company/contacts", &[("company_id", cid.as_str())]).await;
    assert_eq!(contact(&page, "formation")["name"], "");
}

async fn set_contact(admin: &mut TestApp, cid: &str, kind: &str, email: &str, phone: &str) {
    admin.json("company/contacts/set", &[("company_id", cid), ("kind", kind), ("email", email), ("phone", phone)]).await;
}

fn establishment_form<'a>(name: &'a str, siret: &'a str, postal_code: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("establishment[name]", name),
        ("establishment[siret]", siret),
        ("establishment[address_line]", "1 place Bellecour"),
        ("establishment[postal_code]", postal_code),
        ("establishment[city]", "Lyon"),
        ("establishment[billing_email]", "lyon@cabinet-details.fr"),
    ]
}

async fn establishments(admin: &mut TestApp, cid: &str) -> serde_json::Value {
    admin.json("company/establishments", &[("company_id", cid)]).await
}

fn named(page: &serde_json::Value, name: &str) -> Option<i64> {
    page["data"]["establishments"].as_array().unwrap().iter().find(|e| e["name"] == name).and_then(|e| e["id"].as_i64())
}

#[tokio::test]
async fn establishments_are_changed_and_removed_unless_a_live_order_is_invoiced_to_them() {
    let (mut admin, id) = admin_with_company(61).await;
    let cid = id.to_string();
    let (lyon_siret, nice_siret) = (siret(62), siret(63));
    let mut form = establishment_form("Agence de Lyon", &lyon_siret, "69002");
    form.push(("company_id", cid.as_str()));
    admin.json("company/establishments/add", &form).await;
    let page = establishments(&mut admin, &cid).await;
    let lyon = named(&page, "Agence de Lyon").expect("added");
    let lyon_id = lyon.to_string();

    // Changed with the checks of its creation: a bad postal code is refused, what was
    // typed comes back, nothing changes.
    let mut form = establishment_form("Agence de Lyon Part-Dieu", &lyon_siret, "690");
    form.extend([("company_id", cid.as_str()), ("establishment_id", lyon_id.as_str())]);
    admin.json("company/establishments/update", &form).await;
    let page = establishments(&mut admin, &cid).await;
    let echo = &page["forms"][format!("establishment-{lyon}")];
    assert_eq!(echo["errors"]["postal_code"], "Le code postal compte 5 chiffres.", "{page}");
    assert_eq!(echo["values"]["name"], "Agence de Lyon Part-Dieu");
    assert!(named(&page, "Agence de Lyon").is_some());
    let mut form = establishment_form("Agence de Lyon Part-Dieu", &lyon_siret, "69003");
    form.extend([("company_id", cid.as_str()), ("establishment_id", lyon_id.as_str())]);
    admin.json("company/establishments/update", &form).await;
    let page = establishments(&mut admin, &cid).await;
    assert_eq!(named(&page, "Agence de Lyon Part-Dieu"), Some(lyon));
    assert_eq!(page["data"]["establishments"][0]["postal_code"], "69003");
    let log = admin.json("company/audit", &[("company_id", cid.as_str())]).await;
    let change = log["data"]["items"].as_array().unwrap().iter().find(|e| e["action"] == "establishment.update").expect("audited");
    assert!(change["before"].as_str().unwrap().contains("\"Agence de Lyon\""), "{change}");
    assert!(change["after"].as_str().unwrap().contains("Part-Dieu"), "{change}");

    // Another establishment, invoiced for an order.
    let mut form = establishment_form("Agence de Nice", &nice_siret, "06000");
    form.push(("company_id", cid.as_str()));
    admin.json("company/establishments/add", &form).await;
    let nice = named(&establishments(&mut admin, &cid).await, "Agence de Nice").expect("added");
    let nice_id = nice.to_string();
    admin.json("wizard/participants", &[("op", "add"), ("email", "nina@cabinet-details.fr"), ("first_name", "Nina"), ("last_name", "Roux")]).await;
    admin.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    let billing = format!("establishment:{nice}");
    admin
        .call("orders/validate", &[("company_id", cid.as_str()), ("billing", billing.as_str()), ("billing_siret", ""), ("po_reference", ""), ("accept_terms", "on")])
        .await;
    let (number, billed): (String, Option<i64>) =
        sqlx::query_as("SELECT number, billing_establishment_id FROM orders WHERE company_id = $1").bind(id).fetch_one(admin.db()).await.unwrap();
    assert_eq!(billed, Some(nice));

    // The live order keeps its establishment.
    admin.json("company/establishments/remove", &[("company_id", cid.as_str()), ("establishment_id", nice_id.as_str())]).await;
    let page = establishments(&mut admin, &cid).await;
    let refusal = page["forms"]["removal"]["errors"]["establishment"].as_str().unwrap_or_default().to_string();
    assert!(refusal.contains("ne peut pas être supprimé") && refusal.contains(&number), "{page}");
    assert!(named(&page, "Agence de Nice").is_some());

    // Once the order is cancelled, the establishment goes: no longer listed nor offered,
    // while the cancelled order still names it.
    let (registration,): (i64,) =
        sqlx::query_as("SELECT id FROM registrations WHERE company_id = $1").bind(id).fetch_one(admin.db()).await.unwrap();
    let registration = registration.to_string();
    admin.json("company/registrations/cancel", &[("company_id", cid.as_str()), ("registration_id", registration.as_str())]).await;
    admin.json("company/establishments/remove", &[("company_id", cid.as_str()), ("establishment_id", nice_id.as_str())]).await;
    let page = establishments(&mut admin, &cid).await;
    assert_eq!(page["forms"]["removal"]["notice"], "Établissement supprimé.", "{page}");
    assert!(named(&page, "Agence de Nice").is_none());
    let options = app::server::orders::billing_options(admin.db(), id).await.unwrap();
    assert!(!options.iter().any(|o| o.code == billing), "{options:?}");
    let orders = app::server::orders::orders_for(admin.db(), id, None, app::domain::page::PageRequest::FIRST).await.unwrap();
    assert!(orders.items[0].billing_entity.contains("Agence de Nice"), "{orders:?}");
    // Removing it again: not found.
    let (status, _, _) = admin.call("company/establishments/remove", &[("company_id", cid.as_str()), ("establishment_id", nice_id.as_str())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Declared again later, it comes back with what is typed.
    let mut form = establishment_form("Agence de Nice Est", &nice_siret, "06300");
    form.push(("company_id", cid.as_str()));
    admin.json("company/establishments/add", &form).await;
    assert_eq!(named(&establishments(&mut admin, &cid).await, "Agence de Nice Est"), Some(nice));

    // One no order names is deleted outright.
    admin.json("company/establishments/remove", &[("company_id", cid.as_str()), ("establishment_id", lyon_id.as_str())]).await;
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM establishments WHERE id = $1").bind(lyon).fetch_one(admin.db()).await.unwrap();
    assert_eq!(left, 0);
    let log = admin.json("company/audit", &[("company_id", cid.as_str())]).await;
    assert_eq!(log["data"]["items"].as_array().unwrap().iter().filter(|e| e["action"] == "establishment.remove").count(), 2);

    // Another company's administrator cannot touch them.
    let mut other = admin.new_client();
    other.sign_up("Jean", "Dupont", "jean@ailleurs.fr").await;
    other.create_company(4, &siret(64), "restricted", &[]).await;
    let (status, _, _) = other.call("company/establishments/remove", &[("company_id", cid.as_str()), ("establishment_id", nice_id.as_str())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_help_desk_is_in_the_footer_and_beside_errors() {
    let app = TestApp::spawn_configured(|s, _| {
        s.support.phone = Some("01 59 03 12 61".into());
        s.support.hours = Some("Du lundi au vendredi de 9 h à 18 h".into());
    })
    .await;
    let mut visitor = app.new_client();
    let support = visitor.json("support", &[]).await;
    assert_eq!(support["phone"], "01 59 03 12 61");
    assert_eq!(support["email"], "assistance@portail.test");
    let (status, page) = visitor.get("/catalogue").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Assistance à l&#39;utilisation") || page.contains("Assistance à l'utilisation"), "footer");
    assert!(page.contains("tel:0159031261") && page.contains("Du lundi au vendredi de 9 h à 18 h"));
    // An error page shows it too.
    let (status, page) = visitor.get("/nulle-part").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("Besoin d&#39;aide ? Assistance") || page.contains("Besoin d'aide ? Assistance"), "{page}");
}

#[tokio::test]
async fn a_support_setting_that_is_not_a_phone_number_stops_the_server() {
    let database_url = common::fresh_database_url().await;
    let settings = server::Settings {
        database_url,
        smtp_url: None,
        mail_from: "Portail <portail@test.fr>".into(),
        public_url: None,
        load_demo: false,
        demo_accounts: Some(false),
        mail_per_hour: server::MAIL_PER_HOUR,
        network: server::Network::default(),
        support: server::SupportVars { phone: Some("12".into()), ..Default::default() },
    };
    let options = leptos::prelude::LeptosOptions::builder().output_name("espace-entreprise").build();
    let error = server::build_state(&settings, options).await.err().expect("refused to start");
    assert!(error.starts_with("SUPPORT_PHONE: "), "{error}");
}
