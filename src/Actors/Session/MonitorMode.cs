using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Keyspace;

namespace AkkaRedis.Actors.Session;

/// <summary>What a connection in MONITOR mode may still run: Redis treats it as a replica, which may not touch the keyspace.</summary>
public static class MonitorMode
{
    public const string KeyspaceError = "ERR Replica can't interact with the keyspace";

    /// <summary>processCommand's check for replicas: read, write and may-replicate commands are refused.</summary>
    public static bool Rejects(CommandDef def) =>
        (def.Flags & (CommandFlags.ReadOnly | CommandFlags.Write | CommandFlags.MayReplicate)) != 0;
}
