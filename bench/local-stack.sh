#!/usr/bin/env bash
# Measures the local stack's "first ten minutes" figures (issue #14) in one run and prints them as a
# Markdown table row set: up -> ready, one service's restart after kill -9, idle CPU and PSS per
# process group over a quiet minute, `slipway down`, and `down` followed at once by `up`.
#
#   bench/local-stack.sh [--ports BASE] [--idle-seconds N]
#
# Uses a fresh data directory under /tmp (removed at the end). Run it on a quiet machine: every
# figure is wall-clock or CPU time of this machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base=28100
idle=60
while [ $# -gt 0 ]; do
  case "$1" in
    --ports) base="$2"; shift 2 ;;
    --idle-seconds) idle="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
data="$(mktemp -d /tmp/slipway-bench.XXXXXX)"
out="$data/up.out"
hz=$(getconf CLK_TCK)
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
cli() { "$root/slipway" "$@" --data-dir "$data"; }
cleanup() { cli down >/dev/null 2>&1 || true; rm -rf "$data"; }
trap cleanup EXIT

# Builds first (not measured) so that `up` below measures only the platform.
"$root/slipway" --help >/dev/null

start_up() {
  : > "$out"
  cli up --ports "$base" >>"$out" 2>&1 &
  until grep -q '^ready:' "$out"; do
    if ! kill -0 $! 2>/dev/null; then cat "$out" >&2; echo "slipway up exited" >&2; exit 1; fi
    sleep 0.1
  done
}

# pid of a process group named in run/children (service, kafka, postgres), then its descendants.
pid_of() { awk -v n="$1" '$1 == n { print $2 }' "$data/run/children"; }
tree() {
  local p="$1"
  echo "$p"
  for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree "$c"; done
}
cpu_ticks() { # utime + stime of every process of the tree
  local sum=0
  for p in $(tree "$1"); do
    if [ -r /proc/"$p"/stat ]; then
      sum=$((sum + $(awk '{ print $14 + $15 }' /proc/"$p"/stat)))
    fi
  done
  echo "$sum"
}
self_ticks() { awk '{ print $14 + $15 }' /proc/"$1"/stat; }
pss_mib() { # proportional set size of the tree, MiB
  local kb=0
  for p in $(tree "$1"); do
    if [ -r /proc/"$p"/smaps_rollup ]; then
      kb=$((kb + $(awk '/^Pss:/ { print $2 }' /proc/"$p"/smaps_rollup)))
    fi
  done
  echo $((kb / 1024))
}

# Class-data archives (one per service build and JVM, ClassDataArchive) make starts after the first
# quicker; say whether this run's first start had them.
cds="${XDG_CACHE_HOME:-$HOME/.cache}/slipway/cds"
count_archives() {
  local n=0
  for f in "$cds"/*.jsa.size; do [ -e "$f" ] && n=$((n + 1)); done
  echo "$n"
}
archives=$(count_archives)

t0=$(now)
start_up
up_ready=$(secs "$t0" "$(now)")
up_pid=$(awk '{ print $2 }' "$data/run/up.pid")

groups="build-service test-service deploy-service promotion-service kafka postgres"
# A first start records the archives right after ready: not idle work, so wait for it.
for _ in $(seq 120); do [ "$(count_archives)" -ge 4 ] && break; sleep 1; done
sleep 10 # let start-up work (Flyway, first polls, JIT) settle before measuring idle
declare -A before
for g in $groups; do before[$g]=$(cpu_ticks "$(pid_of "$g")"); done
before[up]=$(self_ticks "$up_pid")
sleep "$idle"
total_cpu=0
total_pss=0
rows=""
for g in $groups up; do
  if [ "$g" = up ]; then
    # `up` alone: its children are the services and Kafka, counted in their own rows.
    ticks=$(( $(self_ticks "$up_pid") - ${before[$g]} ))
    pss=$(awk '/^Pss:/ { print int($2 / 1024) }' /proc/"$up_pid"/smaps_rollup)
  else
    pid=$(pid_of "$g")
    ticks=$(( $(cpu_ticks "$pid") - ${before[$g]} ))
    pss=$(pss_mib "$pid")
  fi
  pct=$(awk -v t="$ticks" -v hz="$hz" -v s="$idle" 'BEGIN { printf "%.1f", 100 * t / hz / s }')
  total_cpu=$(awk -v a="$total_cpu" -v b="$pct" 'BEGIN { print a + b }')
  total_pss=$((total_pss + pss))
  rows+="| $g | $pct % | $pss MiB |"$'\n'
done

victim=$(pid_of promotion-service)
t1=$(now)
kill -9 "$victim"
for _ in $(seq 3000); do grep -q 'promotion-service is ready again' "$out" && break; sleep 0.1; done
grep -q 'promotion-service is ready again' "$out" || { echo "no restart within 300 s" >&2; exit 1; }
restart=$(secs "$t1" "$(now)")

t2=$(now)
cli down >/dev/null
down=$(secs "$t2" "$(now)")
stopped=$(grep -o 'Stopped in .*' "$out" | tail -1)

t3=$(now)
start_up
again=$(secs "$t3" "$(now)")

cat <<EOF
machine: $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(java -version 2>&1 | head -1); load before the run: $(cut -d' ' -f1-3 /proc/loadavg)
commit: $(git -C "$root" rev-parse --short HEAD), $(date -u +%Y-%m-%d)

| measure | value |
|---|---|
| \`slipway up\` → ready (fresh data directory; ${archives} class-data archives in $cds) | ${up_ready} s |
| promotion-service kill -9 → ready again (supervisor restart) | ${restart} s |
| idle CPU of the whole stack over ${idle} s | ${total_cpu} % of one core |
| PSS of the idle stack | ${total_pss} MiB |
| \`slipway down\` (command returns) | ${down} s (up: ${stopped}) |
| \`down\` then \`up\` at once → ready | ${again} s |

| process (with its children) | idle CPU | PSS |
|---|---|---|
${rows}
EOF
