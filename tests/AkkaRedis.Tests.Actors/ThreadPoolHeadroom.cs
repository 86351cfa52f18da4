using System.Runtime.CompilerServices;

namespace AkkaRedis.Tests.Actors;

/// <summary>
/// Several tests park thread-pool threads on purpose (a handler that waits inside its shard, an actor waiting at a
/// shard's gate while a batch runs inline) while other test classes' actor systems run in parallel on the same pool.
/// On a 2-core machine the pool starts with 2 threads and adds more only after its starvation delay, so a parked
/// thread could stall another test's shards long enough to fail its timing (ShardHealthTests saw an idle shard
/// "behind": its expiry ticks queued while no pool thread was free). Enough threads from the start remove that.
/// </summary>
internal static class ThreadPoolHeadroom
{
    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
    }
}
