using System.Runtime.CompilerServices;
using AkkaRedis.Actors.Commands;

namespace AkkaRedis.Actors.Keyspace;

/// <summary>
/// A keyspace command whose keys span shards (MSET, RENAME, SMOVE... on keys of different shards), run on the session's
/// own thread holding the gates of its shards (<see cref="ShardGate.TryEnterAll"/>) when every one is free, instead of
/// through the Transaction actor's Hold / Held / Release messages: what the Transaction actor's Run does, with no
/// message and no other thread, as Dragonfly's coordinator runs a multi-shard transaction inline when its shards are
/// free. One per thread (<see cref="ForCurrentThread"/>): a session runs one command at a time, and its statistics go
/// to the thread's cell like the session's own.
/// </summary>
public sealed class CrossShardRun
{
    private readonly CommandServices _services;
    private readonly ShardData[] _shards;
    private readonly KeyspaceView _view;
    private readonly ExecContext _context;

    private CrossShardRun(CommandServices services, ShardData[] shards)
    {
        _services = services;
        _shards = shards;
        _view = new KeyspaceView(shards.Length);
        _context = new ExecContext(services, _view, services.Stats.ForCurrentThread());
    }

    /// <summary>This thread's runner for <paramref name="shards"/> (one set per server: tests run several).</summary>
    public static CrossShardRun ForCurrentThread(CommandServices services, ShardData[] shards)
    {
        if (_last is { } last && ReferenceEquals(last._shards, shards)) return last;
        // Weak: a server that is gone (a test's) leaves no keyspace behind in the threads that served it.
        var runs = _perThread ??= new ConditionalWeakTable<ShardData[], CrossShardRun>();
        if (!runs.TryGetValue(shards, out var run))
        {
            run = new CrossShardRun(services, shards);
            runs.AddOrUpdate(shards, run);
        }
        return _last = run;
    }

    [ThreadStatic] private static ConditionalWeakTable<ShardData[], CrossShardRun>? _perThread;
    [ThreadStatic] private static CrossShardRun? _last;

    /// <summary>Whether <paramref name="request"/> may run this way: a keyspace command on its keys' shards (not a
    /// script, which may run long and is answered -BUSY meanwhile; not one that keeps its shards held after it ran,
    /// <see cref="CommandDef.HoldsShards"/>; not a hold handed over to its requester: EXEC, snapshots), untraced, not a
    /// tracked read.</summary>
    public static bool Suits(TransactionRequest request) =>
        !request.HandOver && request.Def is { Execution: Execution.Shard, RunsScript: false, HoldsShards: false }
        && request.Trace == null && request.TrackingClient == 0;

    /// <summary>
    /// Runs <paramref name="request"/> now, holding <paramref name="shards"/> (ascending, not empty), if all of them
    /// are free; its reply is written into the request as the Transaction actor writes it. False (nothing run) when any
    /// shard is busy, held or has work queued. With <paramref name="wait"/> (the Transaction actor), waits for busy
    /// shards (ShardGate.EnterAll) and fails only on held ones.
    /// </summary>
    public bool TryRun(TransactionRequest request, List<int> shards, bool wait = false) =>
        TryHold(shards, wait, static (context, request) =>
        {
            request.ReplyStart = request.Writer.Length;
            try
            {
                CommandRunner.Run(context, request.Def, request.Args, request.Writer, request.Db, request.Client);
            }
            finally
            {
                request.ReplyEnd = request.Writer.Length;
            }
        }, request);

    /// <summary>
    /// Runs <paramref name="work"/> against <paramref name="shards"/> held (ascending, not empty) if all of them are
    /// free (see <see cref="TryRun"/>), with this thread's context over them: as the Transaction actor hands held shards
    /// to a session for EXEC. Its write effects are published as one block while the shards are still held.
    /// </summary>
    public bool TryHold<T>(List<int> shards, bool wait, Action<ExecContext, T> work, T state)
    {
        if (!(wait ? ShardGate.EnterAll(_shards, shards) : ShardGate.TryEnterAll(_shards, shards))) return false;
        try
        {
            foreach (var index in shards)
            {
                var shard = _shards[index];
                _view.Hold(shard);
                // Keys the held databases expire on access become this command's effects, in order.
                foreach (var db in shard.Databases) db.Events = _context;
            }
            _context.HoldFor = null;
            _context.Effects.Enabled = _services.Effects.Active;
            try
            {
                work(_context, state);
            }
            finally
            {
                // Published while the shards are still held: nothing they do later can be seen before it.
                _services.Effects.Publish(-1, _context.Effects, atomic: true);
                _view.ReleaseAll();
            }
        }
        finally
        {
            // Each shard takes its databases' events back and serves the blocked clients the command made ready.
            ShardGate.ExitAll(_shards, shards);
        }
        return true;
    }
}
