#!/usr/bin/env bash
# Issue 21, item 5: what a blocked-TLS handshake flood from many managed addresses does to another
# pupil's plain HTTP. Loopback only; starts its own schoolgate (proxy 127.0.0.1:19328, intercept_tls
# 19330, admin 19388) and a small upstream (python3 -m http.server, 127.0.0.1:19380), and stops
# exactly those. Managed devices are 127.0.40.0/24 (tls_block_page.networks); the pupil is 127.0.10.9.
#
#   tests/bench/tls-flood.sh [--seconds S] [--addresses N] [--rate R] [--proxy-cpus L] [--load-cpus L]
#
# First S seconds (default 10) of the pupil alone (the baseline), then S seconds with N addresses
# (default 50) each opening R (default 20) blocked TLS connections a second. Prints the pupil's
# latency (p50, p90, p99, max) in each phase and the block-page counters. SG_JAR=path runs another
# jar (e.g. one built before the change).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
JAR="${SG_JAR:-$JAR}"
SECS=10 ADDRS=50 RATE=20 PROXY_CPUS=0 LOAD_CPUS=1
while (($#)); do
  case "$1" in
    --seconds) SECS=$2; shift 2 ;;
    --addresses) ADDRS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --proxy-cpus) PROXY_CPUS=$2; shift 2 ;;
    --load-cpus) LOAD_CPUS=$2; shift 2 ;;
    *) sed -n '2,13p' "$0"; die "unknown argument $1" ;;
  esac
done
command -v python3 >/dev/null || die "python3 not found"
build_if_missing
install_cleanup
T="$ROOT/tests/target/bench-tls-flood"
rm -rf "$T"; mkdir -p "$T/www"
head -c 1024 /dev/zero | tr '\0' 'x' >"$T/www/small"
printf '127.0.0.1 www.bbc.co.uk\n' >"$T/hosts"
cat >"$T/sg.yaml" <<EOC
timezone: Europe/London
listen: {proxy: 127.0.0.1:19328, intercept_tls: 127.0.0.1:19330, admin: 127.0.0.1:19388}
upstream: {http_port: 19380, hosts_file: hosts, dns_servers: ["127.0.0.1:53"], refuse_local: false}
networks: {pupils: [127.0.0.0/8]}
default_group: pupils
timetable: {days: [MON, TUE, WED, THU, FRI], school_day: "08:45-15:15", breaks: ["10:30-10:45"]}
groups:
  pupils: {block: [social, forums, chat, media-sharing, microblogging, circumvention]}
blocklists: $ROOT/blocklists/
data_dir: data/
log_dir: logs/
log_retention_days: 1
limits: {connections_per_client: 20000}
tls_block_page: {networks: [127.0.40.0/24]}
EOC
java -jar "$JAR" ca init --config "$T/sg.yaml" --name "schoolgate bench CA" >"$T/ca-init.txt" || die "ca init failed"
OWN_PORTS=(19328 19330 19388 19380)
ports_free 19380
(cd "$T/www" && exec taskset -c "$LOAD_CPUS" python3 -m http.server 19380 --bind 127.0.0.1 >"$T/www.log" 2>&1) &
STARTED+=("upstream $!")
sg_start "$T/sg.yaml" "$PROXY_CPUS"
url="http://www.bbc.co.uk:19380/small"
flood() { taskset -c "$LOAD_CPUS" python3 "$HERE/tls_flood.py" --cafile "$T/ca/schoolgate-ca.pem" --url "$url" "$@"; }
log "baseline: the pupil alone, $SECS s"
flood --addresses 1 --rate 1 --seconds "$SECS" | grep '^PUPIL' | sed 's/^/alone   /'
log "flood: $ADDRS addresses x $RATE a second, $SECS s"
flood --addresses "$ADDRS" --rate "$RATE" --seconds "$SECS" | sed 's/^/flooded /'
curl -s http://127.0.0.1:19388/metrics | grep -E '^schoolgate_tls_block_page' || true
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine: figures under whatever else ran)"
