using System.Collections.Concurrent;
using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// Producers and consumers on 10 keys spread over the shards, many real connections at once (issue 11's "done when"
/// (b)): every element is delivered exactly once. Redis's guarantee is what the check relies on: an element popped
/// for a client that then goes away is lost with BLPOP, so the consumers that are killed use BRPOPLPUSH into a
/// processing list (the reliable-queue pattern), where such an element stays; the BLPOP consumers (on all ten keys at
/// once, a request across every shard) stay alive.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class BlockingConcurrencyTests(E2EServers servers)
{
    private const int Keys = 10;
    private const int Producers = 4;
    private const int PerProducer = 400;

    [Fact]
    public async Task Every_element_is_delivered_exactly_once_with_consumers_killed_midway()
    {
        var port = servers.Akka.Port;
        var keys = Enumerable.Range(0, Keys).Select(i => "bq:" + i).ToArray();
        using (var setup = RawRespClient.Connect(port))
        {
            setup.Call(["DEL", .. keys]);
            setup.Call(["DEL", .. Enumerable.Range(0, 16).Select(i => "bq:processing:" + i)]);
        }

        // One consumer killed while blocked: its connection closes with the request parked.
        var blockedVictim = RawRespClient.Connect(port);
        blockedVictim.SendCommand("BRPOPLPUSH", keys[3], "bq:processing:14", "0");
        Assert.True(Poll.Until(() => BlockedClients(port) == 1, TimeSpan.FromSeconds(10)));
        blockedVictim.Dispose();
        Assert.True(Poll.Until(() => BlockedClients(port) == 0, TimeSpan.FromSeconds(10)));

        var received = new ConcurrentBag<string>();
        var stop = new CancellationTokenSource();
        var consumers = new List<Task>();
        // Reliable consumers: BRPOPLPUSH from one key into their processing list (another shard, mostly), then ack.
        for (var c = 0; c < Keys; c++)
        {
            var id = c;
            consumers.Add(OnOwnThread(() => ReliableConsumer(port, keys[id % Keys], "bq:processing:" + id, received, stop.Token)));
        }
        // BLPOP consumers on all ten keys at once.
        for (var c = 0; c < 3; c++)
            consumers.Add(OnOwnThread(() => MultiKeyConsumer(port, keys, received, stop.Token)));


        Task? killedAfterPop = null;
        var producers = Enumerable.Range(0, Producers).Select(p => OnOwnThread(() =>
        {
            using var client = RawRespClient.Connect(port);
            for (var i = 0; i < PerProducer; i++)
            {
                var reply = client.Call("LPUSH", keys[(p * 7 + i) % Keys], $"p{p}:{i}");
                Assert.Equal((byte)':', reply[0]);
                // Midway, a consumer pops and is killed before it acknowledges: its element stays in its list.
                if (p == 0 && i == PerProducer / 2) killedAfterPop = OnOwnThread(() => KillAfterPop(port, keys[5], "bq:processing:15"));
            }
        })).ToArray();
        await Task.WhenAll(producers);
        await killedAfterPop!;

        const int total = Producers * PerProducer;
        var delivered = () => received.Count + ListLength(port, "bq:processing:14") + ListLength(port, "bq:processing:15");
        Assert.True(Poll.Until(() => delivered() >= total, TimeSpan.FromSeconds(60)),
            $"{delivered()} of {total} delivered in 60 s");
        stop.Cancel();
        await Task.WhenAll(consumers);

        var all = new List<string>(received);
        using (var check = RawRespClient.Connect(port))
        {
            foreach (var list in keys.Concat(Enumerable.Range(0, 16).Select(i => "bq:processing:" + i)))
                all.AddRange(Items(check.Call("LRANGE", list, "0", "-1")));
        }
        var expected = Enumerable.Range(0, Producers).SelectMany(p => Enumerable.Range(0, PerProducer).Select(i => $"p{p}:{i}")).ToHashSet();
        var duplicates = all.GroupBy(x => x).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "delivered more than once: " + string.Join(", ", duplicates.Take(10)));
        var lost = expected.Except(all).ToList();
        Assert.True(lost.Count == 0, "lost: " + string.Join(", ", lost.Take(10)));
        Assert.Equal(total, all.Count);
        Assert.True(ListLength(port, "bq:processing:15") <= 1);
        Assert.True(Poll.Until(() => BlockedClients(port) == 0, TimeSpan.FromSeconds(10)), "clients still blocked");
    }

    /// <summary>
    /// Two clients blocked on the same keys of two shards, the second counted blocked only after the first: a push
    /// made once INFO shows both blocked goes to the first, as Redis serves waiters in the order they blocked. A
    /// request across shards was counted blocked as soon as its session sent it to the Transaction actor, before that
    /// actor attempted and parked it: the push could reach the key's shard first, and the second client, attempted
    /// after it, took the element while the first stayed blocked (the scripted differential
    /// blocking/cross-shard-keys failed 1 run in 3 under load). Repeated, to catch the window with margin.
    /// </summary>
    [Fact]
    public void Waiters_across_shards_are_served_in_the_order_they_were_seen_blocked() =>
        TwoWaitersServedInOrder("bo", 100, (a, b) => ["BRPOP", a, b, "0"], (a, b) => ["BRPOP", b, a, "0"], secondServedFrom: (a, _) => a);

    /// <summary>
    /// FIFO per key across kinds of waiters: a client blocked on keys of two shards, then one blocked on one of those
    /// keys alone; a push of one element to that key goes to the first, as in Redis. The first is served through the
    /// Transaction actor; its shard went on offering the key to the waiters behind it meanwhile, and the second, served
    /// there at once, took the element. A second push then serves the second client.
    /// </summary>
    [Fact]
    public void A_waiter_on_one_shard_does_not_take_the_element_of_a_waiter_across_shards_ahead_of_it() =>
        TwoWaitersServedInOrder("bf", 20, (a, b) => ["BLPOP", a, b, "0"], (_, b) => ["BLPOP", b, "0"], secondServedFrom: (_, b) => b);

    /// <summary>
    /// Rounds of: <paramref name="first"/> blocks on keys a and b (two shards), then <paramref name="second"/>, each
    /// seen blocked in INFO before the next step; a push to b must serve the first, then a push to
    /// <paramref name="secondServedFrom"/> the second.
    /// </summary>
    private void TwoWaitersServedInOrder(string prefix, int rounds, Func<string, string, string[]> first,
        Func<string, string, string[]> second, Func<string, string, string> secondServedFrom)
    {
        var port = servers.Akka.Port;
        using var info = RawRespClient.Connect(port);
        using var pusher = RawRespClient.Connect(port);
        using var firstClient = RawRespClient.Connect(port);
        using var secondClient = RawRespClient.Connect(port);
        for (var round = 0; round < rounds; round++)
        {
            var a = $"{prefix}:{round}:a";
            var b = Enumerable.Range(0, 100).Select(i => $"{prefix}:{round}:b{i}").First(k => KeySlots.Shard(k, 4) != KeySlots.Shard(a, 4));
            pusher.Call("DEL", a, b);
            firstClient.SendCommand(first(a, b));
            Assert.True(Poll.Until(() => BlockedClients(info) == 1, TimeSpan.FromSeconds(10), TimeSpan.Zero), "first not blocked");
            secondClient.SendCommand(second(a, b));
            Assert.True(Poll.Until(() => BlockedClients(info) == 2, TimeSpan.FromSeconds(10), TimeSpan.Zero), "second not blocked");
            pusher.Call("RPUSH", b, "x");
            Assert.Equal(new[] { b, "x" }, Items(firstClient.ReadReply()));
            var other = secondServedFrom(a, b);
            pusher.Call("RPUSH", other, "y");
            Assert.Equal(new[] { other, "y" }, Items(secondClient.ReadReply()));
        }
        Assert.True(Poll.Until(() => BlockedClients(info) == 0, TimeSpan.FromSeconds(10)), "clients still blocked");
    }

    /// <summary>A blocking client on a thread of its own. On pool threads, the 18 clients that block in socket calls
    /// starved the test process's pool: a connect whose completion waited for a pool thread timed out after 15 s
    /// (2 of 10 runs with two copies of the class at once).</summary>
    private static Task OnOwnThread(Action client) => Task.Factory.StartNew(client, CancellationToken.None,
        TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static void ReliableConsumer(int port, string key, string processing, ConcurrentBag<string> received, CancellationToken stop)
    {
        using var client = RawRespClient.Connect(port);
        while (!stop.IsCancellationRequested)
        {
            var reply = client.Call("BRPOPLPUSH", key, processing, "0.2");
            if (reply[0] != (byte)'$' || reply[1] == (byte)'-') continue;
            var item = Items(reply)[0];
            Assert.Equal(":1\r\n", Encoding.ASCII.GetString(client.Call("LREM", processing, "1", item)));
            received.Add(item);
        }
    }

    private static void MultiKeyConsumer(int port, string[] keys, ConcurrentBag<string> received, CancellationToken stop)
    {
        using var client = RawRespClient.Connect(port);
        while (!stop.IsCancellationRequested)
        {
            var reply = client.Call(["BLPOP", .. keys, "0.2"]);
            if (reply[0] != (byte)'*' || reply[1] == (byte)'-') continue;
            received.Add(Items(reply)[1]);
        }
    }

    /// <summary>A consumer that pops into its processing list and goes away before acknowledging.</summary>
    private static void KillAfterPop(int port, string key, string processing)
    {
        using var client = RawRespClient.Connect(port);
        // It competes with the other consumers of the key; whatever it takes stays in its list (none: null after 5 s).
        client.Call("BRPOPLPUSH", key, processing, "5");
    }

    private static long ListLength(int port, string key)
    {
        using var client = RawRespClient.Connect(port);
        var reply = Encoding.ASCII.GetString(client.Call("LLEN", key));
        return long.Parse(reply.AsSpan(1, reply.Length - 3));
    }

    private static long BlockedClients(int port)
    {
        using var client = RawRespClient.Connect(port);
        return BlockedClients(client);
    }

    private static long BlockedClients(RawRespClient client)
    {
        var info = Encoding.ASCII.GetString(client.Call("INFO", "clients")).Split("\r\n");
        return long.Parse(info.First(l => l.StartsWith("blocked_clients:", StringComparison.Ordinal))["blocked_clients:".Length..]);
    }

    /// <summary>The bulk strings of a reply (a bulk, or an array of bulks), in order.</summary>
    private static List<string> Items(byte[] reply)
    {
        var value = RespValue.Parse(reply);
        if (value.Items == null) return value.Payload == null ? [] : [Encoding.UTF8.GetString(value.Payload)];
        return value.Items.Where(i => i.Payload != null).Select(i => Encoding.UTF8.GetString(i.Payload!)).ToList();
    }
}
