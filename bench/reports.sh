#!/usr/bin/env bash
# Benchmark of the reports: seeds one account with 1,000,000 consumptions over two years (once; the file is kept
# in bench/.data/, never committed), checks the ledger on it, times the report queries and the drill-down's pages,
# then exports every consumption to .xlsx with each writer in turn, each run in its own process under
# /usr/bin/time -v for its wall time, CPU time and peak memory. Prints every figure and a summary at the end.
#
# Writers: portal = our export (the whole four-sheet workbook, as the portal and the API stream it);
#          bare = the Open XML SDK's OpenXmlWriter, spreadcheetah = SpreadCheetah, closedxml = ClosedXML 0.95.4,
#          each writing the same consumption rows with nothing of ours in between; read = reading and converting
#          the rows without writing. ClosedXML keeps the workbook in memory: it adds rows until the process holds
#          CLOSEDXML_FILL_SHARE percent of CLOSEDXML_LIMIT_MIB, then saves, under a GC heap limit of
#          CLOSEDXML_LIMIT_MIB so the shared machine survives; the summary says how many rows it reached.
#
#   bench/reports.sh                      # RUNS=3 exports per writer (ClosedXML once: CLOSEDXML_RUNS)
#   RUNS=5 bench/reports.sh               # more runs on a noisy machine
#   RESEED=1 bench/reports.sh             # seed the file again
#   WRITERS="portal bare" bench/reports.sh            # only some writers
#   CONSUMPTIONS=200000 DB=/tmp/r.db bench/reports.sh   # a smaller account somewhere else
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
WRITERS=${WRITERS:-portal bare spreadcheetah closedxml read}
CLOSEDXML_RUNS=${CLOSEDXML_RUNS:-1}
CLOSEDXML_LIMIT_MIB=${CLOSEDXML_LIMIT_MIB:-2048}
CLOSEDXML_FILL_SHARE=${CLOSEDXML_FILL_SHARE:-25}
export CLOSEDXML_LIMIT_MIB
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

echo "== export every consumption to .xlsx ($RUNS runs per writer, alternating; ClosedXML $CLOSEDXML_RUNS)"
results=$(mktemp)
for run in $(seq 1 "$RUNS"); do
  for writer in $WRITERS; do
    extra=()
    envs=()
    if [ "$writer" = closedxml ]; then
      [ "$run" -le "$CLOSEDXML_RUNS" ] || continue
      extra=(--memory-limit-mib "$CLOSEDXML_LIMIT_MIB" --closedxml-fill-share "$CLOSEDXML_FILL_SHARE")
      envs=(DOTNET_GCHeapHardLimit="$(printf '0x%x' $((CLOSEDXML_LIMIT_MIB * 1024 * 1024)))")
    fi
    status=ok
    out=$(env "${envs[@]}" "$TIME" -v "$BIN" export --db "$DB" --writer "$writer" "${extra[@]}" 2>/tmp/creditportal-bench-time.txt) || status=failed
    seconds=$(awk '/^export_time:/ {print $2}' <<<"$out")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' /tmp/creditportal-bench-time.txt)
    rows=$(awk '/^export_rows:/ {print $2}' <<<"$out")
    cpu=$(awk '/^export_cpu:/ {print $2}' <<<"$out")
    mib=$(awk '/^export_bytes:/ {print $2}' <<<"$out")
    if [ "$status" = failed ]; then
      echo "run $run $writer: FAILED ($(grep -m1 -o 'OutOfMemoryException\|Exception[^:]*' /tmp/creditportal-bench-time.txt || echo "exit code"))"
      grep -E '^closedxml_' <<<"$out" || true
      echo "$writer failed 0 0 0 0" >>"$results"
      continue
    fi
    echo "run $run $writer: ${seconds} s (cpu ${cpu} s), ${rows} rows, ${mib} MiB written, peak RSS ${rss} MiB; load $(cut -d" " -f1 /proc/loadavg)"
    grep -E '^closedxml_' <<<"$out" || true
    echo "$writer $seconds $rss $cpu $rows $mib" >>"$results"
  done
done

echo "== summary"
month=$(awk '/^report_month_by_list_median:/ {print $2}' /tmp/creditportal-bench-report.txt)
month_first=$(awk '/^report_month_by_list_first:/ {print $2}' /tmp/creditportal-bench-report.txt)
echo "month-by-list report over two years: median ${month} ms, first call ${month_first} ms (target <= 300 ms)"
awk '/^drill_.*_median:/ { name = $1; sub(/_median:$/, "", name); m[name] = $2 }
     /^drill_.*_max:/ { name = $1; sub(/_max:$/, "", name); x[name] = $2; order[++n] = name }
     END { for (i = 1; i <= n; i++) printf "drill-down %s: median %s ms, max %s ms\n", order[i], m[order[i]], x[order[i]] }' \
  /tmp/creditportal-bench-report.txt
echo "drill-down target: <= 20 ms for any page"
awk '
  $2 == "failed" { failed[$1]++; next }
  { t[$1] = t[$1] " " $2; r[$1] = ($3 > r[$1] ? $3 : r[$1]); c[$1] = c[$1] " " $4; rows[$1] = $5; mib[$1] = $6; seen[$1] = 1 }
  function median(list,   n, a, i, j, x) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    printf "%-14s %12s %10s %10s %14s %10s %14s\n", "writer", "rows", "wall s", "cpu s", "peak RSS MiB", "file MiB", "wall vs bare"
    split("portal bare spreadcheetah closedxml read", order, " ")
    b = ("bare" in seen) ? median(t["bare"]) : 0
    for (i = 1; i <= 5; i++) {
      w = order[i]
      if (!(w in seen)) { if (w in failed) printf "%-14s failed in every run\n", w; continue }
      wall = median(t[w])
      ratio = (b > 0 && w != "read") ? sprintf("%.2f", wall / b) : "-"
      printf "%-14s %12d %10.1f %10.1f %14.1f %10.1f %14s\n", w, rows[w], wall, median(c[w]), r[w], mib[w], ratio
    }
    if ("closedxml" in seen && "bare" in seen && rows["closedxml"] < rows["bare"])
      printf "closedxml reached %d of %d rows (%.1f%%) before its %s MiB limit\n", rows["closedxml"], rows["bare"], 100 * rows["closedxml"] / rows["bare"], ENVIRON["CLOSEDXML_LIMIT_MIB"]
    print "targets: portal wall <= 0.5 x bare; portal peak RSS <= 150 MiB"
  }' "$results"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$results"
