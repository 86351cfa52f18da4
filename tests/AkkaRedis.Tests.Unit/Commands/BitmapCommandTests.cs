namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>What the differential cannot change on the shared servers: the bit offset limit follows
/// proto-max-bulk-len (checkBitOffset / getBitOffsetFromArgument), checked against redis-server 7.0.15 by hand with
/// CONFIG SET proto-max-bulk-len 1mb.</summary>
public sealed class BitmapCommandTests
{
    private const string OffsetError = "-ERR bit offset is not an integer or out of range\r\n";

    [Fact]
    public void Bit_offsets_stop_at_proto_max_bulk_len()
    {
        var h = new HandlerHarness();
        Assert.Null(h.Server.Config.Set("proto-max-bulk-len", "1mb"));
        Assert.Equal(OffsetError, h.Run("SETBIT", "k", "8388608", "1"));
        Assert.Equal(":0\r\n", h.Run("SETBIT", "k", "8388607", "1"));
        Assert.Equal(":1\r\n", h.Run("GETBIT", "k", "8388607"));
        Assert.Equal(OffsetError, h.Run("GETBIT", "k", "8388608"));
        Assert.Equal("*1\r\n:1\r\n", h.Run("BITFIELD", "k", "SET", "u8", "8388600", "1")); // the old field: bit 8388607 set
        Assert.Equal(OffsetError, h.Run("BITFIELD", "k", "GET", "u8", "8388608"));
        Assert.Equal(OffsetError, h.Run("BITFIELD", "k", "GET", "u8", "#1048576"));
        Assert.Equal("*1\r\n:1\r\n", h.Run("BITFIELD", "k", "GET", "u8", "#1048575"));
        Assert.Equal(":1048576\r\n", h.Run("STRLEN", "k"));
    }
}
