#!/usr/bin/env bash
# The measurements of docs/performance.md that the side-by-side harness does not make.
# Self-contained (needs java, nginx, curl, wrk, openssl, python3); everything on loopback;
# each test starts its own nginx and schoolgate and stops exactly those, by pid.
#
#   tests/bench/extras.sh bulk     [--reps N] [--warm C] 100 MiB direct, CONNECT, plain, TLS, intercept_tls
#   tests/bench/extras.sh tls-bulk [--reps N]            only the TLS pair of bulk
#   tests/bench/extras.sh tunnels  [--count N] [--hold S] N concurrent CONNECT tunnels held
#   tests/bench/extras.sh reload   [--domains N] [--rounds R] [--duration S]
#                                                         p99 while a list of N domains reloads
#   tests/bench/extras.sh ab --a JAR --b JAR [--a-opts O] [--b-opts O] [--kind rps|connect|tls]
#                            [--rounds R] [--duration S]   two builds side by side, in turn
#   tests/bench/extras.sh scale    [--count N] [--rounds R] [--duration S]
#                                                         N concurrent keep-alive clients: direct,
#                                                         squid, schoolgate; memory per idle connection
#   tests/bench/extras.sh ut1-swap --lists DIR [--rounds R] [--duration S]
#                                                         p99 while UT1-sized lists swap, production JVM flags
#   common: --proxy-cpus L (0) --load-cpus L (1) --pin on|off (on)
#
# bulk: nginx serves 100 MiB on 127.0.0.1:18085 (plain) and 18443 (TLS); curl fetches it directly,
#   through a CONNECT tunnel and as a plain proxied GET (explicit listener 19128), then over TLS
#   directly and through intercept_tls, in turn (each rep starting one kind later), REPS times;
#   ratios are medians of each rep's ratio to the direct fetch of the same rep. With socat
#   installed, the same fetches go through socat too (a bare relay, pinned like schoolgate).
#   First C (2000) short connections through each of schoolgate's paths warm its JIT up, as
#   traffic has on a gateway in service; --warm 0 measures a fresh JVM.
# tls-bulk: a TLS nginx on 127.0.0.1:18443 serves 100 MiB; curl fetches it directly and
#   through schoolgate's intercept_tls listener (curl -k --resolve localhost:19130:127.0.0.1
#   https://localhost:19130/big: SNI "localhost", decided by the policy, then relayed to
#   upstream.tls_port = 18443). Nothing is decrypted by schoolgate; curl and nginx do the TLS.
# tunnels: tests/bench/tunnels.py against the explicit listener, schoolgate started with
#   ulimit -n 65536.
# ab: the way to tell a change from this machine's drift. Jars A and B (either may be the same jar
#   with different JVM options) run at once, both pinned to the proxy cpus, A on the bench ports
#   and B on the same ports + 100, each with its own data and log folders; the same load goes to
#   A, then B, R times: wrk -t2 -c50 for S seconds (rps: req/s and CPU µs/request), or 5 x 100 MiB
#   on one connection (connect, tls: MB/s). Prints each round and the median of B/A.
# scale: nginx (plain, 18085), squid (13128, as run-schoolgate.sh --standalone configures it) and
#   schoolgate, everything with ulimit -n at the hard limit; R rounds of wrk -t2 -cN -dS through
#   each in turn (order rotated): req/s, p99 and errors (connect, read, write, timeout, non-2xx);
#   before that, on the fresh processes, tests/bench/idle.py holds N idle keep-alive connections
#   (each after one exchange) to squid and to schoolgate: (RSS with them - RSS before) / N is the
#   memory per idle connection.
# reload: schoolgate runs on a copy of the shipped lists whose social.txt also holds N generated
#   domains (tests/jmh Domains, seed 1); wrk -t2 -c50 through it for S seconds without a reload,
#   then S seconds with the list file touched after S/3 s (the watcher reloads it within 2 s),
#   R rounds; p99 of each, and the reload time schoolgate logs.
# ut1-swap: as reload, on DIR (a blocklists folder with CATEGORY/domains folders, as
#   tests/bench/ut1-scale.sh makes from a UT1-shaped archive of 5.3 million domains), every
#   category blocked for the bench group, schoolgate started with the production flags of
#   config/schoolgate.service (-Xmx256m, SerialGC); each round touches adult/domains; the run
#   fails if schoolgate dies (two sets in one heap during a swap must fit).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

CMD=${1:-}; shift || true
REPS=5 COUNT=10000 HOLD=10 DOMAINS=2000000 ROUNDS=3 DURATION=10 PROXY_CPUS=0 LOAD_CPUS=1 PIN=on
LISTS="" A_JAR="" B_JAR="" A_OPTS="" B_OPTS="" KIND=rps WARM=2000
while (($#)); do
  case "$1" in
    --reps) REPS=$2; shift 2 ;;
    --count) COUNT=$2; shift 2 ;;
    --hold) HOLD=$2; shift 2 ;;
    --domains) DOMAINS=$2; shift 2 ;;
    --lists) LISTS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --proxy-cpus) PROXY_CPUS=$2; shift 2 ;;
    --a) A_JAR=$2; shift 2 ;;
    --b) B_JAR=$2; shift 2 ;;
    --a-opts) A_OPTS=$2; shift 2 ;;
    --b-opts) B_OPTS=$2; shift 2 ;;
    --kind) KIND=$2; shift 2 ;;
    --warm) WARM=$2; shift 2 ;;
    --load-cpus) LOAD_CPUS=$2; shift 2 ;;
    --pin) PIN=$2; shift 2 ;;
    *) sed -n '2,42p' "$0"; die "unknown argument $1" ;;
  esac
done
((REPS >= 1 && REPS <= 20 && ROUNDS >= 1 && ROUNDS <= 10 && DURATION >= 3 && DURATION <= 60)) || die "bad --reps/--rounds/--duration"
((DOMAINS >= 1 && DOMAINS <= 5000000)) || die "--domains 1..5000000"
LOAD=() SG_CPUS=""
if [[ $PIN == on ]]; then LOAD=(taskset -c "$LOAD_CPUS"); SG_CPUS=$PROXY_CPUS; fi

X="$ROOT/tests/target/bench-extras"
mkdir -p "$X/www" "$X/nginx"
build_if_missing
install_cleanup

start_nginx() { # TLS on 18443, plain on 18085
  command -v nginx >/dev/null && command -v openssl >/dev/null || die "apt-get install nginx openssl"
  ports_free 18443 18085
  make_www "$X/www"
  [[ -f $X/nginx/cert.pem ]] || openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 30 \
    -keyout "$X/nginx/key.pem" -out "$X/nginx/cert.pem" 2>/dev/null || die "openssl failed"
  nginx_preamble "$X/nginx" >"$X/nginx/nginx.conf"
  cat >>"$X/nginx/nginx.conf" <<EOF
  server {
    listen 127.0.0.1:18443 ssl;
    listen 127.0.0.1:18085;
    ssl_certificate $X/nginx/cert.pem; ssl_certificate_key $X/nginx/key.pem;
    ssl_protocols TLSv1.3;
    location = /small { root $X/www; default_type text/html; }
    location = /big { root $X/www; default_type application/octet-stream; }
  }
}
EOF
  "${LOAD[@]}" nginx -p "$X/nginx" -c "$X/nginx/nginx.conf" -g 'daemon off;' >"$X/nginx/stderr.log" 2>&1 &
  STARTED+=("nginx $!")
  local i
  for ((i = 0; i < 100; i++)); do (exec 3<>/dev/tcp/127.0.0.1/18443) 2>/dev/null && return 0; sleep 0.1; done
  die "nginx did not start ($X/nginx/stderr.log)"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

case "$CMD" in
bulk|tls-bulk)
  # tls-bulk is the TLS half of bulk (kept for the commands in docs/performance.md)
  start_nginx
  sg_start "$CONFIG" "$SG_CPUS"
  CLK=$(getconf CLK_TCK)
  KINDS=(direct connect plain direct_tls intercept_tls)
  [[ $CMD == tls-bulk ]] && KINDS=(direct_tls intercept_tls)
  # The reference: socat, the plainest user-space relay there is, pinned where schoolgate is,
  # relaying the same bytes (no policy, no CONNECT, no log): a floor for what a user-space relay
  # on the proxy's core costs here. Its CPU is its children's (one per connection, reaped).
  declare -A SOCAT
  if [[ $CMD == bulk ]] && command -v socat >/dev/null; then
    ports_free 19140 19141
    for pair in socat:19140:18085 socat_tls:19141:18443; do
      IFS=: read -r kind from to <<<"$pair"
      ${SG_CPUS:+taskset -c "$SG_CPUS"} socat -b 262144 "TCP-LISTEN:$from,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$to" &
      STARTED+=("socat $!")
      SOCAT[$kind]=$!
    done
    KINDS+=(socat socat_tls)
  elif [[ $CMD == bulk ]]; then
    log "socat not installed (apt-get install socat): no reference relay"
  fi
  : >"$X/bulk.txt"
  fetch() { # kind -> "code size bytes/s"
    local a=()
    case $1 in
      direct) a=(http://127.0.0.1:18085/big) ;;
      connect) a=(-p -x http://127.0.0.1:19128 http://127.0.0.1:18085/big) ;;
      plain) a=(-x http://127.0.0.1:19128 http://127.0.0.1:18085/big) ;;
      direct_tls) a=(https://localhost:18443/big) ;;
      intercept_tls) a=(--resolve localhost:19130:127.0.0.1 https://localhost:19130/big) ;;
      socat) a=(http://127.0.0.1:19140/big) ;;
      socat_tls) a=(--resolve localhost:19141:127.0.0.1 https://localhost:19141/big) ;;
    esac
    "${LOAD[@]}" curl -sk --max-time 120 -o /dev/null -w '%{http_code} %{size_download} %{speed_download}' "${a[@]}"
  }
  # A gateway in service has compiled its connection set-up long ago; a fresh JVM interprets it
  # (about 2 ms more per TLS connection here). WARM short connections through each path first.
  if ((WARM > 0)); then
    small=() tls=()
    for ((i = 0; i < 200; i++)); do
      small+=(-o /dev/null http://127.0.0.1:18085/small) tls+=(-o /dev/null https://localhost:19130/small)
    done
    for ((i = 0; i < WARM; i += 200)); do
      "${LOAD[@]}" curl -sk -H 'Connection: close' -p -x http://127.0.0.1:19128 "${small[@]}" || true
      "${LOAD[@]}" curl -sk -H 'Connection: close' -x http://127.0.0.1:19128 "${small[@]}" || true
      "${LOAD[@]}" curl -sk -H 'Connection: close' --resolve localhost:19130:127.0.0.1 "${tls[@]}" || true
    done
    log "warmed: $WARM short connections each through CONNECT, plain and intercept_tls"
  fi
  for w in 1 2; do for kind in "${KINDS[@]}"; do fetch "$kind" >/dev/null; done; done   # warm-up
  for ((k = 1; k <= REPS; k++)); do
    for ((j = 0; j < ${#KINDS[@]}; j++)); do # each rep starts one kind later: no kind always follows the same one
      kind=${KINDS[$(((j + k) % ${#KINDS[@]}))]}
      pid=${SOCAT[$kind]:-$SG_PID}
      t0=$(cpu_ticks "$pid")
      read -r c s v <<<"$(fetch "$kind")"
      if [[ $pid != "$SG_PID" ]]; then # wait (up to 5 s) for the connection's child to be reaped
        for ((i = 0; i < 50; i++)); do pgrep -P "$pid" >/dev/null || break; sleep 0.1; done
      fi
      t1=$(cpu_ticks "$pid")
      [[ $c == 200 && $s == 104857600 ]] && echo "$kind $k $v $((t1 - t0))" >>"$X/bulk.txt" || log "$kind fetch failed: $c $s"
    done
  done
  # per kind: median MB/s, median of the per-rep ratios to the direct fetch of the same rep and
  # scheme, and the relay's (schoolgate's or socat's) CPU seconds per GB
  awk -v clk="$CLK" '
    {mb[$1, $2] = $3 / 1e6; cpu[$1, $2] = $4 / clk / (104857600 / 1e9); seen[$1] = 1; if ($2 > n) n = $2}
    function med(a, m,   i, j, t) { for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                   return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
    END {
      split("direct connect plain socat direct_tls intercept_tls socat_tls", order, " ")
      for (o = 1; o <= 7; o++) { k = order[o]; if (!(k in seen)) continue
        base = (k ~ /tls/) ? "direct_tls" : "direct"; m = 0; r = 0; c = 0
        for (i = 1; i <= n; i++) if ((k, i) in mb) { m++; v[m] = mb[k, i]; if ((base, i) in mb) { r++; q[r] = mb[k, i] / mb[base, i] } ; g[m] = cpu[k, i] }
        mv = med(v, m); rv = med(q, r); gv = med(g, m)
        printf "%-14s %7.0f MB/s  ratio %.2f  %s(%d reps)\n", k, mv, rv, (k ~ /^direct/) ? "" : sprintf("%.2f CPU-s/GB  ", gv), m }
    }' "$X/bulk.txt"
  ;;
tunnels)
  # schoolgate holds two sockets per tunnel (client, upstream) plus ~70 files of its own
  hard=$(ulimit -Hn); [[ $hard == unlimited ]] && hard=1048576
  ulimit -n "$hard" || die "cannot raise ulimit -n to $hard"
  if ((2 * COUNT + 100 > hard)); then
    log "WARNING: the hard limit on open files here is $hard: schoolgate can hold at most $(((hard - 100) / 2)) tunnels"
  fi
  sg_start "$CONFIG" "$SG_CPUS"
  log "idle: RSS $(($(rss_kib "$SG_PID") / 1024)) MiB"
  python3 "$HERE/tunnels.py" --proxy 127.0.0.1:19128 --count "$COUNT" --hold "$HOLD" --pid "$SG_PID"
  rc=$?
  sleep 2
  log "after closing them: RSS $(($(rss_kib "$SG_PID") / 1024)) MiB, peak $(($(hwm_kib "$SG_PID") / 1024)) MiB"
  grep -E 'ERROR|WARN' "$SG_LOG" | head -5
  exit $rc
  ;;
ab)
  [[ -f $A_JAR && -f $B_JAR ]] || die "ab needs --a JAR and --b JAR"
  [[ $KIND == rps || $KIND == connect || $KIND == tls ]] || die "--kind rps|connect|tls"
  start_nginx
  declare -A APID
  for v in A:0 B:100; do
    name=${v%%:*} off=${v##*:} jar=A_JAR opts=A_OPTS
    [[ $name == B ]] && jar=B_JAR opts=B_OPTS
    ports_free $((19128 + off)) $((19129 + off)) $((19130 + off)) $((19088 + off))
    cfg="$X/ab-$name.yaml"
    sed -e "s/19128/$((19128 + off))/; s/19129/$((19129 + off))/; s/19130/$((19130 + off))/; s/19088/$((19088 + off))/" \
        -e "s#^data_dir: .*#data_dir: $X/ab-$name-data/#" -e "s#^log_dir: .*#log_dir: $X/ab-$name-logs/#" \
        -e "s#hosts_file: hosts#hosts_file: $HERE/hosts#" -e "s#^blocklists: \(.*\)#blocklists: $HERE/\1#" "$CONFIG" >"$cfg"
    # shellcheck disable=SC2086
    ${SG_CPUS:+taskset -c "$SG_CPUS"} java $JAVA_OPTS_SG ${!opts} -jar "${!jar}" run --config "$cfg" >"$X/ab-$name.log" 2>&1 &
    APID[$name]=$!
    STARTED+=("schoolgate-$name $!")
  done
  for name in A B; do
    for ((i = 0; i < 300; i++)); do grep -q '^schoolgate ready:' "$X/ab-$name.log" && break; sleep 0.1; done
    grep -q '^schoolgate ready:' "$X/ab-$name.log" || { tail "$X/ab-$name.log" >&2; die "schoolgate $name did not start"; }
  done
  CLK=$(getconf CLK_TCK)
  load() { # name seconds -> one result line
    local off=0 a=() i t0 t1 s e
    [[ $1 == B ]] && off=100
    if [[ $KIND == rps ]]; then
      t0=$(cpu_ticks "${APID[$1]}")
      read -r n _ p99 _ <<<"$(BENCH_PATH=http://127.0.0.1:18085/small BENCH_HOST=127.0.0.1:18085 "${LOAD[@]}" \
        wrk -t2 -c50 -d"$2s" --timeout 5s -s "$HERE/wrk-proxy.lua" "http://127.0.0.1:$((19128 + off))/" | awk '/^RESULT/{print $2, $4, $5, $6}')"
      t1=$(cpu_ticks "${APID[$1]}")
      awk -v n="$n" -v t=$((t1 - t0)) -v clk="$CLK" -v d="$2" -v p="$p99" 'BEGIN {printf "%.0f %.1f %.2f\n", n / d, t / clk / n * 1e6, p / 1000}'
    else
      for ((i = 0; i < 5; i++)); do
        if [[ $KIND == connect ]]; then a+=(-p -x "http://127.0.0.1:$((19128 + off))" -o /dev/null http://127.0.0.1:18085/big)
        else a+=(--resolve "localhost:$((19130 + off)):127.0.0.1" -o /dev/null "https://localhost:$((19130 + off))/big"); fi
      done
      s=$(date +%s%N); "${LOAD[@]}" curl -sk --max-time 120 "${a[@]}" || log "$1: a fetch failed"; e=$(date +%s%N)
      echo $((5 * 104857600 * 1000 / (e - s)))
    fi
  }
  load A 5 >/dev/null; load B 5 >/dev/null   # warm-up
  : >"$X/ab.txt"
  for ((r = 1; r <= ROUNDS; r++)); do
    ra=$(load A "$DURATION"); rb=$(load B "$DURATION")
    echo "$r $ra | $rb" | tee -a "$X/ab.txt"
  done
  if [[ $KIND == rps ]]; then
    echo "columns: round | A req/s, CPU µs/request, p99 ms | B the same"
    printf 'median B/A: req/s %.3f, CPU per request %.3f\n' "$(awk '{print $6 / $2}' "$X/ab.txt" | median)" \
      "$(awk '{print $7 / $3}' "$X/ab.txt" | median)"
  else
    echo "columns: round | A MB/s | B MB/s"
    printf 'median B/A: %.3f\n' "$(awk '{print $4 / $2}' "$X/ab.txt" | median)"
  fi
  ;;
scale)
  for c in wrk nginx squid python3; do command -v $c >/dev/null || die "$c not found: apt-get install wrk nginx squid python3"; done
  ((COUNT >= 100 && COUNT <= 9000)) || die "--count 100..9000 (each needs a descriptor in wrk, two in the proxy)"
  ulimit -n "$(ulimit -Hn)" || die "cannot raise ulimit -n"
  (($(ulimit -n) >= 2 * COUNT + 500)) || die "ulimit -n $(ulimit -n) is too low for --count $COUNT"
  ports_free 18085 13128
  make_www "$X/www"
  nginx_preamble "$X/nginx" $((COUNT * 3)) >"$X/nginx/scale.conf"
  cat >>"$X/nginx/scale.conf" <<EOF
  server {
    listen 127.0.0.1:18085 backlog=8192;
    location = /small { root $X/www; default_type text/html; }
  }
}
EOF
  "${LOAD[@]}" nginx -p "$X/nginx" -c "$X/nginx/scale.conf" -g 'daemon off;' >"$X/nginx/stderr.log" 2>&1 &
  STARTED+=("nginx $!")
  mkdir -p "$X/squid"
  squid_conf "$X/squid" >"$X/squid/squid.conf"
  sed -i "s/^max_filedescriptors .*/max_filedescriptors $(ulimit -n)/" "$X/squid/squid.conf"
  chown -R proxy:proxy "$X/squid" 2>/dev/null || true
  ${SG_CPUS:+taskset -c "$SG_CPUS"} squid -N -f "$X/squid/squid.conf" >"$X/squid/stderr.log" 2>&1 &
  SQUID_PID=$!; STARTED+=("squid $SQUID_PID")
  sg_start "$CONFIG" "$SG_CPUS"
  for p in 18085 13128; do
    for ((i = 0; i < 100; i++)); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && break; sleep 0.1; done
  done
  declare -A ADDR=([direct]=127.0.0.1:18085 [squid]=127.0.0.1:13128 [schoolgate]=127.0.0.1:19128)
  run() { # target seconds -> "req/s p99_ms errors"
    local path=http://127.0.0.1:18085/small
    [[ $1 == direct ]] && path=/small
    BENCH_PATH=$path BENCH_HOST=127.0.0.1:18085 timeout $(($2 + 60)) "${LOAD[@]}" wrk -t2 -c"$COUNT" -d"$2s" --timeout 10s \
      -s "$HERE/wrk-proxy.lua" "http://${ADDR[$1]}/" 2>&1 | awk -v d="$2" '/^RESULT/{printf "%.0f %.1f %d\n", $2 / d, $5 / 1000, $6}'
  }
  # Memory per idle connection first, on fresh processes (after load, the heap has grown and
  # RSS no longer shows what connections add).
  for t in squid schoolgate; do
    pid=$SQUID_PID; [[ $t == schoolgate ]] && pid=$SG_PID
    before=$(rss_kib "$pid")
    "${LOAD[@]}" python3 "$HERE/idle.py" --proxy "${ADDR[$t]}" --count "$COUNT" --hold 8 >"$X/idle-$t.txt" 2>&1 &
    ipid=$!
    for ((i = 0; i < 600; i++)); do grep -q '^idle' "$X/idle-$t.txt" && break; sleep 0.1; done
    sleep 3   # the proxy's side settles (buffers released after the exchange)
    with=$(rss_kib "$pid")
    wait $ipid; rc=$?
    echo "$t: $(head -1 "$X/idle-$t.txt"); RSS $((before / 1024)) MiB before, $((with / 1024)) MiB with them: $(((with - before) * 1024 / COUNT)) bytes per idle connection (idle.py exit $rc)"
  done
  T=(direct squid schoolgate)
  for t in "${T[@]}"; do run "$t" 5 >/dev/null; done   # warm-up: connections, JIT
  : >"$X/scale.txt"
  for ((r = 0; r < ROUNDS; r++)); do
    for ((k = 0; k < 3; k++)); do
      t=${T[$(((r + k) % 3))]}
      echo "$r $t $(run "$t" "$DURATION")" | tee -a "$X/scale.txt"
    done
  done
  echo "target: median req/s, median p99 ms, total errors over $ROUNDS rounds of wrk -c$COUNT"
  for t in "${T[@]}"; do
    printf '%s: %s req/s, p99 %s ms, %s errors\n' "$t" "$(awk -v t="$t" '$2 == t {print $3}' "$X/scale.txt" | median)" \
      "$(awk -v t="$t" '$2 == t {print $4}' "$X/scale.txt" | median)" "$(awk -v t="$t" '$2 == t {s += $5} END {print s + 0}' "$X/scale.txt")"
  done
  ;;
reload)
  command -v wrk >/dev/null || die "apt-get install wrk"
  start_nginx
  L="$X/lists-$DOMAINS"
  if [[ ! -s $L/social.txt ]]; then
    log "generating $DOMAINS domains into $L/social.txt (with the shipped social list) ..."
    mkdir -p "$L"
    cp "$ROOT"/blocklists/*.txt "$L/"
    [[ -f $ROOT/tests/jmh/target/benchmarks.jar ]] || (cd "$ROOT" && mvn -B -q package -DskipTests) || die "build failed"
    java -cp "$ROOT/tests/jmh/target/benchmarks.jar" org.schoolgate.bench.Domains "$DOMAINS" 1 "$L/generated.tmp" || die "generation failed"
    cat "$L/generated.tmp" >>"$L/social.txt" && rm -f "$L/generated.tmp"
  fi
  R="$X/schoolgate-reload.yaml"
  sed -e "s#^blocklists: .*#blocklists: $L/#" -e "s#^  hosts_file: hosts#  hosts_file: $HERE/hosts#" \
      -e "s#^data_dir: .*#data_dir: $ROOT/tests/target/bench-data/#" -e "s#^log_dir: .*#log_dir: $ROOT/tests/target/bench-logs/#" \
      "$CONFIG" >"$R"
  sg_start "$R" "$SG_CPUS"
  grep -E 'blocklists loaded' "$SG_LOG" | cut -c1-200
  log "RSS with the lists loaded: $(($(rss_kib "$SG_PID") / 1024)) MiB"
  run_wrk() { # seconds -> "requests p50 p99 errors"
    BENCH_PATH=http://127.0.0.1:18085/small BENCH_HOST=127.0.0.1:18085 timeout $(($1 + 20)) "${LOAD[@]}" \
      wrk -t2 -c50 -d"$1s" --timeout 5s -s "$HERE/wrk-proxy.lua" http://127.0.0.1:19128/ | awk '/^RESULT/{print $2, $4, $5, $6}'
  }
  run_wrk 5 >/dev/null   # warm-up
  : >"$X/reload.txt"
  for ((r = 1; r <= ROUNDS; r++)); do
    read -r n p50 p99 e <<<"$(run_wrk "$DURATION")"
    echo "normal $r $n $p50 $p99 $e" >>"$X/reload.txt"
    before=$(grep -c 'blocklists reloaded' "$SG_LOG")
    (sleep $((DURATION / 3)); touch "$L/social.txt") &
    toucher=$!
    read -r n p50 p99 e <<<"$(run_wrk "$DURATION")"
    wait "$toucher"
    sleep 3
    after=$(grep -c 'blocklists reloaded' "$SG_LOG")
    ms=$(grep 'blocklists reloaded' "$SG_LOG" | tail -1 | sed 's/.*reloaded in \([0-9]*\) ms.*/\1/')
    ((after > before)) || { log "round $r: no reload was logged"; ms=-; }
    echo "reload $r $n $p50 $p99 $e $ms" >>"$X/reload.txt"
    log "round $r: $(tail -2 "$X/reload.txt" | tr '\n' ' ')"
  done
  awk '{k=$1; n[k]++; p[k]=p[k] " " $5/1000; if ($1=="reload") ms=ms " " $7}
       END {printf "reload test (%s domains): p99 ms normal:%s | during reload:%s | reload ms:%s\n", "'"$DOMAINS"'", p["normal"], p["reload"], ms}' "$X/reload.txt"
  ;;
ut1-swap)
  command -v wrk >/dev/null || die "apt-get install wrk"
  [[ -n $LISTS && -f $LISTS/adult/domains ]] || die "--lists DIR: a folder with adult/domains (tests/bench/ut1-scale.sh makes one)"
  start_nginx
  cats=$(find "$LISTS" -mindepth 1 -maxdepth 1 \( -name '*.txt' -o -type d \) -printf '%f\n' | sed 's/\.txt$//' \
    | grep -v '^circumvention$' | sort -u | paste -sd, | sed 's/,/, /g')
  R="$X/schoolgate-ut1.yaml"
  sed -e "s#^blocklists: .*#blocklists: $LISTS/#" -e "s#^  hosts_file: hosts#  hosts_file: $HERE/hosts#" \
      -e "s#^data_dir: .*#data_dir: $ROOT/tests/target/bench-data/#" -e "s#^log_dir: .*#log_dir: $ROOT/tests/target/bench-logs/#" \
      -e "0,/^    block: \[social, forums, chat, media-sharing, microblogging\]/s##    block: [$cats]#" \
      "$CONFIG" >"$R"
  PROD_OPTS=$(sed -n 's#^ExecStart=/usr/bin/java \(.*\) -jar .*#\1#p' "$ROOT/config/schoolgate.service")
  [[ -n $PROD_OPTS ]] || die "no java flags found in config/schoolgate.service"
  JAVA_OPTS_SG="$PROD_OPTS -Xlog:gc:file=$X/ut1-gc.log"
  sg_start "$R" "$SG_CPUS"
  grep -E 'blocklists loaded' "$SG_LOG" | cut -c1-300
  log "RSS with the lists loaded: $(($(rss_kib "$SG_PID") / 1024)) MiB"
  run_wrk() { # seconds -> "requests p50 p99 errors"
    BENCH_PATH=http://127.0.0.1:18085/small BENCH_HOST=127.0.0.1:18085 timeout $(($1 + 20)) "${LOAD[@]}" \
      wrk -t2 -c50 -d"$1s" --timeout 5s -s "$HERE/wrk-proxy.lua" http://127.0.0.1:19128/ | awk '/^RESULT/{print $2, $4, $5, $6}'
  }
  run_wrk 5 >/dev/null   # warm-up
  : >"$X/ut1-swap.txt"
  for ((r = 1; r <= ROUNDS; r++)); do
    read -r n p50 p99 e <<<"$(run_wrk "$DURATION")"
    echo "normal $r $n $p50 $p99 $e" >>"$X/ut1-swap.txt"
    before=$(grep -c 'blocklists reloaded' "$SG_LOG")
    (sleep $((DURATION / 3)); touch "$LISTS/adult/domains") &
    toucher=$!
    read -r n p50 p99 e <<<"$(run_wrk "$DURATION")"
    wait "$toucher"
    for ((i = 0; i < 300; i++)); do (($(grep -c 'blocklists reloaded' "$SG_LOG") > before)) && break; sleep 0.1; done
    [[ -d /proc/$SG_PID ]] || { tail -n 20 "$SG_LOG" >&2; die "schoolgate died during swap $r"; }
    ms=$(grep 'blocklists reloaded' "$SG_LOG" | tail -1 | sed 's/.*reloaded in \([0-9]*\) ms.*/\1/')
    (($(grep -c 'blocklists reloaded' "$SG_LOG") > before)) || { log "round $r: no reload was logged"; ms=-; }
    echo "swap $r $n $p50 $p99 $e $ms" >>"$X/ut1-swap.txt"
    log "round $r: $(tail -2 "$X/ut1-swap.txt" | tr '\n' ' ') RSS $(($(rss_kib "$SG_PID") / 1024)) MiB"
  done
  log "swaps survived: $(grep -c "blocklists reloaded" "$SG_LOG"); GC log: $X/ut1-gc.log"
  awk '{k=$1; p[k]=p[k] " " $5/1000; e[k]+=$6; if ($1=="swap") ms=ms " " $7}
       END {printf "ut1 swap test: p99 ms normal:%s | during swap:%s | swap ms:%s | errors normal %d, swap %d\n", p["normal"], p["swap"], ms, e["normal"], e["swap"]}' "$X/ut1-swap.txt"
  ;;
*)
  sed -n '2,42p' "$0"; exit 2 ;;
esac
