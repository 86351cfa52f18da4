using Akka.Actor;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Tracing;
using System.Diagnostics;

namespace AkkaRedis.Actors.Transactions;

/// <summary>
/// Runs commands that need several shards at once (cross-shard keys, whole-keyspace writes): holds the shards, runs
/// the command against their data, releases them. It is the only actor that holds more than one shard.
/// <para>
/// Scheduling, as Dragonfly's transaction scheduler orders it: each shard has a queue of the transactions that need
/// it, in arrival order; a transaction holds its shards once it is at the head of every one of its queues. So
/// transactions on disjoint shard sets are held and run at the same time, transactions that share a shard run in
/// arrival order, and since every queue follows the one arrival order no two transactions wait for each other
/// (no deadlock). Each one runs in its own context; its write effects are published as one atomic block while its
/// shards are still held, so nothing those shards do later can be seen before it.
/// </para>
/// </summary>
public sealed class TransactionActor : UntypedActor, IWithTimers
{
    private readonly CommandServices _server;
    private readonly IActorRef[] _shards;
    private readonly ShardData[] _shardData;
    private readonly Queue<Transaction>[] _queues;
    private readonly Dictionary<long, Transaction> _active = new();
    private readonly Stack<Transaction> _pool = new();
    private readonly StatsCell _stats;
    private long _nextId;
    private string? _path;

    /// <summary>One request on its way through the queues; reused (its view and context) once finished.</summary>
    private sealed class Transaction
    {
        public Transaction(CommandServices services, int shardCount, StatsCell stats)
        {
            View = new KeyspaceView(shardCount);
            Context = new ExecContext(services, View, stats);
        }

        public readonly KeyspaceView View;
        public readonly ExecContext Context;
        public readonly List<int> Shards = new();
        public long Id;
        public TransactionRequest Request = null!;
        public IActorRef Requester = ActorRefs.Nobody;
        public int AwaitingHeld;
        public bool Started;
        /// <summary>Its requester closed before the shards were handed over: released as soon as they are held.</summary>
        public bool Cancelled;
        /// <summary>A blocking command on keys of several shards (first attempt, or a cross-shard BLMOVE served from
        /// its ready source key <see cref="ServeKey"/>), instead of <see cref="Request"/>.</summary>
        public BlockedRequest? Blocking;
        public int ServeKey = -1;
    }

    public TransactionActor(CommandServices server, IActorRef[] shards, ShardData[] shardData)
    {
        _server = server;
        _shards = shards;
        _shardData = shardData;
        _queues = new Queue<Transaction>[shards.Length];
        for (var i = 0; i < shards.Length; i++) _queues[i] = new Queue<Transaction>();
        _stats = server.Stats.NewCell();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CommandServices server, IActorRef[] shards, ShardData[] data) =>
        Akka.Actor.Props.Create(() => new TransactionActor(server, shards, data));

    private sealed record ReleaseNow(long TransactionId);

    /// <summary>How many transactions are holding their shards right now (for tests of the scheduling).</summary>
    public sealed record GetActive
    {
        public static readonly GetActive Instance = new();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case TransactionRequest request:
                Enqueue(request, Sender);
                break;
            case BlockedRequest blocked:
                EnqueueBlocking(blocked, -1);
                break;
            case ServeBlocked serve:
                EnqueueBlocking(serve.Request, serve.KeyIndex);
                break;
            case Held held when _active.TryGetValue(held.TransactionId, out var tx):
                tx.View.Hold(held.Data);
                // Keys the held databases expire by themselves become effects of this hold, in order.
                foreach (var db in held.Data.Databases) db.Events = tx.Context;
                if (--tx.AwaitingHeld == 0) Run(tx);
                break;
            case ReleaseNow release when _active.TryGetValue(release.TransactionId, out var sleeping):
                Finish(sleeping);
                break;
            case ReleaseShards release:
                Release(release);
                break;
            case GetActive:
                Sender.Tell(_active.Count);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>A blocking request held across its shards: its first attempt tries the keys in order and, if it must
    /// wait, parks it on every shard while they are held (no wake-up lost); a cross-shard BLMOVE is served holding its
    /// source and destination.</summary>
    private void EnqueueBlocking(BlockedRequest request, int serveKey)
    {
        var tx = _pool.Count > 0 ? _pool.Pop() : new Transaction(_server, _shards.Length, _stats);
        tx.Id = ++_nextId;
        tx.Blocking = request;
        tx.ServeKey = serveKey;
        tx.Requester = Sender;
        tx.Started = false;
        tx.Shards.Clear();
        tx.Shards.AddRange(request.Shards);
        foreach (var shard in tx.Shards) _queues[shard].Enqueue(tx);
        TryStart(tx);
    }

    private void RunBlocking(Transaction tx, BlockedRequest request)
    {
        var context = tx.Context;
        context.HoldFor = null;
        context.Effects.Enabled = _server.Effects.Active;
        var answered = false;
        if (tx.ServeKey < 0)
        {
            if (BlockingTable.Attempt(context, request))
            {
                foreach (var shard in tx.View.Shards) shard.Blocking.Park(request);
                request.Parked = true;
                if (request.Deadline != 0) _shards[request.Shards[0]].Tell(new StartBlockedTimer(request));
            }
            else answered = true;
        }
        else
        {
            request.InFlight = false;
            request.InFlightKey = -1;
            // Served (or answered by another party meanwhile): it leaves the queues; else (the source is empty again)
            // it keeps its place at the head of its queue.
            var served = BlockingTable.Run(context, request, tx.ServeKey);
            if (!request.Blocked)
            {
                foreach (var shard in tx.View.Shards) shard.Blocking.Remove(request);
                if (served)
                {
                    answered = true;
                    foreach (var shard in request.Shards) _shards[shard].Tell(new ForgetBlocked(request));
                }
            }
            // The passes that stopped at it go on, on each shard, once the hold ends (every one of them is held).
            if (request.TakePausedPasses() is { } paused)
                foreach (var pass in paused) _shardData[pass.Shard].Blocking.Resume(pass.Db, pass.Key, request, pass.Include);
        }
        _server.Effects.Publish(-1, context.Effects, atomic: true);
        // After the effects: Redis propagates a served pop before the client can read its reply.
        if (answered) request.Session.Tell(request);
        Finish(tx);
    }

    private void Enqueue(TransactionRequest request, IActorRef requester)
    {
        var tx = _pool.Count > 0 ? _pool.Pop() : new Transaction(_server, _shards.Length, _stats);
        tx.Id = ++_nextId;
        tx.Blocking = null;
        tx.Request = request;
        tx.Requester = requester;
        tx.Started = false;
        tx.Cancelled = false;
        tx.Shards.Clear();
        if (request.Shards.Count == 0)
            for (var i = 0; i < _shards.Length; i++) tx.Shards.Add(i);
        else tx.Shards.AddRange(request.Shards);
        if (request.Trace is { } trace)
        {
            var now = Stopwatch.GetTimestamp();
            _server.Tracer.Hop(trace, Hops.TransactionReceive, Path, nameof(TransactionRequest), now, CommandTrace.Micros(now - trace.SentTimestamp));
            trace.SentTimestamp = Stopwatch.GetTimestamp();
        }
        foreach (var shard in tx.Shards) _queues[shard].Enqueue(tx);
        TryStart(tx);
    }

    /// <summary>Transactions to try to start, and whether that is under way: a transaction run at once (gated) finishes
    /// and starts the next ones from a loop, not from a deeper and deeper stack of Finish / TryStart calls.</summary>
    private readonly Queue<Transaction> _toStart = new();
    private bool _starting;

    private void TryStart(Transaction tx)
    {
        _toStart.Enqueue(tx);
        if (_starting) return;
        _starting = true;
        try
        {
            while (_toStart.TryDequeue(out var next)) StartIfHead(next);
        }
        finally
        {
            _starting = false;
        }
    }

    /// <summary>Holds the transaction's shards once it heads every one of its queues (or runs it at once holding their
    /// gates, when they are free).</summary>
    private void StartIfHead(Transaction tx)
    {
        if (tx.Started) return;
        foreach (var shard in tx.Shards)
            if (_queues[shard].Peek() != tx) return;
        tx.Started = true;
        if (tx.Blocking == null && CrossShardRun.Suits(tx.Request)
            && CrossShardRun.ForCurrentThread(_server, _shardData).TryRun(tx.Request, tx.Shards, wait: true))
        {
            // Its shards were all free: run here holding their gates (as a session does), no Hold / Release messages.
            Finish(tx, held: false);
            return;
        }
        tx.AwaitingHeld = tx.Shards.Count;
        _active[tx.Id] = tx;
        // Each shard stops serving others as soon as it sees its Hold; no other transaction holds it meanwhile.
        foreach (var shard in tx.Shards) _shards[shard].Tell(new Hold(tx.Id, tx.Blocking == null ? tx.Request.Trace : null));
    }

    private void Run(Transaction tx)
    {
        if (tx.Blocking is { } blocking)
        {
            RunBlocking(tx, blocking);
            return;
        }
        var request = tx.Request;
        var context = tx.Context;
        if (request.HandOver)
        {
            HandOver(tx);
            return;
        }
        request.ReplyStart = request.Writer.Length;
        context.HoldFor = null;
        context.Effects.Enabled = _server.Effects.Active;
        var start = Stopwatch.GetTimestamp();
        CommandRunner.Run(context, request.Def, request.Args, request.Writer, request.Db, request.Client);
        // A tracked read across shards (MGET...): its keys are remembered while the shards are held.
        if (request.TrackingClient != 0) tx.View.RememberKeys(_server.Tracking!, request.Def, request.Args, request.TrackingClient, _keyIndexes);
        // Published while the shards are still held: nothing they do later can be seen before it.
        _server.Effects.Publish(-1, context.Effects, atomic: true);
        if (context.RerunHoldingEveryShard)
        {
            // A script reached a key of a shard this hold lacks, before writing anything (Scripting.ScriptRun): it
            // wrote no reply; it goes to the back of every queue, to run again holding every shard.
            context.RerunHoldingEveryShard = false;
            var requester = tx.Requester;
            request.Shards.Clear();
            Finish(tx, answer: false);
            Enqueue(request, requester);
            return;
        }
        request.ReplyEnd = request.Writer.Length;
        if (request.Trace is { } trace)
        {
            var end = Stopwatch.GetTimestamp();
            _server.Tracer.Hop(trace, Hops.TransactionExecute, Path, nameof(TransactionRequest), end, CommandTrace.Micros(end - start));
            CommandTracer.ChildSpan(trace, Hops.TransactionExecute, Path, start, end);
        }
        if (context.HoldFor is { } delay && delay > TimeSpan.Zero)
            Timers.StartSingleTimer(tx.Id, new ReleaseNow(tx.Id), delay);
        else Finish(tx);
    }

    /// <summary>
    /// EXEC (see SessionStage.Transactions): the session runs the queue itself against the held view, since the queue
    /// mixes keyspace commands with connection commands (SELECT changes the database of the commands after it, CLIENT,
    /// CONFIG...) that only the session can run; the shards stay held until it releases them. It publishes the
    /// effects before releasing, so they are one block ahead of anything the shards do next.
    /// </summary>
    private void HandOver(Transaction tx)
    {
        if (tx.Cancelled)
        {
            Finish(tx);
            return;
        }
        tx.Context.HoldFor = null;
        tx.Context.Effects.Enabled = _server.Effects.Active;
        tx.Requester.Tell(new ShardsHeld(tx.Request, tx.Context, tx.Id));
    }

    private void Release(ReleaseShards release)
    {
        if (release.TransactionId != 0 && _active.TryGetValue(release.TransactionId, out var held))
        {
            if (release.Delay is { } delay && delay > TimeSpan.Zero) Timers.StartSingleTimer(held.Id, new ReleaseNow(held.Id), delay);
            else Finish(held);
            return;
        }
        // The requester is gone: find its transaction wherever it is (rare: a connection closed during its EXEC).
        foreach (var tx in _active.Values)
        {
            if (tx.Request != release.Request) continue;
            // Handed over already (its ShardsHeld went to a closed connection) or still collecting Held replies.
            if (tx.AwaitingHeld == 0) Finish(tx);
            else tx.Cancelled = true;
            return;
        }
        foreach (var queue in _queues)
        foreach (var tx in queue)
            if (tx.Request == release.Request) tx.Cancelled = true;
    }

    private string Path => _path ??= Self.Path.ToString();
    private readonly List<int> _keyIndexes = new();

    private void Finish(Transaction tx, bool answer = true, bool held = true)
    {
        if (held)
        {
            _active.Remove(tx.Id);
            foreach (var shard in tx.Shards) _shards[shard].Tell(new Release(tx.Id));
            tx.View.ReleaseAll();
        }
        // A handed-over request was answered by its requester itself; a blocking request answers its client itself.
        if (answer && tx.Blocking == null && !tx.Request.HandOver) tx.Requester.Tell(tx.Request);
        foreach (var shard in tx.Shards) _queues[shard].Dequeue();
        // The next transaction of each freed queue may now head all of its queues.
        foreach (var shard in tx.Shards)
            if (_queues[shard].Count > 0) TryStart(_queues[shard].Peek());
        tx.Request = null!;
        tx.Blocking = null;
        tx.Requester = ActorRefs.Nobody;
        _pool.Push(tx);
    }
}
