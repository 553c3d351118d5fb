# Shared by run-schoolgate.sh and extras.sh (sourced). Starts and stops schoolgate on a bench
# configuration; tracks every process these scripts start, and stops exactly those, by pid.
# shellcheck shell=bash

HERE="${HERE:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
ROOT="$(cd "$HERE/../.." && pwd)"
JAR="$ROOT/proxy/target/schoolgate.jar"
CONFIG="${SG_BENCH_CONFIG:-$HERE/schoolgate-bench.yaml}"   # SG_BENCH_CONFIG: another configuration (e.g. one an older jar reads)
WORK="$ROOT/tests/target/bench-run"
OWN_PORTS=(19128 19129 19130 19088)

# JVM flags for the benchmark (docs/performance.md explains each):
#   -Xms64m -Xmx512m   the heap bounds the harness gives the LittleProxy peers
#   -XX:+UseSerialGC   one core per proxy when pinned: no parallel GC threads fighting the event loop
#   -Xss512k           event-loop and logging stacks are shallow
#   -XX:PretenureSizeThreshold=1m  arrays over 1 MiB (a reloading list's index) go straight to the
#                      old generation instead of being copied by every young collection
DEFAULT_JAVA_OPTS="-Xms64m -Xmx512m -XX:+UseSerialGC -XX:PretenureSizeThreshold=1m -Xss512k"
JAVA_OPTS_SG="${SCHOOLGATE_JAVA_OPTS:-$DEFAULT_JAVA_OPTS}"
JAVA_OPTS_EXTRA="${SCHOOLGATE_JAVA_OPTS_EXTRA:-}"   # appended, e.g. -XX:StartFlightRecording=...

log() { printf '[schoolgate-bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

STARTED=()   # "name pid", in start order
stop_one() { # name pid
  local i
  [[ -n ${2:-} && -d /proc/$2 ]] || return 0
  kill -TERM "$2" 2>/dev/null || return 0
  for ((i = 0; i < 150; i++)); do [[ -d /proc/$2 ]] || { log "stopped $1 (pid $2)"; return 0; }; sleep 0.1; done
  log "$1 (pid $2) still up 15 s after TERM: KILL"
  kill -KILL "$2" 2>/dev/null || true
}
stop_started() {
  local k
  for ((k = ${#STARTED[@]} - 1; k >= 0; k--)); do stop_one ${STARTED[$k]}; done
  STARTED=()
}
install_cleanup() {
  trap 'trap - EXIT INT TERM; stop_started' EXIT
  trap 'log interrupted; exit 130' INT TERM
}

build_if_missing() {
  command -v java >/dev/null || die "java not found (apt-get install openjdk-17-jdk-headless)"
  if [[ ! -f $JAR ]]; then
    log "building $JAR (mvn -B -q package -DskipTests) ..."
    (cd "$ROOT" && mvn -B -q package -DskipTests) || die "build failed"
  fi
}

ports_free() {
  local p
  for p in "$@"; do
    ss -ltnH "sport = :$p" 2>/dev/null | grep -q . && die "port $p is already in use"
  done
  return 0
}

# sg_start CONFIG [CPUS]: starts schoolgate (under taskset -c CPUS if given), waits for the
# ready line; sets SG_PID and SG_LOG.
sg_start() {
  local config=$1 cpus=${2:-} i prefix=()
  ports_free "${OWN_PORTS[@]}"
  mkdir -p "$WORK"
  SG_LOG="$WORK/schoolgate.log"
  [[ -n $cpus ]] && prefix=(taskset -c "$cpus")
  log "starting schoolgate: ${prefix[*]} java $JAVA_OPTS_SG $JAVA_OPTS_EXTRA -jar $JAR run --config $config"
  # shellcheck disable=SC2086
  "${prefix[@]}" java $JAVA_OPTS_SG $JAVA_OPTS_EXTRA -jar "$JAR" run --config "$config" >"$SG_LOG" 2>&1 &
  SG_PID=$!
  STARTED+=("schoolgate $SG_PID")
  for ((i = 0; i < 600; i++)); do
    grep -q '^schoolgate ready:' "$SG_LOG" 2>/dev/null && break
    [[ -d /proc/$SG_PID ]] || { tail -n 20 "$SG_LOG" >&2; die "schoolgate exited before it was ready"; }
    sleep 0.1
  done
  grep -q '^schoolgate ready:' "$SG_LOG" || { tail -n 20 "$SG_LOG" >&2; die "schoolgate not ready after 60 s"; }
  log "$(grep '^schoolgate ready:' "$SG_LOG") (pid $SG_PID, log $SG_LOG)"
}

sg_stop() {
  local k
  stop_one schoolgate "$SG_PID"
  for ((k = 0; k < ${#STARTED[@]}; k++)); do [[ ${STARTED[$k]} == "schoolgate $SG_PID" ]] && unset "STARTED[$k]"; done
  STARTED=("${STARTED[@]}")
}

rss_kib() { awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null; }
hwm_kib() { awk '/^VmHWM:/{print $2}' "/proc/$1/status" 2>/dev/null; }
# user+system clock ticks of one process (all its threads) and of its children that have been reaped
cpu_ticks() { local f; f=$(cut -d')' -f2- "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }; set -- $f; echo $((${12} + ${13} + ${14} + ${15})); }

# The upstream's files: /small (1 KiB) and /big (100 MiB), made once per folder.
make_www() {
  local www=$1
  mkdir -p "$www"
  [[ $(stat -c %s "$www/small" 2>/dev/null) == 1024 ]] || head -c 1024 /dev/zero | tr '\0' 'x' >"$www/small"
  [[ $(stat -c %s "$www/big" 2>/dev/null) == 104857600 ]] || head -c 104857600 /dev/urandom >"$www/big"
  chmod -R a+rX "$www"
}

# squid_conf DIR [PORT]: the squid.conf of the standalone comparison (no cache, access log on,
# one process, DNS pinned to loopback), with its state in DIR.
squid_conf() {
  local dir=$1 port=${2:-13128}
  cat <<EOC
http_port 127.0.0.1:$port
pid_filename $dir/squid.pid
cache_log $dir/cache.log
access_log stdio:$dir/access.log
cache deny all
cache_mem 8 MB
cache_store_log none
logfile_rotate 0
coredump_dir $dir
cache_effective_user proxy
visible_hostname bench-squid
dns_nameservers 127.0.0.1
pinger_enable off
forwarded_for delete
via on
shutdown_lifetime 1 seconds
max_filedescriptors 16384
acl localnet src 127.0.0.0/8
acl SSL_ports port 443 18080 18085
acl Safe_ports port 80 443 18080 18085
acl CONNECT method CONNECT
http_access deny !Safe_ports
http_access deny CONNECT !SSL_ports
http_access allow localnet
http_access deny all
EOC
}

# The start of an nginx.conf for a bench upstream whose state lives in DIR (up to "http {" and its settings).
nginx_preamble() {
  local dir=$1 conns=${2:-4096}
  cat <<EOC
worker_processes 1;
worker_rlimit_nofile $((conns * 2 + 64));
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections $conns; }
http {
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 1000000; keepalive_timeout 60s;
  client_body_temp_path $dir; proxy_temp_path $dir; fastcgi_temp_path $dir;
  uwsgi_temp_path $dir; scgi_temp_path $dir;
EOC
}
