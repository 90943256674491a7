#!/bin/sh
# Assistant benchmark: time NodeOps adds before the first streamed delta, against the fake provider's first token.
set -eu
cd "$(dirname "$0")/.."
exec dotnet run -c Release --project bench/NodeOps.Bench -- first-delta "$@"
