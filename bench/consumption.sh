#!/usr/bin/env bash
# Load test of the hot path POST /api/v1/accounts/{id}/consumptions over loopback with wrk, three (or four) ways in one run:
#   real    the app itself (published, Release) with every rule on: API key, idempotency key, cap, assigned list,
#           lots in R1 order, ledger entries, usage counters, thresholds
#   before  with BEFORE=<git revision>: the same app built from that revision (git archive, published in Release),
#           measured in the same rounds as "real", alternating with it, so both see the same machine
#   kestrel a bare Kestrel endpoint that parses the same JSON and stores nothing
#   sqlite  a bare endpoint doing the consumption's SQLite writes (idempotency lookup, insert consumption, update lot,
#           insert ledger entry, upsert daily usage), one transaction per request, WAL + synchronous=NORMAL
# Prints accepted consumptions/s, p50/p99 latency and the ratios. Not a test: ./test.sh never runs it.
#
# Also prints the server's CPU time per accepted consumption (user+system, from /proc): on a shared machine the
# rates move with the neighbours' load, the CPU cost much less. With ROUNDS>1 the three run in turn ROUNDS times
# and the table shows each figure's median. The machine's load average is printed with every round: on a shared machine,
# compare the CPU cost and the interleaved before/after rather than the rates.
#
# Usage: bench/consumption.sh   (env: ROUNDS=1 CONNECTIONS=32 THREADS=2 DURATION=20s WARMUP=15s BASE_PORT=5710
#                                OUT=/tmp/creditportal-bench BEFORE=<git revision> SQLITE=1 (0 skips the (c) endpoint)
#                                PREVIEW=1 (0 skips the dry run POST .../consumptions/preview on the real app, and on
#                                the BEFORE app when there is one)
#                                PROFILE=1: dotnet-trace samples the real app during round 1's measured run and prints
#                                the hottest methods (needs `dotnet tool install -g dotnet-trace`))
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

ROUNDS=${ROUNDS:-1}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
DURATION=${DURATION:-20s}
# 15 s: the app JIT-compiles about 24,000 methods, and tiered compilation still took 8.7% of its CPU in a measured run
# that followed a 5 s warm-up (perf, 2026-12-02); after 15 s under load it compiles a few methods a second. Every
# endpoint gets the same warm-up, so the bare endpoint (a few hundred methods) is not favoured either way.
WARMUP=${WARMUP:-15s}
BASE_PORT=${BASE_PORT:-5710}
OUT=${OUT:-/tmp/creditportal-bench}
BEFORE=${BEFORE:-}
SQLITE=${SQLITE:-1}
PREVIEW=${PREVIEW:-1}
SUPPORT_KEY=bench-support-key-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')

if ! command -v wrk >/dev/null 2>&1; then
  echo "bench: installing wrk"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >/dev/null \
    || { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >/dev/null; }
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export PATH="$PATH:$HOME/.dotnet/tools"  # where `dotnet tool install -g dotnet-trace` puts it (PROFILE=1)
# REUSE=1: measure the builds a previous run published into $OUT again (A/B runs in a short quiet window).
if [ "${REUSE:-0}" = 1 ] && [ -x "$OUT/app/CreditPortal" ]; then
  echo "bench: reusing the builds in $OUT"; rm -f "$OUT"/*.rounds "$OUT"/*.db*
else
rm -rf "$OUT"; mkdir -p "$OUT"
echo "bench: publishing the app and building the comparison endpoints (Release)"
dotnet publish CreditPortal -c Release -o "$OUT/app" -nologo -clp:ErrorsOnly >/dev/null
dotnet publish CreditPortal.Benchmarks -c Release -o "$OUT/bench" -nologo -clp:ErrorsOnly >/dev/null
fi
bench="$OUT/bench/CreditPortal.Benchmarks"
if [ -n "$BEFORE" ] && [ ! -x "$OUT/before-app/CreditPortal" ]; then
  echo "bench: publishing the app as of $BEFORE ($(git log -1 --format='%h %s' "$BEFORE" | cut -c1-70))"
  mkdir -p "$OUT/before-src"
  git archive "$BEFORE" | tar -x -C "$OUT/before-src"
  (cd "$OUT/before-src" && dotnet publish CreditPortal -c Release -o "$OUT/before-app" -nologo -clp:ErrorsOnly >/dev/null)
fi

server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT

wait_healthy() {  # URL LOG
  for _ in $(seq 1 120); do
    curl -fsS "$1/health" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || { echo "bench: server died:"; cat "$2"; exit 1; }
    sleep 0.5
  done
  echo "bench: server at $1 did not come up"; cat "$2"; exit 1
}

# warm_up NAME URL PATH LIST KEY: the same load, not measured (JIT, caches, connection pools)
warm_up() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout 10s -s bench/consumption.lua "$2" -- "$3" "$4" "$5" "warm-$1-$round" >/dev/null
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }

# measure NAME URL PATH LIST KEY COUNT_DB: warm-up, then the measured run; appends one line to $OUT/NAME.rounds:
# accepted/s p50_us p99_us cpu_ms_per_accepted accepted requests non2xx socket_errors load1
measure() {
  local name=$1 url=$2 path=$3 list=$4 key=$5 db=$6 result before after cpu_before cpu_after accepted
  warm_up "$name" "$url" "$path" "$list" "$key"
  [ -n "$db" ] && before=$("$bench" count "$db")
  cpu_before=$(cpu_ticks)
  local tracer=""
  if [ "${PROFILE:-0}" = 1 ] && [ "$name" = real ] && [ "$round" = 1 ]; then
    dotnet-trace collect -p "$server_pid" --profile dotnet-sampled-thread-time --duration 00:00:00:15 -o "$OUT/real.nettrace" >"$OUT/trace.log" 2>&1 &
    tracer=$!
  fi
  result=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s bench/consumption.lua "$url" \
    -- "$path" "$list" "$key" "run-$name-$round" | tee "$OUT/wrk-$name-$round.txt" | grep '^RESULT')
  cpu_after=$(cpu_ticks)
  [ -n "$tracer" ] && wait "$tracer"
  eval "${result#RESULT }"
  if [ -n "$db" ]; then after=$("$bench" count "$db"); accepted=$((after - before)); else accepted=$((requests - non2xx)); fi
  awk -v a="$accepted" -v d="$duration_us" -v p50="$p50_us" -v p99="$p99_us" -v c="$((cpu_after - cpu_before))" -v hz="$(getconf CLK_TCK)" \
    -v r="$requests" -v n="$non2xx" -v e="$socket_errors" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "%.0f %d %d %.3f %d %d %d %d %s\n", a / (d / 1e6), p50, p99, (c * 1000 / hz) / a, a, r, n, e, l }' >>"$OUT/$name.rounds"
}

run_real() {  # [NAME APPDIR]: "real" from $OUT/app by default, "before" from $OUT/before-app
  local name=${1:-real} app=${2:-$OUT/app}
  local url="http://127.0.0.1:$BASE_PORT" db="$OUT/$name-$round.db"
  # "Staging": production settings, but the test payment provider (refused in Production) may buy the setup's pack.
  # REAL_ENV / BEFORE_ENV: extra environment for one side (runtime settings tried A/B on the same build).
  local extra=""; [ "$name" = real ] && extra=${REAL_ENV:-}; [ "$name" = before ] && extra=${BEFORE_ENV:-}
  (cd "$app" && exec env $extra ASPNETCORE_ENVIRONMENT=Staging Payments__Provider=Test ConnectionStrings__CreditPortal="Data Source=$db" \
    Bootstrap__SupportApiKey="$SUPPORT_KEY" Demo__Seed=false Logging__LogLevel__Default=Warning \
    RateLimits__ApiBurst=100000000 RateLimits__ApiPerSecond=100000000 \
    ./CreditPortal --urls "$url" >"$OUT/$name-$round.log" 2>&1) &
  server_pid=$!
  wait_healthy "$url" "$OUT/$name-$round.log"
  eval "$("$bench" setup "$url" "$SUPPORT_KEY")"
  local path="/api/v1/accounts/$ACCOUNT/consumptions"
  wrk -t1 -c1 -d1s -s bench/consumption.lua "$url" -- "$path" "$LIST" "$KEY" "probe-$round" | grep -q 'non2xx=0 ' \
    || { echo "bench: the real app refused the benchmark request:"; curl -s -XPOST -H "Authorization: Bearer $KEY" "$url$path" \
         -d "{\"channel\":\"Email\",\"listId\":$LIST,\"quantity\":1,\"idempotencyKey\":\"probe-x\"}"; exit 1; }
  measure "$name" "$url" "$path" "$LIST" "$KEY" "$db"
  # The dry run (issue #17) on the same app and account right after: it reads the cached wallet and writes nothing,
  # so its p99 shows what a sender's "will this pass?" costs under the same load (target <= 2 ms).
  [ "$name" = real ] && [ "$PREVIEW" = 1 ] && measure preview "$url" "$path/preview" "$LIST" "$KEY" ""
  [ "$name" = before ] && [ "$PREVIEW" = 1 ] && measure before-preview "$url" "$path/preview" "$LIST" "$KEY" ""
  stop_server
}

run_kestrel() {
  local url="http://127.0.0.1:$((BASE_PORT + 1))"
  "$bench" bare "$url" >"$OUT/kestrel-$round.log" 2>&1 &
  server_pid=$!
  wait_healthy "$url" "$OUT/kestrel-$round.log"
  measure kestrel "$url" /api/v1/accounts/1/consumptions 1 none ""
  stop_server
}

run_sqlite() {
  local url="http://127.0.0.1:$((BASE_PORT + 2))" db="$OUT/sqlite-$round.db"
  "$bench" sqlite "$url" "$db" >"$OUT/sqlite-$round.log" 2>&1 &
  server_pid=$!
  wait_healthy "$url" "$OUT/sqlite-$round.log"
  measure sqlite "$url" /api/v1/accounts/1/consumptions 1 none "$db"
  stop_server
}

endpoints="real kestrel"
[ "$PREVIEW" = 1 ] && endpoints="real preview kestrel"
[ -n "$BEFORE" ] && endpoints="before $endpoints"
[ -n "$BEFORE" ] && [ "$PREVIEW" = 1 ] && endpoints="before-preview $endpoints"
[ "$SQLITE" = 1 ] && endpoints="$endpoints sqlite"
for round in $(seq 1 "$ROUNDS"); do
  echo "bench: round $round of $ROUNDS (load $(cut -d' ' -f1-3 /proc/loadavg))"
  # Alternate which build goes first, so neither always meets the same moment of a neighbour's load.
  if [ -n "$BEFORE" ] && [ $((round % 2)) -eq 0 ]; then run_real; run_real before "$OUT/before-app"
  elif [ -n "$BEFORE" ]; then run_real before "$OUT/before-app"; run_real
  else run_real; fi
  run_kestrel
  [ "$SQLITE" = 1 ] && run_sqlite
done

# --- table: the median of each column over the rounds --------------------------------------------------------
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { cut -d' ' -f"$2" "$OUT/$1.rounds" | median; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "POST /api/v1/accounts/{id}/consumptions: $CONNECTIONS connections, $THREADS wrk threads, $DURATION after $WARMUP warm-up, median of $ROUNDS round(s)"
echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-36s %11s %8s %8s %14s %13s\n' "endpoint" "accepted/s" "p50 ms" "p99 ms" "CPU ms/accept" "/ kestrel"
for k in $endpoints; do
  case $k in
    real) label="(a) real app, all rules" ;;
    preview) label="(a') dry run (preview), same app" ;;
    before) label="(a0) real app as of ${BEFORE:0:12}" ;;
    before-preview) label="(a0') dry run as of ${BEFORE:0:12}" ;;
    kestrel) label="(b) bare Kestrel, stores nothing" ;;
    sqlite) label="(c) bare + SQLite, tx per request" ;;
  esac
  printf '%-36s %11.0f %8s %8s %14.3f %13s\n' "$label" "$(col $k 1)" "$(ms "$(col $k 2)")" "$(ms "$(col $k 3)")" "$(col $k 4)" \
    "$(ratio "$(col $k 1)" "$(col kestrel 1)")"
done
if [ -n "$BEFORE" ]; then
  echo "after/before: accepted/s $(ratio "$(col real 1)" "$(col before 1)")x, CPU ms per accepted $(ratio "$(col before 4)" "$(col real 4)")x less"
fi
[ "$SQLITE" = 1 ] && echo "real/sqlite (accepted/s): $(ratio "$(col real 1)" "$(col sqlite 1)")"
echo "per round (accepted/s p50_us p99_us cpu_ms accepted answered non2xx socket_errors load1):"
for k in $endpoints; do sed "s/^/  $k: /" "$OUT/$k.rounds"; done
echo "(raw wrk output and server logs in $OUT)"
if [ -f "$OUT/real.nettrace" ]; then
  echo; echo "profile of the real app, round 1 (dotnet-trace cpu-sampling, 15 s under load): hottest methods, inclusive"
  dotnet-trace report "$OUT/real.nettrace" topN -n 40 --inclusive 2>&1 | cut -c1-160
  echo; echo "exclusive"
  dotnet-trace report "$OUT/real.nettrace" topN -n 30 2>&1 | cut -c1-160
fi
