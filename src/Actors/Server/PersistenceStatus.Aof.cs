namespace AkkaRedis.Actors.Server;

/// <summary>The AOF's part of the persistence state (aof_* fields of INFO persistence, the AOF's MISCONF). Written by
/// the Persistence actor and its AOF writer threads, read racily by anyone (as Redis's server.aof_* fields are).</summary>
public sealed partial class PersistenceStatus
{
    /// <summary>aof_enabled: server.aof_state != AOF_OFF (on, or waiting for the rewrite CONFIG SET appendonly yes started).</summary>
    public volatile bool AofEnabled;
    /// <summary>The AOF is being written (aof_state == AOF_ON): effects are appended.</summary>
    public volatile bool AofOn;
    /// <summary>aof_rewrite_in_progress: a BGREWRITEAOF is writing its base.</summary>
    public volatile bool AofRewriteInProgress;
    /// <summary>aof_rewrite_scheduled: a rewrite waits for the running BGSAVE (or a failed one for its retry).</summary>
    public volatile bool AofRewriteScheduled;
    public long AofLastRewriteTimeSec = -1;
    /// <summary>When the running rewrite started (Unix ms), for aof_current_rewrite_time_sec.</summary>
    public long AofRewriteStartMs;
    public volatile bool AofLastBgrewriteOk = true;
    public long AofRewrites;
    public long AofRewritesConsecutiveFailures;
    /// <summary>aof_last_write_status: null while ok, else strerror of the failed write or fsync (MISCONF's text).</summary>
    public volatile string? AofWriteError;
    /// <summary>aof_current_size: base plus every incr file, in bytes.</summary>
    public long AofCurrentSize;
    /// <summary>aof_base_size: the size right after the last rewrite (or load), the base of auto-aof-rewrite-percentage.</summary>
    public long AofBaseSize;
    /// <summary>aof_buffer_length: bytes appended but not yet written to the file.</summary>
    public long AofBufferLength;
    /// <summary>aof_pending_bio_fsync: a background fsync is running.</summary>
    public volatile bool AofPendingFsync;
    /// <summary>aof_delayed_fsync: fsyncs that were due while the previous one was still running.</summary>
    public long AofDelayedFsync;

    /// <summary>writeCommandsDeniedByDiskError's AOF half: the MISCONF error writes get while the last AOF write or
    /// fsync failed (null: writes are allowed as far as the AOF is concerned).</summary>
    public string? AofDeniesWrites() =>
        AofEnabled && AofWriteError is { } error ? "MISCONF Errors writing to the AOF file: " + error : null;

    /// <summary>aof_current_rewrite_time_sec: -1 when no rewrite runs.</summary>
    public long AofCurrentRewriteTimeSec(long nowMs) =>
        AofRewriteInProgress ? Math.Max(0, (nowMs - Volatile.Read(ref AofRewriteStartMs)) / 1000) : -1;
}
