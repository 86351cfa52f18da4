using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

/// <summary>A watched key as its connection remembers it (Redis's client->watched_keys entry): the shard's
/// <see cref="WatchTable"/> holds the rest (the expired flag).</summary>
public readonly record struct WatchRef(int Db, byte[] Key);

/// <summary>
/// The commands queued between MULTI and EXEC (Redis's multiState). Their arguments outlive the received batch, so
/// each is copied once, into one arena shared by the whole queue: no allocation per queued command once the arena and
/// the slice array have grown to the transaction's size (they are kept for the next MULTI unless they grew big).
/// </summary>
public sealed class MultiQueue
{
    private const int InitialArena = 256;
    private const int KeptArena = 64 * 1024;
    private byte[] _arena = new byte[InitialArena];
    private int _used;
    private ArgSlice[] _slices = new ArgSlice[16];
    private int _sliceCount;

    public readonly List<CommandDef> Defs = new();
    public readonly List<CommandArgs> Args = new();

    public int Count => Defs.Count;

    /// <summary>CLIENT LIST's multi-mem: Redis's mstate.argv_len_sums, the queued arguments' bytes plus an argv
    /// pointer each. Read racily by other connections' CLIENT LIST.</summary>
    public long Memory;

    public void Add(CommandDef def, CommandArgs args)
    {
        var bytes = 0;
        foreach (var a in args) bytes += a.Length;
        // A full arena or slice array is replaced, not copied: the commands queued so far keep pointing into the old one.
        if (_arena.Length - _used < bytes)
        {
            _arena = new byte[Math.Max(_arena.Length * 2, bytes)];
            _used = 0;
        }
        if (_slices.Length - _sliceCount < args.Length)
        {
            _slices = new ArgSlice[Math.Max(_slices.Length * 2, args.Length)];
            _sliceCount = 0;
        }
        var start = _sliceCount;
        foreach (var a in args)
        {
            a.CopyTo(_arena, _used);
            _slices[_sliceCount++] = new ArgSlice(_arena, _used, a.Length);
            _used += a.Length;
            Memory += a.Length + IntPtr.Size;
        }
        Defs.Add(def);
        Args.Add(new CommandArgs(_slices, start, args.Length));
    }

    /// <summary>EXEC ran or DISCARD: the copies are free for the next MULTI (whoever ran them answered already).</summary>
    public void Clear()
    {
        Defs.Clear();
        Args.Clear();
        Memory = 0;
        Array.Clear(_slices, 0, _sliceCount);
        _used = 0;
        _sliceCount = 0;
        if (_arena.Length > KeptArena) _arena = new byte[InitialArena];
        if (_slices.Length > 1024) _slices = new ArgSlice[16];
        if (Defs.Capacity > 1024)
        {
            Defs.Capacity = 0;
            Args.Capacity = 0;
        }
    }
}

/// <summary>
/// execCommand's parts that run where the keys are held (in the one shard of a single-shard EXEC, or in the session
/// while the Transaction actor holds every shard the transaction needs): the WATCH check, the reply array, one write
/// effect block for the whole queue, and the unwatch.
/// </summary>
public static class MultiExec
{
    /// <summary>
    /// Starts an EXEC: false (after replying a null array and unwatching) when a watched key was touched or, as Redis
    /// 7.0's isWatchedKeyExpired says, is expired now though it was not when watched; otherwise unwatches (Redis
    /// unwatches before running the queue), writes the array header and opens one effect block.
    /// Every watched key's shard must be held by <paramref name="ctx"/>.
    /// </summary>
    public static bool Begin(ExecContext ctx, Watcher? watcher, List<WatchRef> watched, RespWriter writer, int count, out int effectsStart)
    {
        effectsStart = ctx.Effects.Count;
        var failed = watcher != null && (watcher.Dirty || WatchedKeyExpired(ctx.Keyspace, watcher, watched, ServerClock.UnixMs()));
        if (watcher != null) Unwatch(ctx.Keyspace, watcher, watched);
        if (failed)
        {
            writer.NullArray();
            return false;
        }
        writer.ArrayHeader(count);
        ctx.InExec = true;
        return true;
    }

    /// <summary>Ends the EXEC that <see cref="Begin"/> started: its effects become one MULTI ... EXEC block when there
    /// are several (propagatePendingCommands), one command's effect stays as it is.</summary>
    public static void End(ExecContext ctx, int effectsStart)
    {
        ctx.InExec = false;
        ctx.Effects.WrapAsTransaction(effectsStart);
    }

    /// <summary>A whole EXEC of keyspace commands only, in the context of the one shard that owns all their keys.</summary>
    public static void Run(ExecContext ctx, MultiQueue queue, Watcher? watcher, List<WatchRef> watched, RespWriter writer, int db, ClientLabel? client)
    {
        if (!Begin(ctx, watcher, watched, writer, queue.Count, out var effectsStart)) return;
        KeyPrefetch.FirstKeys(ctx.Keyspace, db, queue.Defs, queue.Args, 0);
        try
        {
            // Each command starts when the one before it ended: one clock read per command, as in a pipelined batch.
            long end = 0;
            for (var i = 0; i < queue.Count; i++) end = CommandRunner.Run(ctx, queue.Defs[i], queue.Args[i], writer, db, client, end);
        }
        finally
        {
            End(ctx, effectsStart);
        }
    }

    private static bool WatchedKeyExpired(IKeyspace keyspace, Watcher watcher, List<WatchRef> watched, long now)
    {
        foreach (var w in watched)
        {
            var db = keyspace.For(w.Db, w.Key);
            if (db.Watched?.Find(w.Key, watcher) is not { } wk || wk.Expired) continue;
            if (WatchTable.IsExpired(db, w.Key, now)) return true;
        }
        return false;
    }

    /// <summary>Redis's unwatchAllKeys over held shards.</summary>
    private static void Unwatch(IKeyspace keyspace, Watcher watcher, List<WatchRef> watched)
    {
        watcher.Closed = true;
        foreach (var w in watched) keyspace.For(w.Db, w.Key).Watched?.Remove(w.Key, watcher);
    }
}
