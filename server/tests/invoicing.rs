//! Invoices, down payments, credit notes and the documents as PDFs (read back with
//! pdftotext), given only to those entitled; numbers gapless under concurrency from
//! two server instances.

mod common;

use axum::http::StatusCode;
use common::{pdf_text, siret, TestApp};

async fn download(client: &mut TestApp, path: &str) -> (StatusCode, Vec<u8>) {
    client.download(path).await
}

fn year() -> i32 {
    app::server::db::today().year
}

#[tokio::test]
async fn invoices_credit_notes_and_documents_reach_only_those_entitled() {
    let mut admin = TestApp::spawn().await;
    let mut paul = admin.new_client();
    paul.sign_up("Paul", "Martin", "paul@cabinet-fa.fr").await;
    admin.sign_up("Marie", "Durand", "marie@cabinet-fa.fr").await;
    let company = admin
        .create_company(
            1,
            &siret(80),
            "restricted",
            &[("tom@cabinet-fa.fr", "Tom", "Formation", &["role_training"]), ("bea@cabinet-fa.fr", "Béa", "Facture", &["role_billing"])],
        )
        .await;
    // The registrant types the names of anyone but himself.
    for (email, first, last) in [("marie@cabinet-fa.fr", "", ""), ("paul@cabinet-fa.fr", "Paul", "Martin")] {
        admin.json("wizard/participants", &[("op", "add"), ("email", email), ("first_name", first), ("last_name", last)]).await;
    }
    admin.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    admin.validate_cart(company).await;
    let cid = company.to_string();
    let order = admin.json("orders/list", &[("company_id", cid.as_str())]).await["orders"]["items"][0].clone();
    let (order_id, order_number) = (order["id"].as_i64().unwrap(), order["number"].as_str().unwrap().to_string());

    let mut olivier = admin.provider_staff("olivier@crcc-fa.fr", 1).await;
    let s = [("session_id", "1")];
    // A down payment of 30 %, then the session confirmed and invoiced.
    let down = format!("downpayment:{order_id}");
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", down.as_str())]).await;
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", "confirm")]).await;
    let inv = format!("invoice:{order_id}");
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", inv.as_str())]).await;
    let (status, _, _) = olivier.call("provider/session/op", &[("session_id", "1"), ("op", inv.as_str())]).await;
    assert_eq!(status, StatusCode::CONFLICT, "invoiced once");
    let page = olivier.json("provider/session", &s).await;
    let numbers: Vec<&str> = page["invoices"].as_array().unwrap().iter().map(|i| i["number"].as_str().unwrap()).collect();
    let y = year();
    assert_eq!(numbers, vec![format!("FA-{y}-000001"), format!("FA-{y}-000002")]);
    // The invoiced company is told at its billing address.
    let subjects: Vec<(String,)> = sqlx::query_as(
        "SELECT o.subject FROM outbox o JOIN companies c ON c.billing_email = o.to_addr WHERE c.id = $1 ORDER BY o.created_at, o.id",
    )
    .bind(company)
    .fetch_all(admin.db())
    .await
    .unwrap();
    let subjects: Vec<&str> = subjects.iter().map(|(s,)| s.as_str()).collect();
    assert!(subjects.contains(&format!("Facture d'acompte FA-{y}-000001").as_str()) && subjects.contains(&format!("Facture FA-{y}-000002").as_str()), "{subjects:?}");

    // The provider cancels Paul's invoiced registration: a credit note.
    let roster = page["roster"].as_array().unwrap();
    let paul_reg = roster.iter().find(|r| r["email"] == "paul@cabinet-fa.fr").unwrap()["registration_id"].as_i64().unwrap();
    let marie_reg = roster.iter().find(|r| r["email"] == "marie@cabinet-fa.fr").unwrap()["registration_id"].as_i64().unwrap();
    let cancel = format!("cancel:{paul_reg}");
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", cancel.as_str())]).await;

    let docs = admin.json("company/invoices", &[("company_id", cid.as_str())]).await;
    let invoices = docs["invoices"].as_array().unwrap().clone();
    assert_eq!(invoices.len(), 3);
    let credit = invoices.iter().find(|i| i["kind"] == "CreditNote").expect("a credit note on the company side");
    assert_eq!(credit["number"], format!("AV-{y}-000003"));
    assert_eq!(credit["credits"], format!("FA-{y}-000002"));
    assert_eq!(credit["total_ttc"], 64_000);
    let final_invoice = invoices.iter().find(|i| i["number"] == format!("FA-{y}-000002")).unwrap().clone();
    assert_eq!(final_invoice["total_ttc"], 128_000);
    assert_eq!(final_invoice["amount_due"], 128_000 - 38_400);

    // The invoice as a PDF: numbers, amounts and mentions.
    let invoice_id = final_invoice["id"].as_i64().unwrap();
    let (status, bytes) = download(&mut admin, &format!("/documents/facture/{invoice_id}")).await;
    assert_eq!(status, StatusCode::OK);
    let text = pdf_text(&bytes);
    for needle in [
        format!("Facture n° FA-{y}-000002"),
        format!("Commande : {order_number}"),
        "CRCC de Paris — Formation".to_string(),
        "SIRET".to_string(),
        "Déclaration d'activité n° 11 75 41234 75".to_string(),
        "Cabinet Test".to_string(),
        "Paul Martin".to_string(),
        "Total HT".to_string(),
        "1 280,00 €".to_string(),
        "Acomptes déjà facturés".to_string(),
        "-384,00 €".to_string(),
        "896,00 €".to_string(),
        "Exonération de TVA, article 261-4-4° a du CGI".to_string(),
        "40 €".to_string(),
        "Échéance".to_string(),
    ] {
        assert!(text.contains(&needle), "invoice PDF lacks {needle:?}:\n{text}");
    }
    let credit_id = credit["id"].as_i64().unwrap();
    let text = pdf_text(&download(&mut admin, &format!("/documents/facture/{credit_id}")).await.1);
    assert!(text.contains(&format!("Avoir n° AV-{y}-000003")) && text.contains(&format!("Avoir sur la facture n° FA-{y}-000002")), "{text}");
    assert!(text.contains("640,00 €"), "{text}");

    // Purchase order and collective agreement.
    let text = pdf_text(&download(&mut admin, &format!("/documents/bon-de-commande/{order_id}")).await.1);
    assert!(text.contains(&format!("Bon de commande n° {order_number}")) && text.contains("Marie Durand"), "{text}");
    let agreement = format!("/documents/convention-collective/1?entreprise={company}");
    let text = pdf_text(&download(&mut admin, &agreement).await.1);
    for needle in ["Convention de formation professionnelle collective", "L6353-1 et D6353-1", "Article 6 — Prix", "Marie Durand", "14 heures"] {
        assert!(text.contains(needle), "agreement lacks {needle:?}:\n{text}");
    }
    assert!(!text.contains("Paul Martin"), "a cancelled participant is not in the agreement");
    let text = pdf_text(&download(&mut admin, &format!("/documents/convention/{marie_reg}")).await.1);
    assert!(text.contains("Convention de formation professionnelle individuelle") && text.contains("Marie Durand"), "{text}");
    // No e-learning protocol for a training in person.
    assert_eq!(download(&mut admin, &format!("/documents/protocole/{marie_reg}")).await.0, StatusCode::NOT_FOUND);

    // Attendance, closing, certificate.
    sqlx::query("UPDATE training_sessions SET start_date = '2026-01-05', end_date = '2026-01-06' WHERE id = 1").execute(admin.db()).await.unwrap();
    let marks: Vec<String> = (0..4).map(|h| format!("marks[r{marie_reg}h{h}]")).collect();
    let mut form = vec![("session_id", "1")];
    form.extend(marks.iter().map(|k| (k.as_str(), "on")));
    olivier.json("provider/session/attendance", &form).await;
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", "close")]).await;
    let certificate = format!("/documents/certificat/{marie_reg}");
    let (status, bytes) = download(&mut admin, &certificate).await;
    assert_eq!(status, StatusCode::OK);
    let text = pdf_text(&bytes);
    assert!(text.contains("Certificat de réalisation") && text.contains("Marie Durand") && text.contains("14 h sur 14 heures"), "{text}");

    // Payment: the invoice shows paid.
    let pay = invoice_id.to_string();
    // Only staff of the session's provider record it, and only for one of the session's
    // invoices; nothing is recorded otherwise.
    let mut zoe = admin.provider_staff("zoe@autre-organisme-fa.fr", 2).await;
    let payment = [("session_id", "1"), ("invoice_id", pay.as_str()), ("amount", "896")];
    assert_eq!(zoe.call("provider/payment", &payment).await.0, StatusCode::NOT_FOUND, "another provider's staff");
    assert_eq!(admin.call("provider/payment", &payment).await.0, StatusCode::FORBIDDEN, "the company's administrator");
    let elsewhere = [("session_id", "1"), ("invoice_id", "999999"), ("amount", "896")];
    assert_eq!(olivier.call("provider/payment", &elsewhere).await.0, StatusCode::NOT_FOUND, "an invoice of no session of his");
    let (payments,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM payments").fetch_one(admin.db()).await.unwrap();
    assert_eq!(payments, 0);
    olivier.json("provider/payment", &[("session_id", "1"), ("invoice_id", pay.as_str()), ("amount", "896")]).await;
    let docs = admin.json("company/invoices", &[("company_id", cid.as_str())]).await;
    let paid = docs["invoices"].as_array().unwrap().iter().find(|i| i["id"] == invoice_id).unwrap()["paid"].clone();
    assert_eq!(paid, 89_600);
    // "Règlements": the payment, under its invoice's number.
    let payments = docs["payments"].as_array().unwrap();
    assert_eq!(payments.len(), 1, "{payments:?}");
    assert_eq!(payments[0]["invoice_number"], format!("FA-{y}-000002"));
    assert_eq!(payments[0]["amount"], 89_600);
    let (status, csv) = download(&mut admin, &format!("/documents/export/{company}")).await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("Numéro;Type;") && csv.contains(&format!("FA-{y}-000002;Facture;")) && csv.contains("896,00;896,00;acquittée"), "{csv}");

    // The billing manager gets them; the training manager, a participant for the
    // company's documents, another company's admin and strangers do not.
    let mut bea = admin.new_client();
    bea.sign_up("Béa", "Facture", "bea@cabinet-fa.fr").await;
    let mut tom = admin.new_client();
    tom.sign_up("Tom", "Formation", "tom@cabinet-fa.fr").await;
    let mut other = admin.new_client();
    other.sign_up("Zoé", "Autre", "zoe@autre-cabinet.fr").await;
    other.create_company(4, &siret(81), "restricted", &[]).await;
    // (url, whether a training manager who did not place the order has it: the
    // training documents, not the billing ones.)
    let urls = [
        (format!("/documents/facture/{invoice_id}"), false),
        (format!("/documents/facture/{credit_id}"), false),
        (format!("/documents/bon-de-commande/{order_id}"), false),
        (agreement.clone(), true),
        (format!("/documents/convention/{marie_reg}"), true),
        (certificate.clone(), true),
        (format!("/documents/export/{company}"), false),
    ];
    for (url, training) in &urls {
        assert_eq!(download(&mut bea, url).await.0, StatusCode::OK, "billing manager on {url}");
        let expected = if *training { StatusCode::OK } else { StatusCode::FORBIDDEN };
        assert_eq!(download(&mut tom, url).await.0, expected, "training manager on {url}");
        assert_eq!(download(&mut other, url).await.0, StatusCode::NOT_FOUND, "another company on {url}");
        assert_eq!(download(&mut admin.new_client(), url).await.0, StatusCode::UNAUTHORIZED, "anonymous on {url}");
        if *url != certificate {
            assert!(matches!(download(&mut paul, url).await.0, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "participant on {url}");
        }
    }
    // The participant gets his own certificate only.
    let mut marie_alone = admin.new_client();
    marie_alone.log_in("marie@cabinet-fa.fr").await;
    assert_eq!(download(&mut marie_alone, &certificate).await.0, StatusCode::OK);
    assert_eq!(download(&mut paul, &certificate).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_invoices_from_two_instances_are_numbered_without_gaps() {
    let mut admin = TestApp::spawn().await;
    admin.sign_up("Marie", "Durand", "marie@cabinet-nb.fr").await;
    let company = admin.create_company(1, &siret(82), "restricted", &[]).await;
    admin.json("wizard/participants", &[("op", "add"), ("email", "marie@cabinet-nb.fr"), ("first_name", ""), ("last_name", "")]).await;
    admin.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    admin.validate_cart(company).await;
    let (order_id,): (i64,) = sqlx::query_as("SELECT id FROM orders").fetch_one(admin.db()).await.unwrap();

    // An interrupted transaction gives its number back.
    let name = format!("invoice-1-{}", year());
    {
        let mut tx = admin.db().begin().await.unwrap();
        assert_eq!(app::server::db::next_in_sequence(&mut tx, &name).await.unwrap(), 1);
        tx.rollback().await.unwrap();
    }

    let a = admin.provider_staff("olivier@crcc-nb.fr", 1).await;
    let b = a.second_instance().await;
    let op = format!("downpayment:{order_id}");
    let mut tasks = Vec::new();
    for i in 0..100 {
        let mut client = if i % 2 == 0 { a.clone() } else { b.clone() };
        let op = op.clone();
        tasks.push(tokio::spawn(async move {
            let (status, _, body) = client.call("provider/session/op", &[("session_id", "1"), ("op", op.as_str())]).await;
            assert!(status.is_success(), "{status} {body}");
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let seqs: Vec<(i64, String)> = sqlx::query_as("SELECT seq, number FROM invoices WHERE provider_id = 1 ORDER BY seq").fetch_all(admin.db()).await.unwrap();
    assert_eq!(seqs.len(), 100);
    for (i, (seq, number)) in seqs.iter().enumerate() {
        assert_eq!(*seq, i as i64 + 1, "gap or duplicate at {i}");
        assert_eq!(*number, format!("FA-{}-{:06}", year(), i + 1));
    }
}

#[tokio::test]
async fn an_e_learning_participant_gets_his_protocol() {
    let mut admin = TestApp::spawn().await;
    admin.sign_up("Marie", "Durand", "marie@cabinet-el.fr").await;
    // Session 6 is of training 3, followed in e-learning.
    let company = admin.create_company(6, &siret(83), "restricted", &[]).await;
    admin.json("wizard/participants", &[("op", "add"), ("email", "marie@cabinet-el.fr"), ("first_name", ""), ("last_name", "")]).await;
    admin.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    admin.validate_cart(company).await;
    let docs = admin.json("company/documents", &[("company_id", company.to_string().as_str())]).await;
    let protocols = docs["protocols"]["items"].as_array().unwrap();
    assert_eq!(protocols.len(), 1);
    let reg = protocols[0][0].as_i64().unwrap();
    let (status, bytes) = admin.download(&format!("/documents/protocole/{reg}")).await;
    assert_eq!(status, StatusCode::OK);
    let text = pdf_text(&bytes);
    assert!(text.contains("Protocole individuel de formation (e-learning)") && text.contains("Marie Durand"), "{text}");
}
