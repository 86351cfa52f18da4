namespace AkkaRedis.Actors.Server;

/// <summary>The AOF's part of the persistence state (aof_* fields of INFO persistence).</summary>
public sealed partial class PersistenceStatus
{
}
