using AkkaRedis.Actors.Commands;
using Akka.Dispatch.MessageQueues;

namespace AkkaRedis.Actors.Keyspace;

/// <summary>
/// One thread at a time in a shard's data: its actor, or a session running a batch for that shard on its own thread
/// (<see cref="TryRun"/>) when the shard is idle, so that a request whose shard is free is answered without two
/// messages and two thread wake-ups (the shard's mailbox used as a lock rather than a queue, as Dragonfly's
/// coordinator runs a single-shard transaction inline). The actor takes the gate for every message it handles and may
/// wait for it; a session never blocks: when the gate is taken (after a short spin if another session borrows it,
/// <see cref="AwaitSession"/>), or anything is queued in the shard's mailbox (which keeps the mailbox's order and lets
/// queued work go first), or the Transaction actor holds the shard, the batch is sent as a message as before. A
/// blocking command (<see cref="TryAttempt"/>: served or parked) and a single-shard EXEC (<see cref="TryExec"/>) are
/// run the same way, a batch run inline serves the blocked clients its commands made ready as the actor would, and a
/// command or EXEC across shards takes several gates at once (<see cref="TryEnterAll"/>; the Transaction actor's
/// <see cref="EnterAll"/>, see <see cref="CrossShardRun"/>).
/// </summary>
public sealed class ShardGate
{
    private readonly object _lock = new();
    private IMessageQueue? _mailbox;
    private Action<ShardBatch>? _run;
    private Action<BlockedRequest>? _attempt;
    private Action? _released;
    private Action<ExecRequest>? _exec;
    /// <summary>Set and cleared under the gate: the Transaction actor holds the shard, or blocked clients wait to be
    /// served by the actor.</summary>
    private bool _closed;

    /// <summary>Called by the shard actor once it exists: its mailbox, how it runs a batch, an EXEC, attempts a
    /// blocking command, and ends a hold of its data by a <see cref="CrossShardRun"/>.</summary>
    internal void Attach(IMessageQueue mailbox, Action<ShardBatch> run, Action<ExecRequest> exec, Action<BlockedRequest> attempt,
        Action released)
    {
        _mailbox = mailbox;
        _run = run;
        _exec = exec;
        _attempt = attempt;
        _released = released;
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

    /// <summary>Runs a single-shard EXEC now, on this thread, under the same conditions as <see cref="TryRun"/>.</summary>
    public bool TryExec(ExecRequest exec) => TryRun(_exec, exec);

    /// <summary>
    /// Enters the gates of <paramref name="shards"/> (ascending, distinct) if each is free as <see cref="TryRun"/>
    /// wants it; when one is not, leaves those entered and returns false. Never waits: sessions take gates only this
    /// way and actors only their own, so no two threads can wait for each other.
    /// </summary>
    internal static bool TryEnterAll(ShardData[] all, List<int> shards)
    {
        for (var i = 0; i < shards.Count; i++)
        {
            if (all[shards[i]].Gate.TryEnter()) continue;
            for (var j = 0; j < i; j++) all[shards[j]].Gate.ExitSession();
            return false;
        }
        return true;
    }

    /// <summary>
    /// The Transaction actor's way in (a cross-shard command at the head of its queues): waits for each gate in
    /// ascending order, whatever the mailboxes hold (work queued there was not answered yet, so it may as well run
    /// after), but gives up, leaving those entered, when one is closed (held for an EXEC, blocked clients to serve).
    /// Whoever holds a gate waits for nothing but higher gates, so this wait ends.
    /// </summary>
    internal static bool EnterAll(ShardData[] all, List<int> shards)
    {
        for (var i = 0; i < shards.Count; i++)
        {
            var gate = all[shards[i]].Gate;
            Monitor.Enter(gate._lock);
            if (!gate._closed)
            {
                gate._borrowed = true;
                continue;
            }
            Monitor.Exit(gate._lock);
            for (var j = 0; j < i; j++) all[shards[j]].Gate.ExitSession();
            return false;
        }
        return true;
    }

    /// <summary>Ends a <see cref="TryEnterAll"/> or <see cref="EnterAll"/>: each shard does what it does when a hold is released, then its gate
    /// opens.</summary>
    internal static void ExitAll(ShardData[] all, List<int> shards)
    {
        foreach (var index in shards)
        {
            var gate = all[index].Gate;
            try
            {
                gate._released!();
            }
            finally
            {
                gate.ExitSession();
            }
        }
    }

    /// <summary>Sessions enter like this (never waiting, see <see cref="AwaitSession"/>); they leave by ExitSession.</summary>
    private bool TryEnter()
    {
        if (_run == null || _mailbox!.HasMessages || Monitor.IsEntered(_lock)) return false;
        if (!Monitor.TryEnter(_lock) && !AwaitSession()) return false;
        // Work queued meanwhile goes first (the mailbox's order).
        if (!_closed && !_mailbox.HasMessages)
        {
            _borrowed = true;
            return true;
        }
        Monitor.Exit(_lock);
        return false;
    }

    private void ExitSession()
    {
        _borrowed = false;
        Monitor.Exit(_lock);
    }

    /// <summary>A session on another socket thread, or the Transaction actor, runs here (one batch or one cross-shard
    /// command: microseconds).</summary>
    private volatile bool _borrowed;
    /// <summary>How long a session spins for a gate another session holds: longer than one pipelined batch or one
    /// cross-shard command takes.</summary>
    private static readonly long MaxSpinTicks = System.Diagnostics.Stopwatch.Frequency / 20_000; // 50 µs

    /// <summary>
    /// The gate is taken by another session (or the Transaction actor's cross-shard command): a short spin for it, rather than a message to the actor, which would keep
    /// the shard busy for the sessions after this one (each failed attempt becoming another message: 17% of pipelined
    /// cross-shard MSETs went to the Transaction actor without it). Bounded, and only while a session is inside (which
    /// waits for nothing, or only for gates of higher shards: <see cref="TryEnterAll"/> goes in ascending order), so
    /// never a wait that could deadlock.
    /// </summary>
    private bool AwaitSession()
    {
        var deadline = 0L;
        var spin = new SpinWait();
        while (_borrowed)
        {
            spin.SpinOnce(sleep1Threshold: -1);
            if (Monitor.TryEnter(_lock)) return true;
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            if (deadline == 0) deadline = now + MaxSpinTicks;
            else if (now > deadline) return false;
        }
        return false;
    }

    private bool TryRun<T>(Action<T>? run, T work)
    {
        if (run == null || !TryEnter()) return false;
        try
        {
            run(work);
            return true;
        }
        finally
        {
            ExitSession();
        }
    }
}
