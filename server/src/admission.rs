//! Admission: at most `MAX_CONCURRENT_REQUESTS` requests are being handled at once; the
//! others wait their turn, first come first served.
//!
//! Without it, every connection's request is started at once and they all progress
//! together on the few CPUs: under load each takes as long as all of them, and the
//! scheduler's order decides who waits most (measured on one CPU with 64 connections: a
//! page's 99th percentile six times its median). Admitted in arrival order, a request
//! waits for those before it and is then served at full speed: the 99th percentile
//! comes close to the median at the same throughput.
//!
//! The permit is held while the handler produces the response, not while the body is
//! sent: a client reading slowly keeps no one else waiting. `/healthz` and the built
//! files of `/pkg` (cheap, and the load balancer's probe must answer under load) are
//! not counted.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Default of `MAX_CONCURRENT_REQUESTS` per CPU the process may use: enough to keep a
/// CPU busy while others wait for the database, few enough to keep the order.
pub const PER_CPU: usize = 8;

/// The default bound for this process (its CPUs, as `taskset` or a container limits
/// them).
pub fn default_bound() -> usize {
    PER_CPU * std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// Paths admitted without waiting: the probes and the scrape must answer while the
/// instance is saturated (that is when the operator needs them), and the built files
/// cost no database work.
fn exempt(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | "/metrics") || path.starts_with("/pkg/")
}

/// The middleware (`axum::middleware::from_fn`) with `bound` permits.
pub fn layer(
    bound: usize,
) -> impl Fn(Request, Next) -> std::pin::Pin<Box<dyn std::future::Future<Output = Response> + Send>> + Clone + Send + Sync + 'static {
    // tokio's semaphore is fair: waiters are served in the order they asked.
    let permits = Arc::new(Semaphore::new(bound.max(1)));
    move |req: Request, next: Next| {
        let permits = permits.clone();
        Box::pin(async move {
            if exempt(req.uri().path()) {
                return next.run(req).await;
            }
            // Never closed: the semaphore lives as long as the router.
            let _permit = permits.acquire_owned().await.expect("the admission semaphore is never closed");
            next.run(req).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use axum::Router;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::sync::{mpsc, Notify};
    use tower::ServiceExt;

    /// A router whose `/page` reports each entry and then waits for `release`.
    fn router(bound: usize, entered: mpsc::UnboundedSender<usize>, release: Arc<Notify>) -> Router {
        let count = Arc::new(AtomicUsize::new(0));
        let page = move || {
            let (entered, release, count) = (entered.clone(), release.clone(), count.clone());
            async move {
                entered.send(count.fetch_add(1, Ordering::SeqCst)).unwrap();
                release.notified().await;
                "page"
            }
        };
        Router::new()
            .route("/page", get(page))
            .route("/healthz", get(|| async { "ok" }))
            .layer(axum::middleware::from_fn(layer(bound)))
    }

    fn get_req(path: &str) -> Request {
        Request::builder().uri(path).body(Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn beyond_the_bound_requests_wait_and_the_probe_does_not() {
        let (tx, mut entered) = mpsc::unbounded_channel();
        let release = Arc::new(Notify::new());
        let app = router(1, tx, release.clone());
        let first = tokio::spawn(app.clone().oneshot(get_req("/page")));
        assert_eq!(entered.recv().await, Some(0));
        let second = tokio::spawn(app.clone().oneshot(get_req("/page")));
        // The probe answers while the only permit is taken.
        let probe = app.clone().oneshot(get_req("/healthz")).await.unwrap();
        assert_eq!(probe.status(), 200);
        // The second has not reached its handler: let every other task run first.
        for _ in 0..50 {
            tokio::task::yield_now().await;
        }
        assert!(entered.try_recv().is_err(), "a second request was handled beside the first");
        release.notify_one();
        assert_eq!(first.await.unwrap().unwrap().status(), 200);
        assert_eq!(entered.recv().await, Some(1));
        release.notify_one();
        assert_eq!(second.await.unwrap().unwrap().status(), 200);
    }

    #[tokio::test]
    async fn within_the_bound_requests_run_together() {
        let (tx, mut entered) = mpsc::unbounded_channel();
        let release = Arc::new(Notify::new());
        let app = router(2, tx, release.clone());
        let a = tokio::spawn(app.clone().oneshot(get_req("/page")));
        let b = tokio::spawn(app.clone().oneshot(get_req("/page")));
        let mut seen = vec![entered.recv().await.unwrap(), entered.recv().await.unwrap()];
        seen.sort();
        assert_eq!(seen, vec![0, 1]);
        release.notify_waiters();
        release.notify_one();
        release.notify_one();
        assert_eq!(a.await.unwrap().unwrap().status(), 200);
        assert_eq!(b.await.unwrap().unwrap().status(), 200);
    }
}
