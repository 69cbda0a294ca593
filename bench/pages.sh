#!/usr/bin/env bash
# Benchmark of the portal's pages (issue #10 item 10; a benchmark, not a test: ./test.sh does not run it).
# Starts the real app (Development, Demo:Seed=true, its own temp SQLite file), logs in as the demo owner and the
# demo support user in Debian's Chromium, opens every page RUNS times after WARMUP warm-up loads, and prints per
# page the median, p95 and max from navigation start to the first interactive render (circuit live, h1 and the
# page's data shown), and the median time until the prerendered document was received. Target: p95 <= 500 ms.
#
#   bench/pages.sh                   # RUNS=20 after WARMUP=3
#   RUNS=50 bench/pages.sh           # more runs on a noisy machine
#   PAGE=audit bench/pages.sh        # one page (name contains)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-20}
WARMUP=${WARMUP:-3}
PROJECT=CreditPortal.Benchmarks.Pages
BIN=$PROJECT/bin/Release/net10.0/$PROJECT

echo "== machine"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "nproc: $(nproc)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory: $(free -m | awk '/^Mem:/ {print $2 " MiB"}')"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dotnet: $(dotnet --version)"
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo missing)"

echo "== build"
dotnet build "$PROJECT" -c Release -nologo -clp:ErrorsOnly >/dev/null

echo "== pages"
args=(--runs "$RUNS" --warmup "$WARMUP")
[ -n "${PAGE:-}" ] && args+=(--page "$PAGE")
"$BIN" "${args[@]}"
