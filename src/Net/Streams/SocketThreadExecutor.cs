using Akka.Configuration;
using Akka.Dispatch;

namespace AkkaRedis.Net.Streams;

/// <summary>
/// The executor of connections' stream actors (<see cref="Id"/>): a connection's actor runs on the thread whose socket
/// operation just completed for it, instead of being handed to a thread-pool thread, as redis-server's event loop reads,
/// runs and answers a request on one thread. With inline socket completions (the host sets
/// DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS) that is the socket engine's epoll thread, so a request wakes no other
/// thread at all when its shard is free (the session runs it there, see Keyspace.ShardGate); measured at pipeline 1,
/// 50 clients: 1.3x the throughput with 0.6x the server CPU per request of handing each completion to the pool.
/// </summary>
/// <remarks>
/// Anything else that schedules a connection's actor (a shard's reply, a Pub/Sub message, a timer, another connection's
/// CLIENT KILL) goes through the thread pool as with Akka's default executor: only a socket completion may borrow its
/// thread, and only for one actor at a time (no nesting: a connection that tells another does not run it on its
/// stack), so a socket thread never runs shard actors or timers, and stacks stay flat.
/// </remarks>
public sealed class SocketThreadExecutor(string id) : ExecutorService(id)
{
    /// <summary>The dispatcher id connections' graphs are materialized with (configured in HOCON/akka.conf).</summary>
    public const string Id = "akkaredis.connection-dispatcher";

    /// <summary>Set while a socket completion callback runs on this thread: its actor may run here.</summary>
    [ThreadStatic] private static bool _completing;
    /// <summary>An actor already runs on this thread (nested schedules go to the pool).</summary>
    [ThreadStatic] private static bool _running;

    /// <summary>Runs a socket completion's continuation, letting the actor it schedules run on this thread.</summary>
    public static void Completing<T>(Action<T> continuation, T argument)
    {
        if (_completing)
        {
            continuation(argument);
            return;
        }
        _completing = true;
        try
        {
            continuation(argument);
        }
        finally
        {
            _completing = false;
        }
    }

    public override void Execute(IRunnable run)
    {
        if (!_completing || _running)
        {
            // Akka's mailboxes are thread-pool work items themselves: queued without a wrapper.
            if (run is IThreadPoolWorkItem item) ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
            else ThreadPool.UnsafeQueueUserWorkItem(static r => r.Run(), run, preferLocal: false);
            return;
        }
        _running = true;
        try
        {
            run.Run();
        }
        finally
        {
            _running = false;
        }
    }

    public override void Shutdown() { }
}

/// <summary>Makes <see cref="SocketThreadExecutor"/> (HOCON: <c>executor = "AkkaRedis.Net.Streams.SocketThreadExecutorConfigurator, AkkaRedis.Net"</c>).</summary>
public sealed class SocketThreadExecutorConfigurator(Config config, IDispatcherPrerequisites prerequisites)
    : ExecutorServiceConfigurator(config, prerequisites)
{
    public override ExecutorService Produce(string id) => new SocketThreadExecutor(id);
}
