using Akka.TestKit;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaRedis.Actors.Session;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Server;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Actors;

/// <summary>A keyspace supervisor with its shards in the test's actor system, and helpers to send it batches.</summary>
public abstract class KeyspaceTestBase : TestKit
{
    protected KeyspaceTestBase(int shards = 4, params string[] settings) : this(null, shards, settings)
    {
    }

    /// <param name="dedicated">Dedicated actors plugged in besides the server's own (tests of the Actor execution kind).</param>
    protected KeyspaceTestBase(IReadOnlyDictionary<string, DedicatedActorProps>? dedicated, int shards = 4, params string[] settings)
    {
        var config = new ServerConfig();
        config.Set("shards", shards.ToString());
        // No save points: the Persistence actor of a test keyspace never writes a dump.rdb into the test directory.
        config.Set("save", "");
        for (var i = 0; i + 1 < settings.Length; i += 2) config.Set(settings[i], settings[i + 1]);
        Server = new ServerContext(config, AkkaRedis.Actors.Session.Families.CreateTable());
        var supervisor = Sys.ActorOf(AkkaRedis.Actors.ServerActors.Keyspace(Server, dedicated), "keyspace");
        supervisor.Tell(new KeyspaceSupervisor.GetRefs());
        Server.Keyspace = ExpectMsg<KeyspaceRefs>();
    }

    protected ServerContext Server { get; }

    protected static byte[][] Cmd(params string[] args) => args.Select(a => System.Text.Encoding.UTF8.GetBytes(a)).ToArray();

    /// <summary>Sends the commands to the shard that owns the first one's key and returns each reply as text.</summary>
    /// <summary>Sends a blocking command as the session does; the probe plays the waiting session.</summary>
    protected BlockedRequest Block(TestProbe session, params string[] args)
    {
        var request = BlockedRequestOf(session, args);
        if (request.Shards.Length == 1) Server.Keyspace.Shards[request.Shards[0]].Tell(request, session.Ref);
        else Server.Keyspace.Transactions.Tell(request, session.Ref);
        return request;
    }

    /// <summary>A blocking request from <paramref name="session"/>, as a session makes it (not sent).</summary>
    protected BlockedRequest BlockedRequestOf(TestProbe session, params string[] args)
    {
        var cmd = CommandArgs.Of(Cmd(args));
        var def = Server.Commands.Resolve(cmd, out var error) ?? throw new InvalidOperationException(error);
        var request = new BlockedRequest(cmd, def, 0, null, session.Ref, 2)
        {
            ShardActors = Server.Keyspace.Shards,
            Transactions = Server.Keyspace.Transactions,
        };
        var keys = new List<int>();
        def.GetKeys(cmd, keys);
        request.Shards = keys.Select(k => HashSlot.ShardOf(cmd[k], Server.Keyspace.Shards.Length)).Distinct().Order().ToArray();
        request.CrossShardServe = request.Shards.Length > 1 && def.Name is "blmove" or "brpoplpush";
        return request;
    }

    protected string[] RunOnShard(params byte[][][] commands)
    {
        var shard = HashSlot.ShardOf(commands[0][1], Server.Keyspace.Shards.Length);
        var batch = new ShardBatch { ShardIndex = shard };
        foreach (var c in commands)
        {
            var def = Server.Commands.Resolve(c, out var error) ?? throw new InvalidOperationException(error);
            batch.Add(c, def, batch.Commands.Count);
        }
        Server.Keyspace.Shards[shard].Tell(batch, TestActor);
        var reply = ExpectMsg<ShardBatch>();
        return Split(reply);
    }

    /// <summary>The first key <paramref name="prefix"/>N that lives on <paramref name="shard"/>.</summary>
    protected string KeyOn(int shard, string prefix)
    {
        for (var i = 0; ; i++)
        {
            var key = prefix + i;
            if (HashSlot.ShardOf(System.Text.Encoding.UTF8.GetBytes(key), Server.Keyspace.Shards.Length) == shard) return key;
        }
    }

    protected string RunTransaction(params string[] args)
    {
        Server.Keyspace.Transactions.Tell(TransactionFor(false, args), TestActor);
        return ReplyOf(ExpectMsg<TransactionRequest>());
    }

    /// <summary>A request for the Transaction actor holding its keys' shards (as the session makes it), or every
    /// shard when <paramref name="holdEveryShard"/>.</summary>
    protected TransactionRequest TransactionFor(bool holdEveryShard, params string[] args)
    {
        var request = new TransactionRequest { Args = Cmd(args) };
        request.Def = Server.Commands.Resolve(request.Args, out var error) ?? throw new InvalidOperationException(error);
        if (holdEveryShard) return request; // no shards named: every shard is held
        var keys = new List<int>();
        request.Def.GetKeys(request.Args, keys);
        foreach (var k in keys)
        {
            var s = HashSlot.ShardOf(request.Args[k], Server.Keyspace.Shards.Length);
            if (!request.Shards.Contains(s)) request.Shards.Add(s);
        }
        request.Shards.Sort();
        return request;
    }

    protected static string ReplyOf(TransactionRequest reply) =>
        System.Text.Encoding.UTF8.GetString(reply.Writer.Buffer, reply.ReplyStart, reply.ReplyEnd - reply.ReplyStart);

    private static string[] Split(ShardBatch batch)
    {
        var replies = new string[batch.Commands.Count];
        for (var i = 0; i < replies.Length; i++)
        {
            var end = i + 1 < replies.Length ? batch.Starts[i + 1] : batch.End;
            replies[i] = System.Text.Encoding.UTF8.GetString(batch.Writer.Buffer, batch.Starts[i], end - batch.Starts[i]);
        }
        return replies;
    }

    /// <summary>Two keys that live on different shards.</summary>
    protected (string, string) KeysOnDifferentShards()
    {
        var n = Server.Keyspace.Shards.Length;
        var first = "key:0";
        for (var i = 1; ; i++)
        {
            var candidate = "key:" + i;
            if (HashSlot.ShardOf(System.Text.Encoding.UTF8.GetBytes(candidate), n) != HashSlot.ShardOf(System.Text.Encoding.UTF8.GetBytes(first), n))
                return (first, candidate);
        }
    }
}
