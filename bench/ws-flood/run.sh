#!/usr/bin/env bash
# Memory across WebSocket floods: RSS of NodeOps (Release, SQLite default) before, during and after three floods
# of 300 progress WebSockets over loopback, and after an idle minute, against a bare Kestrel WebSocket server
# flooded the same way in the same run.
# Usage: bench/ws-flood/run.sh [floods] [connections] [idle-seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
floods=${1:-3}
connections=${2:-300}
idle=${3:-60}

work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

dotnet build -c Release src/Functions -v q -nologo >/dev/null
dotnet build bench/ws-flood/baseline.cs -c Release -o "$work/baseline" -v q -nologo >/dev/null
dotnet build bench/ws-flood/flood.cs -c Release -o "$work/flood" -v q -nologo >/dev/null

wait_for() { for _ in $(seq 1 150); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

nodeops_port=$(free_port)
dotnet src/Functions/bin/Release/net10.0/NodeOps.Functions.dll --urls "http://127.0.0.1:$nodeops_port" --Host:DataPath="$work/data" \
  --Auth:BootstrapAdminPassword=bench-password --Logging:LogLevel:Default=Warning >"$work/nodeops.log" 2>&1 &
nodeops_pid=$!; pids+=($nodeops_pid)
baseline_port=$(free_port)
"$work/baseline/baseline" --urls "http://127.0.0.1:$baseline_port" --Logging:LogLevel:Default=Warning >"$work/baseline.log" 2>&1 &
baseline_pid=$!; pids+=($baseline_pid)
wait_for "http://127.0.0.1:$nodeops_port/api/v1/features"
wait_for "http://127.0.0.1:$baseline_port/"

token=$(curl -sf -H 'Content-Type: application/json' -d '{"username":"admin","password":"bench-password"}' \
  "http://127.0.0.1:$nodeops_port/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["token"])')

# One flood at a time, so the two servers never share the cores while measured.
nodeops=$("$work/flood/flood" "http://127.0.0.1:$nodeops_port" "$token" "$nodeops_pid" "$floods" "$connections" "$idle")
baseline=$("$work/flood/flood" "http://127.0.0.1:$baseline_port" none "$baseline_pid" "$floods" "$connections" "$idle")
status=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$nodeops_port/api/v1/status" | python3 -c '
import json,sys; m=json.load(sys.stdin)["metrics"]; print(m["long_lived_connections"], m["p99_response_time"], m["requests_client_error"], m["requests_error"])')

header="| server | before"
for i in $(seq 1 "$floods"); do header+=" | flood $i open | flood $i closed"; done
header+=" | after ${idle} s idle |"
printf '\nRSS in MiB, %s floods of %s progress WebSockets each, loopback, %s cores\n\n%s\n' "$floods" "$connections" "$(nproc)" "$header"
printf '|%s\n' "$(printf -- '---|%.0s' $(seq 1 $((floods * 2 + 3))))"
printf '| NodeOps | %s |\n' "${nodeops//|/ | }"
printf '| bare Kestrel WebSocket | %s |\n' "${baseline//|/ | }"
read -r lived p99 client server <<<"$status"
printf '\nNodeOps /status afterwards: long_lived_connections %s, p99 %s, requests_client_error %s, requests_error %s\n' "$lived" "$p99" "$client" "$server"
