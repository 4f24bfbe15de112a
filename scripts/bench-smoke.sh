#!/usr/bin/env bash
# CI smoke run of the realtime benchmark (bench/, see bench/README.md).
#
#   bash scripts/bench-smoke.sh               # Hackops + the baseline, debug build
#   bash scripts/bench-smoke.sh --with-node   # also the Node ws and socket.io peers (npm ci in bench/node)
#   bash scripts/bench-smoke.sh --release     # release build (minutes to compile on 2 cores)
#
# 1,000 subscribed connections per server: a 5 s open-loop fan-out at 5 publishes/s, then a
# short hold. About 30 s of running. It fails ONLY on functional problems: a connection that
# fails or drops, no update received, a duplicate or reordered update, a publish that fails.
# Speed never fails it: on a debug build and a shared CI machine the numbers are sanity
# checks only; real numbers come from full release runs by hand (bench/results/).
#
# Environment (all optional):
#   CARGO_TARGET_DIR   cargo's target dir (scripts/test.sh exports it)
#   HACKOPS_BIN        the hackops binary to measure (default <target>/<profile>/hackops, built
#                      when missing)
#   npm_config_cache   npm cache for --with-node (default ~/.cache/hackops-npm, see scripts/lib.sh)
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG="bench-smoke"
cd "$HACKOPS_ROOT"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

with_node=0
profile=debug
for arg in "$@"; do
  case $arg in
    --with-node) with_node=1 ;;
    --release) profile=release ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown argument '$arg' (see --help)" ;;
  esac
done

target_dir="$(cargo_target_dir)"
log "building hackops and hackops-bench ($profile)"
if [[ $profile == release ]]; then
  cargo build --release -p hackops-server -p hackops-bench --bins --locked
else
  # The same package selection and targets as `cargo test` (all default members, with their
  # tests): features resolve identically, so after the test stages this only links the bench
  # binaries instead of rebuilding hyper & co. with another feature set.
  cargo build --bins --tests --locked
fi
hackops_bin="${HACKOPS_BIN:-$target_dir/$profile/hackops}"
[[ -x $hackops_bin ]] || die "$hackops_bin not found"
bench_bin="$target_dir/$profile/hackops-bench"

targets=hackops,baseline
if ((with_node)); then
  have node || die "--with-node needs node and npm"
  if [[ ! -d bench/node/node_modules ]] || [[ bench/node/package-lock.json -nt bench/node/node_modules ]]; then
    log "npm ci in bench/node (cache: $npm_config_cache)"
    mkdir -p "$npm_config_cache"
    (cd bench/node && npm ci --prefer-offline --no-audit --no-fund --loglevel=warn) ||
      die "npm ci in bench/node failed"
    touch bench/node/node_modules
  fi
  targets+=,ws,socketio
fi

out_dir="$(mktemp -d "${TMPDIR:-/tmp}/hackops-bench-smoke.XXXXXX")"
trap 'rm -rf "$out_dir"' EXIT

log "running: $targets, N=1000 fan-out + hold, hackops=$hackops_bin"
set +e
timeout 300 "$bench_bin" run --check \
  --targets "$targets" --scenarios fanout,hold \
  --n 1000 --hold-n 1000 --rate 5 --duration 5 --drain 1 --settle 0.5 --hold-secs 1 \
  --hackops-bin "$hackops_bin" \
  --note "CI smoke ($profile build): functional checks only, the numbers are sanity checks" \
  --out "$out_dir/smoke" >"$out_dir/stdout"
rc=$?
set -e
if [[ -f $out_dir/smoke.md ]]; then
  cat "$out_dir/smoke.md"
else
  cat "$out_dir/stdout"
fi
((rc == 0)) || die "functional problem in the benchmark smoke run (exit $rc): see above"
log "ok: no functional problem (numbers above are sanity checks, not targets)"
