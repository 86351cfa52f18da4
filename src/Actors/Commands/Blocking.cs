using Akka.Actor;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// One blocking command (BLPOP, BLMOVE, BZPOPMIN, XREAD BLOCK...) of one client: the request the session sends to the
/// shard that owns its keys (or to the Transaction actor when they span shards), parked there in a FIFO queue per key
/// while it cannot be served (Redis's blockForKeys), and answered once: served, timed out, or unblocked.
/// <para>
/// Exactly one party answers it: whoever wins <see cref="TryClaim"/> (a shard serving one of its keys, the shard whose
/// timer fired, the session unblocking or closing). That atomic flag is the only state shared between actors; the
/// rest is written by the session before it sends the request and by the answering party after it claimed it.
/// </para>
/// </summary>
public sealed class BlockedRequest
{
    public BlockedRequest(CommandArgs args, CommandDef def, int db, ClientLabel? client, IActorRef session, int protocol)
    {
        Args = args;
        Def = def;
        Db = db;
        Client = client;
        Session = session;
        Writer.Protocol = protocol;
    }

    /// <summary>The command, copied out of receive memory (it may outlive the batch that carried it).</summary>
    public CommandArgs Args { get; }
    public CommandDef Def { get; }
    public int Db { get; }
    public ClientLabel? Client { get; }
    /// <summary>Where the answered request goes back to.</summary>
    public IActorRef Session { get; }
    public readonly RespWriter Writer = new(64);
    public int ReplyStart;
    public int ReplyEnd;

    /// <summary>Shards that own the command's keys, ascending (the first one runs the timeout timer).</summary>
    public int[] Shards = [];
    /// <summary>Every shard actor (indexed by shard) and the Transaction actor: whom the answering shard tells.</summary>
    public IActorRef[] ShardActors = [];
    public IActorRef Transactions = ActorRefs.Nobody;

    // ---- set by the handler (ExecContext.Block) the first time it finds nothing to serve ----
    /// <summary>The handler asked to wait (reset before each attempt).</summary>
    public bool Blocked;
    /// <summary>The type a ready key must have to serve this request (Redis's btype: BLOCKED_LIST, _ZSET, _STREAM).</summary>
    public RedisType WaitType;
    /// <summary>Absolute unix ms it times out at; 0 waits for ever.</summary>
    public long Deadline;
    /// <summary>Argument indexes of the keys it waits on (first..last, contiguous in every blocking command).</summary>
    public int FirstKey, LastKey;
    /// <summary>What the handler resolved at the first attempt and needs when served (XREAD's "$" as an ID).</summary>
    public object? State;
    /// <summary>Served from a ready key, it touches another shard too (BLMOVE/BRPOPLPUSH whose destination lives on
    /// another shard than its source): served through the Transaction actor, as is every request parked on keys of
    /// several shards (BlockingTable.ServeKey).</summary>
    public bool CrossShardServe;
    /// <summary>A request on its way to be served through the Transaction actor: a pass over the waiters of one of its
    /// keys stops at it until that actor is done with it (BlockingTable.ServeKey). Another of its shards may send it
    /// too before it sees this; the Transaction actor serves them one at a time, the second finding it claimed or not
    /// ready. Read by those other shards' threads, and written after <see cref="InFlightKey"/> (both volatile: a shard
    /// that sees it set sees that key too).</summary>
    public volatile bool InFlight;
    /// <summary>While <see cref="InFlight"/>: the argument index of the key it is being served from.</summary>
    public volatile int InFlightKey = -1;
    /// <summary>While <see cref="InFlight"/>: the passes over its keys' queues that stopped at it (BlockingTable.ServeKey),
    /// resumed by the Transaction actor once it is done with it (<see cref="TakePausedPasses"/>). Its shards may add
    /// to it at the same time (each from its own thread), hence the lock.</summary>
    private List<PausedPass>? _pausedPasses;
    private readonly object _passLock = new();

    public void PausePass(int shard, int db, byte[] key, bool include)
    {
        lock (_passLock) (_pausedPasses ??= new List<PausedPass>()).Add(new PausedPass(shard, db, key, include));
    }

    public List<PausedPass>? TakePausedPasses()
    {
        lock (_passLock)
        {
            var passes = _pausedPasses;
            _pausedPasses = null;
            return passes;
        }
    }

    private volatile bool _parked;

    /// <summary>Set by the Transaction actor once a request on keys of several shards waits in every one of their
    /// queues: only then is its client blocked for others to see (INFO blocked_clients, CLIENT LIST flag b), as Redis
    /// counts it in blockForKeys. Counted at the send, a client that saw it blocked could push to one of its keys before
    /// the Transaction actor attempted it, and the request, attempted after that push, took the element from a client
    /// that blocked before it.</summary>
    public bool Parked
    {
        get => _parked;
        set => _parked = value;
    }

    private int _claimed;

    /// <summary>True for the one caller that gets to answer this request.</summary>
    public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    public bool IsClaimed => Volatile.Read(ref _claimed) != 0;

    /// <summary>Marks the reply just written into <see cref="Writer"/> (from <paramref name="start"/>) as the answer.</summary>
    public void Answered(int start)
    {
        ReplyStart = start;
        ReplyEnd = Writer.Length;
    }

    /// <summary>replyToBlockedClientTimedOut: every blocking family answers a null array (RESP3 null) on timeout.</summary>
    public void AnswerTimeout()
    {
        var start = Writer.Length;
        Writer.NullArray();
        Answered(start);
    }

    /// <summary>CLIENT UNBLOCK id ERROR (unblockClientOnError).</summary>
    public void AnswerUnblocked()
    {
        var start = Writer.Length;
        Writer.Error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
        Answered(start);
    }

    /// <summary>Whether the key at argument <paramref name="index"/> is one this request waits on.</summary>
    public int KeyIndexOf(ReadOnlySpan<byte> key)
    {
        for (var i = FirstKey; i <= LastKey; i++)
            if (Args[i].Span.SequenceEqual(key)) return i;
        return -1;
    }
}

/// <summary>A pass over the waiters of <paramref name="Key"/> on <paramref name="Shard"/> that stopped at a request
/// served through the Transaction actor; <paramref name="Include"/>: it goes on from that request (never offered the
/// key), else from the one after it.</summary>
public readonly record struct PausedPass(int Shard, int Db, byte[] Key, bool Include);

/// <summary>Shard → shard: forget a request another party answered (or whose client left).</summary>
public sealed record ForgetBlocked(BlockedRequest Request);

/// <summary>Shard timer → shard: the request's timeout is due.</summary>
public sealed record BlockedTimeout(BlockedRequest Request);

/// <summary>Transaction actor → shard: a request it parked while holding this shard needs this shard's timer.</summary>
public sealed record StartBlockedTimer(BlockedRequest Request);

/// <summary>Shard → Transaction actor: serve this request (a cross-shard BLMOVE) from the ready key at
/// <paramref name="KeyIndex"/>, holding every shard it touches.</summary>
public sealed record ServeBlocked(BlockedRequest Request, int KeyIndex);

/// <summary>Parsing of blocking commands' timeouts, with Redis's replies.</summary>
public static class BlockingArgs
{
    /// <summary>
    /// getTimeoutFromObjectOrReply with UNIT_SECONDS: a long double of seconds, times 1000 and cast to long long (C's
    /// cast of a value out of range gives LLONG_MIN on x86: "inf" and 1e400 answer "timeout is negative", and 0.0001
    /// truncates to 0, which waits for ever). Returns the absolute unix ms, or 0 for ever.
    /// </summary>
    public static bool TryGetSeconds(ExecContext c, ReadOnlySpan<byte> arg, out long deadline)
    {
        deadline = 0;
        if (!LongDouble.TryParse(arg, out var value) || value.IsNaN)
        {
            c.Reply.Error("ERR timeout is not a float or out of range");
            return false;
        }
        double ms;
        if (value.IsInfinity) ms = double.NaN;
        else ms = (value.IsNegative ? -1 : 1) * Math.ScaleB((double)value.Mantissa, value.Exponent) * 1000.0;
        long tval = double.IsFinite(ms) && ms < 9.2233720368547758E18 && ms >= -9.2233720368547758E18 ? (long)ms : long.MinValue;
        return Finish(c, tval, out deadline);
    }

    /// <summary>getTimeoutFromObjectOrReply with UNIT_MILLISECONDS (XREAD's BLOCK): an integer.</summary>
    public static bool TryGetMilliseconds(ExecContext c, ReadOnlySpan<byte> arg, out long deadline)
    {
        deadline = 0;
        if (!RedisNumbers.TryParseLong(arg, out var tval))
        {
            c.Reply.Error("ERR timeout is not an integer or out of range");
            return false;
        }
        return Finish(c, tval, out deadline);
    }

    private static bool Finish(ExecContext c, long tval, out long deadline)
    {
        deadline = 0;
        if (tval < 0)
        {
            c.Reply.Error("ERR timeout is negative");
            return false;
        }
        if (tval > 0)
        {
            if (tval > long.MaxValue - c.Now)
            {
                c.Reply.Error("ERR timeout is out of range");
                return false;
            }
            deadline = tval + c.Now;
        }
        return true;
    }
}
