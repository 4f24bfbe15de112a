# shellcheck shell=bash
# Helpers shared by scripts/setup.sh, scripts/test.sh and scripts/check-compose.sh.
# Source it; don't run it. It never changes shell options of the caller.

# Repository root (this file lives in <root>/scripts).
HACKOPS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export HACKOPS_ROOT

# Cache locations outside the clone (CI exports the same defaults from .ci/run).
HACKOPS_CACHE_DIR="${XDG_CACHE_HOME:-${HOME:-/root}/.cache}"
export HACKOPS_TOOLS_DIR="${HACKOPS_TOOLS_DIR:-$HACKOPS_CACHE_DIR/hackops-tools}"
export npm_config_cache="${npm_config_cache:-$HACKOPS_CACHE_DIR/hackops-npm}"

log() { printf '[%s] %s\n' "${LOG_TAG:-hackops}" "$*"; }
warn() { printf '[%s] WARNING: %s\n' "${LOG_TAG:-hackops}" "$*" >&2; }
die() {
  printf '[%s] ERROR: %s\n' "${LOG_TAG:-hackops}" "$*" >&2
  exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

# Run a command as root: directly when we are root, through sudo (non-interactive) otherwise.
as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif have sudo; then
    sudo -n "$@"
  else
    return 1
  fi
}

# Seconds -> "1m05s".
fmt_duration() {
  local s=$1
  printf '%dm%02ds' $((s / 60)) $((s % 60))
}

# Cargo's target directory, resolved the way cargo does it (CARGO_TARGET_DIR, .cargo/config.toml,
# or <root>/target). Cheap: `--no-deps` neither resolves nor downloads anything.
cargo_target_dir() {
  local dir=""
  dir="$(cd "$HACKOPS_ROOT" && cargo metadata --format-version 1 --no-deps 2>/dev/null |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])' 2>/dev/null)" || dir=""
  if [[ -z $dir ]]; then
    dir="${CARGO_TARGET_DIR:-$HACKOPS_ROOT/target}"
    [[ $dir == /* ]] || dir="$HACKOPS_ROOT/$dir"
  fi
  printf '%s\n' "$dir"
}
