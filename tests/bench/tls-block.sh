#!/usr/bin/env bash
# What the HTTPS block page (SPEC section 9) costs: blocked TLS handshakes a second, and the CPU
# schoolgate spends on each, from managed devices that trust the school's CA. Loopback only;
# starts its own schoolgate (intercept_tls 127.0.0.1:19330, admin 19388) on a configuration made
# here, with a CA made by `ca init`, and stops exactly that one.
#
#   tests/bench/tls-block.sh [--seconds S] [--warm W] [--procs N] [--proxy-cpus L] [--load-cpus L] [--pin on|off]
#                            [--providers "openssl jdk"] [--rounds R]
#
# Each round starts one schoolgate per provider in turn (tls_block_page.provider: openssl, then jdk:
# BoringSSL against the JDK's TLS, issue 27), so the two are measured in the same run, interleaved,
# under the same load; R rounds (default 1). The overall handshake budget is raised out of the way
# (handshakes_per_second: 100000): the bench measures TLS, not the budget.
#
# Two phases of S seconds (default 10) after a warm-up of W seconds (default 10: the JDK's TLS and
# EC code needs about a thousand handshakes before the JIT has compiled it; a CPU-time loop in
# one JVM went from 10.6 to 4.1 ms per handshake, both sides, over the first 1,200). "cached",
# every connection asks for www.facebook.com (one leaf, signed once: the handshake and the page
# are the cost), and "fresh",
# every connection asks for a name never asked before (n<p>-<i>.www.facebook.com: each waits for a
# new leaf from the signer thread). tests/bench/tls_handshakes.py makes the connections, N
# processes (default 2), each from its own run of source addresses so that none reaches the
# budget of 20 handshakes a second per address. Pinned by default: schoolgate on cpu 0 (so one
# event loop and the signer share it), the clients on cpu 1. Prints, per phase: handshakes/s,
# schoolgate's CPU ms per handshake, and handshakes per CPU-second of schoolgate (what one core
# would do if the clients could keep it busy; when they cannot, it is the figure to read).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
SECONDS_PER_PHASE=10 WARM=10 PROCS=2 PROXY_CPUS=0 LOAD_CPUS=1 PIN=on PROVIDERS="openssl jdk" ROUNDS=1
while (($#)); do
  case "$1" in
    --seconds) SECONDS_PER_PHASE=$2; shift 2 ;;
    --warm) WARM=$2; shift 2 ;;
    --procs) PROCS=$2; shift 2 ;;
    --proxy-cpus) PROXY_CPUS=$2; shift 2 ;;
    --load-cpus) LOAD_CPUS=$2; shift 2 ;;
    --pin) PIN=$2; shift 2 ;;
    --providers) PROVIDERS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    *) sed -n '2,28p' "$0"; die "unknown argument $1" ;;
  esac
done
((SECONDS_PER_PHASE >= 2 && SECONDS_PER_PHASE <= 60 && WARM >= 0 && WARM <= 60 && PROCS >= 1 && PROCS <= 8 \
  && ROUNDS >= 1 && ROUNDS <= 10)) || die "--seconds 2..60, --warm 0..60, --procs 1..8, --rounds 1..10"
for p in $PROVIDERS; do [[ $p == openssl || $p == jdk || $p == auto ]] || die "--providers: openssl, jdk or auto"; done
command -v python3 >/dev/null || die "python3 not found"
LOAD=() SG_CPUS=""
if [[ $PIN == on ]]; then LOAD=(taskset -c "$LOAD_CPUS"); SG_CPUS=$PROXY_CPUS; fi
build_if_missing
install_cleanup
T="$ROOT/tests/target/bench-tls-block"
rm -rf "$T"; mkdir -p "$T"
cat >"$T/base.yaml" <<EOC
timezone: Europe/London
listen: {intercept_tls: 127.0.0.1:19330, admin: 127.0.0.1:19388}
upstream: {dns_servers: ["127.0.0.1:53"], refuse_local: false}
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
EOC
for p in $PROVIDERS; do
  { cat "$T/base.yaml"; echo "tls_block_page: {networks: [127.0.0.0/8], provider: $p, handshakes_per_second: 100000}"; } >"$T/sg-$p.yaml"
done
first=${PROVIDERS%% *}
java -jar "$JAR" ca init --config "$T/sg-$first.yaml" --name "schoolgate bench CA" >"$T/ca-init.txt" || die "ca init failed"
OWN_PORTS=(19330 19388)
CLK=$(getconf CLK_TCK)
run() { # phase seconds [--fresh-names] -> "handshakes ok failed secs" and the failures
  "${LOAD[@]}" python3 "$HERE/tls_handshakes.py" --target 127.0.0.1:19330 --cafile "$T/ca/schoolgate-ca.pem" \
    --seconds "$2" --procs "$PROCS" ${3:-}
}
measure() { # provider
  local provider=$1 phase flag t0 t1 out total ok failed secs
  sg_start "$T/sg-$provider.yaml" "$SG_CPUS"
  log "$provider: $(grep -o "the HTTPS block page's TLS: .*" "$SG_LOG" | head -1)"
  if ((WARM > 0)); then
    log "warm-up: $WARM s"
    run warm "$WARM" >/dev/null
  fi
  for phase in cached fresh; do
    flag=""; [[ $phase == fresh ]] && flag=--fresh-names
    t0=$(cpu_ticks "$SG_PID")
    out=$(run "$phase" "$SECONDS_PER_PHASE" $flag)
    t1=$(cpu_ticks "$SG_PID")
    read -r _ total ok failed secs <<<"$(grep '^RESULT' <<<"$out")"
    awk -v pr="$provider" -v p="$phase" -v ok="$ok" -v f="$failed" -v s="$secs" -v t=$((t1 - t0)) -v clk="$CLK" \
      -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
      cpu = t / clk; printf "%-7s %-6s %6.0f handshakes/s  %5.2f CPU ms each  %6.0f per CPU-second  (%d ok, %d failed, %.1f s, schoolgate CPU %.1f s, load %s)\n",
        pr, p, ok / s, ok ? cpu * 1000 / ok : 0, cpu ? ok / cpu : 0, ok, f, s, cpu, load }'
    grep '^  failed' <<<"$out" || true
  done
  curl -s http://127.0.0.1:19388/metrics | grep '^schoolgate_tls_block_pages_total' | sed "s/^/$provider /" || true
  sg_stop
}
for ((r = 1; r <= ROUNDS; r++)); do
  for p in $PROVIDERS; do
    log "round $r of $ROUNDS, $p (uptime:$(uptime | sed 's/.*load/ load/'))"
    measure "$p"
  done
done
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine: figures under whatever else ran)"
