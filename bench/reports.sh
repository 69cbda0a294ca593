#!/usr/bin/env bash
# Benchmark of the reports (issue #6): seeds one account with 1,000,000 consumptions over two years (once; the
# file is kept in bench/.data/), checks the ledger on it, times the report queries, then exports every
# consumption to .xlsx with our export and with a bare OpenXmlWriter, alternately, each run in its own process
# under /usr/bin/time -v for its peak memory. Prints every figure and a summary at the end.
#
#   bench/reports.sh                      # RUNS=3 exports per writer
#   RUNS=5 bench/reports.sh               # more runs on a noisy machine
#   RESEED=1 bench/reports.sh             # seed the file again
#   CONSUMPTIONS=200000 DB=/tmp/r.db bench/reports.sh   # a smaller account somewhere else
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
CONSUMPTIONS=${CONSUMPTIONS:-1000000}
DB=${DB:-bench/.data/reports-1m.db}
PROJECT=CreditPortal.Benchmarks.Reports
BIN=$PROJECT/bin/Release/net10.0/$PROJECT
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench/reports.sh needs GNU time: apt-get install -y time" >&2; exit 1; }

echo "== machine"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "nproc: $(nproc)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory: $(free -m | awk '/^Mem:/ {print $2 " MiB"}')"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dotnet: $(dotnet --version)"

echo "== build"
dotnet build "$PROJECT" -c Release -nologo -clp:ErrorsOnly >/dev/null

if [ ! -f "$DB" ] || [ -n "${RESEED:-}" ]; then
  echo "== seed ($CONSUMPTIONS consumptions)"
  "$BIN" seed --db "$DB" --consumptions "$CONSUMPTIONS"
else
  echo "== seed: reusing $DB (RESEED=1 to seed again)"
fi

echo "== ledger check on the seeded file"
"$BIN" check --db "$DB"

echo "== report queries (server time; 'first' is the first call in a fresh process)"
"$BIN" report --db "$DB" | tee /tmp/creditportal-bench-report.txt

echo "== export every consumption to .xlsx ($RUNS runs per writer, alternating)"
results=$(mktemp)
for run in $(seq 1 "$RUNS"); do
  for writer in portal bare read; do
    out=$("$TIME" -v "$BIN" export --db "$DB" --writer "$writer" 2>/tmp/creditportal-bench-time.txt)
    seconds=$(awk '/^export_time:/ {print $2}' <<<"$out")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' /tmp/creditportal-bench-time.txt)
    rows=$(awk '/^export_rows:/ {print $2}' <<<"$out")
    cpu=$(awk '/^export_cpu:/ {print $2}' <<<"$out")
    echo "run $run $writer: ${seconds} s (cpu ${cpu} s), ${rows} rows, peak RSS ${rss} MiB"
    echo "$writer $seconds $rss $cpu" >>"$results"
  done
done

echo "== summary"
month=$(awk '/^report_month_by_list_median:/ {print $2}' /tmp/creditportal-bench-report.txt)
month_first=$(awk '/^report_month_by_list_first:/ {print $2}' /tmp/creditportal-bench-report.txt)
echo "month-by-list report over two years: median ${month} ms, first call ${month_first} ms (target <= 300 ms)"
awk '
  { t[$1] = t[$1] " " $2; r[$1] = ($3 > r[$1] ? $3 : r[$1]); c[$1] = c[$1] " " $4 }
  function median(list,   n, a, i, j, x) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    p = median(t["portal"]); b = median(t["bare"]); rd = median(t["read"])
    printf "xlsx export, median wall time: portal %.1f s, bare OpenXmlWriter %.1f s, ratio %.2f (target <= 1.5)\n", p, b, p / b
    printf "xlsx export, median CPU time: portal %.1f s, bare OpenXmlWriter %.1f s\n", median(c["portal"]), median(c["bare"])
    printf "reading and converting the same rows without writing: %.1f s\n", rd
    printf "peak RSS (max over runs): portal %.1f MiB, bare %.1f MiB (target <= 200 MiB)\n", r["portal"], r["bare"]
  }' "$results"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$results"
