using Akka.Configuration;
using Akka.Dispatch;

namespace AkkaRedis.Net.Streams;

/// <summary>
/// The executor of connections' stream actors (<see cref="Id"/>, the <see cref="ConnectionHosts"/>): the actor running a
/// connection runs on the thread whose socket operation just completed for it, instead of being handed to a thread-pool
/// thread, as redis-server's event loop reads,
/// runs and answers a request on one thread. With inline socket completions (the host sets
/// DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS) that is the socket engine's epoll thread, so a request wakes no other
/// thread at all when its shard is free (the session runs it there, see Keyspace.ShardGate); measured at pipeline 1,
/// 50 clients: 1.3x the throughput with 0.6x the server CPU per request of handing each completion to the pool.
/// </summary>
/// <remarks>
/// A connection scheduled by another one that runs on a socket thread runs on that thread right after it when asked
/// (<see cref="Following{T}"/>: a blocked client served), or is woken at the end of its epoll round
/// (<see cref="AfterRound"/>: a subscriber fed); never nested on its stack. Anything else that schedules a
/// connection's actor (a shard's reply, a timer, CLIENT KILL) goes through the thread pool as with Akka's default
/// executor, so a socket thread never runs shard actors or timers, and stacks stay flat.
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

    /// <summary>At most this many other connections' actors run after the completing one, on its thread, per socket
    /// completion (a push that serves many blocked clients); any more go to the pool.</summary>
    private const int MaxFollowing = 16;
    /// <summary>Connections scheduled by <see cref="Following{T}"/> while this thread runs one: they run here right
    /// after it, not on a pool thread that would have to be woken for them (Go's runnext).</summary>
    [ThreadStatic] private static IRunnable?[]? _following;
    [ThreadStatic] private static int _followingCount;
    /// <summary>Set inside <see cref="Following{T}"/>.</summary>
    [ThreadStatic] private static bool _follow;

    /// <summary>
    /// Runs <paramref name="tell"/>: a connection it schedules, when this is a socket thread running another one, runs
    /// right after that one on this thread. For a single answer another connection waits for (a blocked client served
    /// by this one's push): a round trip between two clients then wakes no other thread. Not for streams of messages
    /// (Pub/Sub): see <see cref="AfterRound"/>.
    /// </summary>
    public static void Following<T>(Action<T> tell, T argument)
    {
        // _follow is set only while a socket thread runs a connection, so that Execute sees how to run what it schedules.
        if (!_running || _follow)
        {
            tell(argument);
            return;
        }
        _follow = true;
        try
        {
            tell(argument);
        }
        finally
        {
            _follow = false;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> (a wake-up of another connection) at the end of this socket thread's epoll round
    /// (<see cref="LoopTail"/>, Redis's beforeSleep) when a connection runs here, else now. For streams of messages (a
    /// subscriber fed by publishers): the subscriber is woken once for the messages of every publisher of the round
    /// and writes them in one send, and no thread is woken for it; running it after each publisher's batch instead
    /// (<see cref="Following{T}"/>) cost one send per batch (0.7x the PUBLISH rate).
    /// </summary>
    public static void AfterRound(IAfterRound work)
    {
        if (_running && LoopTail.Defer(work)) return;
        work.RunAfterRound();
    }

    public override void Execute(IRunnable run)
    {
        if (!_completing)
        {
            ToPool(run);
            return;
        }
        if (_running)
        {
            if (_follow && _followingCount < MaxFollowing)
            {
                (_following ??= new IRunnable?[MaxFollowing])[_followingCount++] = run;
                return;
            }
            ToPool(run);
            return;
        }
        RunHere(run);
    }

    /// <summary>Runs <paramref name="run"/> on this thread now, then the connections it made follow
    /// (<see cref="Following{T}"/>). Only on a socket thread inside <see cref="Completing{T}"/>, not nested.</summary>
    internal static void RunHere(IRunnable run)
    {
        _running = true;
        var next = 0;
        try
        {
            run.Run();
            // Not nested: each runs after the previous one returned; those they schedule join the end of the list.
            while (next < _followingCount)
            {
                var following = _following![next]!;
                _following[next++] = null;
                following.Run();
            }
        }
        finally
        {
            // Only if one of them threw: those not started yet are not lost.
            for (; next < _followingCount; next++)
            {
                ToPool(_following![next]!);
                _following[next] = null;
            }
            _followingCount = 0;
            _running = false;
        }
    }

    internal static void ToPool(IRunnable run)
    {
        // Akka's mailboxes are thread-pool work items themselves: queued without a wrapper.
        if (run is IThreadPoolWorkItem item) ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
        else ThreadPool.UnsafeQueueUserWorkItem(static r => r.Run(), run, preferLocal: false);
    }

    public override void Shutdown() { }
}

/// <summary>Makes <see cref="SocketThreadExecutor"/> (HOCON: <c>executor = "AkkaRedis.Net.Streams.SocketThreadExecutorConfigurator, AkkaRedis.Net"</c>).</summary>
public sealed class SocketThreadExecutorConfigurator(Config config, IDispatcherPrerequisites prerequisites)
    : ExecutorServiceConfigurator(config, prerequisites)
{
    public override ExecutorService Produce(string id) => new SocketThreadExecutor(id);
}
