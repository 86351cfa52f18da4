using System.Diagnostics;

namespace AkkaRedis.Actors.Server;

public static class ServerClock
{
    /// <summary>Unix time in milliseconds (Redis's mstime()).</summary>
    public static long UnixMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Unix time in milliseconds at <paramref name="timestamp"/> (a <see cref="Stopwatch"/> timestamp just
    /// taken): the wall clock read at most once a millisecond per thread, plus the monotonic time since, so that a
    /// command that times itself anyway (CommandRunner) reads one clock instead of two. A wall-clock step shows within
    /// a millisecond, as a fresh read would show it.</summary>
    public static long UnixMsAt(long timestamp)
    {
        var elapsed = timestamp - _anchorTimestamp;
        if ((ulong)elapsed >= (ulong)AnchorLifetime)
        {
            _anchorTicks = DateTime.UtcNow.Ticks;
            _anchorTimestamp = timestamp;
            elapsed = 0;
        }
        return (_anchorTicks + elapsed * TimeSpan.TicksPerSecond / Stopwatch.Frequency) / TimeSpan.TicksPerMillisecond - UnixEpochMs;
    }

    private static readonly long AnchorLifetime = Stopwatch.Frequency / 1000;
    private static readonly long UnixEpochMs = DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerMillisecond;
    [ThreadStatic] private static long _anchorTimestamp;
    [ThreadStatic] private static long _anchorTicks;
}
