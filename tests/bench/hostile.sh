#!/usr/bin/env bash
# Hostile tests of issue 10 (request smuggling, broken chunked bodies, slow readers, descriptor
# exhaustion, circumvention events after kill -9, duplicate server names, numeric hosts, sign-in
# throttling), run with real tools against the real jar started as production starts it.
#
#   tests/bench/hostile.sh [all|functional|ATTACK ...] [--duration S] [--no-netns]
#
#   functional   smuggle chunked response tls numeric signin events (about 4 minutes)
#   all          functional, then a baseline and the load attacks (about 12 minutes); the default
#   up           only start everything and keep it up (for trying attacks by hand) until
#                tests/target/hostile-run/stop exists, at most 20 minutes
#   --duration S length of each load attack (default 75, 40..180)
#   --no-netns   run on this machine's loopback instead of a network namespace with MTU 1500 (below)
#
# The attacks (each one line of the table; the functional ones print a line per case too):
#   smuggle          ~50 request-smuggling variants (the issue's "Connection: content-length" request
#                    word for word, Connection naming Transfer-Encoding/Host, CL.TE, TE.CL, TE twice,
#                    obs-fold, bare LF/CR, NUL, chunk sizes with leading zeros or overflowing, chunk
#                    extensions with bare LF, trailers, bodies and pipelines behind a refused request,
#                    HTTP/1.0 keep-alive, absolute-form against Host, CONNECT followed by bytes) on both
#                    HTTP listeners, to nginx and to the strict python origin: neither may ever log a
#                    request for the blocked www.facebook.com or the path /SMUGGLED.
#   chunked          broken chunked bodies (zz, overflowing, bare LF, negative, 0x, +, data longer than
#                    its size, in one segment and split): 400 or a close to the client, and the origin
#                    never sees the body finished.
#   response         a hostile origin: Connection: content-length, TE with CL, a bad chunk, an unasked
#                    101, two responses for one request.
#   tls              ClientHellos with two server_name extensions, or one listing two names, on
#                    intercept_tls and inside a CONNECT tunnel; a hello sent in the same segment as
#                    its CONNECT.
#   numeric          2130706433, 0x7f.1, 127.1, 0177.0.0.1, ... as CONNECT targets, absolute URIs and SNI.
#   signin           10 wrong passwords for the head from one address; the head from another
#                    address and another user from the same address must still get in.
#   events           20 CONNECTs to port 22 (403 each), kill -9 at once, restart: every 403 has its
#                    line in events.jsonl and /api/events.
#   slowread         the issue's: slowhttptest -X -c 400 (10 pipelined 4 MiB GETs each) from one address.
#   slowread-many    the same kind of slow readers from two pupil addresses, 250 connections each.
#   slowheaders      the issue's: two slowhttptest -H -c 10000 from one address, and one head dripped
#                    from another pupil that must get 408 30 s after its first byte.
#   slowheaders-many slowloris from 40 pupil addresses x 250 connections (each under its limit),
#                    reopening what the proxy closes.
#
# Needs java, nginx, curl, ncat, slowhttptest, openssl, python3 (apt-get install nginx curl ncat
# slowhttptest openssl python3). Self-contained like extras.sh: it starts its own nginx (plain
# 28080, TLS 28443), a strict python origin (28081, tests/bench/hostile_origin.py) and schoolgate
# (proxy 29128, intercept_http 29129, intercept_tls 29130, admin 29088) on loopback, and stops
# exactly those, by pid. Nothing leaves the machine: every name is in the hosts file, DNS points
# at 127.0.0.1:53, and all traffic is between loopback addresses.
#
# Devices are loopback source addresses: staff 127.0.20.0/24, office 127.0.30.0/24, pupils
# 127.0.10.0/24 and every other address (default_group), so 127.0.0.1 (slowhttptest cannot bind
# a source) is a pupil. limits.* are left at their defaults (connections_per_client 256): they are
# part of what is tested. supervision is "flag" so that the functional attacks from one pupil
# address do not lock it down half-way (lockdown is tested by the end-to-end tests).
#
# What ordinary users do during each load attack (tests/target/hostile-run/users-*.txt):
#   three staff devices (127.0.20.11-13) fetch the 4 MiB file through the explicit proxy in turn,
#   one staff device reads at 4 MB/s like a laptop on Wi-Fi (127.0.20.14, curl --limit-rate 4M),
#   one other pupil device (127.0.10.200) fetches the small page through intercept_http,
#   and the network manager's PC (127.0.20.30) asks the admin listener for /healthz twice a second.
# A fetch is "slow" past 2 s, "truncated" when it got fewer bytes than the file (or curl gave up
# part-way), an "error" when the status is not 200. The access log is checked to be truthful: every
# ordinary fetch that was cut short has "aborted" on its line.
#
# Output: one line per case for the functional attacks (PASS/FAIL/NOTE), then the table:
#   attack | ordinary users: fetches, median/max latency, >2s, truncated, errors | healthz max | RSS | verdict
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

P_PROXY=29128 P_IHTTP=29129 P_ITLS=29130 P_ADMIN=29088 P_NGINX=28080 P_NGINX_TLS=28443 P_ORIGIN=28081
OWN_PORTS=($P_PROXY $P_IHTTP $P_ITLS $P_ADMIN $P_NGINX $P_NGINX_TLS $P_ORIGIN)
JAVA_PROD="-XX:+UseSerialGC -XX:PretenureSizeThreshold=1m -Xms32m -Xmx256m -XX:MaxDirectMemorySize=128m -Xss512k -XX:+ExitOnOutOfMemoryError"
W="$ROOT/tests/target/hostile-run"
DUR=75
HEAD_USER=mrs.head HEAD_PW='head passphrase one' OTHER_USER=mr.deputy OTHER_PW='deputy passphrase two'
BIG=4194304

ATTACKS=()
ARGS=("$@")
NETNS=auto
while (($#)); do
  case "$1" in
    --duration) DUR=$2; shift 2 ;;
    --netns) NETNS=on; shift ;;
    --no-netns) NETNS=off; shift ;;
    all) ATTACKS+=(smuggle chunked response tls numeric signin events slowread slowread-many slowheaders slowheaders-many); shift ;;
    functional) ATTACKS+=(smuggle chunked response tls numeric signin events); shift ;;
    smuggle|chunked|response|tls|numeric|signin|events|slowread|slowread-many|slowheaders|slowheaders-many) ATTACKS+=("$1"); shift ;;
    up) ATTACKS+=(up); shift ;;
    -h|--help) sed -n '2,66p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (--help)" ;;
  esac
done
((${#ATTACKS[@]})) || ATTACKS=(smuggle chunked response tls numeric signin events slowread slowread-many slowheaders slowheaders-many)
((DUR >= 40 && DUR <= 180)) || die "--duration 40..180"

# Loopback's MTU is 64 KiB, so TCP on it sizes its buffers and windows like no gateway's
# Ethernet or Wi-Fi does, and slow readers look harmless. By default everything runs in a network
# namespace of its own whose loopback has an MTU of 1500 (nothing else is in it: no route out).
if [[ $NETNS != off && -z ${HOSTILE_NETNS:-} ]]; then
  if [[ $(id -u) == 0 ]] && command -v ip >/dev/null; then
    ns=schoolgate-hostile-$$
    ip netns add "$ns" && ip netns exec "$ns" ip link set lo mtu 1500 up || die "cannot make network namespace $ns"
    trap 'ip netns del "$ns" 2>/dev/null' EXIT
    trap 'exit 130' INT TERM
    log "running in network namespace $ns (loopback MTU 1500)"
    HOSTILE_NETNS=$ns ip netns exec "$ns" "$0" "${ARGS[@]}"
    exit $?
  elif [[ $NETNS == on ]]; then
    die "--netns needs root and iproute2"
  else
    log "not root: running on this machine's loopback (MTU 65536); slow-reader figures are optimistic"
  fi
fi
for t in java nginx curl ncat slowhttptest openssl python3; do command -v $t >/dev/null || die "$t not found (apt-get install nginx curl ncat slowhttptest openssl python3)"; done
build_if_missing
install_cleanup
ports_free "${OWN_PORTS[@]}"

rm -rf "$W"
mkdir -p "$W/www" "$W/nginx" "$W/sg"
TABLE="$W/table.txt"
: >"$TABLE"
FUNCTIONAL="$W/functional.txt"
: >"$FUNCTIONAL"

# ------------------------------------------------------------------------------------------ set-up
head -c 1024 /dev/zero | tr '\0' 'x' >"$W/www/small"
head -c $BIG /dev/urandom >"$W/www/4m"
head -c 104857600 /dev/urandom >"$W/www/100m"
chmod -R a+rX "$W/www"
cat >"$W/sg/hosts" <<'EOF'
127.0.0.1 allowed.test www.allowed.test other.test localhost
127.0.0.1 www.facebook.com facebook.com m.facebook.com www.instagram.com www.reddit.com nordvpn.com www.youtube.com x.com
127.0.0.1 classroom.google.com
EOF
cat >"$W/sg/schoolgate.yaml" <<EOF
timezone: Europe/London
listen:
  proxy: 127.0.0.1:$P_PROXY
  intercept_http: 127.0.0.1:$P_IHTTP
  intercept_tls: 127.0.0.1:$P_ITLS
  admin: 127.0.0.1:$P_ADMIN
upstream:
  http_port: $P_NGINX
  tls_port: $P_NGINX_TLS
  hosts_file: hosts
  connect_timeout: 2s
  idle_timeout: 5m
  dns_servers: ["127.0.0.1:53"]
  refuse_local: false
networks:
  staff: [127.0.20.0/24]
  office: [127.0.30.0/24]
  pupils: [127.0.10.0/24]
default_group: pupils
timetable:
  days: [MON, TUE, WED, THU, FRI]
  school_day: "08:45-15:15"
  breaks: ["10:30-10:45", "12:00-13:00"]
groups:
  pupils:
    block: [social, forums, chat, media-sharing, microblogging, circumvention]
  staff:
    block: [circumvention]
    block_in_lessons: [social, forums, chat, media-sharing, microblogging]
  office:
    block: [circumvention]
allow: [classroom.google.com]
blocklists: $ROOT/blocklists/
data_dir: data/
log_dir: logs/
log_retention_days: 90
circumvention:
  allowed_connect_ports: [443, $P_NGINX_TLS]
  supervise_after: 5
  supervise_within: 10m
  supervision: flag
  supervision_allow: [classroom.google.com]
  ech_public_names: [cloudflare-ech.com]
admin:
  allow_from: [127.0.20.0/24, 127.0.30.0/24]
EOF
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=allowed.test -days 30 \
  -keyout "$W/nginx/key.pem" -out "$W/nginx/cert.pem" 2>/dev/null || die "openssl failed"
cat >"$W/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log info;
events { worker_connections 4096; }
http {
  log_format h '\$remote_addr "\$request" \$status \$request_length \$body_bytes_sent "\$http_host" rt=\$request_time';
  access_log $W/nginx/access.log h;
  sendfile on; tcp_nopush on; keepalive_requests 100000; keepalive_timeout 60s;
  client_body_temp_path $W/nginx; proxy_temp_path $W/nginx; fastcgi_temp_path $W/nginx;
  uwsgi_temp_path $W/nginx; scgi_temp_path $W/nginx;
  server {
    # the origin is on this machine, unlike on a gateway: keep its send buffers small so that the
    # kernel memory measured is the proxy's own, not nginx's
    listen 127.0.0.1:$P_NGINX sndbuf=64k;
    listen 127.0.0.1:$P_NGINX_TLS ssl sndbuf=64k;
    ssl_certificate $W/nginx/cert.pem; ssl_certificate_key $W/nginx/key.pem;
    root $W/www;
    default_type application/octet-stream;
    location / { }
    location /echo { return 200 "echo \$request_method \$uri host=\$http_host\n"; }
    location /a { return 200 "a\n"; }
    location /b { return 200 "b\n"; }
  }
}
EOF

nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" -g 'daemon off;' >"$W/nginx/stderr.log" 2>&1 &
STARTED+=("nginx $!")
python3 "$HERE/hostile_origin.py" $P_ORIGIN "$W/origin.jsonl" 3600 >"$W/origin.stderr" 2>&1 &
STARTED+=("origin $!")

SGJ="java $JAVA_PROD -jar $JAR"
(cd "$W/sg" && echo "$HEAD_PW" | $SGJ user add $HEAD_USER --role head --config schoolgate.yaml >/dev/null &&
  echo "$OTHER_PW" | $SGJ user add $OTHER_USER --role head --config schoolgate.yaml >/dev/null) || die "user add failed"

SG_PID=""
start_sg() {
  local i
  # shellcheck disable=SC2086
  (cd "$W/sg" && exec java $JAVA_PROD -jar "$JAR" --config "$W/sg/schoolgate.yaml" >>"$W/sg.out" 2>>"$W/sg.err") &
  SG_PID=$!
  STARTED+=("schoolgate $SG_PID")
  for ((i = 0; i < 300; i++)); do
    [[ $(grep -c '^schoolgate ready:' "$W/sg.out" 2>/dev/null) -ge ${1:-1} ]] && break
    [[ -d /proc/$SG_PID ]] || { tail -n 20 "$W/sg.err" >&2; die "schoolgate exited before it was ready"; }
    sleep 0.1
  done
  [[ $(grep -c '^schoolgate ready:' "$W/sg.out") -ge ${1:-1} ]] || die "schoolgate not ready after 30 s"
  for ((i = 0; i < 50; i++)); do (exec 3<>/dev/tcp/127.0.0.1/$P_NGINX) 2>/dev/null && break; sleep 0.1; done
  log "schoolgate up (pid $SG_PID, RSS $(($(rss_kib $SG_PID) / 1024)) MiB)"
}
start_sg 1
SG_STARTS=1

PY=(python3 "$HERE/hostile_attacks.py")
COMMON=(--proxy 127.0.0.1:$P_PROXY --intercept 127.0.0.1:$P_IHTTP --tls 127.0.0.1:$P_ITLS --admin 127.0.0.1:$P_ADMIN
  --nginx-port $P_NGINX --tls-port $P_NGINX_TLS --origin-port $P_ORIGIN
  --nginx-log "$W/nginx/access.log" --nginx-error-log "$W/nginx/error.log" --origin-log "$W/origin.jsonl"
  --access-log "$W/sg/logs/access.jsonl" --events-log "$W/sg/logs/events.jsonl")

row() { printf '%-18s | %-62s | %-14s | %-22s | %s\n' "$@" | tee -a "$TABLE" >&2; }

functional() { # name -> runs the python cases, one table row
  local name=$1 out="$W/$1.txt" rc pass fail note
  log "$name ..."
  timeout 600 "${PY[@]}" "$name" "${COMMON[@]}" --user "$HEAD_USER" --password "$HEAD_PW" \
    --other-user "$OTHER_USER" --other-password "$OTHER_PW" >"$out" 2>&1
  rc=$?
  cat "$out" >>"$FUNCTIONAL"
  grep -E ' (FAIL|NOTE) ' "$out" >&2
  pass=$(grep -c ' PASS ' "$out") fail=$(grep -c ' FAIL ' "$out") note=$(grep -c ' NOTE ' "$out")
  row "$name" "$pass cases pass, $fail fail, $note notes (see $name.txt)" "-" "RSS $(($(rss_kib $SG_PID) / 1024)) MiB" \
    "$([[ $rc == 0 && $fail == 0 ]] && echo holds || echo BROKEN)"
}

# ------------------------------------------------------------------------------------------ ordinary users
# users TAG SECONDS: the ordinary users of the header comment, in the background; USER_PIDS.
USER_PIDS=()
users() {
  local tag=$1 secs=$2 f="$W/users-$1.txt" src
  : >"$f"
  fetch_loop() { # src extra-curl-args...
    local src=$1 end=$((SECONDS + secs)) n=0
    shift
    while ((SECONDS < end && n < 400)); do
      curl -s -o /dev/null --max-time 10 --interface "$src" "$@" \
        -w "dl $src %{http_code} %{size_download} %{time_total}\n" >>"$f" 2>/dev/null
      n=$((n + 1))
      sleep 0.4
    done
  }
  for src in 127.0.20.11 127.0.20.12 127.0.20.13; do
    fetch_loop $src -x http://127.0.0.1:$P_PROXY http://allowed.test:$P_NGINX/4m &
    USER_PIDS+=($!)
  done
  fetch_loop 127.0.20.14 --limit-rate 4M -x http://127.0.0.1:$P_PROXY http://allowed.test:$P_NGINX/4m &
  USER_PIDS+=($!)
  (end=$((SECONDS + secs)) n=0
    while ((SECONDS < end && n < 1000)); do
      curl -s -o /dev/null --max-time 10 --interface 127.0.10.200 -H 'Host: allowed.test' \
        -w "page 127.0.10.200 %{http_code} %{size_download} %{time_total}\n" http://127.0.0.1:$P_IHTTP/small >>"$f" 2>/dev/null
      n=$((n + 1)); sleep 0.5
    done) &
  USER_PIDS+=($!)
  (end=$((SECONDS + secs)) n=0
    while ((SECONDS < end && n < 1000)); do
      curl -s -o /dev/null --max-time 10 --interface 127.0.20.30 \
        -w "healthz 127.0.20.30 %{http_code} %{size_download} %{time_total}\n" http://127.0.0.1:$P_ADMIN/healthz >>"$f" 2>/dev/null
      n=$((n + 1)); sleep 0.5
    done) &
  USER_PIDS+=($!)
}
users_wait() {
  local p
  for p in "${USER_PIDS[@]}"; do wait "$p" 2>/dev/null; done
  USER_PIDS=()
}
# summary TAG -> "n med max slow trunc err | healthz-max | other-device-max"
summary() {
  awk -v big=$BIG '
    function sortmed(arr, n,   i, j, t) { for (i = 2; i <= n; i++) { t = arr[i]; for (j = i - 1; j >= 1 && arr[j] > t; j--) arr[j+1] = arr[j]; arr[j+1] = t }
      return n ? arr[int((n + 1) / 2)] : 0 }
    $1 == "dl" { n++; t[n] = $5; if ($5 > max) max = $5; if ($5 > 2) slow++
      if ($3 == 200 && $4 != big || $3 == "000" && $4 > 0) trunc++; else if ($3 != 200) err++ }
    $1 == "healthz" { hn++; if ($5 > hmax) hmax = $5; if ($3 != 200) herr++ }
    $1 == "page" { pn++; if ($5 > pmax) pmax = $5; if ($3 != 200) perr++ }
    END { printf "%d %.3f %.3f %d %d %d %.3f %d %d %.3f %d\n", n, sortmed(t, n), max, slow, trunc, err, hmax, herr, pn, pmax, perr }' "$W/users-$1.txt"
}
# truthful TAG-START-LINE: ordinary fetches (staff 127.0.20.11-14) whose access line shows fewer
# bytes than the file and no "aborted" -> count
untruthful() {
  tail -n +"$1" "$W/sg/logs/access.jsonl" | grep -E '"client":"127\.0\.20\.1[1-4]"' | grep '"path":"/4m"' |
    grep -v '"aborted"' | grep -vc "\"bytes_down\":$BIG"
}
# RSS sampler in the background: RSS_PID, file $W/rss-TAG.txt
rss_sampler() {
  local f="$W/rss-$1.txt" secs=$2
  (for ((i = 0; i < secs * 2; i++)); do r=$(rss_kib "$SG_PID"); [[ -n $r ]] || break; echo "$r" >>"$f"; sleep 0.5; done) &
  RSS_PID=$!
}
rss_peak() { sort -n "$W/rss-$1.txt" 2>/dev/null | tail -1; }
oom_count() { grep -c -E 'OutOfDirectMemoryError|OutOfMemoryError' "$W/sg.err"; }
# schoolgate catches an OutOfDirectMemoryError on a connection and closes it without a word (nothing
# on stderr), so each load attack runs under a flight recording of thrown exceptions, started with
# jcmd on the running process (its JVM flags stay those of production); jfr_ood counts them.
JFC="$W/exceptions.jfc"
sed '/<event name="jdk.JavaExceptionThrow">/,/<\/event>/s#<setting name="enabled" control="enable-exceptions">false#<setting name="enabled" control="enable-exceptions">true#' \
  "$(dirname "$(readlink -f "$(command -v java)")")/../lib/jfr/default.jfc" >"$JFC" 2>/dev/null
jfr_start() { jcmd "$SG_PID" JFR.start name=hostile settings="$JFC" >/dev/null 2>&1; }
jfr_ood() { # -> number of OutOfDirectMemoryErrors thrown since jfr_start
  local f="$W/$1.jfr"
  jcmd "$SG_PID" JFR.dump name=hostile filename="$f" >/dev/null 2>&1
  jcmd "$SG_PID" JFR.stop name=hostile >/dev/null 2>&1
  jfr print --events jdk.JavaExceptionThrow,jdk.JavaErrorThrow "$f" 2>/dev/null | grep -c 'thrownClass = io.netty.util.internal.OutOfDirectMemoryError'
}

load_row() { # tag attack-label extra-verdict-ok(0/1) extra-note
  local tag=$1 label=$2 extra_ok=$3 note=${4:-} s n med max slow trunc err hmax herr pn pmax perr verdict=holds rss0=$5 rss1 peak
  read -r n med max slow trunc err hmax herr pn pmax perr <<<"$(summary "$tag")"
  rss1=$(rss_kib "$SG_PID"); peak=$(rss_peak "$tag")
  local ooms; ooms=$(oom_count)
  local lies; lies=$(untruthful "$6")
  [[ -d /proc/$SG_PID ]] || { verdict=BROKEN; note+=" schoolgate DIED"; }
  local ood; ood=$(jfr_ood "$tag")
  if ((n == 0 || slow > 0 || trunc > 0 || err > 0 || herr > 0 || perr > 0 || lies > 0 || ooms > OOMS_BEFORE || ood > 0)) ||
    [[ $(awk -v h="$hmax" -v p="$pmax" 'BEGIN{print (h > 2 || p > 2) ? 1 : 0}') == 1 || $extra_ok != 1 ]]; then
    verdict=BROKEN
  fi
  [[ $verdict == holds && $note == *inconclusive* ]] && verdict=inconclusive
  row "$label" "$(printf '%d fetches med %.2fs max %.2fs >2s %d trunc %d err %d; page max %.2fs err %d' \
    "$n" "$med" "$max" "$slow" "$trunc" "$err" "$pmax" "$perr")" "$(printf 'max %.2fs err %d' "$hmax" "$herr")" \
    "$(printf '%d->%d MiB pk %d' $((rss0 / 1024)) $((${rss1:-0} / 1024)) $((${peak:-0} / 1024)))" \
    "$verdict; OutOfDirectMemoryError: $ood thrown, $((ooms - OOMS_BEFORE)) on stderr; untruthful lines $lies${note:+; $note}"
}

# ------------------------------------------------------------------------------------------ attacks
atk_events() {
  # Every 403 for a circumvention attempt has its event in events.jsonl and /api/events, even
  # after kill -9 straight after the last 403.
  log "events: 20 tunnels to port 22 from 127.0.10.66, then kill -9 ..."
  local got=0 i code
  for ((i = 0; i < 20; i++)); do
    code=$(curl -s -o /dev/null -w '%{http_connect}' --max-time 5 --interface 127.0.10.66 -p -x http://127.0.0.1:$P_PROXY \
      http://allowed.test:22/ 2>/dev/null)
    [[ $code == 403 ]] && got=$((got + 1))
  done
  kill -KILL "$SG_PID"
  wait "$SG_PID" 2>/dev/null
  local fileev apiev
  SG_STARTS=$((SG_STARTS + 1))
  start_sg $SG_STARTS
  fileev=$(grep '"client":"127.0.10.66"' "$W/sg/logs/events.jsonl" | grep -c '"kind":"connect-port"')
  apiev=$(curl -s --interface 127.0.20.30 -u "$HEAD_USER:$HEAD_PW" \
    "http://127.0.0.1:$P_ADMIN/api/events?client=127.0.10.66&kind=connect-port&limit=100" | grep -o '"connect-port"' | wc -l)
  echo "events: 403s $got, events.jsonl $fileev, /api/events $apiev" | tee -a "$FUNCTIONAL" >&2
  row events "20 CONNECT :22 -> $got x 403; kill -9; events.jsonl $fileev, /api/events $apiev" "-" "restarted" \
    "$([[ $got -ge 1 && $fileev -ge $got && $apiev -ge $got ]] && echo holds || echo BROKEN)"
}

conns_from() { # address -> connections the proxy listener holds open from it (its side of them)
  ss -tnH state established "( sport = :$P_PROXY )" 2>/dev/null |
    awk -v a="$1" '{p = $4; sub(/^\[::ffff:/, "", p); sub(/\]?:[0-9]+$/, "", p); if (p == a) n++} END {print n + 0}'
}

atk_slowread() {
  # The issue's attack: about 400 connections from one address, each pipelining 10 GETs (slowhttptest's most) for the
  # 4 MiB file and reading 32 bytes every 5 s through a 512-1024 byte window.
  local tag=slowread rss0 line0 ok=1 note
  rss0=$(rss_kib "$SG_PID"); OOMS_BEFORE=$(oom_count); line0=$(($(wc -l <"$W/sg/logs/access.jsonl") + 1))
  log "slowread: slowhttptest -X -c 400 from 127.0.0.1 for $DUR s, ordinary users alongside ..."
  rss_sampler $tag $((DUR + 10))
  jfr_start
  timeout $((DUR + 30)) slowhttptest -X -c 400 -r 200 -k 10 -w 512 -y 1024 -n 5 -z 32 \
    -u "http://127.0.0.1:$P_NGINX/4m" -d 127.0.0.1:$P_PROXY -l "$DUR" -p 3 -g -o "$W/slowread" >"$W/slowread.out" 2>&1 &
  local atk=$!
  sleep 8
  local held; held=$(conns_from 127.0.0.1)
  users $tag $((DUR - 15))
  users_wait
  wait $atk
  wait $RSS_PID 2>/dev/null
  local aborted; aborted=$(tail -n +"$line0" "$W/sg/logs/access.jsonl" | grep '"client":"127.0.0.1"' | grep -c '"aborted"')
  note="attacker held $held conns; its lines with aborted: $aborted"
  ((held <= 256)) || ok=0
  load_row $tag "slowread -X c400" $ok "$note" "$rss0" "$line0"
}

atk_slowread_many() {
  # The same attack from two pupil addresses (two pupils, or one pupil's phone and laptop): 2 x 250
  # connections, each under the per-client limit, each pipelining 20 GETs for the 4 MiB file and
  # reading 32 bytes a second through a 4 KiB receive buffer.
  local tag=slowread-many rss0 line0
  rss0=$(rss_kib "$SG_PID"); OOMS_BEFORE=$(oom_count); line0=$(($(wc -l <"$W/sg/logs/access.jsonl") + 1))
  log "slowread-many: 2 addresses x 250 slow readers for $DUR s, ordinary users alongside ..."
  rss_sampler $tag $((DUR + 10))
  jfr_start
  timeout $((DUR + 60)) "${PY[@]}" slowread --proxy 127.0.0.1:$P_PROXY --sources 127.0.10.1-2 --per-source 250 \
    --url "http://allowed.test:$P_NGINX/4m" --pipeline 20 --seconds "$DUR" >"$W/slowread-many.out" 2>&1 &
  local atk=$!
  sleep 8
  users $tag $((DUR - 15))
  users_wait
  wait $atk
  wait $RSS_PID 2>/dev/null
  local closed; closed=$(tail -n +"$line0" "$W/sg/logs/access.jsonl" | grep '"client":"127\.0\.10\.[12]"' | grep -c '"aborted":"buffer-budget"')
  local cut; cut=$(tail -n +"$line0" "$W/sg/logs/access.jsonl" | grep -E '"client":"127\.0\.20\.1[1-4]"' | grep -o '"bytes_down":[0-9]*,"ms":[0-9]*,"aborted":"[a-z-]*"' | sed 's/,"ms":[0-9]*//' | sort | uniq -c | sort -rn | head -1 | xargs)
  grep -q 'stopping early' "$W/slowread-many.out" && cut="$cut; attack STOPPED EARLY by the kernel TCP memory guard: inconclusive"
  load_row $tag "slowread 2x250" 1 "attackers' lines aborted buffer-budget: $closed; commonest cut ordinary line: ${cut:-none}; $(tail -1 "$W/slowread-many.out")" "$rss0" "$line0"
}

atk_slowheaders() {
  # Two slowhttptest -H -c 10000 from one address, plus one dripped head from another pupil that
  # must be cut off with 408 about 30 s after its first byte.
  local tag=slowheaders rss0 line0 ok=1
  rss0=$(rss_kib "$SG_PID"); OOMS_BEFORE=$(oom_count); line0=$(($(wc -l <"$W/sg/logs/access.jsonl") + 1))
  log "slowheaders: 2 x slowhttptest -H -c 10000 from 127.0.0.1 for $DUR s, ordinary users alongside ..."
  rss_sampler $tag $((DUR + 10))
  jfr_start
  local a1 a2 i
  for i in 1 2; do
    timeout $((DUR + 30)) slowhttptest -H -c 10000 -r 1000 -i 10 -x 24 -u "http://allowed.test:$P_NGINX/" \
      -d 127.0.0.1:$P_PROXY -l "$DUR" -p 3 >"$W/slowheaders-$i.out" 2>&1 &
    eval a$i=$!
  done
  # the dripper: one header line every 5 s, from 127.0.10.77
  python3 - "$P_PROXY" >"$W/dripper.txt" 2>&1 <<'EOF' &
import socket, sys, time
s = socket.socket(); s.bind(("127.0.10.77", 0)); s.connect(("127.0.0.1", int(sys.argv[1])))
t0 = time.time(); s.sendall(b"GET http://allowed.test/ HTTP/1.1\r\n"); s.settimeout(0.5); got = b""; i = 0
while time.time() - t0 < 60:
    try:
        d = s.recv(4096)
        if not d:
            break
        got += d
    except socket.timeout:
        pass
    except OSError:
        break
    if time.time() - t0 > 5 * (i + 1):
        i += 1
        try:
            s.sendall(b"X-Drip-%d: a\r\n" % i)
        except OSError:
            break
print("dripper: %.1f s, got %r" % (time.time() - t0, got.split(b"\r\n")[0]))
EOF
  local drip=$!
  sleep 12
  local held; held=$(conns_from 127.0.0.1)
  users $tag $((DUR - 20))
  users_wait
  wait "$a1" "$a2" "$drip"
  wait $RSS_PID 2>/dev/null
  local d; d=$(cat "$W/dripper.txt")
  local secs; secs=$(sed -n 's/dripper: \([0-9.]*\) s.*/\1/p' "$W/dripper.txt")
  grep -q "408" <<<"$d" && awk -v s="${secs:-0}" 'BEGIN{exit !(s >= 29 && s <= 33)}' || ok=0
  ((held <= 256)) || ok=0
  load_row $tag "slowheaders 2xc10000" $ok "attacker held $held conns; $d" "$rss0" "$line0"
}

atk_slowheaders_many() {
  # Slowloris from 40 pupil addresses x 250 connections (10,000 connections, under each address's
  # limit of 256): the proxy's total (half the descriptors left after a reserve) is then reached.
  local tag=slowheaders-many rss0 line0
  rss0=$(rss_kib "$SG_PID"); OOMS_BEFORE=$(oom_count); line0=$(($(wc -l <"$W/sg/logs/access.jsonl") + 1))
  log "slowheaders-many: 40 addresses x 250 slow heads for $DUR s, ordinary users alongside ..."
  rss_sampler $tag $((DUR + 10))
  jfr_start
  timeout $((DUR + 60)) "${PY[@]}" slowhead --proxy 127.0.0.1:$P_PROXY --sources 127.0.10.1-40 --per-source 250 \
    --seconds "$DUR" >"$W/slowheaders-many.out" 2>&1 &
  local atk=$!
  sleep 10
  local held; held=$(ss -tnH state established "( sport = :$P_PROXY )" | grep -c '127\.0\.10\.')
  users $tag $((DUR - 15))
  users_wait
  wait $atk
  wait $RSS_PID 2>/dev/null
  load_row $tag "slowheaders 40x250" 1 "attackers held $held conns" "$rss0" "$line0"
}

atk_baseline() {
  # The same ordinary users for 20 s with no attack: what this (shared, 2-core) machine gives them now.
  local tag=baseline rss0 line0
  rss0=$(rss_kib "$SG_PID"); OOMS_BEFORE=$(oom_count); line0=$(($(wc -l <"$W/sg/logs/access.jsonl") + 1))
  log "baseline: ordinary users for 20 s, no attack ..."
  rss_sampler $tag 22
  jfr_start
  users $tag 20
  users_wait
  wait $RSS_PID 2>/dev/null
  load_row $tag "baseline (none)" 1 "load average $(cut -d' ' -f1-3 /proc/loadavg)" "$rss0" "$line0"
}

warmed=0
for a in "${ATTACKS[@]}"; do
  if [[ $a == slow* && $warmed == 0 ]]; then
    # a gateway in service has its JIT warm: 10 s of ordinary traffic first (not counted), then the baseline
    users warmup 10; users_wait
    atk_baseline
    warmed=1
  fi
  case $a in
    events) atk_events; warmed=0 ;;
    up) log "up: pid $SG_PID; touch $W/stop to end"; for ((i = 0; i < 1200; i++)); do [[ -f $W/stop ]] && break; sleep 1; done ;;
    slowread) atk_slowread ;;
    slowread-many) atk_slowread_many ;;
    slowheaders) atk_slowheaders ;;
    slowheaders-many) atk_slowheaders_many ;;
    *) functional "$a" ;;
  esac
  [[ -d /proc/$SG_PID ]] || { log "schoolgate died during $a: $(tail -3 "$W/sg.err")"; SG_STARTS=$((SG_STARTS + 1)); start_sg $SG_STARTS; }
  sleep 3
done

echo
printf '%-18s | %-62s | %-14s | %-22s | %s\n' attack "ordinary users (4 MiB fetches; other device's page)" "admin healthz" "schoolgate RSS" verdict
printf '%s\n' "$(printf '%.0s-' {1..160})"
cat "$TABLE"
echo
echo "details: $W (functional.txt, users-*.txt, sg.err, sg/logs/, nginx/access.log, origin.jsonl)"
grep -q -E 'BROKEN|inconclusive' "$TABLE" && exit 1
exit 0
