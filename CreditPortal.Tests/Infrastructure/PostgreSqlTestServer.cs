using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CreditPortal.Tests.Infrastructure;

// Also compiled into CreditPortal.E2E and the page benchmark as a linked file (TempDatabase uses it): keep it free of
// bunit and of anything only this project references.

/// <summary>
/// A real, throwaway PostgreSQL server for the tests of one process: a new cluster (<c>initdb</c>) in a temporary
/// folder, started with <c>pg_ctl</c> on a free loopback port, stopped and deleted when the process ends. PostgreSQL
/// refuses to run as root, so as root the cluster belongs to the unprivileged <c>postgres</c> system user (created if
/// missing) and its commands run through <c>runuser</c>. Each <see cref="TempDatabase"/> gets a database of its own in it.
/// </summary>
public sealed class PostgreSqlTestServer
{
    /// <summary>The system user that owns the cluster when the tests run as root.</summary>
    public const string SystemUser = "postgres";

    private static readonly Lazy<PostgreSqlTestServer> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _folder;
    private readonly bool _asRoot;

    private PostgreSqlTestServer(string folder, int port, bool asRoot)
    {
        _folder = folder;
        Port = port;
        _asRoot = asRoot;
    }

    /// <summary>The server of this test process, started on first use.</summary>
    public static PostgreSqlTestServer Instance => Started.Value;

    public int Port { get; }

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>The maintenance database, for creating and dropping the tests' own.</summary>
    public string AdminConnectionString => Connection("postgres");

    public string Connection(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = SystemUser, Database = database, Pooling = true,
        // The tests' apps each keep a pool; many small databases live side by side.
        MaxPoolSize = 20, ConnectionIdleLifetime = 10,
    }.ToString();

    /// <summary>A new, empty database; its name is returned.</summary>
    public string CreateDatabase(string prefix)
    {
        var name = $"{new string(prefix.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant()}_{Guid.NewGuid():N}";
        if (name.Length > 60) name = name[..60];
        Admin($"CREATE DATABASE \"{name}\"");
        return name;
    }

    public void DropDatabase(string name) => Admin($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");

    private void Admin(string sql)
    {
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static PostgreSqlTestServer Start()
    {
        var asRoot = Environment.UserName == "root";
        var folder = Path.Combine(Path.GetTempPath(), $"creditportal-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
        Directory.CreateDirectory(folder);
        if (asRoot)
        {
            EnsureSystemUser();
            Run("chown", SystemUser, folder);
        }
        var port = FreePort();
        var server = new PostgreSqlTestServer(folder, port, asRoot);
        server.Postgres("initdb", "-D", server.DataFolder, "-U", SystemUser, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync");
        // A throwaway server: no fsync (the tests kill app processes, never this server), enough connections for the
        // tests' apps, and its socket in its own folder so it never meets another cluster's.
        server.Postgres("pg_ctl", "-D", server.DataFolder, "-w", "-t", "60", "-l", Path.Combine(folder, "server.log"), "-o",
            $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} -c fsync=off -c full_page_writes=off " +
            "-c synchronous_commit=off -c max_connections=300 -c shared_buffers=128MB", "start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    /// <summary>Stops the server at once and deletes its folder.</summary>
    public void Stop()
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            Postgres("pg_ctl", "-D", DataFolder, "-m", "immediate", "-w", "stop");
        }
        catch (Exception)
        {
            // Stopping is best effort at process exit; the folder goes either way.
        }
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private void Postgres(string tool, params string[] arguments)
    {
        var path = Path.Combine(BinFolder(), tool);
        if (_asRoot) Run("runuser", ["-u", SystemUser, "--", path, .. arguments]);
        else Run(path, arguments);
    }

    private static string BinFolder()
    {
        foreach (var version in new[] { "17", "16", "15" })
        {
            var folder = $"/usr/lib/postgresql/{version}/bin";
            if (File.Exists(Path.Combine(folder, "initdb"))) return folder;
        }
        throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb); ./test.sh installs the postgresql package.");
    }

    private static void EnsureSystemUser()
    {
        if (Run("id", [SystemUser], check: false) == 0) return;
        Run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SystemUser);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string file, params string[] arguments) => Run(file, arguments, check: true);

    private static int Run(string file, string[] arguments, bool check)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output.Result}\n{error.Result}");
        return process.ExitCode;
    }
}
