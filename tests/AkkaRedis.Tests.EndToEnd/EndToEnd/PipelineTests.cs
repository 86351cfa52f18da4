using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>Framing and reply order over real TCP, against AkkaRedis alone (expected replies computed here).</summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class PipelineTests(E2EServers servers)
{
    [Fact]
    public void TenThousandCommandsInOneWriteGetTenThousandRepliesInOrder()
    {
        const int count = 10_000;
        var keys = KeySlots.KeysPerShard("pipe:", 4, 8).SelectMany(k => k).ToArray();
        using var client = servers.Akka.Connect(TimeSpan.FromSeconds(60));
        var model = new Dictionary<string, string>();
        foreach (var key in keys)
        {
            Assert.Equal("+OK\\r\\n", client.CallText("SET", key, "initial"));
            model[key] = "initial";
        }

        // SET/GET over keys of all 4 shards, ECHO and PING (answered without a shard): replies must come back in order.
        var commands = new List<byte[][]>(count);
        var expected = new List<string>(count);
        var rng = new Random(7);
        for (var i = 0; i < count; i++)
        {
            var key = keys[rng.Next(keys.Length)];
            switch (rng.Next(4))
            {
                case 0:
                    var value = "value-" + i;
                    commands.Add(Resp.Args("SET", key, value));
                    model[key] = value;
                    expected.Add("+OK\r\n");
                    break;
                case 1:
                    commands.Add(Resp.Args("GET", key));
                    expected.Add($"${model[key].Length}\r\n{model[key]}\r\n");
                    break;
                case 2:
                    var text = "echo-" + i;
                    commands.Add(Resp.Args("ECHO", text));
                    expected.Add($"${text.Length}\r\n{text}\r\n");
                    break;
                default:
                    commands.Add(Resp.Args("PING"));
                    expected.Add("+PONG\r\n");
                    break;
            }
        }

        client.Send(Resp.EncodeMany(commands));
        var replies = client.ReadReplies(count, TimeSpan.FromSeconds(60));
        for (var i = 0; i < count; i++)
        {
            if (Encoding.UTF8.GetString(replies[i]) != expected[i])
                Assert.Fail($"reply {i + 1} of {count} to {Resp.FormatCommand(commands[i])}: expected \"{Resp.Escape(Encoding.UTF8.GetBytes(expected[i]))}\", got \"{Resp.Escape(replies[i])}\"");
        }
        Assert.Equal("+PONG\\r\\n", client.CallText("PING"));
    }

    [Fact]
    public void CommandSplitAtEveryByteBoundaryGetsTheSameReply()
    {
        using var client = servers.Akka.Connect();
        var set = Resp.Encode("SET", "split:key", "hello world, a value");
        var get = Resp.Encode("GET", "split:key");
        var getReply = "$20\r\nhello world, a value\r\n";
        var inline = Encoding.ASCII.GetBytes("SET split:inline \"quoted value\"\r\n");

        foreach (var (bytes, reply) in new[] { (set, "+OK\r\n"), (get, getReply), (inline, "+OK\r\n"), (Concat(set, get), "+OK\r\n" + getReply) })
        {
            for (var cut = 1; cut < bytes.Length; cut++)
            {
                client.Send(bytes.AsSpan(0, cut));
                client.Send(bytes.AsSpan(cut));
                AssertReplies(client, reply, $"split at byte {cut} of \"{Resp.Escape(bytes)}\"");
            }
            // One byte per write.
            for (var i = 0; i < bytes.Length; i++) client.Send(bytes.AsSpan(i, 1));
            AssertReplies(client, reply, $"one byte per write of \"{Resp.Escape(bytes)}\"");
        }
        Assert.Equal("$12\\r\\nquoted value\\r\\n", client.CallText("GET", "split:inline"));
    }

    [Fact]
    public void LargeValueSplitAcrossManyWritesRoundTrips()
    {
        using var client = servers.Akka.Connect(TimeSpan.FromSeconds(30));
        var value = new byte[3 * 1024 * 1024 + 17];
        new Random(3).NextBytes(value);
        var request = Resp.Encode([Encoding.ASCII.GetBytes("SET"), Encoding.ASCII.GetBytes("split:big"), value]);
        for (var offset = 0; offset < request.Length; offset += 65_521)
            client.Send(request.AsSpan(offset, Math.Min(65_521, request.Length - offset)));
        Assert.Equal("+OK\\r\\n", Resp.Escape(client.ReadReply()));
        var reply = client.Call("GET", "split:big");
        var header = Encoding.ASCII.GetBytes($"${value.Length}\r\n");
        Assert.True(reply.AsSpan(0, header.Length).SequenceEqual(header), "GET header: " + Resp.Escape(reply.AsSpan(0, 40)));
        Assert.True(reply.AsSpan(header.Length, value.Length).SequenceEqual(value), "GET returned different bytes");
        client.Call("SET", "split:big", "");
    }

    private static void AssertReplies(RawRespClient client, string expected, string what)
    {
        var expectedBytes = Encoding.UTF8.GetBytes(expected);
        var received = new List<byte>();
        while (received.Count < expectedBytes.Length) received.AddRange(client.ReadReply());
        var actual = received.ToArray();
        if (!actual.AsSpan().SequenceEqual(expectedBytes))
            Assert.Fail($"{what}: expected \"{Resp.Escape(expectedBytes)}\", got \"{Resp.Escape(actual)}\"");
    }

    private static byte[] Concat(byte[] a, byte[] b) => [.. a, .. b];
}
