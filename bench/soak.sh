#!/usr/bin/env bash
# Soak benchmark (issue #13), not a test: the published app (Release) under ten minutes of mixed load on loopback
# (bench/soak.py: 80% consumptions, plus orders, settings changes, reports, exports and portal page loads), printing
# per minute the throughput, p50/p99 per kind, errors, the server's RSS and the WAL's size; at the end the ledger check
# on the database file. A small writer queue (Ledger:QueueLimit, SOAK_QUEUE_LIMIT) makes overload deliberate: its 503s
# are counted apart from errors.
#
# Usage: bench/soak.sh   (env: DURATION=600 THREADS=24 PORT=5760 OUT=/tmp/creditportal-soak SOAK_QUEUE_LIMIT=16)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-600}
THREADS=${THREADS:-24}
PORT=${PORT:-5760}
OUT=${OUT:-/tmp/creditportal-soak}
SOAK_QUEUE_LIMIT=${SOAK_QUEUE_LIMIT:-16}
KEY=soak-support-key-$(od -An -N16 -tx8 /dev/urandom | tr -d ' \n')
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

rm -rf "$OUT"; mkdir -p "$OUT"
echo "soak: publishing the app (Release)"
dotnet publish CreditPortal -c Release -o "$OUT/app" -nologo -clp:ErrorsOnly >/dev/null
dotnet build CreditPortal.Benchmarks.Reports -c Release -nologo -clp:ErrorsOnly >/dev/null
db="$OUT/soak.db"
# "Staging": production settings, but the test payment provider (refused in Production) pays for the orders.
(cd "$OUT/app" && exec env ASPNETCORE_ENVIRONMENT=Staging Payments__Provider=Test ConnectionStrings__CreditPortal="Data Source=$db" \
  Bootstrap__SupportApiKey="$KEY" Demo__Seed=false Logging__LogLevel__Default=Warning Ledger__QueueLimit="$SOAK_QUEUE_LIMIT" \
  RateLimits__ApiBurst=100000000 RateLimits__ApiPerSecond=100000000 RateLimits__CreationsPerWindow=100000 \
  ./CreditPortal --urls "http://127.0.0.1:$PORT" >"$OUT/app.log" 2>&1) &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$PORT/health/live" >/dev/null 2>&1 && break; sleep 0.5; done

echo "soak: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "soak: ${DURATION}s, $THREADS connections, writer queue limit $SOAK_QUEUE_LIMIT; columns per kind: p50/p99"
python3 bench/soak.py "http://127.0.0.1:$PORT" "$KEY" "$pid" "$db-wal" "$DURATION" "$THREADS" | tee "$OUT/soak.txt"
echo "soak: health at the end: $(curl -s "http://127.0.0.1:$PORT/health/ready")"
kill $pid; wait $pid 2>/dev/null || true
echo "soak: ledger check on $db"
CreditPortal.Benchmarks.Reports/bin/Release/net10.0/CreditPortal.Benchmarks.Reports check --db "$db"
grep -q '^ERRORS=0$' "$OUT/soak.txt"
