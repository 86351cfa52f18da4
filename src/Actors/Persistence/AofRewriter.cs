using System.Buffers.Text;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Actors.Storage.Rdb;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Persistence;

/// <summary>
/// A base file in the AOF's own format (aof-use-rdb-preamble no): the dataset as the commands that rebuild it,
/// as Redis 7.0's rewriteAppendOnlyFileRio writes them: SELECT per non-empty database; per key SET, RPUSH, SADD,
/// ZADD, HMSET (at most AOF_REWRITE_ITEMS_PER_CMD = 64 items per command) or a stream's XADDs, XSETID, XGROUP CREATE,
/// XCLAIM ... JUSTID FORCE for pending entries and XGROUP CREATECONSUMER for consumers without any; then PEXPIREAT
/// when the key has a TTL.
/// </summary>
public sealed class AofRewriter
{
    /// <summary>AOF_REWRITE_ITEMS_PER_CMD.</summary>
    private const int ItemsPerCommand = 64;

    private readonly RdbWriter _out;

    private AofRewriter(RdbWriter output) => _out = output;

    [ThreadStatic] private static AofRewriter? _cached;

    /// <summary>One key's commands (a <see cref="SnapshotRecordWriter"/>: the snapshot engine calls it on the shard
    /// that owns the key, with the key as it was when the snapshot started).</summary>
    public static void WriteRecord(RdbWriter output, KeyEntry entry)
    {
        var w = _cached is { } cached && ReferenceEquals(cached._out, output) ? cached : _cached = new AofRewriter(output);
        w.Key(entry);
    }

    /// <summary>The file around the snapshot's records: a forced timestamp annotation when aof-timestamp-enabled
    /// (rewriteAppendOnlyFileRio starts with one), the function libraries (rewriteFunctions: FUNCTION LOAD with each
    /// library's code), then per database that has keys a SELECT and its records.</summary>
    public static void WriteFile(Stream output, IReadOnlyList<List<byte[]>> recordsPerDb, bool timestamp, long nowMs,
        IReadOnlyList<byte[]> functions)
    {
        var w = new AofRewriter(new RdbWriter(64));
        if (timestamp) w.Raw(System.Text.Encoding.ASCII.GetBytes($"#TS:{nowMs / 1000}\r\n"));
        foreach (var code in functions)
        {
            w.Header(3);
            w.Bulk("FUNCTION"u8);
            w.Bulk("LOAD"u8);
            w.Bulk(code);
        }
        for (var db = 0; db < recordsPerDb.Count; db++)
        {
            if (recordsPerDb[db].Count == 0) continue;
            w.Header(2);
            w.Bulk("SELECT"u8);
            w.Bulk(db);
            output.Write(w._out.Written);
            w._out.Clear();
            foreach (var chunk in recordsPerDb[db]) output.Write(chunk);
        }
        output.Write(w._out.Written);
    }

    /// <summary>Every key of <paramref name="keyspace"/> (a view holding every part), for a base written while every
    /// shard is held (the empty dataset at start-up, tests).</summary>
    public static void Write(Stream output, IKeyspace keyspace, int databases, bool timestamp, long nowMs,
        IReadOnlyList<byte[]> functions)
    {
        var records = new List<byte[]>[databases];
        for (var db = 0; db < databases; db++)
        {
            records[db] = new List<byte[]>();
            var buffer = new RdbWriter(256);
            for (var part = 0; part < keyspace.PartCount; part++)
            {
                if (keyspace.Part(part, db) is not { } slice || slice.Count == 0) continue;
                foreach (var entry in slice.AllKeys()) WriteRecord(buffer, entry);
            }
            if (buffer.Length > 0) records[db].Add(buffer.Written.ToArray());
        }
        WriteFile(output, records, timestamp, nowMs, functions);
    }

    private void Key(KeyEntry e)
    {
        var key = e.Key;
        switch (e.Type)
        {
            case RedisType.String:
            {
                Span<byte> scratch = stackalloc byte[24];
                Header(3);
                Bulk("SET"u8);
                Bulk(key);
                Bulk(e.StringBytes(scratch));
                break;
            }
            case RedisType.List:
            {
                var list = e.As<RedisList>();
                var count = list.Count;
                for (var i = 0; i < count; i += ItemsPerCommand)
                {
                    var n = Math.Min(ItemsPerCommand, count - i);
                    Header(2 + n);
                    Bulk("RPUSH"u8);
                    Bulk(key);
                    for (var j = 0; j < n; j++) Bulk(list[i + j]);
                }
                break;
            }
            case RedisType.Set:
            {
                Span<byte> scratch = stackalloc byte[24];
                var members = new List<byte[]>();
                foreach (var m in SetValue.Of(e)) members.Add(m.Span(scratch).ToArray());
                Batches(key, "SADD"u8, members.Count, 1, (i, w) => w.Bulk(members[i]));
                break;
            }
            case RedisType.ZSet:
            {
                var items = new List<ZItem>();
                ZSet.ReadAll(e.Value, items);
                Batches(key, "ZADD"u8, items.Count, 2, (i, w) =>
                {
                    w.Double(items[i].Score);
                    w.Bulk(items[i].Member);
                });
                break;
            }
            case RedisType.Hash:
            {
                var pairs = new List<(byte[] Field, byte[] Value)>();
                foreach (var p in RedisHash.Pairs(e.Value)) pairs.Add((p.Field.ToArray(), p.Value.ToArray()));
                Batches(key, "HMSET"u8, pairs.Count, 2, (i, w) =>
                {
                    w.Bulk(pairs[i].Field);
                    w.Bulk(pairs[i].Value);
                });
                break;
            }
            case RedisType.Stream:
                Stream(key, e.As<RedisStream>());
                break;
            default:
                throw new NotSupportedException($"AOF rewrite does not know the {RedisObject.TypeName(e.Type)} type");
        }
        if (e.HasExpire)
        {
            Header(3);
            Bulk("PEXPIREAT"u8);
            Bulk(key);
            Bulk(e.ExpireAt);
        }
    }

    /// <summary>rewriteSetObject / rewriteSortedSetObject / rewriteHashObject: items in commands of at most 64.</summary>
    private void Batches(ReadOnlySpan<byte> key, ReadOnlySpan<byte> command, int count, int argsPerItem, Action<int, AofRewriter> item)
    {
        for (var i = 0; i < count; i += ItemsPerCommand)
        {
            var n = Math.Min(ItemsPerCommand, count - i);
            Header(2 + n * argsPerItem);
            Bulk(command);
            Bulk(key);
            for (var j = 0; j < n; j++) item(i + j, this);
        }
    }

    /// <summary>rewriteStreamObject.</summary>
    private void Stream(ReadOnlySpan<byte> key, RedisStream s)
    {
        if (s.Length > 0)
        {
            foreach (var entry in s.GetRange(StreamId.Min, StreamId.Max))
            {
                Header(3 + entry.PairCount * 2);
                Bulk("XADD"u8);
                Bulk(key);
                Id(entry.Id);
                foreach (var field in entry)
                {
                    Bulk(field.Name);
                    Bulk(field.Value);
                }
            }
        }
        else
        {
            // The XADD MAXLEN 0 trick: an empty stream.
            Header(7);
            Bulk("XADD"u8);
            Bulk(key);
            Bulk("MAXLEN"u8);
            Bulk("0"u8);
            Id(new StreamId(0, 1));
            Bulk("x"u8);
            Bulk("y"u8);
        }
        // XSETID after the XADDs: the last id may be past the last entry (XDEL).
        Header(7);
        Bulk("XSETID"u8);
        Bulk(key);
        Id(s.LastId);
        Bulk("ENTRIESADDED"u8);
        Bulk((long)s.EntriesAdded);
        Bulk("MAXDELETEDID"u8);
        Id(s.MaxDeletedId);
        if (s.Groups is not { } groups) return;
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            Header(7);
            Bulk("XGROUP"u8);
            Bulk("CREATE"u8);
            Bulk(key);
            Bulk(group.Name);
            Id(group.LastId);
            Bulk("ENTRIESREAD"u8);
            Bulk(group.EntriesRead);
            for (var c = 0; c < group.ConsumerCount; c++)
            {
                var consumer = group.Consumer(c);
                if (consumer.Pending.Count == 0)
                {
                    Header(5);
                    Bulk("XGROUP"u8);
                    Bulk("CREATECONSUMER"u8);
                    Bulk(key);
                    Bulk(group.Name);
                    Bulk(consumer.Name);
                    continue;
                }
                foreach (var nack in consumer.Pending)
                {
                    // rioWriteStreamPendingEntry.
                    Header(12);
                    Bulk("XCLAIM"u8);
                    Bulk(key);
                    Bulk(group.Name);
                    Bulk(consumer.Name);
                    Bulk("0"u8);
                    Id(nack.Id);
                    Bulk("TIME"u8);
                    Bulk(nack.DeliveryTime);
                    Bulk("RETRYCOUNT"u8);
                    Bulk(nack.DeliveryCount);
                    Bulk("JUSTID"u8);
                    Bulk("FORCE"u8);
                }
            }
        }
    }

    // ---- RESP (rioWriteBulkCount / rioWriteBulkString / rioWriteBulkLongLong / rioWriteBulkDouble) -------------------

    private void Raw(ReadOnlySpan<byte> bytes) => _out.WriteBytes(bytes);

    private void Header(int count) => Prefixed((byte)'*', count);

    private void Prefixed(byte prefix, int count)
    {
        Span<byte> text = stackalloc byte[16];
        text[0] = prefix;
        Utf8Formatter.TryFormat(count, text[1..], out var n);
        text[n + 1] = (byte)'\r';
        text[n + 2] = (byte)'\n';
        _out.WriteBytes(text[..(n + 3)]);
    }

    private void Bulk(ReadOnlySpan<byte> value)
    {
        Prefixed((byte)'$', value.Length);
        _out.WriteBytes(value);
        _out.WriteBytes("\r\n"u8);
    }

    private void Bulk(long value)
    {
        Span<byte> text = stackalloc byte[24];
        Utf8Formatter.TryFormat(value, text, out var n);
        Bulk(text[..n]);
    }

    /// <summary>rioWriteBulkDouble: "%.17g".</summary>
    private void Double(double value)
    {
        Span<byte> text = stackalloc byte[64];
        Bulk(text[..RedisNumbers.FormatDouble(value, text)]);
    }

    private void Id(StreamId id)
    {
        Span<byte> text = stackalloc byte[StreamId.MaxFormattedLength];
        Bulk(text[..id.Format(text)]);
    }
}
