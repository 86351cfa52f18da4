namespace AkkaRedis.Actors.Persistence;

/// <summary>The AOF part of the Persistence actor (Redis 7 multi-part AOF: manifest, base, incremental files).</summary>
public sealed partial class PersistenceActor
{
    /// <summary>AOF messages; false: not one of them.</summary>
    private bool OnAofMessage(object message) => false;
}
