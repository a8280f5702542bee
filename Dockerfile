# syntax=docker/dockerfile:1
# The portal as a container image: the release build (server + browser bundle, files
# precompressed) on Debian bookworm-slim, run as a non-root user.
#
#   docker build -t espace-entreprise .
#   docker run -p 3000:3000 -v portail-data:/data -e PUBLIC_URL=http://localhost:3000 espace-entreprise
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://… -e PUBLIC_URL=https://… espace-entreprise
#   docker exec <container> /app/server backup /data/backup.db        (SQLite: a checked copy)
#
# PUBLIC_URL must be the address the browsers use: posts from another origin are refused.
#
# compose.yaml runs two instances on PostgreSQL behind nginx. The toolchain is the one of
# ../shared/design/toolchain.md: rustc 1.95, cargo-leptos 0.3.10 (no_downloads: it finds
# wasm-bindgen, tailwindcss and wasm-opt on PATH), wasm-bindgen-cli at the version of
# Cargo.lock, node 20 for Tailwind and binaryen's wasm-opt (npm ci).

ARG RUST_VERSION=1.95.0

# Node 20, whose binary and npm are copied into the build stage.
FROM node:20-bookworm-slim AS node

FROM rust:${RUST_VERSION}-bookworm AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && node --version && npm --version
RUN rustup target add wasm32-unknown-unknown
# The tools first: these layers stay cached while the sources change.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    cargo install cargo-leptos --version 0.3.10 --locked --features no_downloads
WORKDIR /src
COPY Cargo.lock ./
# Not --locked: wasm-bindgen-cli's own lock file names a crate version the registry lacks.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)" \
    && test -n "$version" \
    && cargo install wasm-bindgen-cli --version "$version" \
    && wasm-bindgen --version
# Tailwind and wasm-opt (npm's binaryen: Debian's wasm-opt breaks hydration); Playwright's
# browsers are not needed here.
COPY package.json package-lock.json ./
RUN PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
COPY . .
# The target directory is a build cache: what the runtime needs is copied out of it in
# the same step (server binary, hash.txt of the hashed file names, the site).
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo leptos build --release --precompress \
    && mkdir -p /out \
    && cp target/release/server target/release/hash.txt /out/ \
    && cp -r target/site /out/site

FROM debian:bookworm-slim AS runtime
# ca-certificates: SMTP over TLS; curl: the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --user-group --uid 10001 --home-dir /app --shell /usr/sbin/nologin portail \
    && mkdir -p /data && chown portail:portail /data
WORKDIR /app
# hash.txt must sit beside the binary (Leptos reads it from the executable's directory).
COPY --from=build /out/server /out/hash.txt /app/
COPY --from=build /out/site /app/site
# What scripts/lib/release-server.sh sets, the address aside: every interface of the
# container. DATABASE_URL: SQLite in the /data volume unless set (PostgreSQL in compose).
ENV LEPTOS_OUTPUT_NAME=espace-entreprise \
    LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_HASH_FILES=true \
    LEPTOS_SITE_ADDR=0.0.0.0:3000 \
    LEPTOS_ENV=PROD \
    DATABASE_URL=sqlite:///data/espace-entreprise.db?mode=rwc \
    LOG_FORMAT=json \
    RUST_LOG=info,sqlx=warn
USER portail
VOLUME ["/data"]
EXPOSE 3000
# Liveness only (no database read); compose.yaml checks /readyz, as a load balancer does.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:3000/healthz || exit 1
# SIGTERM (docker stop) stops gracefully: requests in flight get SHUTDOWN_GRACE_SECS (20 s).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/server"]
