//! Delegation of rights to another structure: granted, used within its scope only,
//! changed and revoked, every step audited.

mod common;

use axum::http::{header, StatusCode};
use common::{siret, TestApp};

fn refused(status: StatusCode) -> bool {
    status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND
}

#[tokio::test]
async fn a_delegate_acts_within_the_delegation_and_loses_it_when_revoked() {
    // Company A (delegating) and structure B (delegate) with a training and a billing manager.
    let mut a_admin = TestApp::spawn().await;
    a_admin.sign_up("Alice", "Martin", "alice@cabinet-a.fr").await;
    let a = a_admin.create_company(1, &siret(60), "restricted", &[]).await;
    let mut b_admin = a_admin.new_client();
    b_admin.sign_up("Bob", "Bernard", "bob@reseau-b.fr").await;
    let b_siret = siret(61);
    let _b = b_admin
        .create_company(
            1,
            &b_siret,
            "restricted",
            &[("tom@reseau-b.fr", "Tom", "Formation", &["role_training"]), ("bea@reseau-b.fr", "Béa", "Facture", &["role_billing"])],
        )
        .await;
    let mut tom = a_admin.new_client();
    tom.sign_up("Tom", "Formation", "tom@reseau-b.fr").await;
    let mut bea = a_admin.new_client();
    bea.sign_up("Béa", "Facture", "bea@reseau-b.fr").await;
    let aid = a.to_string();
    let on_a = [("company_id", aid.as_str())];

    // Before any delegation, B's people reach nothing of A.
    for (who, client) in [("tom", &mut tom), ("bea", &mut bea)] {
        for endpoint in ["company/home", "orders/cart", "orders/list"] {
            let (status, _, _) = client.call(endpoint, &on_a).await;
            assert!(refused(status), "{who} on {endpoint} before delegation: {status}");
        }
    }

    // A delegates the registration of its participants to B.
    let grant = |register: bool, orders: bool| {
        let mut form = vec![("company_id", aid.clone()), ("op", "grant".into()), ("siret", b_siret.clone())];
        if register {
            form.push(("register", "on".into()));
        }
        if orders {
            form.push(("orders", "on".into()));
        }
        form
    };
    let form = grant(true, false);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    a_admin.json("company/delegations/set", &form).await;
    let page = a_admin.json("company/delegations", &on_a).await;
    assert_eq!(page["forms"]["delegation"]["notice"], "« Cabinet Test » peut désormais : inscrire des participants.");
    let granted = page["data"]["granted"].as_array().unwrap();
    assert_eq!(granted.len(), 1);
    let delegation_id = granted[0]["id"].as_i64().unwrap();

    // Tom (training manager of B) registers for A: home, cart, the wizard lists A.
    let home = tom.json("company/home", &on_a).await;
    assert!(home["roles"].as_array().unwrap().is_empty());
    assert_eq!(home["tabs"]["cart"], true);
    assert_eq!(home["tabs"]["orders"], false);
    assert_eq!(home["tabs"]["admin"], false);
    assert!(home["delegation"].as_str().unwrap().contains("inscrire des participants"));
    tom.json("orders/cart", &on_a).await;
    tom.json("wizard/start", &[("session_id", "4")]).await;
    let v = tom.wizard("structure").await;
    assert!(v["my_companies"].as_array().unwrap().iter().any(|c| c["id"].as_i64() == Some(a)), "A offered in the wizard: {v}");
    let (_, headers, body) = tom
        .call("wizard/structure", &[("kind", "salarie"), ("mode", "existing"), ("existing_company_id", aid.as_str()), ("existing_siret", ""), ("company[legal_name]", "")])
        .await;
    assert_eq!(headers.get(header::LOCATION).map(|v| v.to_str().unwrap()), Some("/inscription/participants"), "{body}");
    tom.json("wizard/participants", &[("op", "add_directory"), ("directory_email", "alice@cabinet-a.fr"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    let (_, headers, _) = tom.call("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/inscription/termine");
    // He may not read A's orders: Mes espaces tells him the order is validated.
    tom.validate_cart_to(a, "/espaces").await;
    assert_eq!(tom.json("account/flash", &[]).await.as_str().map(|m| m.starts_with("Commande ")), Some(true));
    let spaces = tom.json("spaces/mine", &[]).await;
    let space = spaces["companies"].as_array().unwrap().iter().find(|c| c["id"].as_i64() == Some(a)).expect("A in Tom's spaces").clone();
    assert!(space["delegation"].as_str().unwrap().starts_with("Par délégation à Cabinet Test"));
    assert_eq!(space["registrations"].as_array().unwrap().len(), 1);

    // ...and nothing more: no orders, no MON ENTREPRISE, no questionnaires, no re-delegation.
    for endpoint in ["orders/list", "company/info", "company/people", "company/audit", "company/delegations", "survey/company"] {
        let (status, _, _) = tom.call(endpoint, &on_a).await;
        assert!(refused(status), "tom on {endpoint}: {status}");
    }
    let (status, _, _) = tom.call("company/delegations/set", &[("company_id", aid.as_str()), ("op", "grant"), ("siret", b_siret.as_str()), ("orders", "on")]).await;
    assert!(refused(status));
    // Béa (billing manager of B) has nothing: registration is not hers, orders were not delegated.
    for endpoint in ["company/home", "orders/cart", "orders/list"] {
        let (status, _, _) = bea.call(endpoint, &on_a).await;
        assert!(refused(status), "bea on {endpoint}: {status}");
    }

    // A widens the delegation to the orders: Béa reads them, Tom still does not.
    let form = grant(true, true);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    a_admin.json("company/delegations/set", &form).await;
    let orders = bea.json("orders/list", &on_a).await;
    assert_eq!(orders["orders"]["items"].as_array().unwrap().len(), 1);
    assert_eq!(orders["tabs"]["orders"], true);
    assert_eq!(orders["tabs"]["cart"], false);
    let (status, _, _) = tom.call("orders/list", &on_a).await;
    assert!(refused(status));
    // B's own admin cannot revoke what A granted.
    let revoke_op = format!("revoke:{delegation_id}");
    let (status, _, _) = b_admin.call("company/delegations/set", &[("company_id", aid.as_str()), ("op", revoke_op.as_str()), ("siret", "")]).await;
    assert!(refused(status));

    // A revokes: everything is refused again.
    a_admin.json("company/delegations/set", &[("company_id", aid.as_str()), ("op", revoke_op.as_str()), ("siret", "")]).await;
    for (who, client) in [("tom", &mut tom), ("bea", &mut bea)] {
        for endpoint in ["company/home", "orders/cart", "orders/list"] {
            let (status, _, _) = client.call(endpoint, &on_a).await;
            assert!(refused(status), "{who} on {endpoint} after revocation: {status}");
        }
        let spaces = client.json("spaces/mine", &[]).await;
        assert!(spaces["companies"].as_array().unwrap().iter().all(|c| c["id"].as_i64() != Some(a)), "{who} still sees A");
    }
    let page = a_admin.json("company/delegations", &on_a).await;
    assert!(page["data"]["granted"].as_array().unwrap().is_empty());

    // Every step is in A's audit log.
    let log = a_admin.json("company/audit", &on_a).await;
    let actions: Vec<&str> = log["data"]["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for action in ["delegation.grant", "delegation.change", "delegation.revoke"] {
        assert!(actions.contains(&action), "{action} not audited: {actions:?}");
    }
}

#[tokio::test]
async fn a_delegation_needs_a_known_structure_and_a_right() {
    let mut admin = TestApp::spawn().await;
    admin.sign_up("Alice", "Martin", "alice@cabinet-c.fr").await;
    let own = siret(62);
    let a = admin.create_company(1, &own, "restricted", &[]).await;
    let aid = a.to_string();
    for (siret_value, scope, field, message) in [
        ("123", Some("register"), "siret", None),
        (siret(63).as_str(), Some("register"), "siret", Some("Aucune structure inscrite sur le portail n'a ce SIRET.")),
        (own.as_str(), Some("orders"), "siret", Some("C'est le SIRET de votre propre structure.")),
        (own.as_str(), None, "scope", Some("Cochez au moins un droit à déléguer.")),
    ] {
        let mut form = vec![("company_id", aid.as_str()), ("op", "grant"), ("siret", siret_value)];
        if let Some(s) = scope {
            form.push((s, "on"));
        }
        admin.json("company/delegations/set", &form).await;
        let page = admin.json("company/delegations", &[("company_id", aid.as_str())]).await;
        let echo = &page["forms"]["delegation"];
        let got = echo["errors"][field].as_str().unwrap_or_else(|| panic!("no error on {field} for {siret_value}: {echo}"));
        if let Some(m) = message {
            assert_eq!(got, m);
        }
        // What was typed comes back.
        assert_eq!(echo["values"]["siret"], siret_value);
        assert!(page["data"]["granted"].as_array().unwrap().is_empty());
    }
}
