using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Actors.Keyspace;

/// <summary>What the blocking table needs from whoever serves it (the shard actor).</summary>
public interface IBlockingHost
{
    /// <summary>The request was answered here (served or timed out): send it to its session; the other shards it waits
    /// on forget it.</summary>
    void Answer(BlockedRequest request);

    /// <summary>The request must be served holding other shards too (a BLMOVE whose destination is elsewhere).</summary>
    void ServeAcrossShards(BlockedRequest request, int keyIndex);
}

/// <summary>
/// One shard's blocked clients (Redis's blocked.c, per shard): a FIFO queue of requests per (db, key) they wait on,
/// and the keys signalled ready since the last serving. Plain data owned by the shard, or by the Transaction actor
/// while it holds the shard (it parks cross-shard requests here directly, so that no wake-up is lost between its
/// attempt and the parking). Serving runs on the shard after each command and when a hold is released, as Redis's
/// handleClientsBlockedOnKeys runs after each command, EXEC or script.
/// </summary>
public sealed class BlockingTable : IReadyKeys
{
    private readonly ShardData _data;
    private readonly int _shardCount;
    private readonly Dictionary<byte[], LinkedList<BlockedRequest>>?[] _queues;
    private readonly int[] _waitersPerDb;
    private readonly Dictionary<BlockedRequest, List<(int Db, byte[] Key, LinkedListNode<BlockedRequest> Node)>> _parked =
        new(ReferenceEqualityComparer.Instance);
    private List<(int Db, byte[] Key)> _ready = new();
    private List<(int Db, byte[] Key)> _serving = new();
    private readonly HashSet<(int Db, byte[] Key)> _readySet = new(new ReadyKeyComparer());
    /// <summary>Ready keys whose pass resumes at a request (<see cref="Resume"/>) rather than at the queue's head.</summary>
    private readonly Dictionary<(int Db, byte[] Key), (BlockedRequest At, bool Include)> _resumeAt = new(new ReadyKeyComparer());

    public BlockingTable(ShardData data, int shardCount)
    {
        _data = data;
        _shardCount = shardCount;
        _queues = new Dictionary<byte[], LinkedList<BlockedRequest>>?[data.Databases.Length];
        _waitersPerDb = new int[data.Databases.Length];
    }

    /// <summary>Requests parked on this shard.</summary>
    public int Count => _parked.Count;

    /// <summary>Keys were signalled ready since the last serving (one field read: the per-command check).</summary>
    public bool HasReady => _ready.Count > 0;

    public bool IsParked(BlockedRequest request) => _parked.ContainsKey(request);

    /// <summary>signalKeyAsReady: the key goes on the ready list once, if a client waits on it.</summary>
    public void Signal(Database db, ReadOnlySpan<byte> key)
    {
        var queues = _queues[db.Index];
        if (queues == null || !queues.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key, out var stored, out _)) return;
        MarkReady(db.Index, stored);
    }

    public void SignalAll(Database db)
    {
        if (_queues[db.Index] is not { } queues) return;
        foreach (var key in queues.Keys) MarkReady(db.Index, key);
    }

    /// <summary>A new signal: the key's next pass offers it to every waiter, from the head of its queue (a pass that
    /// was to resume at a request is widened, so that no waiter before it misses what was just pushed).</summary>
    private void MarkReady(int db, byte[] key)
    {
        if (_readySet.Add((db, key))) _ready.Add((db, key));
        else if (_resumeAt.Count > 0) _resumeAt.Remove((db, key));
    }

    /// <summary>
    /// The Transaction actor, holding this shard, is done with <paramref name="request"/>, at which a pass over
    /// <paramref name="key"/>'s waiters stopped (<see cref="ServeKey"/>): the pass goes on, from that request when
    /// <paramref name="include"/> (it was served from another key meanwhile and was never offered this one), else from
    /// the waiter after it. From the head of the queue when the request left it (those before it are offered again:
    /// harmless, they were passed over for their type or stayed blocked). The pass is served once the hold ends.
    /// </summary>
    public void Resume(int db, byte[] key, BlockedRequest request, bool include)
    {
        if (_queues[db] is not { } queues || !queues.ContainsKey(key)) return;
        if (_readySet.Add((db, key)))
        {
            _ready.Add((db, key));
            _resumeAt[(db, key)] = (request, include);
        }
        else _resumeAt.Remove((db, key)); // a pass from the head is due anyway
    }

    /// <summary>blockForKeys: the request waits, at the tail of each queue, on those of its keys this shard owns.</summary>
    public void Park(BlockedRequest request)
    {
        var nodes = new List<(int, byte[], LinkedListNode<BlockedRequest>)>();
        var db = request.Db;
        var queues = _queues[db] ??= new Dictionary<byte[], LinkedList<BlockedRequest>>(ByteArrayComparer.Instance);
        for (var i = request.FirstKey; i <= request.LastKey; i++)
        {
            var key = request.Args[i].Span;
            if (_shardCount > 1 && HashSlot.ShardOf(key, _shardCount) != _data.Index) continue;
            var copy = key.ToArray();
            if (!queues.TryGetValue(copy, out var queue)) queues[copy] = queue = new LinkedList<BlockedRequest>();
            nodes.Add((db, copy, queue.AddLast(request)));
        }
        if (nodes.Count == 0) return;
        _parked[request] = nodes;
        if (_waitersPerDb[db]++ == 0) _data.Databases[db].Waiting = this;
    }

    /// <summary>The request leaves every queue of this shard (answered, or its client left).</summary>
    public void Remove(BlockedRequest request)
    {
        if (!_parked.Remove(request, out var nodes)) return;
        foreach (var (db, key, node) in nodes)
        {
            var queue = node.List!;
            queue.Remove(node);
            if (queue.Count == 0) _queues[db]!.Remove(key);
        }
        var first = nodes[0].Db;
        if (--_waitersPerDb[first] == 0)
        {
            _data.Databases[first].Waiting = null;
            _queues[first] = null;
        }
    }

    /// <summary>
    /// The first attempt of a request (its keys all held by <paramref name="ctx"/>): true when it must wait (nothing
    /// written), false when answered (served, an error, or a non-blocking answer).
    /// </summary>
    public static bool Attempt(ExecContext ctx, BlockedRequest request) => !Run(ctx, request, -1) && request.Blocked;

    /// <summary>Runs the request's handler; true when it wrote its answer into the request's writer.</summary>
    public static bool Run(ExecContext ctx, BlockedRequest request, int serveKey)
    {
        request.Blocked = false;
        var start = request.Writer.Length;
        ctx.MayBlock = true;
        ctx.Request = request;
        ctx.ServeKey = serveKey;
        try
        {
            CommandRunner.Run(ctx, request.Def, request.Args, request.Writer, request.Db, request.Client);
        }
        finally
        {
            ctx.MayBlock = false;
            ctx.Request = null;
            ctx.ServeKey = -1;
        }
        if (request.Blocked)
        {
            request.Writer.Truncate(start);
            return false;
        }
        if (request.Writer.Length == start && serveKey >= 0) return false; // claimed by another party: nothing done
        request.Answered(start);
        return true;
    }

    /// <summary>
    /// handleClientsBlockedOnKeys: for each ready key in the order signalled, its waiters in FIFO order are offered the
    /// key while it has the type they wait for (a list for BLPOP...; a stream waiter is always offered it, as XREADGROUP
    /// answers an error when its stream went away); serving may make more keys ready (BLMOVE's push), served in turn.
    /// </summary>
    public void ServeReady(ExecContext ctx, IBlockingHost host)
    {
        while (_ready.Count > 0)
        {
            (_ready, _serving) = (_serving, _ready);
            foreach (var (db, key) in _serving)
            {
                _readySet.Remove((db, key));
                var skip = 0;
                if (_resumeAt.Count > 0 && _resumeAt.Remove((db, key), out var resume)) skip = PositionOf(db, key, resume.At, resume.Include);
                ServeKey(ctx, host, db, key, skip);
            }
            _serving.Clear();
        }
    }

    /// <summary>How many waiters of the key's queue come before <paramref name="request"/> (and it, unless
    /// <paramref name="include"/>); 0 when it left the queue.</summary>
    private int PositionOf(int db, byte[] key, BlockedRequest request, bool include)
    {
        if (_queues[db] is not { } queues || !queues.TryGetValue(key, out var queue)) return 0;
        var index = 0;
        for (var node = queue.First; node != null; node = node.Next, index++)
            if (node.Value == request) return include ? index : index + 1;
        return 0;
    }

    /// <summary>
    /// One pass over the key's waiters, from the waiter at <paramref name="skip"/>. A waiter on keys of several shards
    /// is served through the Transaction actor, and the pass stops at it until that actor is done with it (it then
    /// resumes the pass, <see cref="Resume"/>): the waiters behind it must not take what it is about to be served
    /// (FIFO per key, as Redis), nor be left unserved while it is away. A pass that reaches a waiter already away
    /// (served from another of its keys) stops there too and resumes with it, so that no wake-up is lost when the other
    /// key turns out empty.
    /// </summary>
    private void ServeKey(ExecContext ctx, IBlockingHost host, int db, byte[] key, int skip)
    {
        var database = _data.Databases[db];
        while (true)
        {
            // Restarted after each request that leaves the queue (it may have been parked on this key twice).
            if (_queues[db] is not { } queues || !queues.TryGetValue(key, out var queue)) return;
            var node = queue.First;
            for (var i = 0; i < skip && node != null; i++) node = node.Next;
            if (node == null) return;
            var request = node.Value;
            if (request.IsClaimed)
            {
                Remove(request);
                continue;
            }
            skip++;
            var obj = database.Find(key, ServerClock.UnixMs());
            var typed = obj.Exists && obj.Type == request.WaitType;
            if (!typed && request.WaitType != RedisType.Stream) continue;
            var keyIndex = request.KeyIndexOf(key);
            // A request parked on keys of several shards is served through the Transaction actor too: each of its
            // shards may find one of its keys ready at the same moment, and a run on the request writes it (Blocked,
            // its reply) before it knows whether it is the one that claims it; run on two shards at once, one of them
            // could drop it from its queue unanswered (BlockingConcurrencyTests hung) or answer it a second time.
            if (request.InFlight)
            {
                request.PausePass(_data.Index, db, key, include: request.InFlightKey != keyIndex);
                return;
            }
            if (request.CrossShardServe || request.Shards.Length > 1)
            {
                request.InFlightKey = keyIndex;
                request.InFlight = true;
                request.PausePass(_data.Index, db, key, include: false);
                host.ServeAcrossShards(request, keyIndex);
                return;
            }
            var answered = Run(ctx, request, keyIndex);
            if (request.Blocked) continue;
            skip--;
            Remove(request);
            if (answered) host.Answer(request);
        }
    }

    private sealed class ReadyKeyComparer : IEqualityComparer<(int Db, byte[] Key)>
    {
        private static readonly ByteArrayComparer Keys = ByteArrayComparer.Instance;
        public bool Equals((int Db, byte[] Key) x, (int Db, byte[] Key) y) => x.Db == y.Db && Keys.Equals(x.Key, y.Key);
        public int GetHashCode((int Db, byte[] Key) obj) => HashCode.Combine(obj.Db, Keys.GetHashCode(obj.Key));
    }
}
