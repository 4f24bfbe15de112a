#!/usr/bin/env bash
# Installs what a fresh development/CI machine (Debian 12, rustup, Node 20) lacks for Hackops,
# then makes sure PostgreSQL and Redis are up. Idempotent: a second run checks and does nothing.
#
#   bash scripts/setup.sh
#
# What it does, each step only when needed:
#   - apt packages: chromium (e2e), brotli (asset precompression), caddy (validates
#     deploy/Caddyfile), postgresql and redis-server (only when their binaries are missing);
#     `apt-get update` runs only when something must be installed.
#   - rustup: the wasm32-unknown-unknown target, the clippy and rustfmt components.
#   - e2e/: `npm ci` into e2e/node_modules, npm cache outside the clone ($npm_config_cache,
#     default ~/.cache/hackops-npm); skipped while e2e/package-lock.json is unchanged.
#   - starts PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) if they are down and waits
#     until they answer.
# The wasm-bindgen CLI and binaryen are installed by scripts/build-frontend.sh, not here.
#
# Env: HACKOPS_SETUP_SKIP_SERVICES=1 skips the PostgreSQL/Redis part (e.g. for a docker build).
#      npm_config_cache, HACKOPS_TOOLS_DIR (see scripts/lib.sh).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=setup
cd "$HACKOPS_ROOT"

did_something=0

# ---------------------------------------------------------------- apt packages
pg_server_installed() { compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }

apt_wanted=()
have chromium || apt_wanted+=(chromium)
have brotli || apt_wanted+=(brotli)
have caddy || apt_wanted+=(caddy)
if ! pg_server_installed || ! have pg_ctlcluster; then apt_wanted+=(postgresql); fi
have pg_isready || apt_wanted+=(postgresql-client)
have redis-server || apt_wanted+=(redis-server)
have redis-cli || apt_wanted+=(redis-tools)
have node || apt_wanted+=(nodejs)
have npm || apt_wanted+=(npm)
have python3 || apt_wanted+=(python3)

if ((${#apt_wanted[@]})); then
  log "installing apt packages: ${apt_wanted[*]}"
  have apt-get || die "apt-get not found; install these by hand: ${apt_wanted[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq ||
    die "apt-get update failed (need root or passwordless sudo); missing: ${apt_wanted[*]}"
  as_root apt-get install -y -qq -o Dpkg::Use-Pty=0 "${apt_wanted[@]}" ||
    die "apt-get install failed; missing: ${apt_wanted[*]}"
  did_something=1
fi

# ---------------------------------------------------------------- Rust toolchain
have cargo || die "cargo not found: install Rust with rustup (https://rustup.rs) first"
if have rustup; then
  if ! rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
    log "adding rustup target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown || die "could not add the wasm32-unknown-unknown target"
    did_something=1
  fi
  for component in clippy rustfmt; do
    if ! rustup component list --installed | grep -q "^${component}"; then
      log "adding rustup component $component"
      rustup component add "$component" || die "could not add the rustup component $component"
      did_something=1
    fi
  done
else
  # Not a rustup install: we can only check.
  cargo clippy --version >/dev/null 2>&1 || die "cargo clippy is missing (no rustup to add it)"
  cargo fmt --version >/dev/null 2>&1 || die "cargo fmt is missing (no rustup to add it)"
  warn "rustup not found: make sure the wasm32-unknown-unknown target is installed"
fi

# ---------------------------------------------------------------- e2e npm dependencies
if [[ -f e2e/package.json ]]; then
  node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  ((node_major >= 18)) || die "Node.js >= 18 is needed for e2e/ (found: $(node --version 2>/dev/null || echo none))"
  if [[ -f e2e/package-lock.json ]]; then
    stamp_file=e2e/node_modules/.hackops-setup-stamp
    want_stamp="$(cat e2e/package.json e2e/package-lock.json | sha256sum | cut -d' ' -f1) node-$(node --version)"
    if [[ ! -f $stamp_file || "$(cat "$stamp_file")" != "$want_stamp" ]]; then
      log "npm ci in e2e/ (cache: $npm_config_cache)"
      mkdir -p "$npm_config_cache"
      # Never let a package download a browser: the e2e tests drive Debian's /usr/bin/chromium.
      (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefer-offline --no-audit --no-fund \
        --loglevel=warn --cache "$npm_config_cache") || die "npm ci in e2e/ failed"
      printf '%s\n' "$want_stamp" >"$stamp_file"
      did_something=1
    fi
  else
    die "e2e/package-lock.json is missing: run 'npm install' in e2e/ and commit the lock file"
  fi
else
  warn "e2e/package.json not found; skipping the e2e npm install"
fi

# ---------------------------------------------------------------- services
pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
redis_ready() { [[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" == PONG ]]; }

# wait_for CHECK_FN SECONDS
wait_for() {
  local check=$1 limit=$2 i
  for ((i = 0; i < limit * 4; i++)); do
    "$check" && return 0
    sleep 0.25
  done
  return 1
}

start_postgres() {
  local version
  version="$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n1)"
  if [[ -z $version ]]; then
    # Server installed but no cluster (e.g. create_main_cluster=false): create one.
    version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n1)"
    [[ -n $version ]] || die "PostgreSQL server binaries not found (apt-get install postgresql)"
    log "creating PostgreSQL $version cluster 'main'"
    as_root pg_createcluster --port 5432 "$version" main || die "pg_createcluster $version main failed"
  fi
  log "starting PostgreSQL $version/main"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
    warn "pg_ctlcluster $version main start returned non-zero (checking readiness anyway)"
}

# A cluster that apt just created uses password auth on 127.0.0.1; the tests connect without a
# password (the machine kind is set up with trust auth). Only touches pg_hba.conf when password
# auth is what stops us.
ensure_pg_trust() {
  local out
  if out="$(psql -w -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atc 'select 1' 2>&1)"; then
    return 0
  fi
  if [[ $out != *"password"* ]]; then
    return 0 # some other problem; scripts/test.sh reports it when it picks the user
  fi
  local hba
  hba="$(as_root su postgres -c "psql -Atc 'show hba_file'" 2>/dev/null || true)"
  [[ -n $hba && -f $hba ]] || die "PostgreSQL wants a password on 127.0.0.1 and pg_hba.conf was not found"
  log "enabling trust auth for 127.0.0.1/::1 in $hba (local test database)"
  as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  as_root su postgres -c "psql -Atc 'select pg_reload_conf()'" >/dev/null
  did_something=1
}

if [[ ${HACKOPS_SETUP_SKIP_SERVICES:-0} != 1 ]]; then
  if ! pg_ready; then
    start_postgres
    wait_for pg_ready 60 ||
      die "PostgreSQL is not accepting connections on 127.0.0.1:5432 (see /var/log/postgresql/)"
    log "PostgreSQL is ready"
    did_something=1
  fi
  ensure_pg_trust

  if ! redis_ready; then
    log "starting Redis"
    as_root mkdir -p /var/lib/redis /var/log/redis
    as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
      --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log ||
      warn "redis-server returned non-zero (checking readiness anyway)"
    wait_for redis_ready 30 ||
      die "Redis is not answering on 127.0.0.1:6379 (see /var/log/redis/ci.log)"
    log "Redis is ready"
    did_something=1
  fi
fi

if ((did_something)); then
  log "done"
else
  log "nothing to do: everything is installed and running"
fi
