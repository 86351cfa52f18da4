namespace AkkaRedis.Actors.Storage;

/// <summary>
/// A collection value (list, hash, set, zset, stream...) that COPY can duplicate: the copy must share nothing
/// mutable with the original, and keep its encoding, as Redis's listTypeDup / setTypeDup / ... do.
/// </summary>
public interface IDeepCopyable
{
    object DeepCopy();
}
