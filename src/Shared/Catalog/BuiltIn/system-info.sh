#!/bin/bash
# NodeOps built-in: a read-only summary of the node: OS, kernel, CPU, memory, disks, network, packages,
# time synchronisation and the Kubernetes node components. Works on Debian/Ubuntu and RHEL-family nodes.
set -u
export LC_ALL=C

section() { printf '\n=== %s ===\n' "$1"; }
have() { command -v "$1" >/dev/null 2>&1; }

section "Host"
echo "hostname: $(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)"
if [ -r /etc/os-release ]; then
    ( . /etc/os-release && echo "os: ${PRETTY_NAME:-${NAME:-unknown}}" )
fi
echo "kernel: $(uname -srm)"
if have uptime; then
    echo "uptime: $(uptime)"
else
    echo "uptime seconds: $(cut -d' ' -f1 /proc/uptime)"
fi

section "CPU"
if have lscpu; then
    lscpu | grep -E '^(Architecture|CPU\(s\)|Model name|Thread\(s\) per core|Core\(s\) per socket|Socket\(s\)|Virtualization|Hypervisor vendor):' || true
else
    echo "cpus: $(grep -c '^processor' /proc/cpuinfo)"
    grep -m1 'model name' /proc/cpuinfo || true
fi
echo "load: $(cat /proc/loadavg)"

section "Memory"
if have free; then
    free -h
else
    grep -E '^(MemTotal|MemAvailable|SwapTotal|SwapFree):' /proc/meminfo
fi

section "Disks"
if have lsblk; then
    lsblk -o NAME,SIZE,TYPE,FSTYPE,MOUNTPOINT 2>/dev/null || lsblk
fi
df -hPT -x tmpfs -x devtmpfs -x overlay -x squashfs 2>/dev/null || df -hP

section "Network"
if have ip; then
    ip -brief address 2>/dev/null || ip address
    echo "default route: $(ip route show default 2>/dev/null | head -n1)"
else
    cat /proc/net/dev
fi
if [ -r /etc/resolv.conf ]; then
    grep -E '^(nameserver|search)' /etc/resolv.conf || true
fi

section "Packages"
if have dpkg-query; then
    echo "package manager: apt"
    echo "installed packages: $(dpkg-query -f '.\n' -W 2>/dev/null | wc -l)"
elif have rpm; then
    if have dnf; then echo "package manager: dnf"; else echo "package manager: yum"; fi
    echo "installed packages: $(rpm -qa 2>/dev/null | wc -l)"
else
    echo "package manager: unknown"
fi

section "Time"
if have timedatectl; then
    timedatectl show --property=Timezone --property=NTPSynchronized 2>/dev/null || timedatectl status 2>/dev/null || true
fi
date -u '+utc: %Y-%m-%dT%H:%M:%SZ'

section "Kubernetes node components"
for unit in kubelet containerd crio docker; do
    if have systemctl; then
        state=$(systemctl is-active "$unit" 2>/dev/null)
        echo "$unit: ${state:-unknown}"
    fi
done
have kubelet && echo "kubelet version: $(kubelet --version 2>/dev/null)"
have containerd && echo "containerd version: $(containerd --version 2>/dev/null)"
have crio && echo "crio version: $(crio --version 2>/dev/null | head -n1)"
have docker && echo "docker version: $(docker --version 2>/dev/null)"
exit 0
