//! Operating the server (issue 12, "Operable"): `/readyz` and what makes it fail, the
//! request id and the log lines that carry it, `/metrics` read back by a Prometheus text
//! parser and who may read it, and the graceful stop of the real listener.

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Request, StatusCode};
use common::{TestApp, HOST};
use openmetrics_parser::prometheus::parse_prometheus;
use openmetrics_parser::{MetricsExposition, PrometheusType, PrometheusValue};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const LOOPBACK: &str = "127.0.0.1:50000";

/// A GET as built by the test: extra headers, and the TCP peer it comes from (the
/// client's own address when `None`).
async fn get_from(app: &mut TestApp, path: &str, headers: &[(&str, &str)], peer: Option<&str>) -> (StatusCode, HeaderMap, String) {
    let mut b = Request::builder().method("GET").uri(path).header(header::HOST, HOST);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let mut req = b.body(Body::empty()).unwrap();
    if let Some(peer) = peer {
        req.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    }
    app.raw(req).await
}

async fn get(app: &mut TestApp, path: &str) -> (StatusCode, HeaderMap, String) {
    get_from(app, path, &[], None).await
}

// ---------------------------------------------------------------------------------------
// /readyz

#[tokio::test]
async fn ready_while_the_database_answers_then_not() {
    let mut app = TestApp::spawn().await;
    let (status, headers, body) = get(&mut app, "/readyz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ready\n"));
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");

    // The database is gone: not ready, and it says why; alive all the same.
    app.db().close().await;
    let (status, _, body) = get(&mut app, "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body, "not ready\ndatabase: pool closed\n");
    let (status, _, _) = get(&mut app, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
}

/// On PostgreSQL, the database itself disappears under an open pool.
#[tokio::test]
async fn not_ready_when_the_postgresql_database_is_dropped() {
    if !common::is_postgres() {
        return;
    }
    let url = common::fresh_database_url().await;
    let name = url.rsplit('/').next().unwrap().to_string();
    let for_app = url.clone();
    let mut app = TestApp::spawn_configured(move |s, _| s.database_url = for_app).await;
    assert_eq!(get(&mut app, "/readyz").await.0, StatusCode::OK);

    use sqlx::Executor;
    let admin = sqlx::AnyPool::connect(&std::env::var("TEST_DATABASE_URL").unwrap()).await.unwrap();
    admin.execute(format!("DROP DATABASE {name} WITH (FORCE)").as_str()).await.unwrap();
    admin.close().await;
    let (status, _, body) = get(&mut app, "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.starts_with("not ready\ndatabase: "), "{body}");
}

#[tokio::test]
async fn not_ready_when_a_migration_is_missing() {
    let mut app = TestApp::spawn().await;
    let (last,): (i64,) = sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations").fetch_one(app.db()).await.unwrap();
    // As after restoring a backup older than this binary.
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1").bind(last).execute(app.db()).await.unwrap();
    let (status, _, body) = get(&mut app, "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body, format!("not ready\nmigrations: 1 not applied ({last})\n"));
}

#[tokio::test]
async fn not_ready_when_the_outbox_backlog_is_over_its_bound() {
    let mut app = TestApp::spawn_configured(|s, _| s.network.ops.ready_max_backlog = 2).await;
    // Without SMTP, every mail waits in the outbox.
    for n in 0..2 {
        mail(&app, &format!("p{n}@cabinet.fr")).await;
    }
    let (status, _, body) = get(&mut app, "/readyz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ready\n"), "at the bound");
    mail(&app, "p3@cabinet.fr").await;
    let (status, _, body) = get(&mut app, "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, "not ready\noutbox: 3 mails waiting, more than 2\n");
    // A mail given up no longer waits: it is shown elsewhere (outbox_failed).
    give_up(&app, "p3@cabinet.fr").await;
    assert_eq!(get(&mut app, "/readyz").await.0, StatusCode::OK);
}

/// A mail written into the outbox as a request writes it (without SMTP, it waits).
async fn mail(app: &TestApp, to: &str) {
    app.state.mailer.post(app.db(), &app::server::outbox::Mail::new(to, "Objet", "Texte")).await.unwrap();
}

/// The outbox worker gives up the mail to `to` (as after 24 hours of failures).
async fn give_up(app: &TestApp, to: &str) {
    sqlx::query("UPDATE outbox SET failed_at = $1, error = 'refusé' WHERE to_addr = $2")
        .bind(app::server::db::now())
        .bind(to)
        .execute(app.db())
        .await
        .unwrap();
}

// ---------------------------------------------------------------------------------------
// Request ids and log lines

fn request_id(headers: &HeaderMap) -> String {
    headers.get("x-request-id").expect("an x-request-id in the response").to_str().unwrap().to_string()
}

fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12] && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[tokio::test]
async fn every_response_has_a_request_id_and_a_forged_one_is_replaced() {
    let mut app = TestApp::spawn().await;
    let (_, h1, _) = get(&mut app, "/healthz").await;
    let (_, h2, _) = get(&mut app, "/catalogue").await;
    let (one, two) = (request_id(&h1), request_id(&h2));
    assert!(is_uuid(&one) && is_uuid(&two), "{one} {two}");
    assert_ne!(one, two);
    // Refusals and unknown pages carry one too.
    let (status, h, _) = get(&mut app, "/nulle-part").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(is_uuid(&request_id(&h)));
    let (status, h, _) = get_from(&mut app, "/metrics", &[], None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(is_uuid(&request_id(&h)));

    // A proxy's well-formed id is kept, so that its log and ours meet.
    let (_, h, _) = get_from(&mut app, "/healthz", &[("x-request-id", "nginx-4f2a9c01.7")], None).await;
    assert_eq!(request_id(&h), "nginx-4f2a9c01.7");
    // Anything else is replaced by a new one.
    let long = "a".repeat(65);
    for forged in ["x\"}{\"level\":\"ERROR\",\"message\":\"forged", "deux mots", long.as_str(), "<script>"] {
        let (_, h, _) = get_from(&mut app, "/healthz", &[("x-request-id", forged)], None).await;
        let id = request_id(&h);
        assert!(is_uuid(&id), "{forged:?} gave {id:?}");
    }
    let (_, h, _) = get_from(&mut app, "/healthz", &[("x-request-id", "un"), ("x-request-id", "deux")], None).await;
    assert!(is_uuid(&request_id(&h)), "an id sent twice is replaced");
}

/// Where the JSON log lines of this test binary go.
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        // The subscriber `LOG_FORMAT=json` installs, writing here.
        let subscriber = server::logs::json_subscriber(move || Sink(sink.clone())).with_env_filter("info").finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber of this test binary");
        buffer
    })
    .clone()
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_log_lines_of_a_request_carry_its_id() {
    let logs = captured_logs();
    let mut app = TestApp::spawn().await;
    let form = "email=personne%40cabinet.fr&password=faux&next=%2Fespaces";
    let post = |id: Option<&str>| {
        let mut b = Request::builder()
            .method("POST")
            .uri("/api/account/login")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, format!("http://{HOST}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(id) = id {
            b = b.header("x-request-id", id);
        }
        b.body(Body::from(form)).unwrap()
    };
    let (status, h, _) = app.raw(post(None)).await;
    assert_eq!(status, StatusCode::OK);
    let made = request_id(&h);
    let (_, h, _) = app.raw(post(Some("lb-0001"))).await;
    assert_eq!(request_id(&h), "lb-0001");

    let text = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    let lines: Vec<serde_json::Value> =
        text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}"))).collect();
    for id in [made.as_str(), "lb-0001"] {
        let failed: Vec<&serde_json::Value> =
            lines.iter().filter(|l| l["target"] == "security" && l["event"] == "login.failed" && l["span"]["request_id"] == id).collect();
        assert_eq!(failed.len(), 1, "the failed log-in of request {id} in:\n{text}");
        let span = &failed[0]["span"];
        assert_eq!((span["name"].as_str(), span["method"].as_str(), span["route"].as_str()), (Some("request"), Some("POST"), Some("/api/account/login")));
        assert!(failed[0]["timestamp"].is_string() && failed[0]["level"] == "INFO", "{}", failed[0]);
    }
}

// ---------------------------------------------------------------------------------------
// /metrics

type Scrape = MetricsExposition<PrometheusType, PrometheusValue>;

/// The text exposition format, parsed (a malformed line fails the test).
fn parse(body: &str) -> Scrape {
    parse_prometheus(body).unwrap_or_else(|e| panic!("not the Prometheus text format ({e:?}):\n{body}"))
}

/// /metrics from this machine, parsed as Prometheus parses it.
async fn scrape(app: &mut TestApp) -> Scrape {
    let (status, headers, body) = get_from(app, "/metrics", &[], Some(LOOPBACK)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    parse(&body)
}

/// The values of the family `name` whose labels include `labels`.
fn samples<'a>(s: &'a Scrape, name: &str, labels: &[(&str, &str)]) -> Vec<&'a PrometheusValue> {
    s.families
        .get(name)
        .into_iter()
        .flat_map(|f| f.iter_samples())
        .filter(|x| {
            let set = x.get_labelset().expect("labels bound to their family");
            labels.iter().all(|(k, v)| set.get_label_value(k) == Some(*v))
        })
        .map(|x| &x.value)
        .collect()
}

/// The value of the counter or gauge `name` with these labels, summed (0 when absent).
fn value(s: &Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    samples(s, name, labels)
        .into_iter()
        .map(|v| match v {
            PrometheusValue::Counter(c) => c.value.as_f64(),
            PrometheusValue::Gauge(n) | PrometheusValue::Unknown(n) => n.as_f64(),
            other => panic!("{name} is not a single value: {other:?}"),
        })
        .sum()
}

/// Every route label of the scrape.
fn routes(s: &Scrape) -> Vec<String> {
    s.families
        .values()
        .flat_map(|f| f.iter_samples())
        .filter_map(|x| x.get_labelset().ok().and_then(|l| l.get_label_value("route").map(str::to_string)))
        .collect()
}

/// How many requests of `route` the latency histogram holds (0 when it has none yet).
fn timed(s: &Scrape, route: &str) -> f64 {
    let family = s.families.get("http_request_duration_seconds").expect("the latency histogram");
    assert_eq!(family.family_type, PrometheusType::Histogram);
    let Some(value) = samples(s, "http_request_duration_seconds", &[("route", route)]).into_iter().next() else { return 0.0 };
    let PrometheusValue::Histogram(h) = value else { panic!("not a histogram: {value:?}") };
    let bounds: Vec<f64> = h.buckets.iter().map(|b| b.upper_bound).collect();
    assert_eq!(bounds.first(), Some(&0.005), "{bounds:?}");
    assert!(bounds.last().is_some_and(|b| b.is_infinite()), "{bounds:?}");
    assert!(h.buckets.windows(2).all(|w| w[0].count.as_f64() <= w[1].count.as_f64()), "cumulative buckets: {:?}", h.buckets);
    let count = h.count.expect("a _count") as f64;
    assert_eq!(h.buckets.last().map(|b| b.count.as_f64()), Some(count), "the +Inf bucket holds every request");
    assert!(h.sum.is_some_and(|s| s.as_f64() >= 0.0));
    count
}

#[tokio::test]
async fn metrics_count_each_route_by_its_template() {
    let mut app = TestApp::spawn().await;
    let before = scrape(&mut app).await;
    let healthz = [("route", "/healthz"), ("status", "2xx")];

    assert_eq!(get(&mut app, "/healthz").await.0, StatusCode::OK);
    assert_eq!(get(&mut app, "/healthz").await.0, StatusCode::OK);
    assert_eq!(get(&mut app, "/catalogue").await.0, StatusCode::OK);
    assert!(get(&mut app, "/documents/facture/123456").await.0.is_client_error());
    assert_eq!(get(&mut app, "/chemin-inconnu-93817/x").await.0, StatusCode::NOT_FOUND);
    let (status, _, _) = app.call("account/login", &[("email", "personne@cabinet.fr"), ("password", "faux"), ("next", "/espaces")]).await;
    assert_eq!(status, StatusCode::OK);
    for to in ["p@cabinet.fr", "q@cabinet.fr", "r@cabinet.fr"] {
        mail(&app, to).await;
    }
    give_up(&app, "r@cabinet.fr").await;

    let after = scrape(&mut app).await;
    assert!(value(&after, "http_requests_total", &healthz) >= value(&before, "http_requests_total", &healthz) + 2.0);
    assert!(timed(&after, "/healthz") >= timed(&before, "/healthz") + 2.0);
    // Pages and parametrised routes by their template; what matched no route under one label.
    assert!(value(&after, "http_requests_total", &[("route", "/catalogue"), ("status", "2xx")]) >= 1.0);
    assert!(value(&after, "http_requests_total", &[("route", "/documents/{kind}/{id}"), ("status", "4xx")]) >= 1.0);
    assert!(value(&after, "http_requests_total", &[("route", "fallback"), ("status", "4xx")]) >= 1.0);
    assert!(value(&after, "http_requests_total", &[("route", "/api/account/login"), ("status", "2xx")]) >= 1.0);
    let raw_paths: Vec<String> = routes(&after).into_iter().filter(|r| r.contains("93817") || r.contains("123456")).collect();
    assert!(raw_paths.is_empty(), "a route label made of a raw path: {raw_paths:?}");
    assert!(timed(&after, "/catalogue") >= 1.0);

    // The refused log-in, counted where the security log records it.
    let failures = [("reason", "password")];
    assert!(value(&after, "login_failures_total", &failures) >= value(&before, "login_failures_total", &failures) + 1.0);
    assert!(value(&after, "security_events_total", &[("event", "login.failed")]) >= 1.0);

    // Sampled at the scrape: the pool of this instance and the outbox.
    let pool_max = if common::is_postgres() { 10.0 } else { 8.0 };
    assert_eq!(value(&after, "db_pool_connections_max", &[]), pool_max);
    let (open, idle, busy) =
        (value(&after, "db_pool_connections", &[]), value(&after, "db_pool_connections_idle", &[]), value(&after, "db_pool_connections_in_use", &[]));
    assert!(open >= 1.0 && open <= pool_max && idle + busy == open, "{open} {idle} {busy}");
    assert_eq!(value(&after, "database_up", &[]), 1.0);
    assert_eq!(value(&after, "outbox_backlog", &[]), 2.0);
    assert_eq!(value(&after, "outbox_failed", &[]), 1.0);
    for (family, kind) in [("login_failures_total", PrometheusType::Counter), ("http_requests_total", PrometheusType::Counter), ("outbox_backlog", PrometheusType::Gauge)] {
        let f = &after.families[family];
        assert_eq!(f.family_type, kind, "{family}");
        assert!(!f.help.is_empty(), "{family} has its HELP line");
    }
}

#[tokio::test]
async fn metrics_only_for_the_operator() {
    // No token: this machine only, and not through a proxy.
    let mut app = TestApp::spawn().await;
    let (status, _, body) = get(&mut app, "/metrics").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "from another address: {body}");
    assert!(!body.contains("http_requests_total"));
    assert_eq!(get_from(&mut app, "/metrics", &[("x-forwarded-for", "203.0.113.9")], Some(LOOPBACK)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(get_from(&mut app, "/metrics", &[], Some("[::1]:50000")).await.0, StatusCode::OK);

    // A token: whoever sends it, and only them (loopback included).
    let token = "9f86d081884c7d659a2feaa0c55ad015";
    let mut app = TestApp::spawn_configured(move |s, _| s.network.ops.metrics_token = Some(token.to_string())).await;
    let (status, headers, _) = get_from(&mut app, "/metrics", &[], Some(LOOPBACK)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
    let wrong = format!("Bearer {}", token.replace('9', "8"));
    assert_eq!(get_from(&mut app, "/metrics", &[("authorization", &wrong)], None).await.0, StatusCode::UNAUTHORIZED);
    let (status, _, body) = get_from(&mut app, "/metrics", &[("authorization", &format!("Bearer {token}"))], None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(parse(&body).families.contains_key("http_requests_total"));
}

// ---------------------------------------------------------------------------------------
// Graceful stop, on the real listener through the function main uses

/// Reads from `stream` until `end`, within 30 s.
async fn read_until(stream: &mut TcpStream, end: &[u8]) -> String {
    let mut got = Vec::new();
    let reading = async {
        let mut byte = [0u8; 1];
        while !got.ends_with(end) {
            let n = stream.read(&mut byte).await.expect("read");
            assert!(n > 0, "connection closed after {:?}", String::from_utf8_lossy(&got));
            got.push(byte[0]);
        }
    };
    tokio::time::timeout(Duration::from_secs(30), reading).await.expect("an answer within 30 s");
    String::from_utf8_lossy(&got).into_owned()
}

/// Waits, at most 10 s, until a connection to `addr` is refused.
async fn until_refused(addr: SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(addr).await.is_ok() {
        assert!(Instant::now() < deadline, "{addr} still accepts connections 10 s after the stop");
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A catalogue search whose body the test holds back: the server has taken the request
/// (and waits for its body) once it answers `100 Continue`.
async fn request_in_flight(addr: SocketAddr) -> (TcpStream, &'static str) {
    let body = "query%5Bq%5D=&query%5Baudience%5D=&query%5Bmodality%5D=&query%5Bcity%5D=&query%5Bmonth%5D=";
    let mut slow = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/catalogue/search HTTP/1.1\r\nHost: {HOST}\r\nOrigin: http://{HOST}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Accept: application/json\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    let interim = read_until(&mut slow, b"\r\n\r\n").await;
    assert!(interim.starts_with("HTTP/1.1 100 Continue"), "{interim}");
    (slow, body)
}

#[tokio::test]
async fn a_stop_finishes_the_request_in_flight_and_refuses_new_connections() {
    let app = TestApp::spawn().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::ops::serve(
        listener,
        app.router.clone(),
        async move {
            let _ = stopped.await;
        },
        Duration::from_secs(20),
    ));

    let (mut slow, body) = request_in_flight(addr).await;
    stop.send(()).unwrap();
    until_refused(addr).await;
    assert!(!server.is_finished(), "the server waits for the request in flight");

    slow.write_all(body.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(30), slow.read_to_string(&mut answer)).await.expect("the answer, then the end of the connection").unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.contains("\"trainings\""), "{answer}");
    let done = tokio::time::timeout(Duration::from_secs(10), server).await.expect("the server returns once the request is answered");
    done.unwrap().unwrap();
}

#[tokio::test]
async fn a_stop_gives_up_on_requests_after_the_grace_period() {
    let app = TestApp::spawn().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let grace = Duration::from_millis(300);
    let server = tokio::spawn(server::ops::serve(
        listener,
        app.router.clone(),
        async move {
            let _ = stopped.await;
        },
        grace,
    ));
    // Its body never comes.
    let (_slow, _) = request_in_flight(addr).await;
    let asked = Instant::now();
    stop.send(()).unwrap();
    let done = tokio::time::timeout(Duration::from_secs(10), server).await.expect("the server returns after the grace period");
    done.unwrap().unwrap();
    assert!(asked.elapsed() >= grace, "returned before the grace period: {:?}", asked.elapsed());
}

/// SIGTERM, as a service manager sends it, stops the server main runs.
#[cfg(unix)]
#[tokio::test]
async fn sigterm_stops_the_server() {
    let app = TestApp::spawn().await;
    use axum::serve::ListenerExt;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // As main serves it.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let signal = server::ops::shutdown_signal().expect("signal handlers");
    let (seen, got) = tokio::sync::oneshot::channel();
    let stop = async move {
        let _ = seen.send(signal.await);
    };
    let server = tokio::spawn(server::ops::serve(listener, app.router.clone(), stop, Duration::from_secs(20)));
    let mut conn = TcpStream::connect(addr).await.unwrap();
    conn.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n").as_bytes()).await.unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK") && answer.ends_with("ok"), "{answer}");

    // To this very process: its handler is installed, so it is not killed.
    let sent = std::process::Command::new("kill").args(["-TERM", &std::process::id().to_string()]).status().expect("kill");
    assert!(sent.success());
    let which = tokio::time::timeout(Duration::from_secs(10), got).await.expect("the signal within 10 s").unwrap();
    assert_eq!(which, "SIGTERM");
    tokio::time::timeout(Duration::from_secs(10), server).await.expect("the server stops").unwrap().unwrap();
    until_refused(addr).await;
}
