using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;

namespace AkkaRedis.Actors.Persistence;

/// <summary>
/// The AOF base's format. A rewrite's base comes from the snapshot engine (PersistenceActor.Aof.cs); this writes the
/// base made while every shard is held (the empty dataset at start-up).
/// </summary>
public static class AofBaseWriter
{
    /// <summary>
    /// Whether bases follow aof-use-rdb-preamble yes: only once the snapshot's RDB records cover every type and the
    /// AOF loader can read an RDB preamble (<see cref="AofLoader.RdbPreambleLoader"/>, the rdb piece's reader). Until
    /// both have landed, a base is always written as commands (named .base.aof, so the manifest says what it is).
    /// </summary>
    public static bool RdbPreambleReady => false;

    public static void Write(Stream output, IKeyspace keyspace, int databases, bool rdb, bool timestamps)
    {
        if (rdb) throw new NotSupportedException("RDB preamble bases are not written yet");
        AofRewriter.Write(output, keyspace, databases, timestamps, ServerClock.UnixMs());
    }
}
