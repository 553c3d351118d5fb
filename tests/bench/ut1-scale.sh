#!/usr/bin/env bash
# SPEC 13 "Scale": UT1's school categories (5.3 million domains, adult 4.6 million) in at most
# 12 bytes a domain, loaded into a new index in at most 5 s on one core, swapped while traffic
# flows with the p99 within 1.5x normal, two sets in the production heap (-Xmx256m).
#
#   tests/bench/ut1-scale.sh [generate|load|swap|all] [--runs N] [--rounds R] [--duration S]
#
# generate: a UT1-shaped archive of real size, tests/target/bench-extras/ut1-bench.tar.gz
#   (tests/jmh Ut1Archive: blacklists/CATEGORY/domains, deterministic), then the blocklists
#   folder a school running the shipped UT1 subscription would hold: ut1-lists/CATEGORY/domains,
#   each schoolgate category the UT1 categories the shipped map puts in it (README, "UT1
#   categories") plus the shipped starter file; the other shipped lists as they are.
# load: N (3) JVMs, each `taskset -c 1` with -XX:ActiveProcessorCount=1 and the production
#   heap flags, each loading the folder 5 times through Blocklists.load (tests/jmh Ut1Load):
#   load ms (min/median) and JOL's retained size per domain.
# swap: tests/bench/extras.sh ut1-swap --lists ut1-lists (wrk through the proxy, p99 normal
#   vs during a swap, production JVM flags, R rounds = R swaps).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
CMD=${1:-all}; shift || true
RUNS=3 ROUNDS=3 DURATION=15
while (($#)); do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    *) sed -n '2,19p' "$0"; die "unknown argument $1" ;;
  esac
done
X="$ROOT/tests/target/bench-extras"
BJAR="$ROOT/tests/jmh/target/benchmarks.jar"
ARCHIVE="$X/ut1-bench.tar.gz"
LISTS="$X/ut1-lists"
mkdir -p "$X"
# schoolgate category <- UT1 categories (the shipped subscription's map, config/schoolgate.yaml)
MAP=(
  "adult:adult mixed_adult"
  "gambling:gambling arjel"
  "drugs:drogue"
  "discrimination:agressif"
  "violence:dangerous_material"
  "malware:malware phishing cryptojacking hacking ddos stalkerware"
  "piracy:warez"
  "dating:dating"
  "circumvention:vpn redirector doh residential-proxies"
  "social:social_networks"
  "chat:chat"
  "forums:forums"
)
PROD_HEAP=$(sed -n 's#^ExecStart=/usr/bin/java \(.*\) -jar .*#\1#p' "$ROOT/config/schoolgate.service")

generate() {
  [[ -f $BJAR && -f $JAR ]] || (cd "$ROOT" && mvn -B -q -pl proxy,tests/jmh -am package -DskipTests) || die "build failed"
  if [[ ! -s $ARCHIVE ]]; then
    rm -rf "$X/ut1-src" && mkdir -p "$X/ut1-src"
    log "generating the UT1-shaped folder ..."
    java -Xmx2g -cp "$BJAR" org.schoolgate.bench.Ut1Archive "$X/ut1-src" || die "generation failed"
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$X/ut1-src" -cf - blacklists | gzip -n >"$ARCHIVE"
    rm -rf "$X/ut1-src"
  fi
  log "archive: $ARCHIVE ($(du -m "$ARCHIVE" | cut -f1) MiB, sha256 $(sha256sum "$ARCHIVE" | cut -c1-16)...)"
  rm -rf "$LISTS" "$X/ut1-x" && mkdir -p "$LISTS" "$X/ut1-x"
  tar -xzf "$ARCHIVE" -C "$X/ut1-x"
  cp "$ROOT"/blocklists/*.txt "$LISTS/"
  local entry cat src
  for entry in "${MAP[@]}"; do
    cat=${entry%%:*}
    mkdir -p "$LISTS/$cat"
    for src in ${entry#*:}; do cat "$X/ut1-x/blacklists/$src/domains"; done >"$LISTS/$cat/domains"
    if [[ -f $LISTS/$cat.txt ]]; then cat "$LISTS/$cat.txt" >>"$LISTS/$cat/domains"; rm "$LISTS/$cat.txt"; fi
  done
  rm -rf "$X/ut1-x"
  log "lists: $LISTS ($(cat "$LISTS"/*/domains | wc -l) lines in folders)"
}

load() {
  [[ -d $LISTS ]] || generate
  local r
  for ((r = 1; r <= RUNS; r++)); do
    log "load JVM $r/$RUNS (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    # shellcheck disable=SC2086
    taskset -c 1 java -XX:ActiveProcessorCount=1 $PROD_HEAP -cp "$BJAR" org.schoolgate.policy.Ut1Load "$LISTS" 5 \
      | tee "$X/ut1-load-$r.txt"
  done
  log "load ms (min, median) per JVM: $(grep -h '^load ms' "$X"/ut1-load-*.txt | sed 's/load ms: //' | paste -sd';')"
}

case "$CMD" in
  generate) generate ;;
  load) load ;;
  swap) [[ -d $LISTS ]] || generate; "$HERE/extras.sh" ut1-swap --lists "$LISTS" --rounds "$ROUNDS" --duration "$DURATION" ;;
  all) generate; load; "$HERE/extras.sh" ut1-swap --lists "$LISTS" --rounds "$ROUNDS" --duration "$DURATION" ;;
  *) sed -n '2,19p' "$0"; exit 2 ;;
esac
