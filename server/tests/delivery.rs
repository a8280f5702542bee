//! Bytes on the wire, on the router as the release serves it: a site directory whose
//! files carry their content's hash (cargo-leptos `hash-files`) and precompressed
//! siblings (`--precompress`).

mod common;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use common::{TestApp, HOST};
use std::io::Read;
use std::path::Path;

const HASH: &str = "Qm9uam91cg";

/// A release-like site: `pkg/` with hashed names, each with `.br` and `.gz` siblings
/// whose bytes say which one was served, and the hash file the pages read.
fn release_site(root: &Path) -> std::path::PathBuf {
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for ext in ["wasm", "js", "css"] {
        let name = format!("espace-entreprise.{HASH}.{ext}");
        std::fs::write(pkg.join(&name), format!("raw {ext}").repeat(100)).unwrap();
        std::fs::write(pkg.join(format!("{name}.br")), format!("brotli {ext}")).unwrap();
        std::fs::write(pkg.join(format!("{name}.gz")), format!("gzip {ext}")).unwrap();
    }
    let hash_file = root.join("hash.txt");
    std::fs::write(&hash_file, format!("js: {HASH}\nwasm: {HASH}\ncss: {HASH}\n")).unwrap();
    hash_file
}

async fn release_app() -> TestApp {
    let root = std::env::temp_dir().join(format!("ee-site-{}-{}", std::process::id(), app::server::db::now()));
    let hash_file = release_site(&root);
    TestApp::spawn_configured(move |_, options| {
        options.site_root = root.display().to_string().into();
        options.hash_files = true;
        // Absolute: Leptos joins it to the directory of the running binary.
        options.hash_file = hash_file.display().to_string().into();
    })
    .await
}

async fn fetch(app: &mut TestApp, path: &str, accept_encoding: Option<&str>) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut req = Request::builder().uri(path).header(header::HOST, HOST).header(header::ACCEPT, "*/*");
    if let Some(e) = accept_encoding {
        req = req.header(header::ACCEPT_ENCODING, e);
    }
    app.raw_bytes(req.body(Body::empty()).unwrap()).await
}

fn value(h: &HeaderMap, name: header::HeaderName) -> &str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

#[tokio::test]
async fn hashed_files_go_compressed_and_are_cached_for_a_year() {
    let mut app = release_app().await;
    for ext in ["wasm", "js", "css"] {
        let path = format!("/pkg/espace-entreprise.{HASH}.{ext}");
        for (accept, encoding, body) in [
            (Some("gzip, deflate, br, zstd"), "br", format!("brotli {ext}")),
            (Some("gzip"), "gzip", format!("gzip {ext}")),
            (None, "", format!("raw {ext}").repeat(100)),
        ] {
            let (status, h, bytes) = fetch(&mut app, &path, accept).await;
            assert_eq!(status, StatusCode::OK, "{path} {accept:?}");
            assert_eq!(value(&h, header::CONTENT_ENCODING), encoding, "{path} {accept:?}");
            assert_eq!(String::from_utf8_lossy(&bytes), body, "{path} {accept:?}: the precompressed sibling, untouched");
            assert_eq!(value(&h, header::CACHE_CONTROL), "public, max-age=31536000, immutable", "{path}");
            assert!(value(&h, header::VARY).to_ascii_lowercase().contains("accept-encoding"), "{path}: {h:?}");
        }
    }
    // The wasm keeps its media type: browsers compile it while it downloads only then.
    let (_, h, _) = fetch(&mut app, &format!("/pkg/espace-entreprise.{HASH}.wasm"), Some("br")).await;
    assert_eq!(value(&h, header::CONTENT_TYPE), "application/wasm");
    // A name of another deployment is not found, and that answer must not be cached.
    let (status, h, _) = fetch(&mut app, "/pkg/espace-entreprise.AAAAAAAAAA.wasm", Some("br")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(value(&h, header::CACHE_CONTROL), "no-store");
    // Nothing outside the site's pkg directory.
    for path in ["/pkg/../hash.txt", "/pkg/%2e%2e/hash.txt", "/pkg/..%2fhash.txt"] {
        let (status, _, body) = fetch(&mut app, path, None).await;
        assert_ne!(status, StatusCode::OK, "{path}: {}", String::from_utf8_lossy(&body));
    }
}

#[tokio::test]
async fn pages_are_compressed_when_asked_and_always_revalidated() {
    let mut app = release_app().await;
    let (status, h, bytes) = fetch(&mut app, "/catalogue", Some("gzip")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(value(&h, header::CONTENT_ENCODING), "gzip");
    assert_eq!(value(&h, header::CACHE_CONTROL), "no-cache", "HTML is never immutable");
    let mut html = String::new();
    flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut html).expect("a gzip body");
    assert!(html.contains("<!DOCTYPE html>") && html.contains("Catalogue"), "{}", &html[..html.len().min(400)]);
    // The page names the hashed files, so a new deployment is fetched at once.
    for name in [format!("/pkg/espace-entreprise.{HASH}.js"), format!("/pkg/espace-entreprise.{HASH}.wasm"), format!("/pkg/espace-entreprise.{HASH}.css")] {
        assert!(html.contains(&name), "{name} not in the page");
    }
    assert!(bytes.len() * 3 < html.len(), "gzip {} bytes for {} bytes of HTML", bytes.len(), html.len());

    let (_, h, _) = fetch(&mut app, "/catalogue", Some("br;q=1.0, gzip;q=0.5")).await;
    assert_eq!(value(&h, header::CONTENT_ENCODING), "br");
    // Chromium's and Firefox's header: zstd, the cheapest to make for what it saves.
    let (_, h, bytes) = fetch(&mut app, "/catalogue", Some("gzip, deflate, br, zstd")).await;
    assert_eq!(value(&h, header::CONTENT_ENCODING), "zstd");
    let decoded = String::from_utf8(zstd::decode_all(&bytes[..]).expect("a zstd body")).unwrap();
    assert!(decoded.contains("<!DOCTYPE html>") && decoded.contains("Catalogue"));
    assert!(bytes.len() * 3 < decoded.len(), "zstd {} bytes for {} bytes of HTML", bytes.len(), decoded.len());
    let (_, h, body) = fetch(&mut app, "/catalogue", None).await;
    assert_eq!(value(&h, header::CONTENT_ENCODING), "", "identity when not asked");
    assert!(String::from_utf8_lossy(&body).contains("<!DOCTYPE html>"));
    assert_eq!(value(&h, header::CACHE_CONTROL), "no-cache");

    // Liveness, small and never cached.
    let (status, h, body) = fetch(&mut app, "/healthz", Some("br")).await;
    assert_eq!((status, &body[..]), (StatusCode::OK, &b"ok"[..]));
    assert_eq!(value(&h, header::CACHE_CONTROL), "no-store");
}
