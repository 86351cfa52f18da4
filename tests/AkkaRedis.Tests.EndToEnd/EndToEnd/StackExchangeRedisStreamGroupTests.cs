using AkkaRedis.Tests.EndToEnd.Infrastructure;
using StackExchange.Redis;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>StackExchange.Redis's consumer-group API against AkkaRedis: a work queue read by two consumers, its
/// pending entries, claims and the XINFO views the client parses.</summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Clients")]
public sealed class StackExchangeRedisStreamGroupTests(E2EServers servers)
{
    private static string[] Ids(IEnumerable<StreamEntry> entries) => entries.Select(e => (string)e.Id!).ToArray();

    [Fact]
    public async Task ConsumerGroupWorkQueue()
    {
        using var mux = StackExchangeRedisTests.Connect($"127.0.0.1:{servers.Akka.Port}", new StringWriter());
        var db = mux.GetDatabase();
        const string p = "se:groups:";
        var key = p + "jobs";
        await db.KeyDeleteAsync([key, p + "other"]);

        // StreamCreateConsumerGroup: MKSTREAM on a missing key, BUSYGROUP (false) the second time.
        Assert.True(db.StreamCreateConsumerGroup(key, "workers", StreamPosition.Beginning, createStream: true));
        Assert.False(await db.KeyExistsAsync(p + "other"));
        Assert.Throws<RedisServerException>(() => db.StreamCreateConsumerGroup(p + "other", "workers", StreamPosition.Beginning, createStream: false));
        var busy = Assert.Throws<RedisServerException>(() => db.StreamCreateConsumerGroup(key, "workers", StreamPosition.Beginning));
        Assert.StartsWith("BUSYGROUP", busy.Message);
        for (var i = 1; i <= 5; i++) db.StreamAdd(key, "job", i, messageId: $"{i}-0");

        // StreamReadGroup: new entries ('>') split between consumers, then alice's own history.
        var alice = db.StreamReadGroup(key, "workers", "alice", StreamPosition.NewMessages, count: 2);
        Assert.Equal(["1-0", "2-0"], Ids(alice));
        Assert.Equal("1", (string?)alice[0]["job"]);
        var bob = db.StreamReadGroup(key, "workers", "bob", StreamPosition.NewMessages);
        Assert.Equal(["3-0", "4-0", "5-0"], Ids(bob));
        Assert.Empty(db.StreamReadGroup(key, "workers", "bob", StreamPosition.NewMessages));
        Assert.Equal(["1-0", "2-0"], Ids(db.StreamReadGroup(key, "workers", "alice", "0-0")));

        // StreamPending (summary) and StreamPendingMessages (extended).
        var pending = db.StreamPending(key, "workers");
        Assert.Equal(5, pending.PendingMessageCount);
        Assert.Equal("1-0", (string?)pending.LowestPendingMessageId);
        Assert.Equal("5-0", (string?)pending.HighestPendingMessageId);
        Assert.Equal([("alice", 2), ("bob", 3)], pending.Consumers.Select(c => ((string)c.Name!, c.PendingMessageCount)).ToArray());
        var messages = db.StreamPendingMessages(key, "workers", 10, "alice");
        Assert.Equal(["1-0", "2-0"], messages.Select(m => (string)m.MessageId!).ToArray());
        Assert.All(messages, m => Assert.Equal(2, m.DeliveryCount)); // delivered, then read again as history
        Assert.All(messages, m => Assert.Equal("alice", (string?)m.ConsumerName));

        // StreamAcknowledge.
        Assert.Equal(1, db.StreamAcknowledge(key, "workers", "1-0"));
        Assert.Equal(1, db.StreamAcknowledge(key, "workers", ["1-0", "3-0"]));
        Assert.Equal(3, db.StreamPending(key, "workers").PendingMessageCount);

        // StreamClaim / StreamClaimIdsOnly: bob's 4-0 goes to carol (min idle 0); nothing is idle for an hour.
        var claimed = db.StreamClaim(key, "workers", "carol", 0, ["4-0"]);
        Assert.Equal(["4-0"], Ids(claimed));
        Assert.Equal("4", (string?)claimed[0]["job"]);
        Assert.Empty(db.StreamClaimIdsOnly(key, "workers", "carol", 3_600_000, ["5-0"]));
        Assert.Equal(["5-0"], db.StreamClaimIdsOnly(key, "workers", "carol", 0, ["5-0"]).Select(v => (string)v!).ToArray());

        // StreamAutoClaim: a deleted entry is dropped from the PEL and reported.
        db.StreamDelete(key, ["2-0"]);
        var auto = db.StreamAutoClaim(key, "workers", "dave", 0, "0-0", count: 10);
        Assert.Equal("0-0", (string?)auto.NextStartId);
        Assert.Equal(["4-0", "5-0"], Ids(auto.ClaimedEntries));
        Assert.Equal(["2-0"], auto.DeletedIds.Select(v => (string)v!).ToArray());

        // StreamConsumerInfo, StreamGroupInfo, StreamInfo.
        var consumers = db.StreamConsumerInfo(key, "workers");
        Assert.Equal([("alice", 0), ("bob", 0), ("carol", 0), ("dave", 2)], consumers.Select(c => ((string)c.Name!, c.PendingMessageCount)).ToArray());
        Assert.All(consumers, c => Assert.InRange(c.IdleTimeInMilliseconds, 0, 60_000));
        var group = Assert.Single(db.StreamGroupInfo(key));
        Assert.Equal("workers", group.Name);
        Assert.Equal(4, group.ConsumerCount);
        Assert.Equal(2, group.PendingMessageCount);
        Assert.Equal("5-0", group.LastDeliveredId);
        Assert.Equal(5, group.EntriesRead);
        Assert.Equal(0, group.Lag);
        var info = db.StreamInfo(key);
        Assert.Equal(4, info.Length);
        Assert.Equal(1, info.ConsumerGroupCount);
        Assert.Equal("1-0", (string?)info.FirstEntry.Id);
        Assert.Equal("5-0", (string?)info.LastEntry.Id);
        Assert.Equal("5-0", (string?)info.LastGeneratedId);

        // Consumer and group removal, and a group moved back to the start.
        Assert.Equal(2, db.StreamDeleteConsumer(key, "workers", "dave"));
        Assert.True(db.StreamConsumerGroupSetPosition(key, "workers", StreamPosition.Beginning));
        Assert.Equal(["1-0", "3-0", "4-0", "5-0"], Ids(db.StreamReadGroup(key, "workers", "erin", StreamPosition.NewMessages)));
        Assert.True(db.StreamDeleteConsumerGroup(key, "workers"));
        Assert.Empty(db.StreamGroupInfo(key));
    }

    [Fact]
    public void ReadGroupOverSeveralStreamsOnDifferentShards()
    {
        using var mux = StackExchangeRedisTests.Connect($"127.0.0.1:{servers.Akka.Port}", new StringWriter());
        var db = mux.GetDatabase();
        // a, b, c, d fall on the four shards of the 4-shard test server.
        RedisKey[] keys = ["a", "b", "c", "d"];
        db.KeyDelete(keys);
        foreach (var k in keys)
        {
            db.StreamCreateConsumerGroup(k, "g", StreamPosition.Beginning, createStream: true);
            db.StreamAdd(k, "from", (string)k!, messageId: "1-1");
            db.StreamAdd(k, "from", (string)k!, messageId: "2-1");
        }
        var streams = db.StreamReadGroup(keys.Select(k => new StreamPosition(k, StreamPosition.NewMessages)).ToArray(), "g", "c1", countPerStream: 1);
        Assert.Equal(["a", "b", "c", "d"], streams.Select(s => (string)s.Key!).ToArray());
        Assert.All(streams, s => Assert.Equal(["1-1"], Ids(s.Entries)));
        Assert.All(keys, k => Assert.Equal(1, db.StreamPending(k, "g").PendingMessageCount));
        var noAck = db.StreamReadGroup(keys.Select(k => new StreamPosition(k, StreamPosition.NewMessages)).ToArray(), "g", "c2", noAck: true);
        Assert.All(noAck, s => Assert.Equal(["2-1"], Ids(s.Entries)));
        Assert.All(keys, k => Assert.Equal(1, db.StreamPending(k, "g").PendingMessageCount));
        db.KeyDelete(keys);
    }
}
