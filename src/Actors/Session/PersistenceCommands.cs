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
}
