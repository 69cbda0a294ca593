namespace CreditPortal.Tests.Infrastructure;

// Also compiled into CreditPortal.E2E as a linked file (one copy of this code): keep it free of bunit and
// of anything only this project references.

public static class RepoPaths
{
    /// <summary>The repository root: the folder holding CreditPortal.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string AppProject => Path.Combine(Root, "CreditPortal");

    /// <summary>The app's own build output (the test build builds it through the project reference).</summary>
    public static string AppExecutable
    {
        get
        {
            // .../CreditPortal.Tests/bin/<Configuration>/net10.0/ → same layout under CreditPortal/.
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            var tfm = testBin.Name;
            var configuration = testBin.Parent!.Name;
            var path = Path.Combine(AppProject, "bin", configuration, tfm, "CreditPortal");
            if (!File.Exists(path)) throw new FileNotFoundException("Build the app first: " + path);
            return path;
        }
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CreditPortal.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CreditPortal.sln not found above " + AppContext.BaseDirectory);
    }
}
