using System.Text;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit.Storage;

/// <summary>
/// Strings grown in place (APPEND, SETRANGE, SETBIT, BITFIELD through Database.ResizeString) reserve room as Redis's
/// sdsMakeRoomFor does, so that growing by small steps is amortised O(1) per byte: the value keeps its length apart
/// from its array, every reader sees only the length, the room stays zero, and whatever replaces or copies the value
/// drops the room.
/// </summary>
public sealed class StringGrowthTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void Growing_by_small_steps_reallocates_only_when_the_room_is_used_up()
    {
        var db = new Database(0);
        db.SetString(B("k"), B("ab"), 0);
        var arrays = new HashSet<int>();
        for (var length = 3; length <= 10_000; length++)
        {
            var bytes = db.ResizeString(db.Lookup(B("k"), 0), length);
            Assert.Equal(length, bytes.Length);
            Assert.Equal(0, bytes[^1]); // zero-filled growth, also inside the room
            bytes[^1] = (byte)'x';
            var entry = db.Lookup(B("k"), 0);
            Assert.Equal(length, entry.StringLength);
            Assert.Equal(length, entry.RawBytes.Length);
            Assert.True(entry.StringCapacity >= length);
            arrays.Add(entry.StringCapacity);
        }
        Assert.InRange(arrays.Count, 2, 16); // doubling: a dozen arrays for 10,000 steps, not 10,000
        var value = db.Lookup(B("k"), 0).RawBytes;
        Assert.Equal(B("ab"), value[..2].ToArray());
        Assert.All(value[2..].ToArray(), b => Assert.Equal((byte)'x', b));
    }

    [Fact]
    public void Growth_follows_sdsMakeRoomFor_and_a_created_or_same_size_string_is_exact()
    {
        var db = new Database(0);
        var created = db.SetString(B("k"), ReadOnlySpan<byte>.Empty, ObjectEncoding.Raw, 0);
        db.ResizeString(created, 100); // from nothing: exact, as SETRANGE/SETBIT on a missing key (sdsnewlen)
        Assert.Equal(100, db.Lookup(B("k"), 0).StringCapacity);
        db.ResizeString(db.Lookup(B("k"), 0), 101);
        // 202 wanted; sds type 8 (3-byte header) + 202 + NUL = 206 bytes, jemalloc class 224: 220 usable.
        Assert.Equal(220, db.Lookup(B("k"), 0).StringCapacity);
        db.ResizeString(db.Lookup(B("k"), 0), 150); // within the room
        Assert.Equal(220, db.Lookup(B("k"), 0).StringCapacity);
        db.ResizeString(db.Lookup(B("k"), 0), 2 * 1024 * 1024);
        // Above 1 MiB, 1 MiB more: 3 MiB wanted, type 32 (9-byte header), class 3.5 MiB.
        Assert.Equal(3584 * 1024 - 10, db.Lookup(B("k"), 0).StringCapacity);

        db.SetInt(B("i"), 123, 0);
        db.ResizeString(db.Lookup(B("i"), 0), 3); // an int made raw at its size
        Assert.Equal(3, db.Lookup(B("i"), 0).StringCapacity);
        Assert.Equal(B("123"), db.Lookup(B("i"), 0).RawBytes.ToArray());
        db.SetInt(B("j"), 123, 0);
        db.ResizeString(db.Lookup(B("j"), 0), 13);
        Assert.Equal(28, db.Lookup(B("j"), 0).StringCapacity); // 26 wanted, 3 + 26 + 1 = 30 bytes, class 32
        Assert.Equal(B("123").Concat(new byte[10]).ToArray(), db.Lookup(B("j"), 0).RawBytes.ToArray());
    }

    [Fact]
    public void Set_copy_rename_and_replies_see_the_length_and_drop_the_room()
    {
        var db = new Database(0);
        db.SetString(B("k"), B("hello"), 0);
        db.ResizeString(db.Lookup(B("k"), 0), 8)[5] = (byte)'!';
        Assert.True(db.Lookup(B("k"), 0).StringCapacity > 8);

        var writer = new RespWriter();
        Database.WriteBulk(db.Lookup(B("k"), 0), writer);
        Assert.Equal("$8\r\nhello!\0\0\r\n", Encoding.Latin1.GetString(writer.Written));

        Assert.True(db.CopyFrom(db.Lookup(B("k"), 0), B("copy"), 0));
        Assert.Equal(B("hello!\0\0"), db.Lookup(B("copy"), 0).RawBytes.ToArray());
        Assert.Equal(8, db.Lookup(B("copy"), 0).StringCapacity);
        db.MoveFrom(db, db.Lookup(B("copy"), 0), B("moved"), 0);
        Assert.Equal(B("hello!\0\0"), db.Lookup(B("moved"), 0).RawBytes.ToArray());

        db.OverwriteString(db.Lookup(B("k"), 0), B("xy"), ObjectEncoding.EmbStr);
        Assert.Equal(B("xy"), db.Lookup(B("k"), 0).RawBytes.ToArray());
        Assert.Equal(2, db.Lookup(B("k"), 0).StringLength);
        db.ResizeString(db.Lookup(B("k"), 0), 4);
        db.SetString(B("k"), B("0123456789"), 0);
        Assert.Equal(B("0123456789"), db.Lookup(B("k"), 0).RawBytes.ToArray());
        db.ResizeString(db.Lookup(B("k"), 0), 12);
        db.OverwriteInt(db.Lookup(B("k"), 0), 42);
        Assert.Equal(42, db.Lookup(B("k"), 0).IntValue);
    }

    [Fact]
    public void A_grown_value_a_reply_references_is_copied_before_it_grows_again()
    {
        const int big = 64 * 1024;
        var db = new Database(0);
        db.SetString(B("k"), Enumerable.Repeat((byte)'a', big).ToArray(), 0);
        db.ResizeString(db.Lookup(B("k"), 0), big + 1)[big] = (byte)'b';
        var writer = new RespWriter { AllowReferences = true };
        Assert.True(writer.TakesReference(big + 1), "a value this big is sent by reference");
        Database.WriteBulk(db.Lookup(B("k"), 0), writer);
        var sent = writer.References[0];
        Assert.Equal(big + 1, sent.Count);
        db.ResizeString(db.Lookup(B("k"), 0), big + 2)[big] = (byte)'c'; // within the room, but shared: copied
        Assert.Equal((byte)'b', sent.Array[sent.Offset + big]);
        Assert.Equal((byte)'c', db.Lookup(B("k"), 0).RawBytes[big]);
    }
}
