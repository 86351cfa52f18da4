namespace AkkaRedis.Tests.EndToEnd.Infrastructure;

/// <summary>
/// Our server binary (src/Host/bin/&lt;configuration&gt;/net10.0/akkaredis-server), started with `--port N` and the
/// given extra redis-server-style arguments.
/// <para>
/// AKKAREDIS_SERVER_BIN overrides the binary. AKKAREDIS_E2E_TARGET=redis starts a real redis-server in its place
/// (AkkaRedis-only arguments such as --shards are dropped): every test must then pass, which checks the tests and
/// the differential harness themselves.
/// </para>
/// </summary>
public sealed class AkkaRedisProcess : ServerProcess
{
    public static bool TargetIsRealRedis =>
        string.Equals(Environment.GetEnvironmentVariable("AKKAREDIS_E2E_TARGET"), "redis", StringComparison.OrdinalIgnoreCase);

    private static readonly string[] AkkaOnlyOptions = ["--shards", "--akka-config"];

    public AkkaRedisProcess(params string[] extraArgs)
        : base(TargetIsRealRedis ? "akkaredis (played by redis-server)" : "akkaredis",
            TargetIsRealRedis ? RealRedisProcess.Binary() : Binary(), extraArgs)
    {
    }

    public static AkkaRedisProcess Started(params string[] extraArgs) => StartOrDispose(new AkkaRedisProcess(extraArgs));

    protected override IEnumerable<string> Arguments(int port)
    {
        if (TargetIsRealRedis)
        {
            foreach (var a in RealRedisProcess.BaseArguments(port)) yield return a;
            for (var i = 0; i < ExtraArgs.Count; i++)
            {
                if (AkkaOnlyOptions.Contains(ExtraArgs[i]))
                {
                    i++;
                    continue;
                }
                yield return ExtraArgs[i];
            }
            yield break;
        }
        yield return "--port";
        yield return port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // As the redis-server fixture: no save points and a directory of its own, so no test ever writes a dump.rdb
        // into a shared directory or loads another's (the extra arguments come after and may set both).
        yield return "--save";
        yield return "";
        yield return "--dir";
        yield return WorkDir;
        foreach (var a in ExtraArgs) yield return a;
    }

    private string? _workDir;

    /// <summary>This server's own empty directory (its default dir), removed when the test process exits.</summary>
    public string WorkDir => _workDir ??= RealRedisProcess.NewWorkDir(deleteAtExit: true);

    /// <summary>The server binary built alongside the tests (same configuration first, then Release, then Debug).</summary>
    public static string Binary()
    {
        var fromEnv = Environment.GetEnvironmentVariable("AKKAREDIS_SERVER_BIN");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            if (!File.Exists(fromEnv)) throw new FileNotFoundException($"AKKAREDIS_SERVER_BIN={fromEnv} does not exist");
            return fromEnv;
        }
        var root = RepoRoot();
        var configurations = new List<string>();
        // The tests run from tests/AkkaRedis.Tests.EndToEnd/bin/<Configuration>/net10.0/.
        var testConfiguration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name;
        if (testConfiguration != null) configurations.Add(testConfiguration);
        configurations.Add("Release");
        configurations.Add("Debug");
        var tried = new List<string>();
        foreach (var configuration in configurations.Distinct())
        {
            var path = Path.Combine(root, "src", "Host", "bin", configuration, "net10.0", "akkaredis-server");
            tried.Add(path);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException(
            "akkaredis-server is not built. Build it first: `dotnet build AkkaRedis.sln -c Release` (from " + root + ").\nLooked for:\n  " +
            string.Join("\n  ", tried));
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AkkaRedis.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"AkkaRedis.sln not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>A real redis-server (7.0.15 expected): `redis-server --port N --save '' --appendonly no`.</summary>
public sealed class RealRedisProcess : ServerProcess
{
    public RealRedisProcess(params string[] extraArgs) : base("redis-server", Binary(), extraArgs)
    {
    }

    /// <summary>An empty working directory of its own, so that no dump.rdb of someone else is ever loaded.</summary>
    public static string NewWorkDir(bool deleteAtExit = false)
    {
        var dir = Path.Combine(Path.GetTempPath(), "akkaredis-e2e-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        if (deleteAtExit) AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteQuietly(dir);
        return dir;
    }

    public static void DeleteQuietly(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    public static RealRedisProcess Started(params string[] extraArgs) => StartOrDispose(new RealRedisProcess(extraArgs));

    protected override IEnumerable<string> Arguments(int port) => BaseArguments(port).Concat(ExtraArgs);

    public static IEnumerable<string> BaseArguments(int port) =>
    [
        "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no", "--dir", WorkDirs.Value,
    ];

    // One empty directory for all redis-servers of this test run; removed when the test process exits.
    private static readonly Lazy<string> WorkDirs = new(() =>
    {
        return NewWorkDir(deleteAtExit: true);
    });

    /// <summary>REDIS_SERVER_BIN, else redis-server on the PATH.</summary>
    public static string Binary() => Tool("redis-server", "REDIS_SERVER_BIN");

    public static string Tool(string name, string? envVar = null)
    {
        var fromEnv = envVar == null ? null : Environment.GetEnvironmentVariable(envVar);
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"{name} not found on the PATH; install it (scripts/install-test-deps installs redis-server and redis-tools).");
    }
}
