using AkkaRedis.Actors.Commands;

namespace AkkaRedis.Actors.Session;

/// <summary>
/// processCommand's persistence refusals, checked by the session only while <see cref="Server.PersistenceStatus.Gate"/>
/// says something may refuse: -MISCONF for write commands (and PING, which monitoring uses to see the error) while the
/// disk cannot take writes (writeCommandsDeniedByDiskError), then -LOADING for commands without the loading flag while a
/// file loads. EXEC counts as a write, or as a command unfit for loading, by what it queued (mstate.cmd_flags).
/// </summary>
public static class PersistenceGate
{
    public static string? Refusal(ServerContext server, ClientSession client, CommandDef def)
    {
        var status = server.Services.Persistence;
        var flags = def.Flags;
        var queued = CommandFlags.None;
        var allQueuedLoading = true;
        if (def.Name == "exec" && client.MultiQueued >= 0)
            foreach (var q in client.Transaction.Queue.Defs)
            {
                queued |= q.Flags;
                allQueuedLoading &= (q.Flags & CommandFlags.Loading) != 0;
            }
        if (((flags | queued) & CommandFlags.Write) != 0 || def.Name == "ping")
            if (status.DiskError(server.Config) is { } error) return error;
        if (status.Loading && ((flags & CommandFlags.Loading) == 0 || !allQueuedLoading)) return Server.PersistenceStatus.LoadingError;
        return null;
    }
}
