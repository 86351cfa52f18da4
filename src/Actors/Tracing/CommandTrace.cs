using System.Diagnostics;

namespace AkkaRedis.Actors.Tracing;

/// <summary>
/// One sampled command on its way through the actors: its correlation id ("connection id:command sequence"), when
/// it was received, its root span, and when the message carrying it was last sent (for queue times). Only sampled
/// commands have one; the others carry null, so tracing costs nothing when it is off.
/// </summary>
public sealed class CommandTrace
{
    public CommandTrace(string id, string command, long receivedTimestamp, Activity? span)
    {
        Id = id;
        Command = command;
        ReceivedTimestamp = receivedTimestamp;
        Span = span;
    }

    public string Id { get; }
    public string Command { get; }
    /// <summary>Stopwatch timestamp of the session receiving the command.</summary>
    public long ReceivedTimestamp { get; }
    /// <summary>The command's root span, or null when no ActivityListener wants it.</summary>
    public Activity? Span { get; }
    /// <summary>Stopwatch timestamp of the last send of a message carrying this command (set by the sender).</summary>
    public long SentTimestamp;

    public ActivityContext SpanContext => Span?.Context ?? default;

    public double MicrosecondsSinceReceived(long now) => Micros(now - ReceivedTimestamp);

    public static double Micros(long stopwatchTicks) => stopwatchTicks * 1_000_000.0 / Stopwatch.Frequency;
}

/// <summary>One hop of a traced command, as written to the log.</summary>
/// <param name="TraceId">The command's correlation id.</param>
/// <param name="Hop">What happened: see <see cref="Hops"/>.</param>
/// <param name="ActorPath">The actor (or stream stage actor) where it happened.</param>
/// <param name="MessageType">The message that carried the command there.</param>
/// <param name="Command">The command's name.</param>
/// <param name="ElapsedUs">Microseconds since the session received the command.</param>
/// <param name="DurationUs">This hop's own time (queue wait, execution), 0 when it has none.</param>
public readonly record struct TraceHop(string TraceId, string Hop, string ActorPath, string MessageType, string Command,
    double ElapsedUs, double DurationUs);

/// <summary>The hops a command can make, in the order it makes them.</summary>
public static class Hops
{
    /// <summary>The session parsed the command from a received batch.</summary>
    public const string SessionReceive = "session.receive";
    /// <summary>The session ran a connection/server command itself.</summary>
    public const string SessionExecute = "session.execute";
    /// <summary>The session sent the command to a shard (in that shard's batch message).</summary>
    public const string SessionDispatch = "session.dispatch";
    /// <summary>The shard took the batch from its mailbox; duration = time in the mailbox.</summary>
    public const string ShardReceive = "shard.receive";
    /// <summary>The shard ran the command; duration = execution time.</summary>
    public const string ShardExecute = "shard.execute";
    /// <summary>The session sent the command to the Transaction actor (its keys span shards).</summary>
    public const string TransactionDispatch = "session.dispatch-transaction";
    /// <summary>The Transaction actor took the request from its mailbox; duration = time in the mailbox.</summary>
    public const string TransactionReceive = "transaction.receive";
    /// <summary>A shard handed itself over to the Transaction actor.</summary>
    public const string ShardHold = "shard.hold";
    /// <summary>The Transaction actor ran the command over the held shards; duration = execution time.</summary>
    public const string TransactionExecute = "transaction.execute";
    /// <summary>The reply is back in the session; elapsed = the command's whole time in the server so far.</summary>
    public const string SessionReply = "session.reply";
}
