#!/usr/bin/env bash
# Request rate of GET /api/v1/features: NodeOps (Release, SQLite default) against a bare Kestrel baseline.
# Usage: bench/features/run.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
connections=${2:-50}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

dotnet build -c Release src/Functions -v q -nologo >/dev/null
dotnet build bench/features/baseline.cs -c Release -o "$work/baseline" -v q -nologo >/dev/null

wait_for() { for _ in $(seq 1 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

dotnet src/Functions/bin/Release/net10.0/NodeOps.Functions.dll --Host:Url=http://127.0.0.1:18180 --Host:DataPath="$work/data" \
  --Auth:BootstrapAdminPassword=bench-password --Logging:LogLevel:Default=Warning >"$work/nodeops.log" 2>&1 &
pids+=($!)
"$work/baseline/baseline" --urls http://127.0.0.1:18181 --Logging:LogLevel:Default=Warning >"$work/baseline.log" 2>&1 &
pids+=($!)
wait_for http://127.0.0.1:18180/api/v1/features
wait_for http://127.0.0.1:18181/api/v1/features

measure() {
  wrk -t2 -c"$connections" -d2s "$1" >/dev/null   # warm-up: JIT and connection set-up
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$1" | awk '
    /Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2}
    END {printf "%s|%s|%s", rps, p50, p99}'
}

nodeops=$(measure http://127.0.0.1:18180/api/v1/features)
baseline=$(measure http://127.0.0.1:18181/api/v1/features)

printf '\nGET /api/v1/features, wrk -t2 -c%s -d%ss, loopback, %s cores\n\n' "$connections" "$seconds" "$(nproc)"
printf '| %-28s | %12s | %8s | %8s |\n' "server" "requests/s" "p50" "p99"
printf '|%s|%s|%s|%s|\n' "------------------------------" "--------------" "----------" "----------"
IFS='|' read -r r p50 p99 <<<"$nodeops";  printf '| %-28s | %12s | %8s | %8s |\n' "NodeOps" "$r" "$p50" "$p99"
IFS='|' read -r r p50 p99 <<<"$baseline"; printf '| %-28s | %12s | %8s | %8s |\n' "bare Kestrel, same body" "$r" "$p50" "$p99"
