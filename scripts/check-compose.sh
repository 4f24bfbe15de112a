#!/usr/bin/env bash
# Validates the deployment files without a Docker engine (CI has none):
#   - docker-compose.yml: `docker compose config` when the compose plugin works, and always a
#     YAML parse plus structural checks (python3 + PyYAML): services, images/builds,
#     healthchecks, depends_on targets and conditions, volumes, the Hackops environment;
#   - deploy/Caddyfile: `caddy adapt --validate` when caddy is installed (scripts/setup.sh
#     installs it), plus upstream/health-check checks against the compose file;
#   - Dockerfile: the stages and instructions the compose file relies on;
#   - .env.example: defines every variable the compose file requires.
#
#   bash scripts/check-compose.sh
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=check-compose
cd "$HACKOPS_ROOT"

for f in docker-compose.yml Dockerfile .dockerignore deploy/Caddyfile .env.example; do
  [[ -f $f ]] || die "$f is missing"
done

# 1. The real parser, when there is one. `docker compose` needs the compose plugin; `config`
#    itself needs no engine. The dummy secret only satisfies the ${VAR:?} interpolation.
if have docker && docker compose version >/dev/null 2>&1; then
  log "docker compose config"
  HACKOPS_JWT_SECRET=check-compose-dummy docker compose -f docker-compose.yml config --quiet ||
    die "docker compose config rejected docker-compose.yml"
else
  log "docker compose plugin not available; structural checks only"
fi

# 2. Caddy's own parser.
if have caddy; then
  log "caddy adapt --validate deploy/Caddyfile"
  caddy_home="$(mktemp -d)"
  trap 'rm -rf "$caddy_home"' EXIT
  if ! out="$(HOME="$caddy_home" XDG_DATA_HOME="$caddy_home" XDG_CONFIG_HOME="$caddy_home" \
    caddy adapt --config deploy/Caddyfile --adapter caddyfile --validate 2>&1 >/dev/null)"; then
    printf '%s\n' "$out" >&2
    die "caddy rejected deploy/Caddyfile"
  fi
  if ! caddy fmt deploy/Caddyfile | diff -u deploy/Caddyfile - >/dev/null; then
    warn "deploy/Caddyfile is not in 'caddy fmt' layout (run: caddy fmt --overwrite deploy/Caddyfile)"
  fi
else
  log "caddy not installed; skipping the Caddyfile parse (run scripts/setup.sh)"
fi

# 3. Structural checks.
python3 -c 'import yaml' 2>/dev/null ||
  die "python3 cannot import yaml: pip install pyyaml (or apt-get install python3-yaml)"
log "structural checks"
python3 - <<'PY'
import os
import re
import sys

import yaml

errors = []


def err(msg):
    errors.append(msg)


class Loader(yaml.SafeLoader):
    pass


# Compose files allow duplicate-free mappings only; PyYAML silently keeps the last duplicate.
def no_duplicates(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<: *anchor`; explicit keys may override merged ones
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            err(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, no_duplicates)

with open("docker-compose.yml") as f:
    text = f.read()
doc = yaml.load(text, Loader=Loader)
if not isinstance(doc, dict):
    sys.exit("docker-compose.yml: not a mapping")

services = doc.get("services") or {}
volumes = doc.get("volumes") or {}
allowed_top = {"name", "services", "volumes", "networks", "configs", "secrets", "include"}
for key in doc:
    if key not in allowed_top and not str(key).startswith("x-"):
        err(f"unknown top-level key {key!r}")

required = {"postgres", "redis", "hackops1", "hackops2", "proxy"}
missing = required - services.keys()
if missing:
    err(f"missing services: {sorted(missing)}")

known_service_keys = {
    "build", "command", "container_name", "depends_on", "entrypoint", "environment",
    "env_file", "expose", "healthcheck", "image", "labels", "logging", "networks", "ports",
    "pull_policy", "restart", "stop_grace_period", "ulimits", "user", "volumes", "working_dir",
    "deploy", "profiles", "tmpfs", "shm_size", "init",
}
conditions = {"service_started", "service_healthy", "service_completed_successfully"}

with open("Dockerfile") as f:
    dockerfile = f.read()
dockerfile_has_healthcheck = re.search(r"^HEALTHCHECK\s+(?!NONE)", dockerfile, re.M) is not None


def as_env(env):
    if env is None:
        return {}
    if isinstance(env, list):
        out = {}
        for item in env:
            k, _, v = str(item).partition("=")
            out[k] = v
        return out
    return {str(k): ("" if v is None else str(v)) for k, v in env.items()}


def has_healthcheck(name):
    svc = services.get(name) or {}
    hc = svc.get("healthcheck")
    if hc is not None:
        return not hc.get("disable", False) and hc.get("test") not in (None, ["NONE"])
    return "build" in svc and dockerfile_has_healthcheck


for name, svc in services.items():
    if not isinstance(svc, dict):
        err(f"{name}: not a mapping")
        continue
    for key in svc:
        if key not in known_service_keys:
            err(f"{name}: unknown key {key!r}")
    if "image" not in svc and "build" not in svc:
        err(f"{name}: needs image or build")
    build = svc.get("build")
    if build is not None:
        ctx = build if isinstance(build, str) else build.get("context", ".")
        dockerfile_path = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        if not os.path.isdir(ctx):
            err(f"{name}: build context {ctx!r} does not exist")
        if not os.path.isfile(os.path.join(ctx, dockerfile_path)):
            err(f"{name}: {dockerfile_path!r} not found in {ctx!r}")
    deps = svc.get("depends_on") or {}
    if isinstance(deps, list):
        deps = {d: {"condition": "service_started"} for d in deps}
    for dep, spec in deps.items():
        if dep not in services:
            err(f"{name}: depends_on unknown service {dep!r}")
            continue
        if dep == name:
            err(f"{name}: depends on itself")
        cond = (spec or {}).get("condition", "service_started")
        if cond not in conditions:
            err(f"{name}: depends_on {dep}: unknown condition {cond!r}")
        if cond == "service_healthy" and not has_healthcheck(dep):
            err(f"{name}: waits for {dep} to be healthy but {dep} has no healthcheck")
    hc = svc.get("healthcheck")
    if hc is not None:
        test = hc.get("test")
        if not (isinstance(test, str) or (isinstance(test, list) and test and test[0] in ("CMD", "CMD-SHELL", "NONE"))):
            err(f"{name}: healthcheck.test must be a string or start with CMD/CMD-SHELL/NONE")
        for k in ("interval", "timeout", "start_period"):
            if k in hc and not re.fullmatch(r"(\d+(\.\d+)?(us|ms|s|m|h))+", str(hc[k])):
                err(f"{name}: healthcheck.{k} {hc[k]!r} is not a duration")
    for vol in svc.get("volumes") or []:
        if isinstance(vol, dict):
            src, kind = vol.get("source"), vol.get("type", "volume")
        else:
            parts = str(vol).split(":")
            if len(parts) < 2:
                continue  # anonymous volume
            src = parts[0]
            kind = "bind" if src.startswith((".", "/", "~")) else "volume"
        if kind == "bind":
            if src.startswith(".") and not os.path.exists(src):
                err(f"{name}: bind mount source {src!r} does not exist")
        elif kind == "volume" and src not in volumes:
            err(f"{name}: named volume {src!r} is not declared under volumes:")
    for port in svc.get("ports") or []:
        if not re.fullmatch(r"(\d+\.\d+\.\d+\.\d+:)?\d+(-\d+)?:\d+(-\d+)?(/(tcp|udp))?", str(port)):
            err(f"{name}: port {port!r} is not HOST:CONTAINER")

# Hackops-specific expectations.
pg = services.get("postgres") or {}
if not str(pg.get("image", "")).startswith("postgres:16"):
    err("postgres: image should be postgres:16")
if "synchronous_commit=on" not in " ".join(map(str, pg.get("command") or [])):
    err("postgres: command should set synchronous_commit=on")
if not str((services.get("redis") or {}).get("image", "")).startswith("redis:7"):
    err("redis: image should be redis:7")

expected_env = {
    "HACKOPS_ADDR": "0.0.0.0:8080",
    "HACKOPS_DATA_DIR": "/data",
    "HACKOPS_DATABASE_URL": "postgres://hackops:hackops@postgres:5432/hackops",
    "HACKOPS_REDIS_URL": "redis://redis:6379",
    "HACKOPS_PUBLIC_URL": "http://localhost:8080",
    "HACKOPS_ALLOWED_ORIGINS": "http://localhost:8080",
}
pg_env = as_env(pg.get("environment"))
for inst in ("hackops1", "hackops2"):
    svc = services.get(inst) or {}
    if "build" not in svc:
        err(f"{inst}: should be built from the Dockerfile")
    env = as_env(svc.get("environment"))
    for k, v in expected_env.items():
        if env.get(k) != v:
            err(f"{inst}: {k} should be {v!r}, is {env.get(k)!r}")
    if not re.fullmatch(r"\$\{HACKOPS_JWT_SECRET(:?[?-][^}]*)?\}", env.get("HACKOPS_JWT_SECRET", "")):
        err(f"{inst}: HACKOPS_JWT_SECRET must come from the environment (${{HACKOPS_JWT_SECRET...}})")
    deps = svc.get("depends_on") or {}
    for dep in ("postgres", "redis"):
        if (deps.get(dep) or {}).get("condition") != "service_healthy":
            err(f"{inst}: should wait for {dep} to be healthy")
    url = env.get("HACKOPS_DATABASE_URL", "")
    m = re.fullmatch(r"postgres://([^:]+):([^@]+)@([^:/]+):(\d+)/(\w+)", url)
    if m and (m.group(1), m.group(2), m.group(5)) != (
        pg_env.get("POSTGRES_USER"), pg_env.get("POSTGRES_PASSWORD"), pg_env.get("POSTGRES_DB")
    ):
        err(f"{inst}: HACKOPS_DATABASE_URL does not match the postgres service's user/password/db")
    if m and m.group(3) not in services:
        err(f"{inst}: HACKOPS_DATABASE_URL host {m.group(3)!r} is not a service")
if as_env((services.get("hackops1") or {}).get("environment")).get("HACKOPS_JWT_SECRET") != as_env(
    (services.get("hackops2") or {}).get("environment")
).get("HACKOPS_JWT_SECRET"):
    err("hackops1 and hackops2 must share HACKOPS_JWT_SECRET")

proxy = services.get("proxy") or {}
if not str(proxy.get("image", "")).startswith("caddy:2"):
    err("proxy: image should be caddy:2")
if not any(str(p).endswith(":8080") and str(p).split(":")[-2] == "8080" for p in proxy.get("ports") or []):
    err("proxy: should publish port 8080")
if not any("deploy/Caddyfile" in str(v) for v in proxy.get("volumes") or []):
    err("proxy: should mount deploy/Caddyfile")

# Every ${VAR:?...} the file requires must be defined in .env.example.
required_vars = set(re.findall(r"\$\{([A-Z0-9_]+):?\?", "\n".join(
    line for line in text.splitlines() if not line.lstrip().startswith("#"))))
example = {}
with open(".env.example") as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            k, _, v = line.partition("=")
            example[k.strip()] = v.strip()
for var in sorted(required_vars):
    if not example.get(var):
        err(f".env.example: {var} is required by docker-compose.yml but not defined")
# The server refuses signing secrets shorter than 32 bytes (server/src/config.rs).
if len(example.get("HACKOPS_JWT_SECRET", "")) < 32:
    err(".env.example: HACKOPS_JWT_SECRET must be at least 32 bytes (the server refuses shorter)")

# Caddyfile: proxies to every instance on its port, health-checks /readyz, listens on 8080.
with open("deploy/Caddyfile") as f:
    caddy = "\n".join(line.split("#", 1)[0] for line in f)
upstreams = re.search(r"reverse_proxy\s+([^{\n]+)", caddy)
ups = set(upstreams.group(1).split()) if upstreams else set()
for inst in ("hackops1", "hackops2"):
    port = expected_env["HACKOPS_ADDR"].rsplit(":", 1)[1]
    if f"{inst}:{port}" not in ups:
        err(f"deploy/Caddyfile: reverse_proxy should include {inst}:{port}")
for u in ups:
    host = u.split("://")[-1].rsplit(":", 1)[0]
    if host not in services:
        err(f"deploy/Caddyfile: upstream {u!r} is not a compose service")
if not re.search(r"^\s*health_uri\s+/readyz\s*$", caddy, re.M):
    err("deploy/Caddyfile: active health checks should use health_uri /readyz")
if not re.search(r"^:8080\s*\{", caddy, re.M):
    err("deploy/Caddyfile: site should listen on :8080")

# Dockerfile: what the compose file relies on.
for pattern, what in [
    (r"^FROM\s+rust:\S+\s+AS\s+builder", "a rust builder stage"),
    (r"^FROM\s+debian:bookworm-slim", "a debian:bookworm-slim runtime stage"),
    (r"cargo build --release -p hackops-server --locked", "the locked release build of the server"),
    (r"scripts/build-frontend\.sh", "the front-end build"),
    (r"^USER\s+(?!root|0\b)\S+", "a non-root USER"),
    (r"^EXPOSE\s+8080", "EXPOSE 8080"),
    (r"^ENV[\s\S]*HACKOPS_STATIC_DIR=/app/dist", "HACKOPS_STATIC_DIR=/app/dist"),
    (r'^ENTRYPOINT\s+\["hackops"\]', 'ENTRYPOINT ["hackops"]'),
    (r"^HEALTHCHECK\s", "a HEALTHCHECK"),
]:
    if not re.search(pattern, dockerfile, re.M):
        err(f"Dockerfile: expected {what}")
with open(".dockerignore") as f:
    ignored = {line.strip() for line in f if line.strip() and not line.startswith("#")}
for must in ("target", ".git", ".env"):
    if must not in ignored:
        err(f".dockerignore: should exclude {must}")

if errors:
    for e in errors:
        print(f"  - {e}", file=sys.stderr)
    sys.exit(f"{len(errors)} problem(s) in the deployment files")
print(f"ok: {len(services)} services ({', '.join(services)}), Caddyfile, Dockerfile, .env.example")
PY
