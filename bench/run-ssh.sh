#!/bin/sh
# SSH fan-out benchmark: `uptime` on 50 loopback sshd nodes, NodeOps (cold and warm connections) against
# `xargs -P 50 ssh` and `ansible all -f 50 -m command -a uptime`. Needs root (it starts sshd and adds a
# temporary login user), openssh-server, sshpass and ansible-core. Prints a table.
set -eu
cd "$(dirname "$0")/.."
exec dotnet run -c Release --project bench/NodeOps.Bench -- ssh "$@"
