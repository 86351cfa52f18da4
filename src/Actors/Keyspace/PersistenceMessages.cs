namespace AkkaRedis.Actors.Keyspace;

// Messages between the sessions, the shards and the Persistence actor (issue 12): RDB ones first, then AOF ones.

/// <summary>Host → Persistence actor at start-up, before clients are served: with appendonly yes, load the AOF
/// (holding every shard) and start appending; answered with <see cref="AofStartupDone"/>.</summary>
public sealed record AofStartup
{
    public static readonly AofStartup Instance = new();
}

/// <summary>Persistence actor → host: the AOF is loaded and open (or appendonly is off); <paramref name="Error"/> is
/// the reason the server must exit (Redis's exit(1) after loadAppendOnlyFiles / aofOpenIfNeededOnServerStart).</summary>
public sealed record AofStartupDone(string? Error);
