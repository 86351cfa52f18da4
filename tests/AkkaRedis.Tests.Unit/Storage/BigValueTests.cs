using System.Text;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using AkkaRedis.Net.Streams;

namespace AkkaRedis.Tests.Unit.Storage;

/// <summary>
/// Big values cost one array: the parser receives a big bulk into an array with room for the key in front, SET
/// keeps that array, and GET sends it from storage by reference; a value a reply still references is copied
/// before it is written in place.
/// </summary>
public sealed class BigValueTests
{
    private const int Big = 40 * 1024;

    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static CommandArgs ParseSet(string key, byte[] value, out CommandBatch batch)
    {
        var request = new List<byte>(B($"*3\r\n$3\r\nSET\r\n${key.Length}\r\n{key}\r\n${value.Length}\r\n"));
        request.AddRange(value);
        request.AddRange(B("\r\n"));
        batch = new CommandBatch();
        // In two reads, as a big value arrives: the header first, then the rest.
        var parser = new RespParser(new RespLimits());
        Assert.True(parser.Feed(request.ToArray().AsSpan(0, 40), batch));
        Assert.True(parser.Feed(request.ToArray().AsSpan(40), batch));
        Assert.Equal(1, batch.Count);
        return batch[0];
    }

    private static byte[] Value(byte fill) => Enumerable.Repeat(fill, Big).ToArray();

    [Fact]
    public void A_big_value_is_stored_in_the_array_it_was_received_into_and_sent_from_it()
    {
        var args = ParseSet("key", Value((byte)'a'), out _);
        Assert.True(args[2].TryTakeArray(3, out var received), "the parser leaves room for the key in front of a big bulk");
        Assert.False(args[2].TryTakeArray(2, out _), "only with room for exactly this key");

        var db = new Database(0);
        var entry = db.SetString(args[1], args[2], 0);
        Assert.Equal(Value((byte)'a'), entry.RawBytes.ToArray());
        Assert.Equal("key", Encoding.ASCII.GetString(entry.Key));

        var writer = new RespWriter { AllowReferences = true };
        Database.WriteBulk(db.Lookup(B("key"), 0), writer);
        var reference = Assert.Single(writer.References.ToArray());
        Assert.Same(received, reference.Array);
        Assert.Equal(3, reference.Offset);
        Assert.Equal(Big, reference.Count);
    }

    [Fact]
    public void Arguments_made_from_whole_arrays_are_never_taken()
    {
        var value = Value((byte)'b');
        Assert.False(new ArgSlice(value).TryTakeArray(0, out _));
        var db = new Database(0);
        db.SetString(B("k"), new ArgSlice(value), 0);
        value[0] = (byte)'z';
        Assert.Equal((byte)'b', db.Lookup(B("k"), 0).RawBytes[0]);
    }

    [Fact]
    public void A_writer_without_references_copies_and_one_with_them_sends_the_payload_in_place()
    {
        var db = new Database(0);
        db.SetString(B("k"), Value((byte)'c'), 0);
        var copying = new RespWriter();
        Database.WriteBulk(db.Lookup(B("k"), 0), copying);
        Assert.True(copying.References.IsEmpty);
        Assert.Equal(B($"${Big}\r\n").Concat(Value((byte)'c')).Concat(B("\r\n")).ToArray(), copying.Written.ToArray());

        var referencing = new RespWriter { AllowReferences = true };
        referencing.Bulk("small"u8);
        Database.WriteBulk(db.Lookup(B("k"), 0), referencing);
        referencing.Integer(7);
        var output = new OutgoingBytes();
        output.Add(referencing, 0, referencing.Length);
        var expected = B("$5\r\nsmall\r\n").Concat(B($"${Big}\r\n")).Concat(Value((byte)'c')).Concat(B("\r\n:7\r\n")).ToArray();
        Assert.Equal(expected, output.ToArray());
        Assert.Equal(3, output.Segments.Count);

        // One reply alone (the session adds each reply's range in request order).
        var second = new OutgoingBytes();
        var start = "$5\r\nsmall\r\n".Length;
        second.Add(referencing, start, start + $"${Big}\r\n\r\n".Length);
        Assert.Equal(B($"${Big}\r\n").Concat(Value((byte)'c')).Concat(B("\r\n")).ToArray(), second.ToArray());

        // Undoing the reply drops its reference too.
        referencing.Truncate(start);
        Assert.True(referencing.References.IsEmpty);
    }

    [Fact]
    public void A_value_a_reply_references_is_copied_before_any_in_place_write()
    {
        var db = new Database(0);
        db.SetString(B("k"), Value((byte)'d'), 0);
        var writer = new RespWriter { AllowReferences = true };
        Database.WriteBulk(db.Lookup(B("k"), 0), writer);
        var sent = writer.References[0];

        // SETRANGE within the value (same length: Redis writes in place once the value is not shared).
        db.ResizeString(db.Lookup(B("k"), 0), Big)[0] = (byte)'X';
        // SET of a value of the same length (rewritten in place when nothing references it).
        Database.WriteBulk(db.Lookup(B("k"), 0), writer);
        var sentSecond = writer.References[1];
        db.SetString(B("k"), Value((byte)'e'), 0);

        Assert.All(sent.Array.AsSpan(sent.Offset, sent.Count).ToArray(), b => Assert.Equal((byte)'d', b));
        Assert.Equal((byte)'X', sentSecond.Array[sentSecond.Offset]);
        Assert.Equal((byte)'e', db.Lookup(B("k"), 0).RawBytes[0]);

        // Not shared any more: the next write of the same length reuses the array, as Redis writes in place.
        var before = db.ResizeString(db.Lookup(B("k"), 0), Big);
        before[1] = (byte)'Y';
        Assert.Equal((byte)'Y', db.Lookup(B("k"), 0).RawBytes[1]);
    }

    [Fact]
    public void COPY_and_RENAME_of_a_shared_value_work_as_for_any_string()
    {
        var db = new Database(0);
        db.SetString(B("k"), Value((byte)'f'), 0);
        Database.WriteBulk(db.Lookup(B("k"), 0), new RespWriter { AllowReferences = true });
        Assert.True(db.CopyFrom(db.Lookup(B("k"), 0), B("copy"), 0));
        db.MoveFrom(db, db.Lookup(B("k"), 0), B("moved"), 0);
        Assert.Equal(Value((byte)'f'), db.Lookup(B("copy"), 0).RawBytes.ToArray());
        Assert.Equal(Value((byte)'f'), db.Lookup(B("moved"), 0).RawBytes.ToArray());
        Assert.Equal(RedisType.String, db.Lookup(B("moved"), 0).Type);
    }

    [Fact]
    public void A_released_writer_holds_no_buffer_and_writes_again_after()
    {
        var writer = new RespWriter();
        Assert.Empty(writer.Buffer);
        writer.Ok();
        Assert.NotEmpty(writer.Buffer);
        writer.Release();
        Assert.Empty(writer.Buffer);
        Assert.Equal(0, writer.Length);
        writer.Integer(5);
        Assert.Equal(":5\r\n", Encoding.ASCII.GetString(writer.Written));
    }
}
