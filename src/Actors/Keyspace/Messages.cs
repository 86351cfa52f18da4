using Akka.Actor;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Tracing;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Keyspace;

/// <summary>
/// The commands of one received batch that belong to one shard, in request order, and the space for their
/// replies. The session owns one per shard and reuses it; the shard fills <see cref="Ends"/> and sends it back.
/// </summary>
public sealed class ShardBatch
{
    /// <summary>Read by the session alone, which sends big values from storage by reference (see
    /// <see cref="RespWriter.AllowReferences"/>).</summary>
    public readonly RespWriter Writer = new() { AllowReferences = true };
    public readonly List<CommandArgs> Commands = new();
    public readonly List<CommandDef> Defs = new();
    /// <summary>Index of each command in the session's received batch.</summary>
    public readonly List<int> Positions = new();
    /// <summary>Reply start offset (in Writer) of each command; its end is the next start or <see cref="End"/>.</summary>
    public readonly List<int> Starts = new();
    public int End;
    public int Db;
    /// <summary>The connection that sent the commands (slow log entries name it).</summary>
    public ClientLabel? Client;
    public int ShardIndex;
    /// <summary>Per command, its trace when it is sampled; null (the usual case) while no command of the batch is.</summary>
    public List<CommandTrace?>? Traces;
    /// <summary>Index in Commands of the first command of the segment being sent (earlier ones were answered already).</summary>
    public int SegmentStart;

    public int Pending => Commands.Count - SegmentStart;

    /// <summary>Set by the shard: the command at this index (a script that reached an undeclared key of another shard
    /// before writing) wrote no reply and must run again holding every shard; the shard stopped there, so nothing the
    /// connection sent after it ran before it. -1 otherwise.</summary>
    public int RerunAt = -1;

    /// <summary>Set by a batch run on a session's thread: the command at this index (a script that had to leave that
    /// thread, Scripting.ScriptRun) and those after it did not run; the session sends them to the shard's actor.
    /// -1 otherwise.</summary>
    public int YieldAt = -1;

    /// <summary>Where this segment's answered commands end: <see cref="RerunAt"/> or <see cref="YieldAt"/>, or all
    /// of them.</summary>
    public int AnsweredEnd => RerunAt >= 0 ? RerunAt : YieldAt >= 0 ? YieldAt : Commands.Count;


    /// <summary>Client-side caching: the id of the tracking connection whose reads the shard remembers, and per command
    /// whether to (null, the usual case, while no command of the batch is remembered).</summary>
    public long TrackingClient;
    public List<bool>? Remember;

    /// <summary>The command just added is a read whose keys the shard remembers for <paramref name="clientId"/>
    /// (Redis's trackingRememberKeys after call()).</summary>
    public void RememberLast(long clientId)
    {
        TrackingClient = clientId;
        Remember ??= new List<bool>();
        while (Remember.Count < Commands.Count - 1) Remember.Add(false);
        Remember.Add(true);
    }

    public bool RememberAt(int index) => Remember != null && index < Remember.Count && Remember[index];

    public void Add(CommandArgs args, CommandDef def, int position, CommandTrace? trace = null)
    {
        Commands.Add(args);
        Defs.Add(def);
        Positions.Add(position);
        if (trace == null && (Traces == null || Traces.Count == 0)) return;
        Traces ??= new List<CommandTrace?>();
        while (Traces.Count < Commands.Count - 1) Traces.Add(null);
        Traces.Add(trace);
    }

    /// <summary>The trace of command <paramref name="index"/>, or null.</summary>
    public CommandTrace? TraceAt(int index) => Traces != null && index < Traces.Count ? Traces[index] : null;

    /// <summary>Whether the lists are sized for a big pipeline (<see cref="Trim"/> gives that memory back).</summary>
    public bool IsBusySized => Commands.Capacity > 256;

    /// <summary>The connection has been idle a while: lists sized for a big pipeline go.</summary>
    public void Trim()
    {
        Clear();
        if (IsBusySized)
        {
            Commands.Capacity = 0;
            Defs.Capacity = 0;
            Positions.Capacity = 0;
            Starts.Capacity = 0;
        }
    }

    /// <summary>Start of a new received batch.</summary>
    public void Clear()
    {
        Writer.Reset();
        Commands.Clear();
        Defs.Clear();
        Positions.Clear();
        Starts.Clear();
        Traces?.Clear();
        Remember?.Clear();
        SegmentStart = 0;
        End = 0;
        RerunAt = -1;
        YieldAt = -1;
    }
}

/// <summary>A command that needs several shards (cross-shard keys, or the whole keyspace): run by the Transaction actor.</summary>
public sealed class TransactionRequest
{
    public readonly RespWriter Writer = new();
    public CommandArgs Args = CommandArgs.Empty;
    public CommandDef Def = null!;
    public int Db;
    /// <summary>The connection that sent the command (slow log entries name it).</summary>
    public ClientLabel? Client;
    /// <summary>Shards to hold, ascending; empty means every shard.</summary>
    public readonly List<int> Shards = new();
    public int ReplyStart;
    public int ReplyEnd;
    public CommandTrace? Trace;
    /// <summary>Client-side caching: the tracking connection whose read this is (its keys are remembered), or 0.</summary>
    public long TrackingClient;
    /// <summary>EXEC's way (issue 11): no command is run; once the shards are held the Transaction actor hands their
    /// view to the requester (<see cref="ShardsHeld"/>) and keeps them until it sends <see cref="ReleaseShards"/>.</summary>
    public bool HandOver;
}

/// <summary>Transaction actor → session: the shards of a <see cref="TransactionRequest.HandOver"/> request are held;
/// run against <paramref name="Context"/> (their view), publish its effects, then release.</summary>
public sealed record ShardsHeld(TransactionRequest Request, ExecContext Context, long TransactionId);

/// <summary>Session → Transaction actor: done with the shards of <paramref name="Request"/> (after
/// <paramref name="Delay"/>: DEBUG SLEEP inside EXEC), or, with <paramref name="TransactionId"/> 0, a connection that
/// closed while waiting for them: they are released as soon as they are held.</summary>
public sealed record ReleaseShards(TransactionRequest Request, long TransactionId, TimeSpan? Delay = null);

/// <summary>
/// Session → shard: a single-shard EXEC, run in one turn of the shard that owns every queued and watched key (one hop,
/// no Transaction actor). The queue and the watch list belong to the session, untouched until this comes back.
/// </summary>
public sealed class ExecRequest
{
    public readonly RespWriter Writer = new() { AllowReferences = true };
    public MultiQueue Queue = null!;
    public Storage.Watcher? Watcher;
    public List<WatchRef> Watched = null!;
    public int Db;
    public ClientLabel? Client;
    public int ReplyStart;
    public int ReplyEnd;
}

/// <summary>Session → shards: forget <paramref name="Watcher"/>'s watches (UNWATCH, DISCARD, RESET, disconnect);
/// each shard removes those of <paramref name="Keys"/> it owns.</summary>
public sealed record UnwatchKeys(Storage.Watcher Watcher, WatchRef[] Keys);

/// <summary>
/// A scatter-gather command (Execution.ScatterGather): the session sends one <see cref="ScatterPart"/> per shard;
/// each shard computes its part into <see cref="Parts"/> (its own slot) without holding anything and sends the
/// part message back; the session merges once every part is in. One per session, reused.
/// </summary>
public sealed class ScatterRequest
{
    public CommandArgs Args = CommandArgs.Empty;
    public CommandDef Def = null!;
    public int Db;
    /// <summary>Per shard, its part (or the Exception its Scatter threw).</summary>
    public object?[] Parts = [];
    public int Remaining;
    public long StartTimestamp;
    public CommandTrace? Trace;
    /// <summary>One message per shard, made once: the shard fills its slot and sends the message back.</summary>
    public ScatterPart[] Messages = [];
}

/// <summary>Session → shard → session: compute part <see cref="Shard"/> of <see cref="Request"/>.</summary>
public sealed class ScatterPart(ScatterRequest request, int shard)
{
    public ScatterRequest Request { get; } = request;
    public int Shard { get; } = shard;
}

/// <summary>Transaction actor → shard: stop serving others and hand over your data until Release.</summary>
public sealed record Hold(long TransactionId, CommandTrace? Trace = null);

/// <summary>Shard → Transaction actor: held; here is my data.</summary>
public sealed record Held(long TransactionId, ShardData Data);

/// <summary>Transaction actor → shard: resume.</summary>
public sealed record Release(long TransactionId);

/// <summary>Session → every shard: a BCAST tracking client registers (or drops) prefixes (Redis's PrefixTable, one
/// copy per shard so that each shard matches its own modified keys).</summary>
public sealed record TrackingPrefixes(long ClientId, string[] Prefixes, bool Add);

/// <summary>Expiry actor → shard: run one active expire cycle within the given budget.</summary>
public sealed record ActiveExpireTick(TimeSpan Budget);
