using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.Differential;

/// <summary>
/// Pipelines of 1..1000 commands, each pipeline sent in one write, mixing single-shard commands with commands whose
/// keys span AkkaRedis's 4 shards (MSET, MGET, DEL, RENAME, EXISTS); every reply compared byte for byte with
/// redis-server's reply to the same pipeline. Exercises the session's reply ordering across shards and the
/// Transaction actor under pipelining.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Pipeline")]
public sealed class PipelineDifferentialTests(E2EServers servers)
{
    public static readonly int[] Sizes =
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 31, 32, 33, 50, 64, 99, 100, 127, 128, 200, 255, 256, 500, 512, 999, 1000];

    [Fact]
    public void KeysOfTheTestSpanAllFourShards()
    {
        Assert.Equal(12182, KeySlots.Slot("foo")); // Redis Cluster documentation's example
        Assert.Equal(KeySlots.Slot("{user1000}.following"), KeySlots.Slot("{user1000}.followers"));
        var keys = KeySlots.KeysPerShard("p", 4, 3);
        Assert.All(keys, k => Assert.Equal(3, k.Count));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void MixedPipelinesMatchRedis(int resp)
    {
        var perShard = KeySlots.KeysPerShard("p", 4, 3);
        var keys = perShard.SelectMany(k => k).Concat(["{tag}a", "{tag}b", "{tag}c"]).ToArray();
        var rng = new Random(DiffSettings.FixedSeeds[0] + resp);
        using var redis = servers.Redis.Connect(TimeSpan.FromSeconds(60));
        using var akka = servers.Akka.Connect(TimeSpan.FromSeconds(60));
        Assert.Equal("+OK\\r\\n", Resp.Escape(redis.Call("FLUSHALL")));
        var flush = akka.Call("FLUSHALL");
        Assert.True(flush.AsSpan().SequenceEqual("+OK\r\n"u8), "akkaredis FLUSHALL: " + Resp.Escape(flush));
        if (resp == 3)
        {
            redis.Call("HELLO", "3");
            akka.Call("HELLO", "3");
        }

        var counter = 0;
        foreach (var size in Sizes)
        {
            var commands = new List<byte[][]>(size);
            for (var i = 0; i < size; i++) commands.Add(Resp.Args(NextCommand(rng, keys, ref counter)));
            var bytes = Resp.EncodeMany(commands);
            redis.Send(bytes);
            akka.Send(bytes);
            var expected = redis.ReadReplies(size);
            List<byte[]> actual;
            try
            {
                actual = akka.ReadReplies(size);
            }
            catch (Exception e) when (e is TimeoutException or IOException)
            {
                throw new DiffMismatchException($"pipeline of {size} (RESP{resp}): akkaredis did not send {size} replies: {e.Message}");
            }
            for (var i = 0; i < size; i++)
            {
                if (expected[i].AsSpan().SequenceEqual(actual[i])) continue;
                throw new DiffMismatchException(
                    $"pipeline of {size} commands in one write (RESP{resp}, seed {DiffSettings.FixedSeeds[0] + resp}): reply {i + 1} differs\n" +
                    $"  command:    {Resp.FormatCommand(commands[i])}\n" +
                    $"  redis:      {Resp.Escape(expected[i])}\n" +
                    $"  akkaredis:  {Resp.Escape(actual[i])}\n" +
                    $"  commands before it in the pipeline:\n" +
                    string.Join("\n", commands.Take(i).TakeLast(8).Select(c => "    " + Resp.FormatCommand(c))));
            }
        }
    }

    private static string[] NextCommand(Random rng, string[] keys, ref int counter)
    {
        counter++;
        string K() => keys[rng.Next(keys.Length)];
        var value = "v" + counter;
        switch (rng.Next(10))
        {
            case 0 or 1: return ["SET", K(), value];
            case 2 or 3: return ["GET", K()];
            case 4:
            {
                var args = new List<string> { "MSET" };
                for (int i = 0, n = 2 + rng.Next(3); i < n; i++) args.AddRange([K(), value + "." + i]);
                return args.ToArray();
            }
            case 5: return ["MGET", K(), K(), K(), K()];
            case 6: return ["DEL", K(), K()];
            case 7: return ["RENAME", K(), K()];
            case 8: return ["EXISTS", K(), K(), K()];
            default: return ["INCR", "counter:" + rng.Next(2)];
        }
    }
}
