#!/usr/bin/env bash
# Builds the Leptos front end into frontend/dist/, ready for the server to serve:
#
#   frontend/dist/index.html
#   frontend/dist/assets/app-<hash>.js        wasm-bindgen glue (ES module, minified by esbuild)
#   frontend/dist/assets/app-<hash>_bg.wasm   the app, optimised by wasm-opt
#   frontend/dist/assets/start-<hash>.js      `import init from './app-<hash>.js'; init();`
#                                             (the CSP forbids inline scripts)
#   frontend/dist/assets/style-<hash>.css
#
# plus .gz (and .br when `brotli` exists) siblings of each file, which the server sends
# precompressed. Hashes are content hashes, so the assets can be cached forever.
#
# Idempotent: a run with nothing changed rewrites nothing. Tools that are not part of the
# repository (wasm-bindgen-cli from crates.io, binaryen and esbuild from npm) go to
# $HACKOPS_TOOLS_DIR (default ~/.cache/hackops-tools).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FRONTEND="$ROOT/frontend"
DIST="$FRONTEND/dist"
ASSETS="$DIST/assets"
# `<cargo target dir>/frontend`, so this build never holds the lock of the server's builds.
CARGO_TARGET_BASE="${CARGO_TARGET_DIR:-target}"
[[ "$CARGO_TARGET_BASE" == /* ]] || CARGO_TARGET_BASE="$ROOT/$CARGO_TARGET_BASE"
TARGET_DIR="$CARGO_TARGET_BASE/frontend"
TARGET=wasm32-unknown-unknown
PROFILE=wasm-release
TOOLS="${HACKOPS_TOOLS_DIR:-$HOME/.cache/hackops-tools}"
BINARYEN_VERSION=132.0.0
ESBUILD_VERSION=0.28.2
# Leptos' `erase_components` boxes each component's view: much less generic code, a
# smaller WASM. Only the wasm32 target sees it (so the server's builds are untouched).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:+ $CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS}"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
info() { printf '    %s\n' "$*"; }
warn() { printf '\033[33mwarning:\033[0m %s\n' "$*" >&2; }
die() {
    printf '\033[31merror:\033[0m %s\n' "$*" >&2
    exit 1
}
sha16() { sha256sum "$1" | cut -c1-16; }
# Installs (once) an npm package that ships a command into $TOOLS/<dir>; prints nothing.
npm_tool() {
    local dir="$1" spec="$2"
    command -v npm >/dev/null 2>&1 || return 1
    mkdir -p "$TOOLS/$dir"
    info "installing $spec from npm into $TOOLS/$dir"
    npm install --prefix "$TOOLS/$dir" --no-audit --no-fund --loglevel=error "$spec" >/dev/null
}
# Human-readable size in KiB with one decimal.
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }

cd "$ROOT"
mkdir -p "$TOOLS"

# --- 1. Compile the crate to WASM ---------------------------------------------------------
WASM="$TARGET_DIR/$TARGET/$PROFILE/hackops-frontend.wasm"

build_with_rustup() {
    if command -v rustup >/dev/null 2>&1; then
        rustup target add "$TARGET" || return 1
    fi
    command -v cargo >/dev/null 2>&1 || return 1
    cargo build -p hackops-frontend --target "$TARGET" --profile "$PROFILE" --target-dir "$TARGET_DIR"
}

build_with_debian_rust() {
    local missing=()
    for pkg in rustc-web cargo-web rust-web-src lld; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        info "installing Debian packages: ${missing[*]}"
        apt-get install -y "${missing[@]}" || { apt-get update && apt-get install -y "${missing[@]}"; } ||
            return 1
    fi
    # build-std needs the nightly switch; the linker must be told explicitly.
    RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld \
        /usr/bin/cargo build -p hackops-frontend --profile "$PROFILE" --target "$TARGET" \
        --target-dir "$TARGET_DIR" -Zbuild-std=std,panic_abort
}

step "Compiling hackops-frontend for $TARGET (profile $PROFILE, target dir $TARGET_DIR)"
if ! build_with_rustup; then
    warn "the rustup toolchain could not build the front end; trying Debian's rustc-web"
    build_with_debian_rust || die "the front end did not compile (see the cargo output above)"
fi
[[ -f "$WASM" ]] || die "cargo succeeded but $WASM is missing"
HASH="$(sha16 "$WASM")"
info "wasm: $WASM ($(kib "$(stat -c %s "$WASM")"), content hash $HASH)"

mkdir -p "$ASSETS"
APP_JS="app-$HASH.js"
APP_WASM="app-${HASH}_bg.wasm"

if [[ -f "$ASSETS/$APP_JS" && -f "$ASSETS/$APP_WASM" ]]; then
    step "WASM unchanged: keeping assets/$APP_JS and assets/$APP_WASM"
else
    # --- 2. wasm-bindgen, the same version as the crate in Cargo.lock ---------------------
    WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
    [[ -n "$WB_VERSION" ]] || die "could not read the wasm-bindgen version from Cargo.lock"
    WB_ROOT="$TOOLS/wasm-bindgen-$WB_VERSION"
    WASM_BINDGEN="$WB_ROOT/bin/wasm-bindgen"
    step "wasm-bindgen $WB_VERSION"
    if [[ -x "$WASM_BINDGEN" ]] && [[ "$("$WASM_BINDGEN" --version)" == "wasm-bindgen $WB_VERSION" ]]; then
        info "found $WASM_BINDGEN"
    else
        info "installing wasm-bindgen-cli $WB_VERSION into $WB_ROOT (a few minutes, once)"
        # No --locked: the CLI's own lock file does not resolve on every registry mirror.
        cargo install wasm-bindgen-cli --version "=$WB_VERSION" --root "$WB_ROOT" ||
            die "could not install wasm-bindgen-cli $WB_VERSION"
    fi

    WORK="$(mktemp -d)"
    trap 'rm -rf "$WORK"' EXIT
    "$WASM_BINDGEN" --target web --no-typescript --remove-name-section \
        --out-dir "$WORK" --out-name "app-$HASH" "$WASM" ||
        die "wasm-bindgen failed"

    # --- 3. wasm-opt from binaryen on npm (Debian's binaryen 108 corrupts externref tables)
    step "Optimising with wasm-opt -Oz"
    WASM_OPT="$TOOLS/binaryen/node_modules/.bin/wasm-opt"
    if [[ ! -x "$WASM_OPT" ]] || [[ "$("$WASM_OPT" --version 2>/dev/null)" != *"version ${BINARYEN_VERSION%%.*} "* ]]; then
        npm_tool binaryen "binaryen@$BINARYEN_VERSION" || warn "could not install binaryen from npm"
    fi
    if [[ -x "$WASM_OPT" ]]; then
        # The --enable flags are the features rustc turns on for wasm32 by default and that
        # the wasm-bindgen output uses (externref tables, bulk memory); without them
        # wasm-opt refuses the module. flatten + rereloop before -Oz saves a few KiB more.
        "$WASM_OPT" --enable-reference-types --enable-bulk-memory --enable-mutable-globals \
            --enable-sign-ext --enable-nontrapping-float-to-int --enable-multivalue \
            --flatten --rereloop -Oz -Oz \
            "$WORK/$APP_WASM" -o "$WORK/$APP_WASM.opt" ||
            die "wasm-opt failed on $APP_WASM"
        info "$(kib "$(stat -c %s "$WORK/$APP_WASM")") → $(kib "$(stat -c %s "$WORK/$APP_WASM.opt")")"
        mv "$WORK/$APP_WASM.opt" "$WORK/$APP_WASM"
    else
        warn "wasm-opt is unavailable (needs npm): shipping the unoptimised WASM"
    fi

    # --- 4. Minify the JS glue (esbuild from npm; plain ES module, no bundling) -----------
    step "Minifying the JS glue"
    ESBUILD="$TOOLS/esbuild/node_modules/.bin/esbuild"
    if [[ ! -x "$ESBUILD" ]] || [[ "$("$ESBUILD" --version 2>/dev/null)" != "$ESBUILD_VERSION" ]]; then
        npm_tool esbuild "esbuild@$ESBUILD_VERSION" || warn "could not install esbuild from npm"
    fi
    if [[ -x "$ESBUILD" ]]; then
        "$ESBUILD" "$WORK/$APP_JS" --minify --format=esm --target=es2020 --log-level=warning \
            --outfile="$WORK/$APP_JS.min" || die "esbuild failed on $APP_JS"
        info "$(kib "$(stat -c %s "$WORK/$APP_JS")") → $(kib "$(stat -c %s "$WORK/$APP_JS.min")")"
        mv "$WORK/$APP_JS.min" "$WORK/$APP_JS"
    else
        warn "esbuild is unavailable (needs npm): shipping the JS glue unminified"
    fi
    cp "$WORK/$APP_JS" "$WORK/$APP_WASM" "$ASSETS/"
fi

# --- 5. The entry module, the stylesheet, the page ----------------------------------------
step "Writing the entry module, stylesheet and index.html"
START_TMP="$(mktemp)"
printf "import init from './%s';\ninit();\n" "$APP_JS" >"$START_TMP"
START_JS="start-$(sha16 "$START_TMP").js"
if [[ -f "$ASSETS/$START_JS" ]] && cmp -s "$START_TMP" "$ASSETS/$START_JS"; then
    rm -f "$START_TMP"
else
    mv "$START_TMP" "$ASSETS/$START_JS"
    chmod 644 "$ASSETS/$START_JS"
    info "wrote assets/$START_JS"
fi

STYLE_CSS="style-$(sha16 "$FRONTEND/style.css").css"
if [[ ! -f "$ASSETS/$STYLE_CSS" ]] || ! cmp -s "$FRONTEND/style.css" "$ASSETS/$STYLE_CSS"; then
    cp "$FRONTEND/style.css" "$ASSETS/$STYLE_CSS"
    info "wrote assets/$STYLE_CSS"
fi

INDEX_TMP="$(mktemp)"
sed -e "s|%STYLE_HREF%|/assets/$STYLE_CSS|g" \
    -e "s|%START_SRC%|/assets/$START_JS|g" \
    -e "s|%APP_JS%|/assets/$APP_JS|g" \
    -e "s|%APP_WASM%|/assets/$APP_WASM|g" \
    "$FRONTEND/index.html" >"$INDEX_TMP"
if grep -q '%[A-Z_]*%' "$INDEX_TMP"; then
    die "frontend/index.html has a placeholder this script does not know: $(grep -o '%[A-Z_]*%' "$INDEX_TMP" | head -1)"
fi
if [[ -f "$DIST/index.html" ]] && cmp -s "$INDEX_TMP" "$DIST/index.html"; then
    rm -f "$INDEX_TMP"
else
    mv "$INDEX_TMP" "$DIST/index.html"
    chmod 644 "$DIST/index.html"
    info "wrote index.html"
fi

# --- 6. Remove stale hashed files ----------------------------------------------------------
step "Removing stale assets"
removed=0
shopt -s nullglob
for file in "$ASSETS"/*; do
    base="$(basename "$file")"
    base="${base%.gz}"
    base="${base%.br}"
    case "$base" in
        "$APP_JS" | "$APP_WASM" | "$START_JS" | "$STYLE_CSS") ;;
        *)
            rm -f "$file"
            removed=$((removed + 1))
            ;;
    esac
done
info "$removed file(s) removed"

# --- 7. Precompressed siblings -------------------------------------------------------------
step "Precompressing (gzip$(command -v brotli >/dev/null 2>&1 && printf ', brotli'))"
compressed=0
for file in "$DIST/index.html" "$ASSETS/$APP_JS" "$ASSETS/$APP_WASM" "$ASSETS/$START_JS" "$ASSETS/$STYLE_CSS"; do
    # Each sibling gets its source's exact mtime, so "newer than" means "source changed".
    if [[ ! -f "$file.gz" || "$file" -nt "$file.gz" || "$file.gz" -nt "$file" ]]; then
        gzip -9 -k -n -f "$file"
        touch -r "$file" "$file.gz"
        compressed=$((compressed + 1))
    fi
    if command -v brotli >/dev/null 2>&1 &&
        [[ ! -f "$file.br" || "$file" -nt "$file.br" || "$file.br" -nt "$file" ]]; then
        brotli -q 11 -k -f -o "$file.br" "$file"
        touch -r "$file" "$file.br"
        compressed=$((compressed + 1))
    fi
done
if ! command -v brotli >/dev/null 2>&1; then
    rm -f "$DIST"/*.br "$ASSETS"/*.br
fi
info "$compressed file(s) compressed"

# --- 8. Sizes ------------------------------------------------------------------------------
step "Sizes (what a first visit downloads)"
total_raw=0
total_gz=0
for file in "$ASSETS/$APP_WASM" "$ASSETS/$APP_JS" "$ASSETS/$START_JS" "$ASSETS/$STYLE_CSS"; do
    raw=$(stat -c %s "$file")
    gz=$(stat -c %s "$file.gz")
    total_raw=$((total_raw + raw))
    total_gz=$((total_gz + gz))
    printf '    %-36s %12s raw %12s gzip\n' "$(basename "$file")" "$(kib "$raw")" "$(kib "$gz")"
done
wasm_js_gz=$(($(stat -c %s "$ASSETS/$APP_WASM.gz") + $(stat -c %s "$ASSETS/$APP_JS.gz") + $(stat -c %s "$ASSETS/$START_JS.gz")))
printf '    %-36s %12s raw %12s gzip\n' "total" "$(kib "$total_raw")" "$(kib "$total_gz")"
info "WASM + JS gzipped: $(kib "$wasm_js_gz") (budget 250 KiB)"
if ((wasm_js_gz > 250 * 1024)); then
    warn "WASM + JS exceed the 250 KiB gzip budget"
fi

step "Done: frontend/dist is ready"
