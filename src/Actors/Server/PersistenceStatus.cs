namespace AkkaRedis.Actors.Server;

/// <summary>
/// The persistence state others read (INFO persistence, LASTSAVE, the LOADING and MISCONF checks of the sessions):
/// written by the Persistence actor (and by the SAVE path under a hold of every shard), read racily by anyone, as
/// Redis's server.* fields are. The AOF fields are in PersistenceStatus.Aof.cs.
/// </summary>
public sealed partial class PersistenceStatus
{
    public const string LoadingError = "LOADING Redis is loading the dataset in memory";

    /// <summary>writeCommandsGetDiskErrorMessage(DISK_ERROR_TYPE_RDB), word for word.</summary>
    public const string MisconfRdbError =
        "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

    /// <summary>
    /// What a session reads per command: true while something may refuse commands (a load in progress, a failed
    /// background save, an AOF write error); with nothing wrong a command costs these three reads of one object.
    /// </summary>
    public bool Gate => _loading || !LastBgsaveOk || AofWriteError != null;

    // ---- loading (server.loading and friends) ----

    private volatile bool _loading;

    /// <summary>server.loading: a file is being loaded; commands without the loading flag answer -LOADING.</summary>
    public bool Loading => _loading;
    public long LoadingStartTime;
    public long LoadingTotalBytes;
    public long LoadingLoadedBytes;

    public void BeginLoading(long totalBytes)
    {
        LoadingStartTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        LoadingTotalBytes = totalBytes;
        LoadingLoadedBytes = 0;
        _loading = true;
    }

    public void EndLoading(long keysLoaded, long keysExpired)
    {
        LoadingLoadedBytes = LoadingTotalBytes;
        LastLoadKeysLoaded = keysLoaded;
        LastLoadKeysExpired = keysExpired;
        _loading = false;
    }

    /// <summary>rdb_last_load_keys_loaded / rdb_last_load_keys_expired.</summary>
    public long LastLoadKeysLoaded;
    public long LastLoadKeysExpired;

    // ---- saving ----

    /// <summary>The sum of the shards' dirty counters when the last successful save was taken (server.dirty is reset
    /// there; here the counters keep running and the difference is rdb_changes_since_last_save).</summary>
    public long DirtyAtLastSave;
    /// <summary>A save succeeded (rdbSave / a background save's end): lastsave, the dirty baseline, the status.</summary>
    public void SaveSucceeded(long dirtyAtStart, long unixSeconds, ServerRuntime runtime)
    {
        DirtyAtLastSave = dirtyAtStart;
        runtime.LastSaveUnixSeconds = unixSeconds;
        LastBgsaveOk = true;
    }

    /// <summary>writeCommandsDeniedByDiskError's message (without the leading '-'), or null when writes are allowed.</summary>
    public string? DiskError(ServerConfig config)
    {
        if (!LastBgsaveOk && config.StopWritesOnBgsaveError && config.SavePoints.Count > 0) return MisconfRdbError;
        return AofDeniesWrites();
    }

    /// <summary>Asks the host to exit with the given code (set by the host; SHUTDOWN and signals, after the final
    /// save).</summary>
    public Action<int> RequestExit { get; set; } = _ => { };

    /// <summary>The server exits after a final save with every shard held for good: the host does not wait for commands
    /// in flight (they can never be answered, and must not be).</summary>
    public volatile bool ShuttingDown;

    /// <summary>Where the layers without a logger (the SAVE path in Commands) log, as Redis's serverLog: set by the
    /// Persistence actor to its log.</summary>
    public Action<string> LogNotice { get; set; } = _ => { };
    public Action<string> LogWarning { get; set; } = _ => { };

    /// <summary>rdb_changes_since_last_save from the sum of the shards' dirty counters.</summary>
    public long ChangesSinceLastSave(long dirty) => Math.Max(0, dirty - DirtyAtLastSave);
}
