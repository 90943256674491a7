#!/bin/sh
# Fuzzes every route of NodeOps (in process, on a loopback port, fresh data folder, a fake LLM provider) with
# malformed requests and prints the answers' counts by status. Exits 1 if any answer was 5xx.
# Usage: bench/fuzz/run.sh [--requests 12000] [--seed 16] [--concurrency 4] [--max-seconds 1200]
set -eu
cd "$(dirname "$0")/../.."
exec dotnet run -c Release --project bench/fuzz/NodeOps.Fuzz -- "$@"
