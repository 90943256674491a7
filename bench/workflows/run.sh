#!/bin/sh
# Workflow benchmark: a 5-step ssh workflow on 20 loopback sshd nodes, NodeOps (POST /workflows/execute to the final
# status, fresh instance and warm) against the same five commands run step by step with `xargs -P 20 ssh`.
# Goal: overhead <= max(10%, 1 s). Needs root (it starts sshd and adds a temporary login user) and openssh-server.
set -eu
cd "$(dirname "$0")/../.."
exec dotnet run -c Release --project bench/NodeOps.Bench -- workflow "$@"
