#!/bin/bash
# NodeOps built-in: a performance snapshot from /proc: load, CPU use, memory, pressure, disk and network
# throughput over SAMPLE_SECONDS, and the busiest processes. Read-only.
# Parameters (environment): SAMPLE_SECONDS (default 2, at most 60), TOP (default 10).
set -u
export LC_ALL=C

SAMPLE_SECONDS="${SAMPLE_SECONDS:-2}"
TOP="${TOP:-10}"
case "$SAMPLE_SECONDS" in ''|*[!0-9]*) echo "SAMPLE_SECONDS must be a whole number, not '$SAMPLE_SECONDS'" >&2; exit 2 ;; esac
case "$TOP" in ''|*[!0-9]*) echo "TOP must be a whole number, not '$TOP'" >&2; exit 2 ;; esac
if [ "$SAMPLE_SECONDS" -lt 1 ] || [ "$SAMPLE_SECONDS" -gt 60 ]; then
    echo "SAMPLE_SECONDS must be between 1 and 60" >&2
    exit 2
fi

echo "=== Load ==="
echo "loadavg: $(cat /proc/loadavg)"
echo "cpus: $(grep -c '^processor' /proc/cpuinfo)"

cpu1=$(head -n1 /proc/stat)
disk1=$(cat /proc/diskstats)
net1=$(cat /proc/net/dev)
sleep "$SAMPLE_SECONDS"
cpu2=$(head -n1 /proc/stat)
disk2=$(cat /proc/diskstats)
net2=$(cat /proc/net/dev)

echo
echo "=== CPU over ${SAMPLE_SECONDS}s ==="
printf '%s\n%s\n' "$cpu1" "$cpu2" | awk '
    { for (i = 2; i <= 9; i++) v[NR, i] = $i }
    END {
        total = 0
        for (i = 2; i <= 9; i++) { d[i] = v[2, i] - v[1, i]; total += d[i] }
        if (total <= 0) total = 1
        printf "user %.1f%%  system %.1f%%  iowait %.1f%%  steal %.1f%%  idle %.1f%%\n",
            100 * (d[2] + d[3]) / total, 100 * (d[4] + d[7] + d[8]) / total, 100 * d[6] / total, 100 * d[9] / total, 100 * d[5] / total
    }'

echo
echo "=== Memory ==="
awk '/^(MemTotal|MemAvailable|Buffers|Cached|SwapTotal|SwapFree|Dirty):/ { printf "%-14s %10.0f MiB\n", $1, $2 / 1024 }' /proc/meminfo

if [ -d /proc/pressure ]; then
    echo
    echo "=== Pressure (PSI) ==="
    for kind in cpu memory io; do
        [ -r "/proc/pressure/$kind" ] && sed "s/^/$kind /" "/proc/pressure/$kind"
    done
fi

echo
echo "=== Disk throughput over ${SAMPLE_SECONDS}s (devices with activity) ==="
awk -v seconds="$SAMPLE_SECONDS" '
    FNR == NR { r[$3] = $6; w[$3] = $10; next }
    ($3 in r) && $3 !~ /^(loop|ram)/ {
        rd = ($6 - r[$3]) * 512 / 1024 / seconds; wr = ($10 - w[$3]) * 512 / 1024 / seconds
        if (rd > 0 || wr > 0) { printf "%-12s read %10.1f KiB/s  write %10.1f KiB/s\n", $3, rd, wr; n++ }
    }
    END { if (!n) print "no disk activity" }' <(printf '%s\n' "$disk1") <(printf '%s\n' "$disk2")

echo
echo "=== Network throughput over ${SAMPLE_SECONDS}s ==="
awk -v seconds="$SAMPLE_SECONDS" '
    { sub(/^ +/, ""); split($0, parts, ":"); if (parts[2] == "") next; split(parts[2], f, " ") }
    FNR == NR { rx[parts[1]] = f[1]; tx[parts[1]] = f[9]; next }
    (parts[1] in rx) && parts[1] != "lo" {
        printf "%-16s rx %10.1f KiB/s  tx %10.1f KiB/s\n", parts[1], (f[1] - rx[parts[1]]) / 1024 / seconds, (f[9] - tx[parts[1]]) / 1024 / seconds
    }' <(printf '%s\n' "$net1") <(printf '%s\n' "$net2")

echo
echo "=== Top $TOP processes by CPU ==="
ps -eo pid,user,%cpu,%mem,rss,etime,comm --sort=-%cpu | head -n "$((TOP + 1))"

echo
echo "=== Top $TOP processes by memory ==="
ps -eo pid,user,%cpu,%mem,rss,etime,comm --sort=-%mem | head -n "$((TOP + 1))"
exit 0
