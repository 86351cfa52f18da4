using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Net.Resp;
using AkkaRedis.Actors.Server;

namespace AkkaRedis.Actors.Session;

/// <summary>
/// DEBUG EFFECTS (not a Redis subcommand; DEBUG's own subcommands are not listed by COMMAND, so it stays out of
/// sight): turns the connection into a consumer of the write-effect stream, which it then receives exactly as a
/// replica receives its master's stream after the initial sync: RESP arrays, with a SELECT whenever the
/// database changes (Redis's replicationFeedSlaves). Tests compare it with what redis-server sends a replica.
/// </summary>
public static class EffectsFeed
{
    /// <remarks>Asked for every request the session runs: the flag test first keeps it one branch for all but DEBUG.</remarks>
    public static bool IsRequest(CommandDef def, CommandArgs args) =>
        def.Protected && args.Length == 2 && def.Name == "debug" && Keywords.Is(args[1], "effects");

    /// <summary>Appends <paramref name="block"/> to a consumer's output; <paramref name="db"/> is the database its
    /// stream is in (-1 before the first effect).</summary>
    public static void Format(EffectBlock block, ref int db, List<ArraySegment<byte>> output)
    {
        foreach (var entry in block.Entries)
        {
            if (entry.Db != db)
            {
                db = entry.Db;
                var select = new RespWriter(32);
                select.ArrayHeader(2);
                select.Bulk("SELECT"u8);
                select.BulkInteger(db);
                output.Add(new ArraySegment<byte>(select.Written.ToArray()));
            }
            output.Add(new ArraySegment<byte>(block.Bytes, entry.Start, entry.End - entry.Start));
        }
    }
}
