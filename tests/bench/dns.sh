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
#
#   tests/bench/dns.sh [RUNS]        (default 3)
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
RUNS=${1:-3}
command -v dnsperf >/dev/null || die "apt-get install dnsperf"
command -v unbound >/dev/null || die "apt-get install unbound"
command -v taskset >/dev/null || die "apt-get install util-linux"
build_if_missing
install_cleanup
D="$ROOT/tests/target/bench-dns"
rm -rf "$D"; mkdir -p "$D"
OWN_PORTS=(19053 19288)

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

cat >"$D/sg.yaml" <<YAML
timezone: Europe/London
listen: {proxy: 127.0.0.1:19228, admin: 127.0.0.1:19288, dns: 127.0.0.1:19053}
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

p99() { # dnsperf -v output on stdin: p50, p99, p99.9 of the last field (seconds) of the "> NOERROR ..." lines
  awk '$1 == ">" {print $NF}' | sort -g | awk '{a[NR]=$1} END {printf "p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms (n %d)", a[int(NR*0.5)]*1000, a[int(NR*0.99)]*1000, a[int(NR*0.999)]*1000, NR}'
}
qps() { awk '/Queries lost/ {lost=$3} /Response codes/ {codes=$0} /Queries per second/ {q=$4} END {print q " (lost " lost ";" codes ")"}'; }

measure() { # name port
  local name=$1 port=$2 r
  taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" -a 127.0.10.5 -d "$D/queries" -n 3 -q 100 >/dev/null 2>&1  # warm-up: fills the guard's cache
  for ((r = 1; r <= RUNS; r++)); do
    echo "$name run $r: at 10,000 q/s for 20 s: $(taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" -a 127.0.10.5 -d "$D/queries" -l 20 -Q 10000 -v 2>/dev/null | p99)"
    echo "$name run $r: most answers a second on one core: $(taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" -a 127.0.10.5 -d "$D/queries" -l 15 -q 200 -c 4 2>/dev/null | qps)"
  done
}

log "starting unbound (taskset -c 0)"
taskset -c 0 unbound -d -c "$D/unbound.conf" >"$D/unbound.log" 2>&1 &
UB=$!
STARTED+=("unbound $UB")
sleep 1
[[ -d /proc/$UB ]] || { cat "$D/unbound.log"; die "unbound did not start"; }
measure unbound 19353

sg_start "$D/sg.yaml" 0
measure schoolgate-dns-guard 19053
echo "cpus: $(nproc), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
