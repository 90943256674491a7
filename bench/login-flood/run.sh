#!/usr/bin/env bash
# GET /api/v1/features latency without and with a login flood: a second wrk, 50 connections, POSTs wrong passwords
# to /api/v1/auth/login rotating through 1,000 user names (bench/login-flood/flood.lua), from one address.
# Two NodeOps (Release, SQLite, production password cost) are measured in turn:
#   "as shipped":      default limits, so the per-address budget soon answers the flood with 429;
#   "hash gate alone": login limits raised out of reach, so every login costs a hash, as when the flood comes
#                      from as many addresses as it has connections; only the hash gate protects the server.
# Usage: bench/login-flood/run.sh [seconds] [feature-connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-15}
connections=${2:-10}
flood_connections=50
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

dotnet build -c Release src/Functions -v q -nologo >/dev/null

wait_for() { for _ in $(seq 1 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

# wrk prints latencies as 812.00us, 4.40ms or 1.20s: all become milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; else if (v ~ /m$/) n *= 60000; printf "%.2f", n }'; }

# Prints "p50_ms|p99_ms|requests_per_second" for GET /features over $seconds.
features() {
  wrk -t1 -c"$connections" -d"${seconds}s" --timeout 30s --latency "$1/api/v1/features" >"$work/features.out"
  local p50 p99 rps
  p50=$(awk '/^ +50%/ {print $2}' "$work/features.out")
  p99=$(awk '/^ +99%/ {print $2}' "$work/features.out")
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/features.out")
  printf '%s|%s|%s' "$(to_ms "$p50")" "$(to_ms "$p99")" "$rps"
}

# Measures one NodeOps: "unflooded_p50|unflooded_p99|flooded_p50|flooded_p99|login_rps|statuses".
measure() {
  local port=$1; shift
  local url=http://127.0.0.1:$port
  dotnet src/Functions/bin/Release/net10.0/NodeOps.Functions.dll --Host:Url="$url" --Host:DataPath="$work/data-$port" \
    --Auth:BootstrapAdminPassword=bench-password --Logging:LogLevel:Default=Warning "$@" >"$work/nodeops-$port.log" 2>&1 &
  local nodeops=$!
  pids+=("$nodeops")
  wait_for "$url/api/v1/features"
  wrk -t1 -c"$connections" -d2s "$url/api/v1/features" >/dev/null   # warm-up: JIT and connection set-up
  local calm
  calm=$(features "$url")

  # The flood starts first and outlasts the measurement by a second at each end.
  wrk -t2 -c"$flood_connections" -d"$((seconds + 3))s" --timeout 30s -s bench/login-flood/flood.lua "$url/api/v1/auth/login" >"$work/flood.out" &
  local flood=$!
  sleep 2
  local flooded
  flooded=$(features "$url")
  wait "$flood"
  kill "$nodeops"; wait "$nodeops" 2>/dev/null || true

  local login_rps statuses
  login_rps=$(awk '/^Requests\/sec/ {print $2}' "$work/flood.out")
  statuses=$(awk '/^statuses/ {$1=""; print}' "$work/flood.out")
  IFS='|' read -r c50 c99 _ <<<"$calm"
  IFS='|' read -r f50 f99 _ <<<"$flooded"
  printf '%s|%s|%s|%s|%s|%s' "$c50" "$c99" "$f50" "$f99" "$login_rps" "$statuses"
}

shipped=$(measure 18190)
gate_only=$(measure 18191 --Auth:MaxLoginFailures=1000000000 --Auth:MaxLoginFailuresPerClient=1000000000)

share() { awk -v s="$1" -v code="$2" 'BEGIN { n = split(s, parts, " "); for (i = 1; i <= n; i++) { split(parts[i], kv, "="); total += kv[2]; if (kv[1] == code) hit = kv[2] } printf "%.1f%%", total ? 100 * hit / total : 0 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }'; }

printf '\nGET /api/v1/features (wrk -t1 -c%s -d%ss) while wrk -t2 -c%s floods POST /api/v1/auth/login with 1,000 rotating names; loopback, %s cores\n\n' \
  "$connections" "$seconds" "$flood_connections" "$(nproc)"
printf '| %-16s | %13s | %13s | %11s | %11s | %9s | %9s | %10s | %8s | %8s | %6s |\n' \
  "NodeOps" "unflooded p50" "unflooded p99" "flooded p50" "flooded p99" "p50 ratio" "p99 ratio" "login/s" "429 lim" "429 busy" "401"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "------------------" "---------------" "---------------" "-------------" "-------------" \
  "-----------" "-----------" "------------" "----------" "----------" "--------"
row() {
  IFS='|' read -r c50 c99 f50 f99 rps statuses <<<"$2"
  printf '| %-16s | %10s ms | %10s ms | %8s ms | %8s ms | %9s | %9s | %10s | %8s | %8s | %6s |\n' "$1" "$c50" "$c99" "$f50" "$f99" \
    "$(ratio "$f50" "$c50")" "$(ratio "$f99" "$c99")" "$rps" "$(share "$statuses" limited)" "$(share "$statuses" busy)" "$(share "$statuses" 401)"
}
row "as shipped" "$shipped"
row "hash gate alone" "$gate_only"
printf '\nGoal: flooded p99 within 3x of unflooded p99. Login answers: "429 lim" per-address budget spent, "429 busy" password-hash\ngate full (PASSWORD_CHECK_BUSY), 401 a password was checked. Load average at the end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
