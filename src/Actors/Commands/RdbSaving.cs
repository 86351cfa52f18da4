using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Actors.Storage.Rdb;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// Redis's rdbSave over a keyspace whose every part is held (SAVE, FLUSHALL with save points, DEBUG RELOAD, SHUTDOWN):
/// the file at dir/dbfilename written through a temp file, and on success the state Redis resets (server.dirty,
/// lastsave, lastbgsave_status). Also the pieces the background save and the AOF's RDB preamble share: the aux fields,
/// the save options, the dirty counter.
/// </summary>
public static class RdbSaving
{
    /// <summary>rdbSaveInfoAuxFields' values now. No repl-* fields: a master without a replication backlog (every
    /// server here, until replication) writes none, as rdbPopulateSaveInfo returns NULL then.</summary>
    public static RdbAux Aux(bool aofBase = false) => new()
    {
        RedisVersion = ServerVersion.Redis,
        CTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        UsedMem = GC.GetTotalMemory(false),
        AofBase = aofBase,
    };

    /// <summary>server.dirty: the sum of the shards' counters (exact when every part is held).</summary>
    public static long TotalDirty(IKeyspace keyspace)
    {
        long dirty = 0;
        for (var part = 0; part < keyspace.PartCount; part++)
            if (keyspace.Part(part, 0) is { } db) dirty += db.Stats.Dirty;
        return dirty;
    }

    /// <summary>Database <paramref name="db"/>'s held parts.</summary>
    public static IEnumerable<Database> Parts(IKeyspace keyspace, int db)
    {
        for (var part = 0; part < keyspace.PartCount; part++)
            if (keyspace.Part(part, db) is { } database) yield return database;
    }

    /// <summary>rdbLoad of <paramref name="path"/> into a held keyspace (start-up, DEBUG RELOAD), with the
    /// rdb_last_load_* statistics; throws <see cref="RdbFormatException"/> (or an I/O error) when the file is bad.</summary>
    public static RdbLoadResult Load(CommandServices services, IKeyspace keyspace, string path, bool replace)
    {
        var result = RdbFileReader.LoadFile(path, new KeyspaceLoadTarget(keyspace, services.Config.Databases), LoadOptions(services, replace));
        services.Persistence.LastLoadKeysLoaded = result.KeysLoaded;
        services.Persistence.LastLoadKeysExpired = result.KeysExpired;
        LoadFunctions(services, result.Functions, replace);
        services.Persistence.LogNotice(
            $"Done loading RDB, keys loaded: {result.KeysLoaded}, keys expired: {result.KeysExpired}, empty keys skipped: {result.EmptyKeysSkipped}.");
        return result;
    }

    /// <summary>The file's FUNCTION2 records into the registry (rdbFunctionLoad; <paramref name="replace"/> is
    /// RDBFLAGS_ALLOW_DUP, DEBUG RELOAD MERGE): a library that fails refuses the whole file, as Redis does.</summary>
    public static void LoadFunctions(CommandServices services, IReadOnlyList<byte[]> functions, bool replace)
    {
        if (services.Functions.LoadRdb(functions, replace) is { } error) throw new RdbFormatException(error);
    }

    /// <summary>rdbLoad's flags and limits from the configuration (start-up, DEBUG RELOAD, an AOF's RDB preamble).</summary>
    public static RdbLoadOptions LoadOptions(CommandServices services, bool replace = false, bool aofPreamble = false)
    {
        var config = services.Config;
        return new RdbLoadOptions
        {
            Now = ServerClock.UnixMs(), VerifyChecksum = config.RdbChecksum && !services.Diagnostics.SkipChecksumValidation, Replace = replace,
            AofPreamble = aofPreamble,
            Progress = offset => services.Persistence.LoadingLoadedBytes = offset,
            Limits = config.RdbLoadLimits(),
            KeyLoadDelayMicros = (int)Math.Clamp(((NumberParameter)config.Find("key-load-delay")!).Value, 0, 1_000_000),
        };
    }

    /// <summary>DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, empty the dataset, load the file back (debug.c).</summary>
    public static void DebugReload(ExecContext c)
    {
        bool flush = true, save = true, merge = false;
        for (var i = 2; i < c.Argc; i++)
        {
            if (c.ArgIs(i, "merge")) merge = true;
            else if (c.ArgIs(i, "noflush")) flush = false;
            else if (c.ArgIs(i, "nosave")) save = false;
            else
            {
                c.Reply.Error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
                return;
            }
        }
        if (save && !Save(c.Services, c.Keyspace))
        {
            c.Reply.Error("ERR");
            return;
        }
        // emptyData, and the functions too: the file brings its own (without MERGE a library still there would fail it).
        if (flush) c.Services.Functions.Flush();
        if (flush)
            for (var db = 0; db < c.Config.Databases; db++)
                foreach (var part in Parts(c.Keyspace, db))
                {
                    part.Watched?.TouchAll(part, null, c.Now);
                    part.Clear();
                }
        try
        {
            Load(c.Services, c.Keyspace, Path.Combine(c.Config.Dir, c.Config.DbFilename), merge);
        }
        catch (Exception e) when (e is RdbFormatException or IOException or UnauthorizedAccessException)
        {
            c.Services.Persistence.LogWarning($"Error loading the RDB dump: {e.Message}");
            c.Reply.Error("ERR Error trying to load the RDB dump");
            return;
        }
        c.Services.Persistence.LogWarning("DB reloaded by DEBUG RELOAD");
        c.Reply.Ok();
    }

    /// <summary>rdbSave: true when the file was written; false after logging why (the caller answers -ERR, as SAVE).</summary>
    public static bool Save(CommandServices services, IKeyspace keyspace)
    {
        var config = services.Config;
        var status = services.Persistence;
        var now = ServerClock.UnixMs();
        var dirty = TotalDirty(keyspace);
        var dir = config.Dir;
        try
        {
            var options = config.RdbSaveOptions(now);
            RdbFile.Save(dir, config.DbFilename, stream =>
                RdbFile.WriteDatabases(stream, Aux(), config.Databases, db => Parts(keyspace, db), options, config.RdbChecksum,
                    services.Functions.Current.Codes));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            status.LogWarning($"Failed saving the DB (temp-{Environment.ProcessId}.rdb in server root dir {dir}): {e.Message}");
            return false;
        }
        status.LogNotice("DB saved on disk");
        status.SaveSucceeded(dirty, now / 1000, services.Runtime);
        return true;
    }
}

/// <summary>A held keyspace as the RDB loader's target: each key goes to the part that owns it.</summary>
public sealed class KeyspaceLoadTarget(IKeyspace keyspace, int databases) : IRdbLoadTarget
{
    public int Databases => databases;
    public Database For(int db, ReadOnlySpan<byte> key) => keyspace.For(db, key);
}
