#!/usr/bin/env bash
# THE test command of Hackops (`make test` runs it; CI runs it through .ci/run).
#
#   bash scripts/test.sh                 # every stage, in order, stopping at the first failure
#   bash scripts/test.sh fmt clippy      # only the named stages (in the canonical order)
#   HACKOPS_SKIP=e2e bash scripts/test.sh   # every stage but these (comma-separated)
#   bash scripts/test.sh --list          # list the stages
#
# Stages:
#   setup          scripts/setup.sh (apt packages, wasm target, e2e npm deps, PostgreSQL, Redis)
#   fmt            cargo fmt --all -- --check
#   clippy         clippy -D warnings on the default members (all targets) and on the front end (wasm32)
#                  (no --workspace on purpose: it would add the front end, built natively, to the
#                  clippy and test stages; without it cargo takes default-members: shared,
#                  migrations, server)
#   wasm-check     cargo check -p hackops-shared --target wasm32-unknown-unknown (wasm-clean contract)
#   test-sqlite    cargo test (default members) with HACKOPS_TEST_DB=sqlite
#   test-postgres  cargo test (default members) with HACKOPS_TEST_DB=postgres against local PostgreSQL + Redis
#   frontend       scripts/build-frontend.sh (frontend/dist)
#   build          cargo build -p hackops-server --bins --tests (the debug binary the e2e tests run)
#   bench-smoke    scripts/bench-smoke.sh: 1k-connection fan-out + hold against that binary and the
#                  bench baseline; fails on functional problems only, never on speed
#   e2e            Playwright in e2e/ against that binary, with Debian's Chromium
#   compose        scripts/check-compose.sh (docker-compose.yml, Dockerfile, deploy/Caddyfile)
#
# Environment read here (all optional):
#   CARGO_TARGET_DIR        cargo's target dir; resolved (cargo metadata) and exported as an
#                           absolute path, so that scripts/build-frontend.sh, which builds into
#                           ${CARGO_TARGET_DIR:-target}/frontend, and this script agree.
#                           .ci/run points it outside the clone to keep CI builds warm.
#   HACKOPS_TOOLS_DIR       where build-frontend.sh keeps wasm-bindgen/binaryen (default ~/.cache/hackops-tools)
#   npm_config_cache        npm cache for e2e/ (default ~/.cache/hackops-npm)
#   HACKOPS_TEST_PG_URL     PostgreSQL base URL for test-postgres (default: postgres://postgres@127.0.0.1:5432,
#                           or the `root` role when `postgres` cannot connect)
#   HACKOPS_TEST_REDIS_URL  Redis URL for test-postgres (default redis://127.0.0.1:6379)
#   HACKOPS_SKIP            comma-separated stages to skip
# Exported to the stages:
#   HACKOPS_TEST_DB=sqlite|postgres, HACKOPS_TEST_PG_URL, HACKOPS_TEST_REDIS_URL (cargo test stages)
#   HACKOPS_BIN=<target>/debug/hackops, HACKOPS_STATIC_DIR=<root>/frontend/dist (e2e stage)
# e2e artifacts stay in e2e/artifacts/ and e2e/test-results/.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG="test"
cd "$HACKOPS_ROOT"

STAGES=(setup fmt clippy wasm-check test-sqlite test-postgres frontend build bench-smoke e2e compose)

# ------------------------------------------------------------------------------ stages
stage_setup() { bash scripts/setup.sh; }

stage_fmt() {
  local color=()
  [[ -t 1 ]] || color=(--color=never) # rustfmt colours its diff even into a pipe
  cargo fmt --all -- --check "${color[@]}"
}

stage_clippy() {
  cargo clippy --all-targets --locked -- -D warnings
  cargo clippy -p hackops-frontend --target wasm32-unknown-unknown \
    --target-dir "$FRONTEND_TARGET_DIR" --locked -- -D warnings
}

# Shares the front end's target dir: the wasm32 artifacts of shared's dependencies are already
# there after the clippy stage.
stage_wasm-check() {
  cargo check -p hackops-shared --target wasm32-unknown-unknown \
    --target-dir "$FRONTEND_TARGET_DIR" --locked
}

stage_test-sqlite() {
  HACKOPS_TEST_DB=sqlite cargo test --locked 2>&1 | tee "$LOG_DIR/test-sqlite.log"
}

stage_test-postgres() {
  local pg_url redis_url
  pg_url="$(pick_pg_url)"
  redis_url="${HACKOPS_TEST_REDIS_URL:-redis://127.0.0.1:6379}"
  log "PostgreSQL: $pg_url  Redis: $redis_url"
  HACKOPS_TEST_DB=postgres HACKOPS_TEST_PG_URL="$pg_url" HACKOPS_TEST_REDIS_URL="$redis_url" \
    cargo test --locked 2>&1 | tee "$LOG_DIR/test-postgres.log"
}

stage_frontend() {
  [[ -f scripts/build-frontend.sh ]] || die "scripts/build-frontend.sh is missing"
  bash scripts/build-frontend.sh
}

# `--tests` makes cargo resolve features as `cargo test` did (dev-dependencies turn on more
# features of hyper, tower, tower-http...), so after the test stages this is a no-op instead of
# a second build of those crates and everything above them. Same binary, same code.
stage_build() { cargo build -p hackops-server --bins --tests --locked; }

stage_bench-smoke() { bash scripts/bench-smoke.sh; }

stage_e2e() {
  [[ -x $HACKOPS_BIN ]] || die "$HACKOPS_BIN not found: run the 'build' stage first"
  [[ -d frontend/dist ]] || die "frontend/dist not found: run the 'frontend' stage first"
  [[ -d e2e/node_modules ]] || die "e2e/node_modules not found: run the 'setup' stage first"
  mkdir -p e2e/artifacts
  (cd e2e && HACKOPS_BIN="$HACKOPS_BIN" HACKOPS_STATIC_DIR="$HACKOPS_ROOT/frontend/dist" \
    npx --no-install playwright test) 2>&1 | tee "$LOG_DIR/e2e.log"
}

stage_compose() { bash scripts/check-compose.sh; }

# The first role of `postgres`/`root` that connects over TCP and may create databases.
pick_pg_url() {
  if [[ -n ${HACKOPS_TEST_PG_URL:-} ]]; then
    printf '%s\n' "$HACKOPS_TEST_PG_URL"
    return
  fi
  if ! have psql; then
    printf '%s\n' "postgres://postgres@127.0.0.1:5432"
    return
  fi
  local user ok
  for user in postgres root; do
    ok="$(psql -w -h 127.0.0.1 -p 5432 -U "$user" -d postgres -Atc \
      "select rolsuper or rolcreatedb from pg_roles where rolname = current_user" 2>/dev/null || true)"
    if [[ $ok == t ]]; then
      printf '%s\n' "postgres://$user@127.0.0.1:5432"
      return
    fi
  done
  die "neither the 'postgres' nor the 'root' role can connect to 127.0.0.1:5432 and create databases (set HACKOPS_TEST_PG_URL)"
}

# ------------------------------------------------------------------------------ arguments
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

selected=()
for arg in "$@"; do
  case $arg in
    -h | --help)
      usage
      exit 0
      ;;
    --list)
      printf '%s\n' "${STAGES[@]}"
      exit 0
      ;;
    *)
      [[ " ${STAGES[*]} " == *" $arg "* ]] || die "unknown stage '$arg' (stages: ${STAGES[*]})"
      selected+=("$arg")
      ;;
  esac
done

run=()
for s in "${STAGES[@]}"; do
  if ((${#selected[@]})) && [[ " ${selected[*]} " != *" $s "* ]]; then continue; fi
  if [[ ",${HACKOPS_SKIP:-}," == *",$s,"* ]]; then continue; fi
  run+=("$s")
done
((${#run[@]})) || die "no stage left to run"

# ------------------------------------------------------------------------------ environment
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
CARGO_TARGET_DIR="$(cargo_target_dir)"
export CARGO_TARGET_DIR
FRONTEND_TARGET_DIR="$CARGO_TARGET_DIR/frontend"
HACKOPS_BIN="$CARGO_TARGET_DIR/debug/hackops"
export HACKOPS_BIN

LOG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hackops-test.XXXXXX")"
trap 'rm -rf "$LOG_DIR"' EXIT

# ------------------------------------------------------------------------------ runner
declare -A took=() result=()
total_start=$(date +%s)

# Sums the closing lines of cargo test and Playwright into one plain
# "tests: N passed, N failed, N skipped" line.
test_totals() {
  local passed=0 failed=0 skipped=0 p f i
  local logs=("$LOG_DIR"/*.log)
  [[ -e ${logs[0]} ]] || return 0
  # cargo test: "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; ..."
  while read -r p f i; do
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + i))
  done < <(sed -nE 's/^test result: [A-Za-z]+\. ([0-9]+) passed; ([0-9]+) failed; ([0-9]+) ignored.*/\1 \2 \3/p' \
    "$LOG_DIR"/test-*.log 2>/dev/null)
  # Playwright's closing block: "  12 passed (30.2s)", "  1 failed", "  2 skipped", "  1 flaky".
  if [[ -f $LOG_DIR/e2e.log ]]; then
    local n word
    while read -r n word; do
      case $word in
        passed | flaky) passed=$((passed + n)) ;;
        failed) failed=$((failed + n)) ;;
        skipped | did*) skipped=$((skipped + n)) ;; # "did not run"
      esac
    done < <(sed -nE 's/^ +([0-9]+) (passed|failed|flaky|skipped|did not run)( .*)?$/\1 \2/p' "$LOG_DIR/e2e.log")
  fi
  printf 'tests: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
}

summary() {
  local s
  printf '\n==================== summary ====================\n'
  printf '%-15s %9s  %s\n' stage time result
  for s in "${run[@]}"; do
    if [[ -n ${result[$s]:-} ]]; then
      printf '%-15s %9s  %s\n' "$s" "$(fmt_duration "${took[$s]}")" "${result[$s]}"
    else
      printf '%-15s %9s  %s\n' "$s" - "not run"
    fi
  done
  printf '%-15s %9s\n' total "$(fmt_duration $(($(date +%s) - total_start)))"
  printf '=================================================\n'
}

n=0
for s in "${run[@]}"; do
  n=$((n + 1))
  printf '\n==> [%d/%d] %s  (%s)\n' "$n" "${#run[@]}" "$s" "$(date '+%H:%M:%S')"
  start=$(date +%s)
  # A subshell that is not part of a condition, so that `set -e` holds inside the stage.
  set +e
  ("stage_$s")
  rc=$?
  set -e
  took[$s]=$(($(date +%s) - start))
  if ((rc == 0)); then
    result[$s]=ok
    printf '<== %s ok in %s\n' "$s" "$(fmt_duration "${took[$s]}")"
  else
    result[$s]="FAILED (exit $rc)"
    summary
    test_totals
    printf '\nFAILED at stage "%s" (exit %d) after %s.\n' "$s" "$rc" "$(fmt_duration "${took[$s]}")" >&2
    printf 'Re-run only this stage with: bash scripts/test.sh %s\n' "$s" >&2
    exit "$rc"
  fi
done

summary
test_totals
