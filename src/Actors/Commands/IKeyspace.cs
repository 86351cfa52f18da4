using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// The keyspace as a handler sees it: keys and databases, never shards. Behind it is one shard (the fast path) or
/// several shards held together by the Transaction actor; a handler written against it runs unchanged on either,
/// and in unit tests without any actor.
/// </summary>
public interface IKeyspace
{
    /// <summary>The database (of the right part of the keyspace) that holds <paramref name="key"/> in database
    /// <paramref name="db"/>.</summary>
    Database For(int db, ReadOnlySpan<byte> key);

    /// <summary>How many parts the keyspace is split into (each part is a slice of every database); whole-database
    /// commands (FLUSHDB, DEBUG DIGEST, SCAN's cursor) visit them by number.</summary>
    int PartCount { get; }

    /// <summary>Part <paramref name="part"/> of database <paramref name="db"/>, or null when this context does not
    /// hold that part.</summary>
    Database? Part(int part, int db);

    /// <summary>Whether part <paramref name="part"/> may hold keys in database <paramref name="db"/>: exact for a
    /// held part, a racy read of its key count for one that is not (SCAN uses it to skip empty parts, never to read
    /// them), true when unknown.</summary>
    bool PartMayHaveKeys(int part, int db);

    /// <summary>Whether <paramref name="key"/>'s part is held here (a script may only reach those: issue 13).</summary>
    bool Holds(ReadOnlySpan<byte> key) => true;

    /// <summary><see cref="For"/> when <see cref="Holds"/>, else null: one routing computation (a CRC16 of the key)
    /// where asking both costs two.</summary>
    Database? HeldFor(int db, ReadOnlySpan<byte> key) => Holds(key) ? For(db, key) : null;

    /// <summary>Whether every part is held here.</summary>
    bool HoldsEveryPart
    {
        get
        {
            for (var i = 0; i < PartCount; i++)
                if (Part(i, 0) == null) return false;
            return true;
        }
    }

    /// <summary>SWAPDB on every held part.</summary>
    void SwapDatabases(int a, int b);
}
