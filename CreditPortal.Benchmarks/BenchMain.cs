using System.Globalization;

namespace CreditPortal.Benchmarks;

/// <summary>
/// <code>
/// bare   URL          a Kestrel endpoint that parses the consumption JSON and stores nothing
/// sqlite URL DBFILE   the same endpoint doing the consumption's SQLite writes, one transaction per request
/// setup  URL KEY      prepares the real app: account, list (Assigned, capped), several lots, an account key
/// count  DBFILE       prints the number of Accepted consumptions in a database file
/// </code>
/// </summary>
public static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        switch (args.FirstOrDefault())
        {
            case "bare" when args.Length == 2:
                await BareEndpoint.RunAsync(args[1], database: null);
                return 0;
            case "sqlite" when args.Length == 3:
                await BareEndpoint.RunAsync(args[1], database: args[2]);
                return 0;
            case "setup" when args.Length == 3:
                await RealAppSetup.RunAsync(new Uri(args[1]), args[2]);
                return 0;
            case "count" when args.Length == 2:
                Console.WriteLine(await BareSqliteStore.CountAcceptedAsync(args[1]));
                return 0;
            default:
                Console.Error.WriteLine("usage: bare URL | sqlite URL DBFILE | setup URL SUPPORTKEY | count DBFILE");
                return 2;
        }
    }
}
