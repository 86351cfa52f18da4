using AkkaRedis.Net.Resp;
using AkkaRedis.Net.Streams;

namespace AkkaRedis.Tests.Unit;

/// <summary>OutgoingBytes.AddCoalesced: small parts copied together, large ones by reference, every byte in order.</summary>
public sealed class OutgoingBytesTests
{
    [Fact]
    public void Small_parts_are_copied_together_and_large_ones_referenced_in_their_order()
    {
        var random = new Random(11);
        int[] sizes = [10, 2_000, 500, 1_024, 1_025, 5_000, 1, 300, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 3_000];
        var parts = new List<ArraySegment<byte>>();
        var expected = new List<byte>();
        foreach (var size in sizes)
        {
            // Each part inside a larger array, at an offset: segments, not whole arrays.
            var array = new byte[size + 20];
            random.NextBytes(array);
            var part = new ArraySegment<byte>(array, 7, size);
            parts.Add(part);
            expected.AddRange(part);
        }
        // A copy buffer that starts tiny: it grows (and moves) while the small parts are copied.
        var copy = new RespWriter(16);
        var outgoing = new OutgoingBytes();
        outgoing.AddCoalesced(parts, copy, copyMax: 1_024);

        Assert.Equal(expected.Count, outgoing.Length);
        Assert.Equal(expected.ToArray(), outgoing.ToArray());
        // Runs of small parts are one segment each: 10 | 2000 | 500+1024 | 1025 | 5000 | 1+300+64x10 | 3000.
        Assert.Equal(7, outgoing.Segments.Count);
        foreach (var segment in outgoing.Segments)
            Assert.True(segment.Count > 1_024 || ReferenceEquals(segment.Array, copy.Buffer), "a small part was sent from its own array");
    }
}
