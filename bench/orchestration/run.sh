#!/bin/sh
# Orchestration throughput: a chain of 1,000 no-op activities and a fan-out of 1,000 on NodeOps' SQLite backend,
# and the same workloads on DurableTask.AzureStorage over Azurite (installed into .tools on first use), side by side.
# Usage: bench/orchestration/run.sh [--activities 1000] [--repeat 3] [--sqlite-only]. Prints a table.
set -eu
cd "$(dirname "$0")/../.."
exec dotnet run -c Release --project bench/orchestration/NodeOps.OrchestrationBench.csproj -- "$@"
