#!/usr/bin/env bash
# Issue #16: the hot path POST /api/v1/accounts/{id}/consumptions (bench/consumption.lua, wrk over loopback) on the
# real app (published, Release), in one run:
#   sqlite    one instance on SQLite (the default)
#   pg-1      one instance on PostgreSQL
#   pg-2      two instances on the same PostgreSQL database, each loaded by its own wrk with half the connections, on
#             an account of its own (the scaling case: different accounts never wait for each other)
#   pg-2-one  two instances, both on ONE account (the contended case: PostgreSQL serializes their batches by its row lock)
# PostgreSQL is a throwaway cluster made here (initdb/pg_ctl as the unprivileged postgres user when run as root) with
# durable commits (fsync and synchronous_commit on, as in production), deleted afterwards. Accepted consumptions are
# counted in the database; with two instances the p99 shown is the worse of the two wrk runs.
# Usage: bench/instances.sh (env: REUSE=1 keeps an app published before in OUT, ROUNDS=1 CONNECTIONS=32 THREADS=2 DURATION=20s WARMUP=5s BASE_PORT=5730 OUT=/tmp/creditportal-instances)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-1}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
BASE_PORT=${BASE_PORT:-5730}
OUT=${OUT:-/tmp/creditportal-instances}
PG_PORT=$((BASE_PORT + 9))
SUPPORT_KEY=bench-support-key-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
command -v wrk >/dev/null 2>&1 || { echo "bench: needs wrk (bench/consumption.sh installs it)"; exit 1; }
pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ "${REUSE:-0}" = 1 ] && [ -x "$OUT/app/CreditPortal" ] && [ -x "$OUT/bench/CreditPortal.Benchmarks" ]; then
  echo "bench: reusing the published app in $OUT (REUSE=1)"
  find "$OUT" -mindepth 1 -maxdepth 1 ! -name app ! -name bench -exec rm -rf {} +
else
  rm -rf "$OUT"; mkdir -p "$OUT"
  echo "bench: publishing the app and the setup tool (Release)"
  dotnet publish CreditPortal -c Release -o "$OUT/app" -nologo -clp:ErrorsOnly >/dev/null
  dotnet publish CreditPortal.Benchmarks -c Release -o "$OUT/bench" -nologo -clp:ErrorsOnly >/dev/null
fi
bench="$OUT/bench/CreditPortal.Benchmarks"

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [ -d "$OUT/pg/data" ] && as_pg "$pg_bin/pg_ctl" -D "$OUT/pg/data" -m fast -w stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
mkdir -p "$OUT/pg"; [ "$(id -u)" -eq 0 ] && chown postgres "$OUT/pg"
as_pg "$pg_bin/initdb" -D "$OUT/pg/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$OUT/pg/data" -w -l "$OUT/pg/server.log" -o \
  "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$OUT/pg -c shared_buffers=256MB -c max_connections=200 -c synchronous_commit=on -c fsync=on" start >/dev/null
psql_at() { "$pg_bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$1" -tAc "$2"; }

start_app() {  # PORT CONNECTION PROVIDER LOG
  (cd "$OUT/app" && exec env ASPNETCORE_ENVIRONMENT=Staging Payments__Provider=Test ConnectionStrings__CreditPortal="$2" Database__Provider="$3" \
    Bootstrap__SupportApiKey="$SUPPORT_KEY" Demo__Seed=false Logging__LogLevel__Default=Warning \
    RateLimits__ApiBurst=100000000 RateLimits__ApiPerSecond=100000000 ./CreditPortal --urls "http://127.0.0.1:$1" >"$4" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "bench: app on $1 did not come up"; cat "$4"; exit 1
}
stop_apps() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; pids=(); }

# load NAME CONNECTIONS URL ACCOUNT LIST KEY: warm-up, then the measured run; prints the RESULT line
load() {
  local path="/api/v1/accounts/$4/consumptions"
  wrk -t"$THREADS" -c"$2" -d"$WARMUP" --timeout 10s -s bench/consumption.lua "$3" -- "$path" "$5" "$6" "warm-$1-$round" >/dev/null
  wrk -t"$THREADS" -c"$2" -d"$DURATION" --timeout 10s --latency -s bench/consumption.lua "$3" -- "$path" "$5" "$6" "run-$1-$round" \
    | tee "$OUT/wrk-$1-$round.txt" | grep '^RESULT'
}

# one NAME: accepted/s, p50, p99 of the RESULT lines in $OUT/NAME-ROUND.results (summed rate, worst latency)
record() {  # NAME ACCEPTED
  awk -v a="$2" -v l="$(cut -d' ' -f1 /proc/loadavg)" '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      d = v["duration_us"] > d ? v["duration_us"] : d; p50 = v["p50_us"] > p50 ? v["p50_us"] : p50; p99 = v["p99_us"] > p99 ? v["p99_us"] : p99
      n += v["non2xx"] + v["socket_errors"] }
    END { printf "%.0f %d %d %d %s\n", a / (d / 1e6), p50, p99, n, l }' "$OUT/$1-$round.results" >>"$OUT/$1.rounds"
}

accepted_pg() { psql_at "$1" "SELECT COUNT(*) FROM \"Consumptions\" WHERE \"Status\" = 'Accepted' AND \"Reference\" = 'bench' AND \"IdempotencyKey\" LIKE 'run-%'"; }

for round in $(seq 1 "$ROUNDS"); do
  echo "bench: round $round of $ROUNDS (load $(cut -d' ' -f1-3 /proc/loadavg))"
  # SQLite, one instance
  db="$OUT/sqlite-$round.db"
  start_app "$BASE_PORT" "Data Source=$db" Sqlite "$OUT/sqlite-$round.log"
  eval "$("$bench" setup "http://127.0.0.1:$BASE_PORT" "$SUPPORT_KEY")"
  before=$("$bench" count "$db")
  load sqlite "$CONNECTIONS" "http://127.0.0.1:$BASE_PORT" "$ACCOUNT" "$LIST" "$KEY" >"$OUT/sqlite-$round.results"
  record sqlite $(( $("$bench" count "$db") - before ))
  stop_apps

  for case in pg-1 pg-2 pg-2-one; do
    name="bench_${case//-/_}_$round"
    psql_at postgres "CREATE DATABASE $name" >/dev/null
    connection="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$name"
    start_app "$BASE_PORT" "$connection" PostgreSQL "$OUT/$case-$round-a.log"
    eval "$("$bench" setup "http://127.0.0.1:$BASE_PORT" "$SUPPORT_KEY")"
    a=($ACCOUNT $LIST $KEY)
    if [ "$case" = pg-1 ]; then
      load "$case" "$CONNECTIONS" "http://127.0.0.1:$BASE_PORT" "${a[@]}" >"$OUT/$case-$round.results"
    else
      start_app "$((BASE_PORT + 1))" "$connection" PostgreSQL "$OUT/$case-$round-b.log"
      if [ "$case" = pg-2 ]; then eval "$("$bench" setup "http://127.0.0.1:$((BASE_PORT + 1))" "$SUPPORT_KEY")"; b=($ACCOUNT $LIST $KEY); else b=("${a[@]}"); fi
      load "$case-a" $((CONNECTIONS / 2)) "http://127.0.0.1:$BASE_PORT" "${a[@]}" >"$OUT/$case-$round.results.a" &
      first=$!
      load "$case-b" $((CONNECTIONS / 2)) "http://127.0.0.1:$((BASE_PORT + 1))" "${b[@]}" >"$OUT/$case-$round.results.b"
      wait "$first"
      cat "$OUT/$case-$round.results.a" "$OUT/$case-$round.results.b" >"$OUT/$case-$round.results"
    fi
    # Warm-up consumptions are "warm-…": only the measured ones count.
    record "$case" "$(accepted_pg "$name")"
    stop_apps
  done
done

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { cut -d' ' -f"$2" "$OUT/$1.rounds" | median; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
echo
echo "POST /api/v1/accounts/{id}/consumptions: $CONNECTIONS connections in all, $DURATION after $WARMUP warm-up, median of $ROUNDS round(s)"
echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'): synchronous_commit=on, fsync=on, shared_buffers=256MB; each instance: its writer's own connection + Npgsql's default pool (100)"
printf '%-52s %11s %8s %8s %8s\n' "setup" "accepted/s" "p50 ms" "p99 ms" "errors"
for k in sqlite pg-1 pg-2 pg-2-one; do
  case $k in
    sqlite) label="SQLite, 1 instance" ;;
    pg-1) label="PostgreSQL, 1 instance" ;;
    pg-2) label="PostgreSQL, 2 instances, an account each" ;;
    pg-2-one) label="PostgreSQL, 2 instances, one account" ;;
  esac
  printf '%-52s %11.0f %8s %8s %8.0f\n' "$label" "$(col $k 1)" "$(ms "$(col $k 2)")" "$(ms "$(col $k 3)")" "$(col $k 4)"
done
echo "per round (accepted/s p50_us p99_us errors load1):"
for k in sqlite pg-1 pg-2 pg-2-one; do sed "s/^/  $k: /" "$OUT/$k.rounds"; done
echo "(raw wrk output and server logs in $OUT)"
