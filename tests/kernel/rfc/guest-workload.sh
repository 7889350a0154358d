#!/bin/sh
# /init-workload W SCALE: one workload of guest-init.sh, so that trace-cmd records exactly it.
SCALE=$2
case $1 in
forkexec)	exec /bin/workload forkexec $((200 * SCALE)) ;;
thp-compact)	exec /bin/workload thp-compact $((64 * SCALE)) ;;
vmalloc)	exec /bin/workload vmalloc $((20 * SCALE)) ;;
mlock)		exec /bin/workload mlock $((32 * SCALE)) ;;
memcg-oom)	exec /bin/workload memcg-oom $((64 * SCALE)) ;;
pagecache)	exec /bin/workload pagecache /dev/vdb $((32 * SCALE)) ;;
net)		exec /bin/workload net $((64 * SCALE)) ;;
tmpfs-churn)	exec /bin/workload tmpfs-churn $((32 * SCALE)) ;;
boot)		/bin/workload forkexec 20 && exec /bin/workload pagecache /dev/vdb 8 ;;
*)		echo "unknown workload $1" >&2; exit 2 ;;
esac
