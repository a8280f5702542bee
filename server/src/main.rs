use axum::serve::ListenerExt;
use leptos::prelude::get_configuration;
use tracing_subscriber::EnvFilter;

/// Many small, short-lived allocations per page: mimalloc serves them faster than glibc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .init();
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
    server::spawn_sweeper(state.db.clone());
    let app = server::router_with(state, &settings.network);
    // TCP_NODELAY, as for any HTTP server: a response's last small write (a chunked
    // body's ending) must not wait, under Nagle's algorithm, for the client to
    // acknowledge the previous one.
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind the site address").tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("TCP_NODELAY not set: {e}");
        }
    });
    tracing::info!("listening on http://{addr}");
    // The peer's address reaches the per-address limits and the security log.
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.expect("server");
}
