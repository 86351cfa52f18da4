namespace AkkaRedis.Actors.Keyspace;

// Messages between the sessions, the shards and the Persistence actor (issue 12): RDB ones first, then AOF ones.

// ---- the point-in-time snapshot (BGSAVE, and the AOF rewrite's base) -----------------------------------------------

/// <summary>
/// Persistence actor → shard, then shard → itself (a timer while clients are served, a message per step when not):
/// write the pending keys of <paramref name="Snapshot"/> (marked under a hold of every shard), hand the records to
/// <paramref name="ReplyTo"/> as <see cref="SnapshotChunk"/>s, and end with one <see cref="SnapshotShardDone"/>. While
/// clients are served, their batches carry the walk on in short slices (ShardActor.SnapshotSlice).
/// </summary>
public sealed record SnapshotRun(long Id, Storage.ShardSnapshot Snapshot, Akka.Actor.IActorRef ReplyTo)
{
    private Action<int, ArraySegment<byte>>? _sendChunk;

    /// <summary>The shard has sent its <see cref="SnapshotShardDone"/> (only the shard reads and writes it).</summary>
    internal bool Reported;

    /// <summary>Sends a chunk of this snapshot's records to <see cref="ReplyTo"/> (one delegate for the whole walk).</summary>
    public Action<int, ArraySegment<byte>> SendChunk =>
        _sendChunk ??= new Action<int, ArraySegment<byte>>((db, records) => ReplyTo.Tell(new SnapshotChunk(Id, db, records), Akka.Actor.ActorRefs.NoSender));
}

/// <summary>Shard → Persistence actor: key records of database <paramref name="Db"/> (its index when the snapshot
/// started), in RDB's key-record encoding.</summary>
/// <param name="Records">In an array rented from ArrayPool&lt;byte&gt;.Shared (Storage.ShardSnapshot.TakeChunks): whoever ends
/// up with it gives it back.</param>
public sealed record SnapshotChunk(long Id, int Db, ArraySegment<byte> Records);

/// <summary>Shard → Persistence actor: every key of the shard's part is in the chunks sent before this.
/// <paramref name="CowBytes"/>: the bytes of the records written early, before a change; <paramref name="Error"/>: why
/// a record could not be written (the snapshot failed).</summary>
public sealed record SnapshotShardDone(long Id, int Shard, long CowBytes, long Keys, Exception? Error);

/// <summary>Persistence actor → shard: give the snapshot up (the shard stops writing and lets its tables go).</summary>
public sealed record SnapshotAbort(Storage.ShardSnapshot Snapshot);

// ---- start-up load and shutdown ----------------------------------------------------------------------------------

/// <summary>Host → Persistence actor, once at start-up: load the dataset (the RDB at dir/dbfilename, or the AOF when
/// appendonly is on). Answered at once with <see cref="StartupLoadStarted"/> once the LOADING state is set (so the
/// host may accept clients); <see cref="Done"/> completes with null when the load is over, or with the reason it failed
/// (the host then exits with a non-zero code).</summary>
public sealed record StartupLoad(TaskCompletionSource<string?> Done);

public sealed record StartupLoadStarted;

/// <summary>Host → Persistence actor: a signal asks for a shutdown (SIGTERM, SIGINT) with the shutdown-on-sig* flags
/// (ShutdownFlags): saved as SHUTDOWN saves; a failed save keeps the server running, as Redis does.</summary>
public sealed record SignalShutdown(string Signal, int Flags);

/// <summary>SHUTDOWN's flags, as the shutdown-on-sig* parameters encode them (Redis's SHUTDOWN_*).</summary>
public static class ShutdownFlags
{
    public const int Save = 1;
    public const int NoSave = 2;
    public const int Now = 4;
    public const int Force = 8;
}

/// <summary>To the Persistence actor: give up a running BGSAVE (Redis's killRDBChild, as FLUSHALL and SHUTDOWN do before
/// their own save); nothing happens when none runs or the running snapshot is the AOF rewrite's.</summary>
public sealed record AbortBackgroundSave
{
    public static readonly AbortBackgroundSave Instance = new();
}

// ---- the AOF ---------------------------------------------------------------------------------------------------------

/// <summary>Host → Persistence actor at start-up, before clients are served: with appendonly yes, load the AOF
/// (holding every shard) and start appending; answered with <see cref="AofStartupDone"/>.</summary>
public sealed record AofStartup
{
    public static readonly AofStartup Instance = new();
}

/// <summary>Persistence actor → host: the AOF is loaded and open (or appendonly is off); <paramref name="Error"/> is
/// the reason the server must exit (Redis's exit(1) after loadAppendOnlyFiles / aofOpenIfNeededOnServerStart).</summary>
public sealed record AofStartupDone(string? Error);
