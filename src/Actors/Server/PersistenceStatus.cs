namespace AkkaRedis.Actors.Server;

/// <summary>
/// The persistence state others read (INFO persistence, LASTSAVE, the LOADING and MISCONF checks of the sessions):
/// written by the Persistence actor only, read racily by anyone, as Redis's server.* fields are. The AOF fields are in
/// PersistenceStatus.Aof.cs.
/// </summary>
public sealed partial class PersistenceStatus
{
}
