#!/bin/sh
# SSH fan-out benchmark: `uptime` on 50 loopback sshd nodes, NodeOps over SSH.NET (cold and warm connections) against
# `xargs -P 50 ssh`, `xargs` over OpenSSH ControlMaster connections and `ansible all -f 50 -m command -a uptime`; then
# 200 nodes for cold time and RSS (--large 0 skips it). `--engine-only` measures only POST to the first command's start
# and idle RSS (the quick loop for engine work). Needs root (it starts sshd and adds a temporary login user),
# openssh-server and ansible-core. Prints tables.
set -eu
cd "$(dirname "$0")/.."
exec dotnet run -c Release --project bench/NodeOps.Bench -- ssh "$@"
