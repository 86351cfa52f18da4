using AkkaRedis.Actors.Session;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using Xunit;

namespace AkkaRedis.Tests.Actors;

public sealed class ExpiryTests : KeyspaceTestBase
{
    public ExpiryTests() : base(shards: 2, "hz", "50")
    {
    }

    [Fact]
    public void The_active_cycle_removes_expired_keys_that_are_never_read()
    {
        var now = ServerContext.UnixMs();
        var data = Server.Keyspace.ShardData;
        for (var i = 0; i < 200; i++)
        {
            var key = "ttl:" + i;
            RunOnShard(Cmd("SET", key, "v"));
        }
        Server.Commands.Add(new AkkaRedis.Actors.Commands.CommandDef("pexpireall", 2, AkkaRedis.Actors.Commands.CommandFlags.Write, 1, 1, 1, AkkaRedis.Actors.Commands.AclCategories.None)
        {
            Handler = c =>
            {
                var db = c.Db(c.Args[1]);
                var obj = db.Lookup(c.Args[1], c.Now)!;
                db.SetExpire(obj, c.Now + 50);
                c.Reply.Ok();
            },
        });
        Assert.Equal(200, data.Sum(s => s.Databases[0].Count));
        for (var i = 0; i < 200; i++) RunOnShard(Cmd("PEXPIREALL", "ttl:" + i));
        AwaitCondition(() => data.Sum(s => s.Databases[0].Count) == 0, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20));
        Assert.Equal(200, data.Sum(s => s.Stats.ExpiredKeys));
    }
}
