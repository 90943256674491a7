#!/bin/sh
# Ansible overhead benchmark: one playbook on 20 loopback sshd nodes, run through NodeOps (POST /ansible/run to
# the final status) and with ansible-playbook directly on the same inventory, host keys and settings, in the
# same session. Needs root (it starts sshd and adds a temporary login user), openssh-server and ansible-core.
# Prints a table; the target is NodeOps overhead <= max(5%, 300 ms).
set -eu
cd "$(dirname "$0")/.."
exec dotnet run -c Release --project bench/NodeOps.Bench -- ansible "$@"
