#!/bin/bash
# NodeOps built-in: collect the node's logs into a private archive under /tmp and print its path.
# Reads logs only. Writes nothing but the archive (mode 0600); its work folder is removed on exit.
# Parameters (environment): SINCE (journal start, default "24 hours ago"), MAX_LINES (per file, default 5000).
set -u
export LC_ALL=C

SINCE="${SINCE:-24 hours ago}"
MAX_LINES="${MAX_LINES:-5000}"
case "$MAX_LINES" in ''|*[!0-9]*) echo "MAX_LINES must be a whole number, not '$MAX_LINES'" >&2; exit 2 ;; esac

umask 077
work=$(mktemp -d /tmp/nodeops-logs.XXXXXX) || { echo "cannot create a work folder in /tmp" >&2; exit 1; }
trap 'rm -rf -- "$work"' EXIT
host=$(hostname 2>/dev/null || echo node)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
name="$host-$stamp"
out="$work/$name"
mkdir "$out"

have() { command -v "$1" >/dev/null 2>&1; }

# capture FILE COMMAND...: the last MAX_LINES lines of a command's output.
capture() {
    local file=$1
    shift
    "$@" 2>&1 | tail -n "$MAX_LINES" > "$out/$file" || true
}

if have journalctl; then
    for unit in kubelet containerd crio docker ssh sshd; do
        capture "journal-$unit.log" journalctl --no-pager --quiet --unit "$unit" --since "$SINCE"
    done
    capture journal-kernel.log journalctl --no-pager --quiet --dmesg --since "$SINCE"
    capture journal-errors.log journalctl --no-pager --quiet --priority err --since "$SINCE"
fi
have dmesg && capture dmesg.log dmesg -T

# Classic log files: syslog on Debian/Ubuntu, messages on RHEL; the package manager's own history.
for file in /var/log/syslog /var/log/messages /var/log/kern.log /var/log/cloud-init.log \
    /var/log/apt/history.log /var/log/dnf.log /var/log/dnf.rpm.log /var/log/yum.log; do
    if [ -r "$file" ]; then
        tail -n "$MAX_LINES" -- "$file" > "$out/$(echo "${file#/var/log/}" | tr '/' '_')" 2>/dev/null || true
    fi
done

capture system.txt uname -a
capture disks.txt df -hPT
have free && capture memory.txt free -m
have ps && capture processes.txt ps -eo pid,ppid,user,%cpu,%mem,rss,etime,stat,comm --sort=-%cpu
have ip && capture network.txt ip address
if have dpkg-query; then
    capture packages.txt dpkg-query -W -f '${Package} ${Version}\n'
elif have rpm; then
    capture packages.txt rpm -qa --qf '%{NAME} %{VERSION}-%{RELEASE}.%{ARCH}\n'
fi

# Units that do not exist on this node leave empty files behind; drop them.
find "$out" -type f -size 0 -delete

archive="/tmp/nodeops-logs-$name.tar.gz"
if ! tar -C "$work" -czf "$archive" "$name"; then
    echo "creating $archive failed" >&2
    exit 1
fi
chmod 600 "$archive"
echo "files collected: $(find "$out" -type f | wc -l)"
echo "archive: $archive"
echo "size: $(du -h "$archive" | cut -f1)"
