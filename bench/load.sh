#!/usr/bin/env bash
# Load on the read API with wrk (Debian's package): GET /api/v1/dashboards and
# GET /api/v1/dashboards/{namespace}/{name} over the shared corpus, signed in
# with an API token, 64 connections. Prints requests/s and latency
# percentiles per endpoint; the aim is p99 under 10 ms on 2 cores.
#   bench/load.sh               build the release server, then measure
#   bench/load.sh --no-build    measure target/release/dashstudio as it is
# Env: CONNECTIONS (64), THREADS (2), DURATION (15s), CORPUS (the corpus).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
corpus="${CORPUS:-$root/../shared/corpus/talos-homelab}"
connections="${CONNECTIONS:-64}"
threads="${THREADS:-2}"
duration="${DURATION:-15s}"
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

if [[ ! -d "$corpus" ]]; then
  echo "load: skipped, the corpus is not at $corpus" >&2
  exit 0
fi
command -v wrk >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk; }
if [[ "${1:-}" != "--no-build" ]]; then
  LEPTOS_OUTPUT_NAME=dashstudio cargo build --release -p dashstudio-server --bin dashstudio >&2
fi
bin="$root/target/release/dashstudio"

work="$(mktemp -d)"
token="load-bench-token-$(date +%s%N)"
cleanup() {
  [[ -n "${pid:-}" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# The corpus as a plain directory (browse and validate): nothing is written to it.
DASHSTUDIO_BOOTSTRAP_TOKEN="$token" RUST_LOG=warn "$bin" serve \
  --repo "$corpus" --data-dir "$work/data" --listen 127.0.0.1:0 \
  --fetch-interval 0 >"$work/out" 2>"$work/err" &
pid=$!
url=""
for _ in $(seq 1 600); do
  # "starting on" comes first; requests are answered (not 503) after "listening on".
  url=$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$work/out" | head -1 | sed 's/^listening on //') || true
  [[ -n "$url" ]] && break
  kill -0 "$pid" 2>/dev/null || { echo "load: the server stopped:" >&2; cat "$work/err" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$url" ]] || { echo "load: the server printed no address" >&2; cat "$work/err" >&2; exit 1; }
base="$url"
auth="Authorization: Bearer $token"

list=$(curl -fsS -H "$auth" "$base/api/v1/dashboards")
# Every dashboard of the corpus in turn (a wrk script), not one hot entry.
printf '%s' "$list" | python3 -c '
import json, sys
paths = ["/api/v1/dashboards/%s/%s" % (d["namespace"], d["name"]) for d in json.load(sys.stdin)["dashboards"]]
print("paths = {" + ", ".join(json.dumps(p) for p in paths) + "}")
print("i = 0")
print("request = function() i = i % #paths + 1; return wrk.format(\"GET\", paths[i]) end")
' >"$work/each.lua"
one=$(sed -n 's/^paths = {"\([^"]*\)".*/\1/p' "$work/each.lua")
count=$(printf '%s' "$list" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["dashboards"]))')
echo "server: $bin on $base, corpus $corpus ($count dashboards)"
echo "wrk: $threads threads, $connections connections, $duration per endpoint"

measure() {
  local label=$1 path=$2 script=${3:-}
  local bytes
  bytes=$(curl -fsS -o /dev/null -w '%{size_download}' -H "$auth" "$base$path") \
    || { echo "load: GET $path failed" >&2; exit 1; }
  local args=(-t"$threads" -c"$connections" -H "$auth")
  [[ -n "$script" ]] && args+=(-s "$script")
  # warm-up, then the measured run
  wrk "${args[@]}" -d3s "$base$path" >/dev/null
  wrk "${args[@]}" -d"$duration" --latency "$base$path" >"$work/wrk"
  local rps p50 p90 p99 errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk")
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk")
  p90=$(awk '$1 == "90%" {print $2}' "$work/wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk")
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $5} /Socket errors:/ {print $0}' "$work/wrk")
  printf '%-52s %8s B %10s req/s   p50 %8s   p90 %8s   p99 %8s%s\n' "GET $label" "$bytes" "$rps" "$p50" "$p90" "$p99" \
    "${errors:+   errors: $errors}"
}
measure "/api/v1/dashboards" "/api/v1/dashboards"
measure "/api/v1/dashboards/{ns}/{name} (all $count)" "$one" "$work/each.lua"
