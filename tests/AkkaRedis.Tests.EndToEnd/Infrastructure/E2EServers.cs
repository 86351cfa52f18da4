namespace AkkaRedis.Tests.EndToEnd.Infrastructure;

/// <summary>
/// The processes shared by the whole suite: one AkkaRedis (`--shards 4`, so that multi-key commands really span
/// shards) and one real redis-server, both with `--enable-debug-command yes`, each started on first use and killed when the suite ends. A server that died
/// (a crash caused by an earlier test) is restarted on the next use, and the crash is reported by that next use.
/// </summary>
public sealed class E2EServers : IDisposable
{
    public static readonly string[] AkkaArgs = ["--shards", "4"];

    /// <summary>Both shared servers allow DEBUG (the differential scripts compare DEBUG DIGEST, PROTOCOL...); servers
    /// started with their own options keep Redis's default (no).</summary>
    public static readonly string[] SharedArgs = ["--enable-debug-command", "yes"];

    private readonly object _gate = new();
    private AkkaRedisProcess? _akka;
    private RealRedisProcess? _redis;
    // A server that could not start fails every later test at once instead of waiting for its start timeout again.
    private Exception? _akkaStartFailure;
    private Exception? _redisStartFailure;

    /// <summary>Our server; throws with the dead process's output if it crashed since the last use.</summary>
    public AkkaRedisProcess Akka
    {
        get
        {
            lock (_gate)
            {
                if (_akka is { HasExited: true })
                {
                    var description = _akka.Describe();
                    _akka.Dispose();
                    _akka = null;
                    throw new InvalidOperationException("akkaredis died during an earlier test (it is restarted for the next one).\n" + description);
                }
                if (_akka != null) return _akka;
                if (_akkaStartFailure != null) throw new InvalidOperationException("akkaredis could not be started (see the first failing test)", _akkaStartFailure);
                try
                {
                    return _akka = AkkaRedisProcess.Started([.. AkkaArgs, .. SharedArgs]);
                }
                catch (Exception e)
                {
                    _akkaStartFailure = e;
                    throw;
                }
            }
        }
    }

    public RealRedisProcess Redis
    {
        get
        {
            lock (_gate)
            {
                if (_redis is { HasExited: true })
                {
                    _redis.Dispose();
                    _redis = null;
                }
                if (_redis != null) return _redis;
                if (_redisStartFailure != null) throw new InvalidOperationException("redis-server could not be started (see the first failing test)", _redisStartFailure);
                try
                {
                    var redis = RealRedisProcess.Started(SharedArgs);
                    try
                    {
                        CheckReferenceVersion(redis);
                    }
                    catch
                    {
                        redis.Dispose();
                        throw;
                    }
                    return _redis = redis;
                }
                catch (Exception e)
                {
                    _redisStartFailure = e;
                    throw;
                }
            }
        }
    }

    /// <summary>The version every differential comparison is made against (the project's specification).</summary>
    public const string ReferenceVersionPrefix = "7.0.";

    /// <summary>
    /// Fails at once, with what was found, when the reference is not redis-server 7.0.x: against another version
    /// (7.2 renamed error texts, added INFO fields and commands) every differential test would fail on differences
    /// that are not AkkaRedis's.
    /// </summary>
    private static void CheckReferenceVersion(RealRedisProcess redis)
    {
        using var client = redis.Connect();
        var info = System.Text.Encoding.Latin1.GetString(client.Call("INFO", "server"));
        var match = System.Text.RegularExpressions.Regex.Match(info, "(?m)^redis_version:([^\r\n]*)");
        var version = match.Success ? match.Groups[1].Value : null;
        if (version == null || !version.StartsWith(ReferenceVersionPrefix, StringComparison.Ordinal))
            throw new InvalidOperationException(
                $"the reference redis-server ({redis.FileName}) is version {version ?? "unknown (no redis_version in INFO server)"}, " +
                $"not {ReferenceVersionPrefix}x: the differential tests compare against Redis 7.0. Install 7.0 " +
                "(scripts/install-test-deps installs Debian's 7.0.15) or point REDIS_SERVER_BIN at a 7.0 binary.");
    }

    public void Dispose()
    {
        _akka?.Dispose();
        _redis?.Dispose();
    }
}

/// <summary>
/// The whole suite is one collection: tests run one after another against the same two processes (plus the few
/// tests that need a server with their own settings), which keeps both the process count and timing noise low.
/// </summary>
[CollectionDefinition(Name)]
public sealed class E2ECollection : ICollectionFixture<E2EServers>
{
    public const string Name = "AkkaRedis end-to-end";
}
