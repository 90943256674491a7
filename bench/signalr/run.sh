#!/bin/sh
# Progress delivery latency: SignalR hub clients against progress WebSocket clients, 2,000 events/s over 50 tasks.
# Usage: bench/signalr/run.sh [--seconds 10] [--rate 2000] [--tasks 50]
set -eu
cd "$(dirname "$0")/../.."
exec dotnet run -c Release --project bench/NodeOps.Bench -- signalr "$@"
