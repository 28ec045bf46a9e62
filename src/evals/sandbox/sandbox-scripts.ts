// Both scripts take: folder, address-space limit (KiB), CPU seconds, file-size limit (512-byte blocks), program...
// Limits are shell built-ins (ulimit), which saves starting prlimit for every task.
const limits = `
ulimit -v "$address" 2>/dev/null
ulimit -t "$cpu" 2>/dev/null
ulimit -f "$blocks" 2>/dev/null
ulimit -c 0 2>/dev/null
`;

/**
 * Run by /bin/sh inside fresh mount, network and PID namespaces. The folder stays writable; every other mount
 * becomes read-only, so a stray write fails instead of landing. util-linux 2.38 ignores `ro=recursive`, so each
 * mount is remounted; one read-only tmpfs over /sys hides its dozen cgroup mounts at once, and /dev/pts is left
 * alone (a read-only mount does not stop writes to devices anyway). The shell stays PID 1 and runs the program as
 * its child: PID 1 ignores signals it has no handler for, so a program that aborts itself would not crash.
 * A death by signal N comes back as exit status 128 + N.
 */
export const namespaceScript = `
folder=$1 address=$2 cpu=$3 blocks=$4
shift 4
mount --bind "$folder" "$folder" || exit 97
hidden=/sys
mount -t tmpfs -o ro,size=4k tansuo-sys /sys 2>/dev/null || hidden=/nonexistent
mount --bind /proc/sys /proc/sys 2>/dev/null && mount -o remount,bind,ro /proc/sys 2>/dev/null
done_targets=" "
while read -r source target fstype options rest; do
  case "$target" in *\\\\*) target=$(printf '%b' "$target") ;; esac
  case "$target" in "$folder"|/proc|/proc/*|/dev/pts|/dev/pts/*|"$hidden"|"$hidden"/*) continue ;; esac
  case ",$options," in *,ro,*) continue ;; esac
  case "$done_targets" in *" $target "*) continue ;; esac
  done_targets="$done_targets$target "
  mount -o remount,bind,ro "$target" 2>/dev/null || true
done < /proc/self/mounts
cd "$folder" || exit 97
${limits}
"$@"
exit $?
`;

/** Without mount namespaces: only the folder, the limits and the process group. */
export const plainScript = `
folder=$1 address=$2 cpu=$3 blocks=$4
shift 4
cd "$folder" || exit 97
${limits}
exec "$@"
`;
