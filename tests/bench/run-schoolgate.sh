#!/usr/bin/env bash
# Benchmark schoolgate side by side with squid, LittleProxy, e2guardian, tinyproxy and the
# direct path, with schoolgate deciding every request on its full policy (shipped lists
# loaded, a group that blocks them, access logging on): tests/bench/schoolgate-bench.yaml.
#
#   tests/bench/run-schoolgate.sh [own options] [-- ] [run.sh options ...]
#
# Two modes:
#   harness     (default when the harness is found): starts schoolgate, runs
#               BENCH_DIR/run.sh --proxy schoolgate=127.0.0.1:19128 "$@", stops schoolgate.
#               BENCH_DIR defaults to ../shared/bench next to the repository.
#   standalone  (--standalone, or when no harness is found): needs only Debian's
#               wrk, squid, nginx and curl (apt-get install wrk squid nginx curl). Starts its
#               own nginx upstream (127.0.0.1:18080), squid (127.0.0.1:13128) and schoolgate,
#               and measures direct / squid / schoolgate the same way as the harness does
#               (wrk keep-alive small requests, curl 100 MiB CONNECT and plain). See --help.
#
# Everything is on loopback; every load is bounded (wrk -d, curl --max-time); the script
# stops exactly the processes it started, by pid.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
BENCH_DIR="${SCHOOLGATE_BENCH_DIR:-$ROOT/../shared/bench}"
PROXY_ADDR=127.0.0.1:19128

MODE=auto START_PINNED=auto
PASS=()
usage() {
  cat <<EOF
usage: $0 [--bench-dir DIR] [--standalone] [--start-pinned auto|on|off] [--] [run.sh options]
  --bench-dir DIR       the side-by-side harness (default: \$SCHOOLGATE_BENCH_DIR or
                        $ROOT/../shared/bench)
  --standalone          do not use the harness even if it is there (see the top of this file)
  --start-pinned MODE   start the JVM under 'taskset -c CPUS' so that it sizes itself (event
                        loops, GC) for the one core it will get. auto (default): on when the
                        options include '--pin on', with the --proxy-cpus value (default 0).
                        The harness also pins schoolgate itself once it runs (taskset -a on the
                        pid listening on 19128), like its own peers.
  Environment: SCHOOLGATE_JAVA_OPTS (replaces "$DEFAULT_JAVA_OPTS"),
               SCHOOLGATE_JAVA_OPTS_EXTRA (appended, e.g. a JFR recording).
  Every other option goes to run.sh (harness mode: see run.sh --help) or, in standalone mode:
    --rounds N (3)  --duration S (10)  --warmup S (10)  --bulk-reps N (3)  --pin on|off (on)
    --proxy-cpus L (0)  --load-cpus L (1)  --conns N (50)  --threads N (2)
EOF
}
while (($#)); do
  case "$1" in
    --bench-dir) BENCH_DIR=$2; shift 2 ;;
    --standalone) MODE=standalone; shift ;;
    --start-pinned) START_PINNED=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; PASS+=("$@"); break ;;
    *) PASS+=("$1"); shift ;;
  esac
done

if [[ $MODE == auto ]]; then
  if [[ -x $BENCH_DIR/run.sh ]]; then MODE=harness; else MODE=standalone; log "no harness at $BENCH_DIR: standalone mode"; fi
fi

# --pin / --proxy-cpus as given to run.sh (or standalone), for --start-pinned auto
PIN_ARG="" PROXY_CPUS=0
for ((i = 0; i < ${#PASS[@]}; i++)); do
  case "${PASS[$i]}" in
    --pin) PIN_ARG=${PASS[$((i + 1))]:-} ;;
    --proxy-cpus) PROXY_CPUS=${PASS[$((i + 1))]:-0} ;;
  esac
done
[[ $MODE == standalone && -z $PIN_ARG ]] && PIN_ARG=on
case "$START_PINNED" in
  auto) [[ $PIN_ARG == on ]] && START_PINNED=on || START_PINNED=off ;;
  on|off) ;;
  *) die "--start-pinned must be auto, on or off" ;;
esac

# ---------------------------------------------------------------- schoolgate
build_if_missing
install_cleanup
CPUS=""
[[ $START_PINNED == on ]] && CPUS=$PROXY_CPUS
sg_start "$CONFIG" "$CPUS"
sleep 1
log "schoolgate idle RSS: $(rss_kib "$SG_PID") kB"

# ---------------------------------------------------------------- harness mode
if [[ $MODE == harness ]]; then
  log "running $BENCH_DIR/run.sh --proxy schoolgate=$PROXY_ADDR ${PASS[*]}"
  "$BENCH_DIR/run.sh" --proxy "schoolgate=$PROXY_ADDR" "${PASS[@]}"
  rc=$?
  log "schoolgate peak RSS (VmHWM): $(hwm_kib "$SG_PID") kB"
  exit $rc
fi

# ---------------------------------------------------------------- standalone mode
ROUNDS=3 DURATION=10 WARMUP=10 BULK_REPS=3 PROXY_CPUS=0 LOAD_CPUS=1 CONNS=50 THREADS=2 PIN=$PIN_ARG
set -- "${PASS[@]}"
while (($#)); do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --bulk-reps) BULK_REPS=$2; shift 2 ;;
    --pin) PIN=$2; shift 2 ;;
    --proxy-cpus) PROXY_CPUS=$2; shift 2 ;;
    --load-cpus) LOAD_CPUS=$2; shift 2 ;;
    --conns) CONNS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    *) die "standalone mode: unknown option $1 (see --help)" ;;
  esac
done
((ROUNDS >= 1 && ROUNDS <= 20 && DURATION >= 1 && DURATION <= 120 && BULK_REPS >= 1 && BULK_REPS <= 20 \
  && WARMUP >= 0 && WARMUP <= 60)) || die "rounds 1..20, duration 1..120 s, warmup 0..60 s, bulk-reps 1..20"
((CONNS >= 1 && CONNS <= 1000 && THREADS >= 1 && THREADS <= 16)) || die "bad --conns/--threads"
for c in wrk nginx squid curl; do command -v $c >/dev/null || die "$c not found: apt-get install wrk squid nginx curl"; done

SA="$WORK/standalone"
mkdir -p "$SA/www" "$SA/nginx" "$SA/squid"
make_www "$SA/www"
nginx_preamble "$SA/nginx" >"$SA/nginx/nginx.conf"
cat >>"$SA/nginx/nginx.conf" <<EOF
  server {
    listen 127.0.0.1:18080;
    location = /small { root $SA/www; default_type text/html; }
    location = /big { root $SA/www; default_type application/octet-stream; }
  }
}
EOF
squid_conf "$SA/squid" >"$SA/squid/squid.conf"
chown -R proxy:proxy "$SA/squid" 2>/dev/null || true
wait_port() { local i; for ((i = 0; i < 200; i++)); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
for p in 18080 13128; do ss -ltnH "sport = :$p" | grep -q . && die "port $p in use (is the harness running? use bench/stop.sh)"; done
# started under taskset so that nginx's worker (a child) inherits the cpu set
NGX_SET=() SQ_SET=()
[[ $PIN == on ]] && { NGX_SET=(taskset -c "$LOAD_CPUS"); SQ_SET=(taskset -c "$PROXY_CPUS"); }
"${NGX_SET[@]}" nginx -p "$SA/nginx" -c "$SA/nginx/nginx.conf" -g 'daemon off;' >"$SA/nginx/stderr.log" 2>&1 &
STARTED+=("nginx $!"); NGINX_PID=$!
"${SQ_SET[@]}" squid -N -f "$SA/squid/squid.conf" >"$SA/squid/stderr.log" 2>&1 &
STARTED+=("squid $!"); SQUID_PID=$!
wait_port 18080 || die "nginx did not start ($SA/nginx)"
wait_port 13128 || die "squid did not start ($SA/squid/cache.log)"


declare -A ADDR=([direct]=127.0.0.1:18080 [squid]=127.0.0.1:13128 [schoolgate]=$PROXY_ADDR)
declare -A PIDOF=([squid]=$SQUID_PID [schoolgate]=$SG_PID)
TARGETS=(direct squid schoolgate)
LOAD=()
if [[ $PIN == on ]]; then
  LOAD=(taskset -c "$LOAD_CPUS")
  for t in squid schoolgate; do taskset -a -cp "$PROXY_CPUS" "${PIDOF[$t]}" >/dev/null; done
fi
CLK=$(getconf CLK_TCK)
RAW="$SA/raw.txt"; : >"$RAW"

small() { # round target secs record
  local t=$2 path=/small c0 c1 line
  [[ $t != direct ]] && path=http://127.0.0.1:18080/small
  c0=$(cpu_ticks "${PIDOF[$t]:-0}")
  line=$(BENCH_PATH=$path timeout $(($3 + 20)) "${LOAD[@]}" wrk -t"$THREADS" -c"$CONNS" -d"$3s" --timeout 5s \
    -s "$HERE/wrk-proxy.lua" "http://${ADDR[$t]}/" 2>&1 | grep '^RESULT')
  c1=$(cpu_ticks "${PIDOF[$t]:-0}")
  (($4)) && [[ -n $line ]] && echo "small $1 $t ${line#RESULT } $((c1 - c0))" >>"$RAW"
}
bulk() { # round target kind
  local t=$2 args=() out c0 c1
  case $3 in connect) args=(-p -x "http://${ADDR[$t]}") ;; plain) args=(-x "http://${ADDR[$t]}") ;; esac
  c0=$(cpu_ticks "${PIDOF[$t]:-0}")
  out=$("${LOAD[@]}" curl -s --max-time 120 -o /dev/null -w '%{http_code} %{size_download} %{time_total}' "${args[@]}" \
    http://127.0.0.1:18080/big)
  c1=$(cpu_ticks "${PIDOF[$t]:-0}")
  echo "bulk $1 $t $3 $out $((c1 - c0))" >>"$RAW"
}
# warm-up (the JVM's JIT needs ~10 s of load; also connection pools), small and bulk
for t in "${TARGETS[@]}"; do
  ((WARMUP > 0)) && small 0 "$t" "$WARMUP" 0
  [[ $t != direct ]] && { bulk 0 "$t" connect; bulk 0 "$t" plain; }
done
: >"$RAW"
for ((r = 1; r <= ROUNDS; r++)); do
  order=("${TARGETS[@]:$((r % 3))}" "${TARGETS[@]:0:$((r % 3))}")
  log "round $r/$ROUNDS: ${order[*]}"
  for t in "${order[@]}"; do small "$r" "$t" "$DURATION" 1; sleep 1; done
  for ((k = 1; k <= BULK_REPS; k++)); do
    for t in "${order[@]}"; do
      if [[ $t == direct ]]; then bulk "$r" direct direct; else bulk "$r" "$t" connect; bulk "$r" "$t" plain; fi
    done
  done
done
python3 - "$RAW" "$CLK" "$PIN" <<'EOF'
import sys
from statistics import median
raw, clk, pin = sys.argv[1], int(sys.argv[2]), sys.argv[3]
small, bulk = {}, {}
for line in open(raw):
    f = line.split()
    if f[0] == "small":
        r, t, n, secs, p50, p99, errs, ticks = f[1], f[2], int(f[3]), float(f[4]), int(f[5]), int(f[6]), int(f[7]), int(f[8])
        small.setdefault(t, {})[r] = dict(rps=n / secs, p50=p50, p99=p99, errs=errs, us=1e6 * ticks / clk / n if n else 0)
    else:
        r, t, kind, code, size, secs, ticks = f[1], f[2], f[3], f[4], int(f[5]), float(f[6]), int(f[7])
        if code == "200" and size == 104857600:
            bulk.setdefault((t, kind), {}).setdefault(r, []).append(size / secs / 1e6)
def rmed(t, k):
    return median(v[k] for v in small.get(t, {}).values()) if small.get(t) else float("nan")
def ratio(t, ref, k):
    a, b = small.get(t, {}), small.get(ref, {})
    rs = [a[r][k] / b[r][k] for r in a if r in b and b[r][k]]
    return median(rs) if rs else float("nan")
def bmed(t, kind):
    xs = [x for v in bulk.get((t, kind), {}).values() for x in v]
    return median(xs) if xs else float("nan")
print(f"\n== standalone, {'pinned' if pin == 'on' else 'unpinned'}: medians over rounds ==")
print(f"{'target':<11}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'rps/sq':>8}{'p99/sq':>8}{'us/req':>8}{'CONN MB/s':>11}{'/dir':>6}{'PLAIN MB/s':>12}{'/dir':>6}{'errors':>8}")
d = bmed("direct", "direct")
for t in ("direct", "squid", "schoolgate"):
    c, p = (d, d) if t == "direct" else (bmed(t, "connect"), bmed(t, "plain"))
    us = rmed(t, "us") if t != "direct" else float("nan")
    errs = sum(v["errs"] for v in small.get(t, {}).values())
    print(f"{t:<11}{rmed(t,'rps'):>9.0f}{rmed(t,'p50')/1000:>8.2f}{rmed(t,'p99')/1000:>8.2f}{ratio(t,'squid','rps'):>8.2f}"
          f"{ratio(t,'squid','p99'):>8.2f}{us:>8.1f}{c:>11.0f}{c/d:>6.2f}{p:>12.0f}{p/d:>6.2f}{errs:>8}")
EOF
log "raw samples: $RAW"
