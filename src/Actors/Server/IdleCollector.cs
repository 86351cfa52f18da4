namespace AkkaRedis.Actors.Server;

/// <summary>
/// Gives memory back once the server goes quiet, as redis-server's allocator purges its dirty pages in the
/// background. The .NET GC keeps the memory it committed during a burst (connection set-ups, big requests and
/// replies) as free space for the next one and, in a quiet server that allocates nothing, never runs again to give
/// it back. After two seconds without allocation, when the GC holds enough committed memory beyond its live objects
/// (<see cref="WorthCollecting"/>), one aggressive collection (what MEMORY PURGE runs) compacts and decommits it.
/// Once per quiet period: its pause grows with the live heap, which is why it waits for a quiet server and for slack
/// worth giving back.
/// </summary>
/// <remarks>
/// Slack counts the free space between live objects too (the GC's fragmentation), not only the committed memory
/// beyond the heap: a burst of connection set-ups leaves its garbage interleaved with the connections' long-lived
/// objects, and a quiet server never compacts it (3,000 idle connections: about 4 KB of each one's RSS was such free
/// space, which the heap size reported by the GC includes). The GC's figures date from its last collection, so the
/// connections closed since then count as slack as well (<see cref="ConnectionBytes"/> each): their objects are
/// dead, and a quiet server would otherwise keep them until its next burst (3,000 connections closed at once kept
/// about 10 KB of RSS each).
/// </remarks>
internal sealed class IdleCollector
{
    /// <summary>Less than this allocated between two ticks counts as quiet (the crons, timers).</summary>
    private const long QuietBytesPerTick = 256 * 1024;

    /// <summary>Slack worth a compaction whatever the live heap.</summary>
    private const long MaxSlack = 16L << 20;

    /// <summary>Smaller slack is given back only when it is at least this fraction of the live heap (the pause
    /// grows with the live heap), and at least <see cref="MinSlack"/>.</summary>
    private const int SlackShareOfLive = 4;

    private const long MinSlack = 4L << 20;

    private const int QuietSeconds = 2;

    /// <summary>About what a connection's objects take on the managed heap (a heap dump of 3,000 idle connections:
    /// 7.9 KB each).</summary>
    private const long ConnectionBytes = 8 * 1024;

    private int _gcCount = -1;
    private int _clientsAtGc;

    private long _lastAllocated = GC.GetTotalAllocatedBytes();
    private int _quietTicks;

    /// <summary>Called at every clients cron tick (<paramref name="hz"/> a second); <paramref name="clientsActive"/>:
    /// some client sent a command within the last second. A client that keeps sending cheap commands allocates
    /// almost nothing, yet it must not meet a blocking compacting collection of a big heap (hundreds of ms: a
    /// blocking gen2 after a big UNLINK cost 282-337 ms in scripts/big-collections), so it keeps the server busy too.</summary>
    /// <param name="clients">Connected clients now.</param>
    public void Tick(int hz, bool clientsActive = false, int clients = 0)
    {
        // The clients at the time of the GC's last figures (a tick's precision).
        var gcCount = GC.CollectionCount(0);
        if (gcCount != _gcCount)
        {
            _gcCount = gcCount;
            _clientsAtGc = clients;
        }
        var allocated = GC.GetTotalAllocatedBytes();
        var busy = clientsActive || allocated - _lastAllocated > QuietBytesPerTick;
        _lastAllocated = allocated;
        if (busy)
        {
            _quietTicks = 0;
            return;
        }
        if (++_quietTicks != QuietSeconds * Math.Max(1, hz)) return;
        var closed = Math.Max(0, _clientsAtGc - clients);
        if (!WorthCollecting(GC.GetGCMemoryInfo(), closed * ConnectionBytes)) return;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _lastAllocated = GC.GetTotalAllocatedBytes();
    }

    /// <summary>Whether the memory the GC holds beyond its live objects (as of its last collection, less
    /// <paramref name="deadSince"/> known dead since) is worth a compacting collection: <see cref="MaxSlack"/>, or a
    /// quarter of the live heap and at least <see cref="MinSlack"/>.</summary>
    internal static bool WorthCollecting(GCMemoryInfo info, long deadSince) =>
        WorthCollecting(info.TotalCommittedBytes, Math.Max(0, info.HeapSizeBytes - info.FragmentedBytes - deadSince));

    internal static bool WorthCollecting(long committed, long live)
    {
        var slack = committed - live;
        return slack >= MaxSlack || (slack >= MinSlack && slack >= live / SlackShareOfLive);
    }
}
