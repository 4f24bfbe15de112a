# syntax=docker/dockerfile:1.7
# Hackops in one image: the `hackops` server binary plus the built single-page app.
#
#   docker build -t hackops .
#   docker run --rm -p 8080:8080 -e HACKOPS_JWT_SECRET=... hackops serve --demo
#
# docker-compose.yml builds this image for its two instances and the migration job.

# ---------------------------------------------------------------------------- builder
FROM rust:1-bookworm AS builder

# For scripts/build-frontend.sh: brotli precompresses the assets; node/npm fetch binaryen's
# wasm-opt (the script installs it and the wasm-bindgen CLI into $HACKOPS_TOOLS_DIR, a build
# cache below).
RUN apt-get update \
 && apt-get install -y --no-install-recommends brotli nodejs npm \
 && rm -rf /var/lib/apt/lists/* \
 && rustup target add wasm32-unknown-unknown

ENV CARGO_INCREMENTAL=0 \
    CARGO_TERM_COLOR=never \
    HACKOPS_TOOLS_DIR=/opt/hackops-tools

WORKDIR /src
COPY . .

# Cache mounts keep the crates, the tools and the target directory between builds, so a
# rebuild after a code change only compiles the workspace crates. The results are copied out
# of the cached target directory to /out in the same step.
RUN --mount=type=cache,id=hackops-cargo-registry,target=/usr/local/cargo/registry \
    --mount=type=cache,id=hackops-cargo-git,target=/usr/local/cargo/git \
    --mount=type=cache,id=hackops-tools,target=/opt/hackops-tools \
    --mount=type=cache,id=hackops-target,target=/src/target \
    bash scripts/build-frontend.sh \
 && cargo build --release -p hackops-server --locked \
 && install -D -m 0755 target/release/hackops /out/hackops \
 && cp -r frontend/dist /out/dist

# ---------------------------------------------------------------------------- runtime
FROM debian:bookworm-slim AS runtime

RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin hackops \
 && mkdir -p /app /data \
 && chown hackops:hackops /data

# Health check without curl in the image: bash's /dev/tcp asks GET /healthz.
COPY --chmod=0755 <<'EOF' /usr/local/bin/hackops-healthcheck
#!/bin/bash
# Exits 0 when the local server answers GET /healthz with 200.
set -eu
port="${HACKOPS_ADDR##*:}"
exec 3<>"/dev/tcp/127.0.0.1/${port:-8080}"
printf 'GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 2 status <&3
[[ $status == *" 200 "* ]]
EOF

COPY --from=builder /out/hackops /usr/local/bin/hackops
COPY --from=builder /out/dist /app/dist

ENV HACKOPS_ADDR=0.0.0.0:8080 \
    HACKOPS_DATA_DIR=/data \
    HACKOPS_STATIC_DIR=/app/dist \
    HACKOPS_LOG_FORMAT=json

WORKDIR /app
USER hackops:hackops
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/hackops-healthcheck"]

ENTRYPOINT ["hackops"]
CMD ["serve"]
