#!/usr/bin/env bash
# What "an event's refusal is sent after its batch is committed" costs a pupil: N circumvention
# attempts (their 403 waits for the event to be flushed to events.jsonl and committed to SQLite)
# and N ordinary blocks (no event), interleaved, one curl at a time from a pupil address through
# the explicit listener; the median and p90 of curl's time_total for each. Loopback only; starts
# its own schoolgate on 127.0.0.1:19228 (admin 19288) and stops exactly that one.
#
#   tests/bench/event-latency.sh [N]          (default 300)
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
N=${1:-300}
((N >= 10 && N <= 5000)) || die "N is 10..5000"
command -v curl >/dev/null || die "apt-get install curl"
build_if_missing
install_cleanup
E="$ROOT/tests/target/bench-events"
rm -rf "$E"; mkdir -p "$E"
echo "127.0.0.1 localhost" >"$E/hosts"
cat >"$E/sg.yaml" <<EOF
timezone: Europe/London
listen: {proxy: 127.0.0.1:19228, admin: 127.0.0.1:19288}
upstream: {hosts_file: hosts, dns_servers: ["127.0.0.1:53"], refuse_local: false}
networks: {pupils: [127.0.10.0/24]}
default_group: pupils
timetable: {days: [MON, TUE, WED, THU, FRI], school_day: "08:45-15:15", breaks: ["10:30-10:45"]}
groups:
  pupils: {block: [social, forums, chat, media-sharing, microblogging, circumvention]}
blocklists: $ROOT/blocklists/
data_dir: data/
log_dir: logs/
log_retention_days: 90
circumvention: {supervise_after: 1000000, supervision: flag}
EOF
OWN_PORTS=(19228 19288)
sg_start "$E/sg.yaml"
: >"$E/event.txt"; : >"$E/block.txt"
for ((i = 1; i <= N; i++)); do
  curl -s -o /dev/null -w '%{time_total}\n' --interface 127.0.10.5 -x http://127.0.0.1:19228 "http://a$i.nordvpn.com/" >>"$E/event.txt"
  curl -s -o /dev/null -w '%{time_total}\n' --interface 127.0.10.5 -x http://127.0.0.1:19228 "http://a$i.facebook.com/" >>"$E/block.txt"
done
sg_stop
st() { sort -n "$1" | awk '{a[NR]=$1} END {printf "median %.2f ms, p90 %.2f ms (n %d)", a[int(NR/2)+1]*1000, a[int(NR*0.9)]*1000, NR}'; }
echo "circumvention 403, sent after its event is written: $(st "$E/event.txt")"
echo "ordinary block 403, no event:                       $(st "$E/block.txt")"
echo "lines in events.jsonl: $(wc -l <"$E/logs/events.jsonl") (expected $N)"
