use axum::serve::ListenerExt;
use leptos::prelude::get_configuration;

/// Many small, short-lived allocations per page: mimalloc serves them faster than glibc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    // `server backup <file>`: a checked copy of the SQLite database, then exit.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("backup") {
        std::process::exit(server::backup::run(&args[1..]).await);
    }
    // `server obligations [set <profession> <field> <value>]`: the training-duty rules.
    if args.first().map(String::as_str) == Some("obligations") {
        std::process::exit(app::server::obligations::cli::run(&args[1..]).await);
    }
    // Text lines, or JSON lines with LOG_FORMAT=json; RUST_LOG filters them.
    let logged = server::logs::LogFormat::parse(std::env::var("LOG_FORMAT").ok().as_deref()).and_then(server::logs::init);
    if let Err(e) = logged {
        eprintln!("cannot start: {e}");
        std::process::exit(1);
    }
    let conf = get_configuration(None).expect("leptos configuration");
    let options = conf.leptos_options;
    let addr = options.site_addr;
    let settings = match server::Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot start: {e}");
            std::process::exit(1);
        }
    };
    let state = match server::build_state(&settings, options).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot start: {e}");
            std::process::exit(1);
        }
    };
    server::spawn_sweeper(state.db.clone(), state.config.public_url.clone());
    let app = server::router_with(state, &settings.network);
    // TCP_NODELAY, as for any HTTP server: a response's last small write (a chunked
    // body's ending) must not wait, under Nagle's algorithm, for the client to
    // acknowledge the previous one.
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind the site address").tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("TCP_NODELAY not set: {e}");
        }
    });
    // Installed before the first connection is accepted: from here, SIGTERM stops gracefully.
    let stop = server::ops::shutdown_signal().expect("SIGTERM and SIGINT handlers");
    let stop = async move {
        let signal = stop.await;
        tracing::info!("{signal} received");
    };
    tracing::info!("listening on http://{addr}");
    // The peer's address reaches the per-address limits and the security log. At SIGTERM
    // or SIGINT: no new connection, requests in flight finish (SHUTDOWN_GRACE_SECS at
    // most), then the process ends.
    server::ops::serve(listener, app, stop, settings.network.ops.shutdown_grace).await.expect("server");
}
