using System.Net.Sockets;
using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>A subscriber's pushed messages go out in publish order and byte for byte when small ones (copied together
/// into one send buffer) and large ones (sent from where they were encoded) alternate within one flush.</summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class PubSubMixedSizesTests
{
    [Fact]
    public async Task Small_and_large_messages_published_in_one_pipeline_arrive_in_order_byte_for_byte()
    {
        using var server = AkkaRedisProcess.Started();
        using var subscriber = new TcpClient();
        await subscriber.ConnectAsync("127.0.0.1", server.Port);
        var sub = subscriber.GetStream();
        await sub.WriteAsync("*2\r\n$9\r\nSUBSCRIBE\r\n$3\r\nmix\r\n"u8.ToArray());
        var confirmation = "*3\r\n$9\r\nsubscribe\r\n$3\r\nmix\r\n:1\r\n"u8.ToArray();
        Assert.Equal(confirmation, await ReadExactly(sub, confirmation.Length));

        // Sizes on both sides of the copy threshold (1 KB), several of each per flush.
        int[] sizes = [10, 2_000, 500, 1_024, 1_025, 5_000, 1, 300];
        var pipeline = new MemoryStream();
        var expected = new MemoryStream();
        const int count = 400;
        for (var i = 0; i < count; i++)
        {
            var payload = Payload(i, sizes[i % sizes.Length]);
            pipeline.Write(Encoding.ASCII.GetBytes($"*3\r\n$7\r\nPUBLISH\r\n$3\r\nmix\r\n${payload.Length}\r\n{payload}\r\n"));
            expected.Write(Encoding.ASCII.GetBytes($"*3\r\n$7\r\nmessage\r\n$3\r\nmix\r\n${payload.Length}\r\n{payload}\r\n"));
        }
        using var publisher = new TcpClient();
        await publisher.ConnectAsync("127.0.0.1", server.Port);
        var pub = publisher.GetStream();
        await pub.WriteAsync(pipeline.ToArray());
        var replies = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(":1\r\n", count)));
        Assert.Equal(replies, await ReadExactly(pub, replies.Length));

        var received = await ReadExactly(sub, (int)expected.Length);
        var want = expected.ToArray();
        var first = want.AsSpan().CommonPrefixLength(received);
        Assert.True(first == want.Length, $"first difference at byte {first} of {want.Length}");
    }

    /// <summary>Message <paramref name="index"/> of <paramref name="size"/> bytes: its number, then filler that
    /// depends on it, so a message out of place or cut shows.</summary>
    private static string Payload(int index, int size)
    {
        var head = index.ToString("D6");
        if (size <= head.Length) return head[..size];
        var filler = new StringBuilder(head, size);
        while (filler.Length < size) filler.Append((char)('a' + (index + filler.Length) % 26));
        return filler.ToString();
    }

    private static async Task<byte[]> ReadExactly(NetworkStream stream, int length)
    {
        var buffer = new byte[length];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.ReadExactlyAsync(buffer, timeout.Token);
        return buffer;
    }
}
