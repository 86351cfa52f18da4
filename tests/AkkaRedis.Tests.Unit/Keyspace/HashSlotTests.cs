using System.Text;
using AkkaRedis.Actors.Keyspace;
using Xunit;

namespace AkkaRedis.Tests.Unit.Keyspace;

/// <summary>Redis Cluster's key slots (CLUSTER KEYSLOT's values) from the two-bytes-per-step CRC16.</summary>
public sealed class HashSlotTests
{
    /// <summary>CRC16/XMODEM one byte at a time, as Redis's crc16.c: the reference the fast one must equal.</summary>
    private static ushort Reference(ReadOnlySpan<byte> data)
    {
        ushort crc = 0;
        foreach (var b in data)
        {
            crc ^= (ushort)(b << 8);
            for (var bit = 0; bit < 8; bit++) crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
        }
        return crc;
    }

    [Theory]
    [InlineData("123456789", 0x31C3)]
    [InlineData("", 0)]
    [InlineData("a", 0x7C87)]
    public void Crc16_is_xmodem(string text, int expected) =>
        Assert.Equal((ushort)expected, HashSlot.Crc16(Encoding.ASCII.GetBytes(text)));

    [Theory]
    [InlineData("foo", 12182)]
    [InlineData("bar", 5061)]
    [InlineData("hello", 866)]
    [InlineData("{user1000}.following", 3443)]
    [InlineData("{user1000}.followers", 3443)]
    [InlineData("foo{}{bar}", 8363)]   // an empty first tag: the whole key
    [InlineData("foo{{bar}}zap", 4015)] // the tag is "{bar"
    public void Slots_equal_cluster_keyslot(string key, int slot) =>
        Assert.Equal(slot, HashSlot.Of(Encoding.ASCII.GetBytes(key)));

    [Fact]
    public void Equals_the_bytewise_crc_at_every_length_and_byte_value()
    {
        var random = new Random(20261207);
        for (var length = 0; length <= 70; length++)
        {
            for (var round = 0; round < 50; round++)
            {
                var data = new byte[length];
                random.NextBytes(data);
                Assert.Equal(Reference(data), HashSlot.Crc16(data));
            }
        }
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        Assert.Equal(Reference(all), HashSlot.Crc16(all));
    }
}
