using System.Diagnostics;
using System.Globalization;
using CreditPortal.Benchmarks.Reports;

// Usage (bench/reports.sh runs these in order, each export in its own process so its peak memory is its own):
//   seed   --db FILE [--consumptions 1000000] [--days 730] [--lists 12]
//   check  --db FILE
//   report --db FILE [--runs 15]
//   export --db FILE --writer portal|bare|spreadcheetah|closedxml|read [--rows N] [--memory-limit-mib 2048]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var options = BenchOptions.Parse(args);
try
{
    switch (options.Command)
    {
        case "seed":
            await BenchSeed.RunAsync(options);
            break;
        case "check":
            await BenchSeed.CheckAsync(options);
            break;
        case "report":
            await BenchReports.RunAsync(options);
            break;
        case "export":
            await BenchExport.RunAsync(options);
            break;
        default:
            Console.Error.WriteLine("commands: seed | check | report | export (see Program.cs)");
            return 2;
    }
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine(e);
    return 1;
}

namespace CreditPortal.Benchmarks.Reports
{
    /// <param name="Rows">Export at most this many consumption rows (0: all).</param>
    /// <param name="MemoryLimitMib">ClosedXML stops adding rows before the process passes this much resident memory.</param>
    /// <param name="ClosedXmlFillShare">Percent of the limit ClosedXML may fill with rows; the rest is room for its save.</param>
    public sealed record BenchOptions(string Command, string Db, int Consumptions, int Days, int Lists, int Runs, string Writer, long Rows,
        int MemoryLimitMib, int ClosedXmlFillShare)
    {
        public static BenchOptions Parse(string[] args)
        {
            string Get(string name, string fallback)
            {
                var i = Array.IndexOf(args, "--" + name);
                return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
            }
            return new BenchOptions(args.Length > 0 ? args[0] : "", Path.GetFullPath(Get("db", "bench/.data/reports-1m.db")),
                int.Parse(Get("consumptions", "1000000"), CultureInfo.InvariantCulture), int.Parse(Get("days", "730"), CultureInfo.InvariantCulture),
                int.Parse(Get("lists", "12"), CultureInfo.InvariantCulture), int.Parse(Get("runs", "15"), CultureInfo.InvariantCulture),
                Get("writer", "portal"), long.Parse(Get("rows", "0"), CultureInfo.InvariantCulture),
                int.Parse(Get("memory-limit-mib", "2048"), CultureInfo.InvariantCulture), int.Parse(Get("closedxml-fill-share", "50"), CultureInfo.InvariantCulture));
        }

        public string ConnectionString => new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = Db, Pooling = true }.ToString();
    }

    /// <summary>One "name: value" line per figure, which bench/reports.sh collects.</summary>
    public static class Figures
    {
        public static void Print(string name, double value, string unit)
            => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value:0.###} {unit}"));

        public static void Print(string name, string value) => Console.WriteLine($"{name}: {value}");

        /// <summary>This process's peak resident set (VmHWM), the figure /usr/bin/time -v calls "Maximum resident set size".</summary>
        public static long PeakRssBytes()
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
            return Process.GetCurrentProcess().PeakWorkingSet64;
        }
    }
}
