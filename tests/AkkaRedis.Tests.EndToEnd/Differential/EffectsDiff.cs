using System.Globalization;
using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.Differential;

/// <summary>
/// A <see cref="DiffSession"/> (replies compared as usual) with each server's replication stream attached:
/// redis-server's as a SYNC replica, AkkaRedis's through DEBUG EFFECTS. <see cref="Check"/> writes a marker on the
/// session's own connections (so it follows everything the session did, in order), reads both streams up to it and
/// compares what came before: byte for byte, except absolute times that the servers computed from their own clocks
/// (<see cref="Compare"/>).
/// </summary>
public sealed class EffectsDiff : IDisposable
{
    /// <summary>How far apart two computed absolute times may be: both servers get the command within this of each
    /// other (lockstep), with room for a loaded 2-core machine.</summary>
    public const long ToleranceMs = 5000;

    private static long _nextMarker;

    private readonly string _context;
    private readonly string? _replay;
    private readonly ReplicationStream? _redis;
    private readonly ReplicationStream? _akka;

    public DiffSession Session { get; }
    public int Checks { get; private set; }
    public int Effects { get; private set; }
    /// <summary>Receives redis-server's effects at every check (AKKAREDIS_DIFF_TRACE=1 in the script tests).</summary>
    public Action<string>? Trace { get; init; }

    /// <summary>FLUSHALL on both, then both streams attached and drained up to a first marker.</summary>
    public EffectsDiff(E2EServers servers, string context, string? replay = null)
    {
        _context = context;
        _replay = replay;
        Session = new DiffSession(servers, context, replay);
        try
        {
            Session.FlushAll();
            _redis = ReplicationStream.AttachRedis(servers.Redis);
            // AKKAREDIS_E2E_TARGET=redis: a second redis-server plays AkkaRedis, a replica of its own.
            _akka = AkkaRedisProcess.TargetIsRealRedis ? ReplicationStream.AttachRedis(servers.Akka) : ReplicationStream.AttachAkka(servers.Akka);
            // Whatever a server still had to say (an active expiry of an earlier test's key...) ends here.
            var marker = Interlocked.Increment(ref _nextMarker);
            Session.Run(DiffStep.Of(ReplicationStream.Marker(marker)), "setup marker");
            _redis.ReadUntilMarker(marker);
            _akka.ReadUntilMarker(marker);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Compares the effects of everything run since the last check. <paramref name="steps"/> (what ran since then)
    /// only goes into a failure message.
    /// </summary>
    public void Check(string position, IReadOnlyList<string> steps)
    {
        var marker = Interlocked.Increment(ref _nextMarker);
        Session.Run(DiffStep.Of(ReplicationStream.Marker(marker)), position + " (effects marker)");
        var r = _redis!.ReadUntilMarker(marker);
        var a = _akka!.ReadUntilMarker(marker);
        Checks++;
        Effects += r.Count;
        Trace?.Invoke($"{position}:\n{ReplicationStream.Format(r)}");
        var why = Compare(r, a);
        if (why == null) return;
        var sb = new StringBuilder();
        sb.Append("Write effects differ — ").Append(_context).Append(", ").Append(position).Append('\n');
        sb.Append("  ").Append(why).Append('\n');
        sb.Append("  commands run since the last check:\n");
        foreach (var s in steps) sb.Append("    ").Append(s).Append('\n');
        sb.Append("  redis-server's replication stream:\n").Append(ReplicationStream.Format(r));
        sb.Append("  akkaredis's effects:\n").Append(ReplicationStream.Format(a));
        if (_replay != null) sb.Append("  replay: ").Append(_replay).Append('\n');
        throw new DiffMismatchException(sb.ToString());
    }

    /// <summary>Runs <paramref name="command"/> (a redis-cli-like line) on both servers, which must answer +OK: restores
    /// a setting after a test that changed it, on fresh connections, so that a failed test (a broken connection)
    /// cannot leave it changed for the tests after it.</summary>
    public static void OnBoth(E2EServers servers, string command)
    {
        foreach (var server in new ServerProcess[] { servers.Redis, servers.Akka })
        {
            using var client = server.Connect();
            var reply = client.Call(Resp.SplitArgs(command));
            Assert.True(reply.AsSpan().SequenceEqual("+OK\r\n"u8), $"{server.Name}: {command} answered {Resp.Escape(reply)}");
        }
    }

    /// <summary>Null when equal; else where the first difference is.</summary>
    public static string? Compare(IReadOnlyList<byte[][]> redis, IReadOnlyList<byte[][]> akka)
    {
        for (var i = 0; i < Math.Max(redis.Count, akka.Count); i++)
        {
            if (i >= redis.Count) return $"akkaredis sends more: effect {i + 1} ({Resp.FormatCommand(akka[i])}) is not in redis-server's stream";
            if (i >= akka.Count) return $"akkaredis sends less: effect {i + 1} ({Resp.FormatCommand(redis[i])}) is missing";
            var r = redis[i];
            var a = akka[i];
            var same = r.Length == a.Length;
            for (var j = 0; same && j < r.Length; j++)
                same = r[j].AsSpan().SequenceEqual(a[j]) || WithinTolerance(r, a, j);
            if (!same) return $"effect {i + 1} differs: redis-server {Resp.FormatCommand(r)}, akkaredis {Resp.FormatCommand(a)}";
        }
        return null;
    }

    /// <summary>
    /// Argument <paramref name="j"/> is an absolute time a server computed from its clock (Redis rewrites relative
    /// times to absolute ones: setGenericCommand's <c>SET k v PXAT</c>, expireGenericCommand's and getexCommand's
    /// <c>PEXPIREAT</c>, restoreCommand's <c>RESTORE ... ABSTTL</c>, streamPropagateXCLAIM's <c>XCLAIM ... TIME</c>) and both values are within <see cref="ToleranceMs"/>. Times the client sent are the same on
    /// both and compare equal anyway.
    /// </summary>
    private static bool WithinTolerance(byte[][] r, byte[][] a, int j)
    {
        var name = Upper(r[0]);
        if (name != Upper(a[0])) return false;
        long unit;
        if (name is "PEXPIREAT" or "EXPIREAT" && j == 2) unit = name == "PEXPIREAT" ? 1 : 1000;
        else if (name == "XADD" && j >= 2)
            // XADD's "*" ID, rewritten with the ID the server made from its clock.
            return ReplyRules.StreamIdMs(r[j]) is { } rms && ReplyRules.StreamIdMs(a[j]) is { } ams && Math.Abs(rms - ams) <= ToleranceMs;
        else if (name is "SET" or "GETEX" && j >= 3 && Upper(r[j - 1]) is "PXAT" or "EXAT" && Upper(r[j - 1]) == Upper(a[j - 1]))
            unit = Upper(r[j - 1]) == "PXAT" ? 1 : 1000;
        // restoreCommand: a relative TTL propagated as RESTORE key <abs ms> payload ... ABSTTL.
        else if (name is "RESTORE" or "RESTORE-ASKING" && j == 2 && Upper(r[^1]) == "ABSTTL" && Upper(a[^1]) == "ABSTTL") unit = 1;
        // streamPropagateXCLAIM: XCLAIM key group consumer 0 id TIME <delivery time> ... (XREADGROUP, XAUTOCLAIM).
        else if (name == "XCLAIM" && j == 7 && Upper(r[6]) == "TIME" && Upper(a[6]) == "TIME") unit = 1;
        else return false;
        return long.TryParse(r[j].AsSpan(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var x) &&
               long.TryParse(a[j].AsSpan(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var y) &&
               Math.Abs(x - y) * unit <= ToleranceMs;
    }

    private static string Upper(byte[] bytes) => Encoding.Latin1.GetString(bytes).ToUpperInvariant();

    public void Dispose()
    {
        _redis?.Dispose();
        _akka?.Dispose();
        Session.Dispose();
    }
}
