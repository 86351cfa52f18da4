using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

/// <summary>How stream entries and IDs are written in replies (t_stream.c's addReplyStreamID and the entry arrays of
/// streamReplyWithRange), shared by the commands with and without consumer groups.</summary>
public static class StreamReplies
{
    /// <summary>An ID as a bulk string "ms-seq".</summary>
    public static void WriteId(RespWriter w, StreamId id)
    {
        Span<byte> buffer = stackalloc byte[StreamId.MaxFormattedLength];
        w.Bulk(buffer[..id.Format(buffer)]);
    }

    /// <summary>An entry: [id, [field, value, ...]] (an array in RESP3 as well).</summary>
    public static void WriteEntry(RespWriter w, StreamEntry entry)
    {
        w.ArrayHeader(2);
        WriteId(w, entry.Id);
        w.ArrayHeader(entry.PairCount * 2);
        foreach (var field in entry)
        {
            w.Bulk(field.Name);
            w.Bulk(field.Value);
        }
    }
}
