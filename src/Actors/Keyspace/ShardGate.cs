using AkkaRedis.Actors.Commands;
using Akka.Dispatch.MessageQueues;

namespace AkkaRedis.Actors.Keyspace;

/// <summary>
/// One thread at a time in a shard's data: its actor, or a session running a batch for that shard on its own thread
/// (<see cref="TryRun"/>) when the shard is idle, so that a request whose shard is free is answered without two
/// messages and two thread wake-ups (the shard's mailbox used as a lock rather than a queue, as Dragonfly's
/// coordinator runs a single-shard transaction inline). The actor takes the gate for every message it handles and may
/// wait for it; a session never waits: when the gate is taken, or anything is queued in the shard's mailbox (which
/// keeps the mailbox's order and lets queued work go first), or the Transaction actor holds the shard, the batch is
/// sent as a message as before. A blocking command is attempted the same way (<see cref="TryAttempt"/>): served, or
/// parked; and a batch run inline serves the blocked clients its commands made ready, as the actor would.
/// </summary>
public sealed class ShardGate
{
    private readonly object _lock = new();
    private IMessageQueue? _mailbox;
    private Action<ShardBatch>? _run;
    private Action<BlockedRequest>? _attempt;
    /// <summary>Set and cleared under the gate: the Transaction actor holds the shard, or blocked clients wait to be
    /// served by the actor.</summary>
    private bool _closed;

    /// <summary>Called by the shard actor once it exists: its mailbox, how it runs a batch and attempts a blocking
    /// command.</summary>
    internal void Attach(IMessageQueue mailbox, Action<ShardBatch> run, Action<BlockedRequest> attempt)
    {
        _mailbox = mailbox;
        _run = run;
        _attempt = attempt;
    }

    /// <summary>The actor's side: waits until no session runs a batch here.</summary>
    internal void Enter() => Monitor.Enter(_lock);

    internal void Exit() => Monitor.Exit(_lock);

    /// <summary>Under the gate: whether sessions must send their batches (held, blocked clients to serve first).</summary>
    internal bool Closed
    {
        set => _closed = value;
    }

    /// <summary>
    /// Runs <paramref name="batch"/> now, on this thread, if the shard is idle and nothing waits in its mailbox; false
    /// (nothing run) otherwise, and the caller sends it. Never waits.
    /// </summary>
    public bool TryRun(ShardBatch batch) => TryRun(_run, batch);

    /// <summary>Attempts the blocking command <paramref name="request"/> now, on this thread, under the same conditions
    /// as <see cref="TryRun"/>: it is answered (its session told) or parked; false (nothing done) otherwise.</summary>
    public bool TryAttempt(BlockedRequest request) => TryRun(_attempt, request);

    private bool TryRun<T>(Action<T>? run, T work)
    {
        if (run == null || _mailbox!.HasMessages || Monitor.IsEntered(_lock) || !Monitor.TryEnter(_lock)) return false;
        try
        {
            if (_closed) return false;
            run(work);
            return true;
        }
        finally
        {
            Monitor.Exit(_lock);
        }
    }
}
