namespace AkkaRedis.Actors.Server;

/// <summary>BGSAVE's part of the persistence state (rdb_bgsave_* and rdb_last_cow_size of INFO persistence): written
/// by the Persistence actor's snapshot code only, read racily.</summary>
public sealed partial class PersistenceStatus
{
    /// <summary>rdb_bgsave_in_progress: a BGSAVE's snapshot or file write is running (Redis: an RDB child exists).</summary>
    public volatile bool BgsaveInProgress;

    /// <summary>When the running BGSAVE started (unix ms): rdb_current_bgsave_time_sec.</summary>
    public long BgsaveStartedMs;

    /// <summary>rdb_last_bgsave_status: false after a BGSAVE failed (the MISCONF check reads it), true after one
    /// succeeded (as Redis's lastbgsave_status).</summary>
    public volatile bool LastBgsaveOk = true;

    /// <summary>rdb_last_bgsave_time_sec: -1 until a BGSAVE ended.</summary>
    public long LastBgsaveTimeSec = -1;

    /// <summary>rdb_last_cow_size: bytes of key records the last snapshot wrote early, before a change (what a fork
    /// would have copied on write).</summary>
    public long LastCowSize;

    /// <summary>rdb_saves: RDB files written (SAVE and BGSAVE) since start-up.</summary>
    public long RdbSaves;

    /// <summary>A BGSAVE SCHEDULE waits for the AOF rewrite's snapshot to end (Redis's rdb_bgsave_scheduled).</summary>
    public volatile bool BgsaveScheduled;

    /// <summary>Cancels the running BGSAVE's file: set while one writes, by the Persistence actor.</summary>
    public volatile CancellationTokenSource? BgsaveCancel;

    /// <summary>The BGSAVE writer renames its file under this lock, after checking <see cref="BgsaveCancel"/>.</summary>
    public readonly object BgsaveRenameGate = new();

    /// <summary>killRDBChild, as FLUSHALL does before its own save: the running BGSAVE's file is never renamed into place
    /// after this returns (the writer checks for the cancellation under <see cref="BgsaveRenameGate"/>, just before its
    /// rename; a foreground save that follows renames after it), so a snapshot older than the flush cannot replace the
    /// file FLUSHALL writes: a writer past its fsync when FLUSHALL came had renamed its file just after FLUSHALL's.
    /// Callable from any thread.</summary>
    public void KillBackgroundSave()
    {
        lock (BgsaveRenameGate) BgsaveCancel?.Cancel();
    }

    public long CurrentBgsaveTimeSec(long nowMs) => BgsaveInProgress ? (nowMs - BgsaveStartedMs) / 1000 : -1;
}
