#!/bin/bash
# NodeOps built-in: file systems by use, inode use, file systems over THRESHOLD percent, and the largest
# directories under SCAN_PATH (on the same file system). Read-only.
# Parameters (environment): SCAN_PATH (default /var), TOP (default 10), THRESHOLD (default 85).
set -u
export LC_ALL=C

SCAN_PATH="${SCAN_PATH:-/var}"
TOP="${TOP:-10}"
THRESHOLD="${THRESHOLD:-85}"
case "$TOP" in ''|*[!0-9]*) echo "TOP must be a whole number, not '$TOP'" >&2; exit 2 ;; esac
case "$THRESHOLD" in ''|*[!0-9]*) echo "THRESHOLD must be a whole number, not '$THRESHOLD'" >&2; exit 2 ;; esac
if [ ! -d "$SCAN_PATH" ]; then
    echo "SCAN_PATH '$SCAN_PATH' is not a directory" >&2
    exit 2
fi

EXCLUDE=(-x tmpfs -x devtmpfs -x overlay -x squashfs)

echo "=== File systems ==="
df -hPT "${EXCLUDE[@]}" 2>/dev/null || df -hP

echo
echo "=== Inodes ==="
df -iP "${EXCLUDE[@]}" 2>/dev/null || df -iP

echo
echo "=== File systems at or over ${THRESHOLD}% ==="
df -P "${EXCLUDE[@]}" 2>/dev/null | awk -v limit="$THRESHOLD" '
    NR > 1 { used = $5; sub(/%/, "", used); if (used + 0 >= limit) { printf "WARNING: %s (%s) is %s%% full\n", $6, $1, used; n++ } }
    END { if (!n) print "none" }'

echo
echo "=== Largest directories under $SCAN_PATH ==="
# -x stays on one file system; the time limit keeps a huge tree from holding the run.
timeout 300 du -xh --max-depth=1 -- "$SCAN_PATH" 2>/dev/null | sort -rh | head -n "$((TOP + 1))"
exit 0
