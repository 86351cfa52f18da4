using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;

namespace AkkaRedis.Actors.Persistence;

/// <summary>
/// Writes an AOF base file from a view holding every part of the keyspace (rewriteAppendOnlyFile's body): an RDB
/// (aof-use-rdb-preamble yes: the rdb piece's file writer, <see cref="Rdb"/>) or the commands of <see cref="AofRewriter"/>.
/// </summary>
public static class AofBaseWriter
{
    /// <summary>The RDB file writer (rdbSaveRio with RDBFLAGS_AOF_PREAMBLE), plugged in where it exists; null: every
    /// base is written as commands, named .base.aof.</summary>
    public static Action<Stream, IKeyspace, int>? Rdb { get; set; }

    public static void Write(Stream output, IKeyspace keyspace, int databases, bool rdb, bool timestamps)
    {
        if (rdb && Rdb != null) Rdb(output, keyspace, databases);
        else AofRewriter.Write(output, keyspace, databases, timestamps, ServerClock.UnixMs());
    }
}
