using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Session;

/// <summary>The persistence commands of Redis's server group (SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE), run by the
/// Persistence actor or against every shard held.</summary>
public static class PersistenceCommands
{
    public static void Register(CommandTable t)
    {
        // RDB commands (SAVE, BGSAVE, LASTSAVE) above, AOF commands (BGREWRITEAOF) below.
        // SAVE: rdbSave with every shard held for its whole duration, as Redis's SAVE blocks its one thread.
        t.Add(new("save", 1, F("admin noscript no_async_loading no_multi"), 0, 0, 0, A("admin dangerous"))
        {
            Handler = Save, Execution = Execution.AllShards,
        });
        // BGSAVE [SCHEDULE]: the Persistence actor starts the point-in-time snapshot (PersistenceActor.Snapshot.cs).
        t.Add(new("bgsave", -1, F("admin noscript no_async_loading"), 0, 0, 0, A("admin slow dangerous"))
        {
            ActorName = DedicatedActors.Persistence,
        });

        // BGREWRITEAOF: run by the Persistence actor (PersistenceActor.Aof.cs), which starts, schedules or refuses it.
        t.Add(new("bgrewriteaof", 1, F("admin noscript no_async_loading"), 0, 0, 0, A("admin slow dangerous"))
        {
            ActorName = DedicatedActors.Persistence,
        });
    }

    /// <summary>saveCommand.</summary>
    private static void Save(ExecContext c)
    {
        if (c.Services.Persistence.BgsaveInProgress)
        {
            c.Reply.Error("ERR Background save already in progress");
            return;
        }
        if (!RdbSaving.Save(c.Services, c.Keyspace))
        {
            c.Reply.Error("ERR");
            return;
        }
        // rdb_saves counts SAVE and BGSAVE, not the saves FLUSHALL, DEBUG RELOAD or SHUTDOWN make.
        c.Services.Persistence.RdbSaves++;
        c.Reply.Ok();
    }
}
