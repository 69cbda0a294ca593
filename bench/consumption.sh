#!/usr/bin/env bash
# Load test of the hot path POST /api/v1/accounts/{id}/consumptions over loopback with wrk, three ways in one run:
#   real    the app itself (published, Release) with every rule on: API key, idempotency key, cap, assigned list,
#           lots in R1 order, ledger entries, usage counters, thresholds
#   kestrel a bare Kestrel endpoint that parses the same JSON and stores nothing
#   sqlite  a bare endpoint doing the consumption's SQLite writes (idempotency lookup, insert consumption, update lot,
#           insert ledger entry, upsert daily usage), one transaction per request, WAL + synchronous=NORMAL
# Prints accepted consumptions/s, p50/p99 latency and the ratios. Not a test: ./test.sh never runs it.
#
# Usage: bench/consumption.sh        (env: CONNECTIONS=32 THREADS=2 DURATION=20s WARMUP=5s BASE_PORT=5710 OUT=/tmp/creditportal-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
BASE_PORT=${BASE_PORT:-5710}
OUT=${OUT:-/tmp/creditportal-bench}
SUPPORT_KEY=bench-support-key-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')

if ! command -v wrk >/dev/null 2>&1; then
  echo "bench: installing wrk"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >/dev/null \
    || { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >/dev/null; }
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
rm -rf "$OUT"; mkdir -p "$OUT"
echo "bench: publishing the app and building the comparison endpoints (Release)"
dotnet publish CreditPortal -c Release -o "$OUT/app" -nologo -clp:ErrorsOnly >/dev/null
dotnet publish CreditPortal.Benchmarks -c Release -o "$OUT/bench" -nologo -clp:ErrorsOnly >/dev/null
bench="$OUT/bench/CreditPortal.Benchmarks"

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
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout 10s -s bench/consumption.lua "$2" -- "$3" "$4" "$5" "warm-$1" >/dev/null
}

# run_wrk NAME URL PATH LIST KEY → sets requests duration_us non2xx socket_errors p50_us p99_us
run_wrk() {
  local result
  result=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s bench/consumption.lua "$2" -- "$3" "$4" "$5" "run-$1" \
    | tee "$OUT/wrk-$1.txt" | grep '^RESULT')
  eval "${result#RESULT }"
}

declare -A rate p50 p99 note

# --- real app ---------------------------------------------------------------------------------------------
url="http://127.0.0.1:$BASE_PORT"
(cd "$OUT/app" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__CreditPortal="Data Source=$OUT/real.db" \
  Bootstrap__SupportApiKey="$SUPPORT_KEY" Demo__Seed=false Logging__LogLevel__Default=Warning \
  ./CreditPortal --urls "$url" >"$OUT/real.log" 2>&1) &
server_pid=$!
wait_healthy "$url" "$OUT/real.log"
eval "$("$bench" setup "$url" "$SUPPORT_KEY")"
path="/api/v1/accounts/$ACCOUNT/consumptions"
wrk -t1 -c1 -d1s -s bench/consumption.lua "$url" -- "$path" "$LIST" "$KEY" "probe" | grep -q 'non2xx=0 ' \
  || { echo "bench: the real app refused the benchmark request:"; curl -s -XPOST -H "Authorization: Bearer $KEY" "$url$path" \
       -d "{\"channel\":\"Email\",\"listId\":$LIST,\"quantity\":1,\"idempotencyKey\":\"probe-x\"}"; exit 1; }
warm_up real "$url" "$path" "$LIST" "$KEY"
before=$("$bench" count "$OUT/real.db")
run_wrk real "$url" "$path" "$LIST" "$KEY"
after=$("$bench" count "$OUT/real.db")
accepted=$((after - before))
rate[real]=$(awk -v a="$accepted" -v d="$duration_us" 'BEGIN { printf "%.0f", a / (d / 1e6) }')
p50[real]=$p50_us; p99[real]=$p99_us
note[real]="$accepted accepted of $requests answered, non-2xx $non2xx, socket errors $socket_errors"
stop_server

# --- bare Kestrel, stores nothing -------------------------------------------------------------------------
url="http://127.0.0.1:$((BASE_PORT + 1))"
"$bench" bare "$url" >"$OUT/kestrel.log" 2>&1 &
server_pid=$!
wait_healthy "$url" "$OUT/kestrel.log"
warm_up kestrel "$url" /api/v1/accounts/1/consumptions 1 none
run_wrk kestrel "$url" /api/v1/accounts/1/consumptions 1 none
accepted=$((requests - non2xx))
rate[kestrel]=$(awk -v a="$accepted" -v d="$duration_us" 'BEGIN { printf "%.0f", a / (d / 1e6) }')
p50[kestrel]=$p50_us; p99[kestrel]=$p99_us
note[kestrel]="$accepted answered 201 of $requests, socket errors $socket_errors"
stop_server

# --- bare endpoint + SQLite writes -----------------------------------------------------------------------
url="http://127.0.0.1:$((BASE_PORT + 2))"
"$bench" sqlite "$url" "$OUT/sqlite.db" >"$OUT/sqlite.log" 2>&1 &
server_pid=$!
wait_healthy "$url" "$OUT/sqlite.log"
warm_up sqlite "$url" /api/v1/accounts/1/consumptions 1 none
before=$("$bench" count "$OUT/sqlite.db")
run_wrk sqlite "$url" /api/v1/accounts/1/consumptions 1 none
after=$("$bench" count "$OUT/sqlite.db")
accepted=$((after - before))
rate[sqlite]=$(awk -v a="$accepted" -v d="$duration_us" 'BEGIN { printf "%.0f", a / (d / 1e6) }')
p50[sqlite]=$p50_us; p99[sqlite]=$p99_us
note[sqlite]="$accepted stored of $requests answered, non-2xx $non2xx, socket errors $socket_errors"
stop_server

# --- table ------------------------------------------------------------------------------------------------
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "POST /api/v1/accounts/{id}/consumptions — $CONNECTIONS connections, $THREADS wrk threads, $DURATION (after $WARMUP warm-up)"
echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %14s %10s %10s\n' "endpoint" "accepted/s" "p50 ms" "p99 ms"
printf '%-34s %14s %10s %10s\n' "(a) real app, all rules" "${rate[real]}" "$(ms "${p50[real]}")" "$(ms "${p99[real]}")"
printf '%-34s %14s %10s %10s\n' "(b) bare Kestrel, stores nothing" "${rate[kestrel]}" "$(ms "${p50[kestrel]}")" "$(ms "${p99[kestrel]}")"
printf '%-34s %14s %10s %10s\n' "(c) bare + SQLite, tx per request" "${rate[sqlite]}" "$(ms "${p50[sqlite]}")" "$(ms "${p99[sqlite]}")"
echo "ratios: real/sqlite $(ratio "${rate[real]}" "${rate[sqlite]}")   real/kestrel $(ratio "${rate[real]}" "${rate[kestrel]}")   sqlite/kestrel $(ratio "${rate[sqlite]}" "${rate[kestrel]}")"
for k in real kestrel sqlite; do echo "  $k: ${note[$k]}"; done
echo "(raw wrk output and server logs in $OUT)"
