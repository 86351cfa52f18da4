using AkkaRedis.Actors.Session;
using Akka.Event;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Server;
using Xunit;

namespace AkkaRedis.Tests.Actors;

/// <summary>A shard that falls behind (more messages waiting than shard-mailbox-warn-threshold) shows in INFO shards
/// and in a warning, and is reported as caught up once its mailbox drains.</summary>
public sealed class ShardHealthTests : KeyspaceTestBase
{
    public ShardHealthTests() : base(2, "shard-mailbox-warn-threshold", "5")
    {
    }

    [Fact]
    public void A_shard_with_a_full_mailbox_is_reported_behind_then_caught_up()
    {
        using var gate = new ManualResetEventSlim();
        var block = new CommandDef("test-block", 1, CommandFlags.None, 0, 0, 0, AclCategories.None)
        {
            Handler = _ => gate.Wait(TimeSpan.FromSeconds(20)),
        };
        var shard = Server.Keyspace.Shards[1];
        Sys.EventStream.Subscribe(TestActor, typeof(Warning));
        Sys.EventStream.Subscribe(TestActor, typeof(Info));

        var blocking = new ShardBatch { ShardIndex = 1 };
        blocking.Add(Cmd("test-block"), block, 0);
        shard.Tell(blocking, TestActor);
        for (var i = 0; i < 10; i++)
        {
            var batch = new ShardBatch { ShardIndex = 1 };
            batch.Add(Cmd("DBSIZE"), Server.Commands.Find("dbsize")!, 0);
            shard.Tell(batch, TestActor);
        }
        // 10 waiting, or more while the shard has yet to take the blocking batch (a busy thread pool can delay that)
        // and as the Expiry actor's ticks arrive.
        AwaitCondition(() => Mailboxes.Depth(shard) >= 10, TimeSpan.FromSeconds(20));

        Server.Keyspace.Supervisor.Tell(KeyspaceSupervisor.CheckHealth.Instance, TestActor);
        // The periodic check may get there first, while the blocking batch is still in the mailbox too.
        FishForMessage<Warning>(w => w.Message.ToString()!.Contains("shard-1 is falling behind"), TimeSpan.FromSeconds(10));
        Assert.True(Server.Keyspace.ShardData[1].Behind);
        Assert.False(Server.Keyspace.ShardData[0].Behind);
        var info = InfoBuilder.Build(Server, ["shards"]);
        Assert.Contains("shards_behind:1\r\n", info);
        // The Expiry actor's ticks (hz) queue up behind the blocked batch too: at least the 10 batches are waiting.
        var line = System.Text.RegularExpressions.Regex.Match(info, @"shard1:keys=0,expires=0,mailbox=(\d+),batches=\d+,commands=\d+,behind=1\r\n");
        Assert.True(line.Success, info);
        Assert.True(int.Parse(line.Groups[1].Value) >= 10, info);
        Assert.Contains("shard0:keys=0,expires=0,mailbox=0,", info);

        gate.Set();
        for (var i = 0; i < 11; i++) FishForMessage<ShardBatch>(_ => true, TimeSpan.FromSeconds(10));
        Server.Keyspace.Supervisor.Tell(KeyspaceSupervisor.CheckHealth.Instance, TestActor);
        FishForMessage<Info>(m => m.Message.ToString()!.Contains("has caught up"), TimeSpan.FromSeconds(10));
        Assert.False(Server.Keyspace.ShardData[1].Behind);
        Assert.Contains("shards_behind:0\r\n", InfoBuilder.Build(Server, ["shards"]));
    }
}
