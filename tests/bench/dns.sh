#!/usr/bin/env bash
# The DNS guard's cached answers beside a plain resolver (Debian's unbound, the peer), measured with
# Debian's dnsperf (SPEC 14: p99 < 1 ms at 10,000 q/s; >= 50,000 cached answers a second on one core).
# Loopback only: unbound on 127.0.0.1:19353 serves 1,000 names from local-data (nothing leaves the
# machine) and is the guard's upstream; schoolgate's guard on 127.0.0.1:19053 (admin 19288).
#   1. p99 latency at 10,000 q/s for 20 s (dnsperf -Q 10000 -v: every answer's latency), each server
#      pinned to CPU 0 and dnsperf to CPU 1;
#   2. the most answers a second on one core: each server pinned to CPU 0, dnsperf on CPU 1 with 200
#      queries outstanding, 15 s.
# Both servers answer from memory (the guard from its cache after a warm-up pass; unbound from its
# local-data), so this is the cached path. Stops exactly the processes it started.
# Beside each guard figure: its young collections during the 20 s (jstat: count and total pause) and
# the share of answers over 1 ms, to tell GC pauses from other tails.
#
#   tests/bench/dns.sh [RUNS]                      (default 3)
#   tests/bench/dns.sh [RUNS] --a JAR --b JAR      two guards (A on 19053, B on 19054), both pinned to
#                                                  CPU 0, measured in turn within each run (A/B interleaved)
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
RUNS=3
A_JAR="" B_JAR=""
while (($#)); do
  case $1 in
    --a) A_JAR=$2; shift 2 ;;
    --b) B_JAR=$2; shift 2 ;;
    *) RUNS=$1; shift ;;
  esac
done
[[ -z $A_JAR && -z $B_JAR ]] || [[ -f $A_JAR && -f $B_JAR ]] || die "--a and --b need two jars"
command -v dnsperf >/dev/null || die "apt-get install dnsperf"
command -v unbound >/dev/null || die "apt-get install unbound"
command -v taskset >/dev/null || die "apt-get install util-linux"
build_if_missing
install_cleanup
D="$ROOT/tests/target/bench-dns"
rm -rf "$D"; mkdir -p "$D"

# unbound: local-data only, one thread, no root hints, no remote control
{
  echo "server:"
  echo "  interface: 127.0.0.1@19353"
  echo "  do-daemonize: no"
  echo "  username: \"\""
  echo "  chroot: \"\""
  echo "  directory: \"$D\""
  echo "  pidfile: \"\""
  echo "  use-syslog: no"
  echo "  num-threads: 1"
  echo "  access-control: 127.0.0.0/8 allow"
  echo "  do-not-query-localhost: yes"
  echo "  local-zone: \"bench.test.\" static"
  for ((i = 0; i < 1000; i++)); do
    echo "  local-data: \"n$i.bench.test. 3600 IN A 192.0.2.$((i % 250 + 1))\""
    echo "n$i.bench.test A" >>"$D/queries"
  done
  echo "remote-control:"
  echo "  control-enable: no"
} >"$D/unbound.conf"
unbound-checkconf "$D/unbound.conf" >/dev/null || die "unbound.conf"

sg_config() { # dir dns-port admin-port proxy-port
  mkdir -p "$1"
  cat >"$1/sg.yaml" <<YAML
timezone: Europe/London
listen: {proxy: 127.0.0.1:$4, admin: 127.0.0.1:$3, dns: 127.0.0.1:$2}
upstream: {dns_servers: ["127.0.0.1:19353"], refuse_local: false}
networks: {pupils: [127.0.10.0/24]}
default_group: pupils
timetable: {days: [MON, TUE, WED, THU, FRI], school_day: "08:45-15:15", breaks: ["10:30-10:45"]}
groups:
  pupils: {block: [social, forums, chat, media-sharing, microblogging, circumvention]}
blocklists: $ROOT/blocklists/
data_dir: data/
log_dir: logs/
log_retention_days: 90
admin: {allow_from: [127.0.0.1/32]}
dns: {upstream: ["127.0.0.1:19353"], queries_per_client: 10000000}
YAML
}

p99() { # latencies (seconds) on stdin: p50, p99, p99.9 and the share over 1 ms
  sort -g | awk '{a[NR]=$1; if ($1 > 0.001) slow++} END {printf "p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, over 1 ms %.2f %% (n %d)", a[int(NR*0.5)]*1000, a[int(NR*0.99)]*1000, a[int(NR*0.999)]*1000, 100*slow/NR, NR}'
}
qps() { awk '/Queries lost/ {lost=$3} /Response codes/ {codes=$0} /Queries per second/ {q=$4} END {print q " (lost " lost ";" codes ")"}'; }

worst() { # latencies in completion order, 10,000 a second: the largest share over 1 ms in one second
  awk '{b = int((NR - 1) / 10000); n[b]++; if ($1 > 0.001) s[b]++} END {for (i in n) if (100 * s[i] / n[i] > w) {w = 100 * s[i] / n[i]; at = i}; printf "%.1f %% over 1 ms (second %d)", w, at}'
}
young() { jstat -gc "$1" | awk 'NR==1 {for (i = 1; i <= NF; i++) c[$i] = i} NR==2 {print $c["YGC"], $c["YGCT"]}'; }
latency() { # name port [pid]: one 20 s run at 10,000 q/s
  local name=$1 port=$2 pid=${3:-} raw="$D/latency-$1-$RANDOM.txt" gc0 gc1 gcs=""
  [[ -n $pid ]] && gc0=$(young "$pid")
  taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" -a 127.0.10.5 -d "$D/queries" -l 20 -Q 10000 -v 2>/dev/null \
    | awk '$1 == ">" {print $NF}' >"$raw"
  if [[ -n $pid ]]; then
    gc1=$(young "$pid")
    gcs=$(echo "$gc0 $gc1" | awk '{printf ", young GCs %d taking %.1f ms in all", $3-$1, ($4-$2)*1000}')
  fi
  echo "$name: at 10,000 q/s for 20 s: $(p99 <"$raw")$gcs, worst second $(worst <"$raw"); load $(cut -d' ' -f1-3 /proc/loadavg)"
}
throughput() { # name port
  echo "$1: most answers a second on one core: $(taskset -c 1 dnsperf -s 127.0.0.1 -p "$2" -a 127.0.10.5 -d "$D/queries" -l 15 -q 200 -c 4 2>/dev/null | qps); load $(cut -d' ' -f1-3 /proc/loadavg)"
}
# Warm-up: fills the guard's cache, and runs long enough (10 s flat out, some 500,000 answers) for
# the JIT to have compiled the answer path: with the old 3,000 queries, C2 compiled it during the
# measured 20 s, on the pinned core, and the first seconds had 16-57 % of answers over 1 ms.
warm() { taskset -c 1 dnsperf -s 127.0.0.1 -p "$1" -a 127.0.10.5 -d "$D/queries" -l 10 -q 100 >/dev/null 2>&1; }

log "starting unbound (taskset -c 0)"
taskset -c 0 unbound -d -c "$D/unbound.conf" >"$D/unbound.log" 2>&1 &
UB=$!
STARTED+=("unbound $UB")
sleep 1
[[ -d /proc/$UB ]] || { cat "$D/unbound.log"; die "unbound did not start"; }
warm 19353

if [[ -z $A_JAR ]]; then
  sg_config "$D/sg" 19053 19288 19228
  OWN_PORTS=(19053 19288 19228)
  WORK="$D/sg" sg_start "$D/sg/sg.yaml" 0
  warm 19053
  for ((r = 1; r <= RUNS; r++)); do
    latency "unbound run $r" 19353
    latency "schoolgate-dns-guard run $r" 19053 "$SG_PID"
    throughput "unbound run $r" 19353
    throughput "schoolgate-dns-guard run $r" 19053
  done
else
  sg_config "$D/a" 19053 19288 19228
  sg_config "$D/b" 19054 19289 19229
  OWN_PORTS=(19053 19288 19228)
  JAR=$A_JAR WORK="$D/a" sg_start "$D/a/sg.yaml" 0; A_PID=$SG_PID
  OWN_PORTS=(19054 19289 19229)
  JAR=$B_JAR WORK="$D/b" sg_start "$D/b/sg.yaml" 0; B_PID=$SG_PID
  warm 19053; warm 19054
  for ((r = 1; r <= RUNS; r++)); do
    latency "unbound run $r" 19353
    latency "A run $r" 19053 "$A_PID"
    latency "B run $r" 19054 "$B_PID"
    throughput "A run $r" 19053
    throughput "B run $r" 19054
  done
fi
echo "cpus: $(nproc), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
