using System.Diagnostics;
using System.Text;
using Akka.Actor;
using Akka.TestKit;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Transactions;
using Xunit;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.Actors;

/// <summary>
/// The Transaction actor's per-shard queues: transactions on disjoint shard sets hold their shards at the same time,
/// overlapping ones run in arrival order, and many clients' cross-shard writes end as a serial run would.
/// </summary>
public sealed class ConcurrentTransactionTests : KeyspaceTestBase
{
    private readonly ITestOutputHelper _output;

    public ConcurrentTransactionTests(ITestOutputHelper output)
    {
        _output = output;
        // Hold their keys' shards for a while after they ran (as DEBUG SLEEP does under a hold).
        AddHoldCommand("xhold", TimeSpan.FromSeconds(2));
        AddHoldCommand("xbrief", TimeSpan.FromMilliseconds(100));
    }

    private void AddHoldCommand(string name, TimeSpan hold) =>
        Server.Commands.Add(new CommandDef(name, 3, CommandFlags.Write, 1, 2, 1, AclCategories.None)
        {
            KeySpecFlags = ["RW update", "RW update"],
            HoldsShards = true,
            Handler = c =>
            {
                c.HoldFor = hold;
                c.Reply.Ok();
            },
        });

    [Fact]
    public void Disjoint_shard_sets_run_at_the_same_time_and_overlapping_ones_in_arrival_order()
    {
        var transactions = Server.Keyspace.Transactions;
        var a = TransactionFor(false, "XHOLD", KeyOn(0, "a"), KeyOn(1, "a"));
        Assert.Equal([0, 1], a.Shards);
        var b = TransactionFor(false, "MSET", KeyOn(2, "b"), "x", KeyOn(3, "b"), "y");
        var c = TransactionFor(false, "MSET", KeyOn(1, "c"), "z", KeyOn(0, "c"), "w");
        var probeB = CreateTestProbe();
        transactions.Tell(a, TestActor);
        // A holds shards 0 and 1 (for two seconds once it ran)...
        AwaitAssert(() => Assert.Equal(1, transactions.Ask<int>(TransactionActor.GetActive.Instance).Result), TimeSpan.FromSeconds(10));
        transactions.Tell(c, TestActor);
        transactions.Tell(b, probeB.Ref);
        // ...B (shards 2 and 3) does not wait for it...
        Assert.Equal("+OK\r\n", ReplyOf(probeB.ExpectMsg<TransactionRequest>(TimeSpan.FromSeconds(10))));
        ExpectNoMsg(TimeSpan.Zero); // A still holds its shards
        // ...C (shards 0 and 1) waits for A, which arrived first.
        Assert.Same(a, ExpectMsg<TransactionRequest>(TimeSpan.FromSeconds(15)));
        Assert.Same(c, ExpectMsg<TransactionRequest>(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Hundred_clients_cross_shard_writes_end_as_a_serial_run()
    {
        const int clients = 100, rounds = 10;
        // Warm up both ways first (JIT, pools), then measure each.
        Run(clients, 1, "wq", holdEveryShard: false);
        Run(clients, 1, "ws", holdEveryShard: true);
        var serial = Run(clients, rounds, "s", holdEveryShard: true);
        var perShard = Run(clients, rounds, "q", holdEveryShard: false);
        _output.WriteLine($"{clients} clients x {rounds * 6} cross-shard commands (MSET/RENAME/COPY/DEL/MGET), 4 shards: " +
                          $"per-shard queues {perShard.TotalMilliseconds:F0} ms, every shard held one at a time {serial.TotalMilliseconds:F0} ms " +
                          $"({serial / perShard:F2}x)");
    }

    /// <summary>The benchmark line for disjoint shard sets: 10 transactions on shards {0,1} and 10 on {2,3}, each
    /// holding its shards 100 ms, take about half as long with per-shard queues as with every shard held.</summary>
    [Fact]
    public void Transactions_on_disjoint_shard_sets_overlap_in_time()
    {
        TimeSpan Measure(bool holdEveryShard)
        {
            var probe = CreateTestProbe();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 10; i++)
            {
                Server.Keyspace.Transactions.Tell(TransactionFor(holdEveryShard, "XBRIEF", KeyOn(0, "d"), KeyOn(1, "d")), probe.Ref);
                Server.Keyspace.Transactions.Tell(TransactionFor(holdEveryShard, "XBRIEF", KeyOn(2, "d"), KeyOn(3, "d")), probe.Ref);
            }
            for (var i = 0; i < 20; i++) probe.ExpectMsg<TransactionRequest>(TimeSpan.FromSeconds(30));
            return watch.Elapsed;
        }
        var serial = Measure(holdEveryShard: true);
        var perShard = Measure(holdEveryShard: false);
        _output.WriteLine($"20 transactions holding 2 of 4 shards for 100 ms, half on {{0,1}} and half on {{2,3}}: " +
                          $"per-shard queues {perShard.TotalMilliseconds:F0} ms, every shard held {serial.TotalMilliseconds:F0} ms");
        // 2 s of holds one after the other against two lines of 1 s: a second apart, far beyond timer jitter.
        Assert.True(perShard < serial * 0.8, $"per-shard {perShard}, serial {serial}");
    }

    /// <summary>Each client repeats: MSET its two keys, RENAME one, COPY it, DEL the other (keys of its own, on any
    /// shards: overlapping shard sets), then MSET two shared keys and MGET them (the same keys for everyone).</summary>
    private TimeSpan Run(int clients, int rounds, string prefix, bool holdEveryShard)
    {
        var transactions = Server.Keyspace.Transactions;
        var probes = Enumerable.Range(0, clients).Select(_ => CreateTestProbe()).ToArray();
        string K(int c, string name) => $"{prefix}{c}:{name}";
        string[] Step(int c, int step)
        {
            var round = step / 6;
            return (step % 6) switch
            {
                0 => ["MSET", K(c, "a"), "v" + round, K(c, "b"), "w" + round],
                1 => ["RENAME", K(c, "a"), K(c, "t")],
                2 => ["COPY", K(c, "t"), K(c, "u"), "REPLACE"],
                3 => ["DEL", K(c, "b"), K(c, "missing")],
                4 => ["MSET", prefix + "shared:1", $"{c}-{round}", prefix + "shared:2", $"{c}-{round}"],
                _ => ["MGET", prefix + "shared:1", prefix + "shared:2"],
            };
        }
        string[] expected = ["+OK\r\n", "+OK\r\n", ":1\r\n", ":1\r\n", "+OK\r\n"];

        var watch = Stopwatch.StartNew();
        for (var c = 0; c < clients; c++) transactions.Tell(TransactionFor(holdEveryShard, Step(c, 0)), probes[c].Ref);
        for (var step = 0; step < rounds * 6; step++)
        {
            for (var c = 0; c < clients; c++)
            {
                var reply = ReplyOf(probes[c].ExpectMsg<TransactionRequest>(TimeSpan.FromSeconds(30)));
                if (step % 6 < 5) Assert.Equal(expected[step % 6], reply);
                else
                {
                    // MSET and MGET are atomic across shards: both shared keys always hold the same writer's value.
                    var lines = reply.Split("\r\n");
                    Assert.Equal(lines[2], lines[4]);
                }
                if (step + 1 < rounds * 6) transactions.Tell(TransactionFor(holdEveryShard, Step(c, step + 1)), probes[c].Ref);
            }
        }
        watch.Stop();

        // What a serial run leaves: each client's t and u hold its last round's value, a and b are gone.
        var last = "v" + (rounds - 1);
        for (var c = 0; c < clients; c++)
        {
            var final = RunTransaction("MGET", K(c, "a"), K(c, "b"), K(c, "t"), K(c, "u"));
            Assert.Equal($"*4\r\n$-1\r\n$-1\r\n${last.Length}\r\n{last}\r\n${last.Length}\r\n{last}\r\n", final);
        }
        return watch.Elapsed;
    }
}
