#!/usr/bin/env bash
# Idle RSS of the NodeOps server process alone (Release, SQLite default, nothing else in the process): started with
# a fresh data folder, warmed by one GET and one login, then left idle. Baseline in the same run: bare Kestrel
# answering the features body (bench/features/baseline.cs), i.e. what the .NET web runtime holds by itself.
# Usage: bench/memory/run.sh [idle-seconds] [repeat]      goal: idle RSS < 150 MB
set -euo pipefail
cd "$(dirname "$0")/../.."
idle=${1:-30}
repeat=${2:-3}

work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

dotnet build -c Release src/Functions -v q -nologo >/dev/null
dotnet build bench/features/baseline.cs -c Release -o "$work/baseline" -v q -nologo >/dev/null

wait_for() { for _ in $(seq 1 150); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

# One run of "$@" (a server on 127.0.0.1:18190): prints "rss_mib hwm_mib" after $idle seconds idle.
measure() {
  local port=18190
  "$@" >"$work/server.log" 2>&1 &
  pid=$!
  wait_for http://127.0.0.1:$port/api/v1/features
  # Only NodeOps has a login; the bare server answers 404, which is fine.
  curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"username":"admin","password":"bench-password"}' http://127.0.0.1:$port/api/v1/auth/login
  sleep "$idle"
  awk '/^VmRSS:/ {rss=$2} /^VmHWM:/ {hwm=$2} END {printf "%.1f %.1f", rss/1024, hwm/1024}' "/proc/$pid/status"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

declare -a nodeops=() bare=()
for i in $(seq 1 "$repeat"); do
  nodeops+=("$(measure dotnet src/Functions/bin/Release/net10.0/NodeOps.Functions.dll --Host:Url=http://127.0.0.1:18190 \
    --Host:DataPath="$work/data-$i" --Auth:BootstrapAdminPassword=bench-password --Logging:LogLevel:Default=Warning)")
  bare+=("$(measure "$work/baseline/baseline" --urls http://127.0.0.1:18190 --Logging:LogLevel:Default=Warning)")
done

row() {
  local name=$1; shift
  local rss hwm
  rss=$(printf '%s\n' "$@" | awk '{print $1}' | median)
  hwm=$(printf '%s\n' "$@" | awk '{print $2}' | median)
  printf '| %-44s | %14s | %14s |\n' "$name" "$rss" "$hwm"
}

printf '\nNodeOps server idle RSS (MiB), %ss idle after start + one login, median of %s, %s cores\n\n' "$idle" "$repeat" "$(nproc)"
printf '| %-44s | %14s | %14s |\n' "process" "VmRSS" "VmHWM (peak)"
printf '|%s|%s|%s|\n' "----------------------------------------------" "----------------" "----------------"
row "NodeOps server (SQLite default)" "${nodeops[@]}"
row "bare Kestrel, same features body" "${bare[@]}"
rss=$(printf '%s\n' "${nodeops[@]}" | awk '{print $1}' | median)
awk -v r="$rss" 'BEGIN {printf "\ngoal: NodeOps idle VmRSS < 150 MB (143.1 MiB): %s MiB  %s\n", r, (r < 143.05 ? "met" : "NOT met")}'
