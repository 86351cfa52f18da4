using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage.Rdb;

namespace AkkaRedis.Actors.Persistence;

/// <summary>
/// The AOF base's format. A rewrite's base comes from the snapshot engine (PersistenceActor.Aof.cs); this writes the
/// base made while every shard is held (the empty dataset at start-up).
/// </summary>
public static class AofBaseWriter
{
    /// <summary>The held keyspace as a base: an RDB with aof-base set (aof-use-rdb-preamble yes), else commands.</summary>
    public static void Write(Stream output, CommandServices services, IKeyspace keyspace, bool rdb, bool timestamps)
    {
        var config = services.Config;
        if (rdb)
            RdbFile.WriteDatabases(output, RdbSaving.Aux(aofBase: true), config.Databases, db => RdbSaving.Parts(keyspace, db),
                config.RdbSaveOptions(ServerClock.UnixMs()), config.RdbChecksum, services.Functions.Current.Codes);
        else AofRewriter.Write(output, keyspace, config.Databases, timestamps, ServerClock.UnixMs(), services.Functions.Current.Codes);
    }
}
