namespace AkkaRedis.Actors.Server;

/// <summary>
/// Gives memory back once the server goes quiet, as redis-server's allocator purges its dirty pages in the
/// background. The .NET GC keeps the memory it committed during a burst (connection set-ups, big requests and
/// replies) as free space for the next one and, in a quiet server that allocates nothing, never runs again to give
/// it back. After two seconds without allocation, when the GC holds more than <see cref="MaxSlack"/> bytes
/// committed beyond its heap, one aggressive collection (what MEMORY PURGE runs) compacts and decommits it. Once per
/// quiet period: its pause grows with the live heap, which is why it waits for a quiet server and for slack worth
/// giving back.
/// </summary>
internal sealed class IdleCollector
{
    /// <summary>Less than this allocated between two ticks counts as quiet (the crons, timers).</summary>
    private const long QuietBytesPerTick = 256 * 1024;

    private const long MaxSlack = 16L << 20;

    private const int QuietSeconds = 2;

    private long _lastAllocated = GC.GetTotalAllocatedBytes();
    private int _quietTicks;

    /// <summary>Called at every clients cron tick (<paramref name="hz"/> a second); <paramref name="clientsActive"/>:
    /// some client sent a command within the last second. A client that keeps sending cheap commands allocates
    /// almost nothing, yet it must not meet a blocking compacting collection of a big heap (hundreds of ms: a
    /// blocking gen2 after a big UNLINK cost 282-337 ms in scripts/big-collections), so it keeps the server busy too.</summary>
    public void Tick(int hz, bool clientsActive = false)
    {
        var allocated = GC.GetTotalAllocatedBytes();
        var busy = clientsActive || allocated - _lastAllocated > QuietBytesPerTick;
        _lastAllocated = allocated;
        if (busy)
        {
            _quietTicks = 0;
            return;
        }
        if (++_quietTicks != QuietSeconds * Math.Max(1, hz)) return;
        var info = GC.GetGCMemoryInfo();
        if (info.TotalCommittedBytes - info.HeapSizeBytes < MaxSlack) return;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _lastAllocated = GC.GetTotalAllocatedBytes();
    }
}
