using System.Text;
using Akka.Actor;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Storage.Rdb;
using AkkaRedis.Net.Resp;
using Xunit;

namespace AkkaRedis.Tests.Actors.Persistence;

/// <summary>
/// BGSAVE at the actor level: the Persistence actor holds every shard for the snapshot's start while cross-shard EXECs
/// (handed-over holds, as sessions run them) keep coming, and the file it writes holds each EXEC wholly or not at all.
/// </summary>
public sealed class BgsaveTests : KeyspaceTestBase
{
    private readonly string _file = $"bgsave-actors-{Guid.NewGuid():N}.rdb";

    public BgsaveTests() : base(4)
    {
        // dir is the process's working directory (Redis chdir()s into it): the test gets a file name of its own there.
        Server.Config.Set("dbfilename", _file);
    }

    protected override void Dispose(bool disposing)
    {
        File.Delete(_file);
        base.Dispose(disposing);
    }

    private int Shards => Server.Keyspace.Shards.Length;

    private string KeyOn(int shard, string prefix)
    {
        for (var i = 0; ; i++)
        {
            var key = prefix + i;
            if (HashSlot.ShardOf(Encoding.UTF8.GetBytes(key), Shards) == shard) return key;
        }
    }

    /// <summary>Plays a session's cross-shard EXEC: holds every shard, INCRs a counter on each, releases.</summary>
    private sealed class ExecSession(string[] counters, CommandTable commands, IActorRef transactions, IActorRef report) : UntypedActor
    {
        protected override void PreStart() => transactions.Tell(new TransactionRequest { HandOver = true, Args = Cmd("EXEC") });

        protected override void OnReceive(object message)
        {
            if (message is not ShardsHeld held)
            {
                Unhandled(message);
                return;
            }
            var writer = new RespWriter();
            foreach (var counter in counters)
            {
                CommandArgs args = Cmd("INCR", counter);
                CommandRunner.Run(held.Context, commands.Resolve(args, out _)!, args, writer, 0);
            }
            Sender.Tell(new ReleaseShards(held.Request, held.TransactionId));
            report.Tell("done");
            Context.Stop(Self);
        }
    }

    [Fact]
    public void A_bgsave_among_cross_shard_execs_holds_each_exec_wholly_or_not_at_all()
    {
        var counters = Enumerable.Range(0, Shards).Select(s => KeyOn(s, "counter")).ToArray();
        // Enough other keys that each shard's walk takes many steps, with EXECs landing between them.
        var mset = new List<string> { "MSET" };
        for (var i = 0; i < 60_000; i++) mset.AddRange([$"filler:{i}", $"value {i}"]);
        Assert.Equal("+OK\r\n", RunTransaction([.. mset]));
        var probe = CreateTestProbe();
        void Execs(int n)
        {
            for (var i = 0; i < n; i++)
                Sys.ActorOf(Props.Create(() => new ExecSession(counters, Server.Commands, Server.Keyspace.Transactions, probe.Ref)));
        }

        Execs(20);
        for (var i = 0; i < 20; i++) probe.ExpectMsg<string>(TimeSpan.FromSeconds(30));
        Execs(150);
        var bgsave = TransactionFor(true, "BGSAVE");
        Server.Keyspace.Persistence.Tell(bgsave, TestActor);
        Assert.Equal("+Background saving started\r\n", ReplyOf(ExpectMsg<TransactionRequest>(TimeSpan.FromSeconds(30))));
        Execs(150);
        for (var i = 0; i < 300; i++) probe.ExpectMsg<string>(TimeSpan.FromSeconds(30));
        AwaitCondition(() => Server.Services.Persistence.RdbSaves == 1, TimeSpan.FromSeconds(30));
        Assert.True(Server.Services.Persistence.LastBgsaveOk);
        Assert.False(Server.Services.Persistence.BgsaveInProgress);

        var saved = ReadStrings(File.ReadAllBytes(_file));
        var values = counters.Select(c => long.Parse(saved[c])).ToArray();
        Assert.All(values, v => Assert.Equal(values[0], v));
        // At least the 20 EXECs answered before the BGSAVE; later ones may or may not be (they race its hold).
        Assert.InRange(values[0], 20, 320);
        Assert.Equal(60_000 + counters.Length, saved.Count);
        Assert.Equal("value 59999", saved["filler:59999"]);
        // And the keyspace went on: every EXEC is there now.
        Assert.Equal(["$3\r\n320\r\n"], RunOnShard(Cmd("GET", counters[0])));
    }

    [Fact]
    public void A_second_bgsave_while_one_runs_is_refused_and_schedule_is_a_syntax_error_elsewhere()
    {
        var mset = new List<string> { "MSET" };
        for (var i = 0; i < 50_000; i++) mset.AddRange([$"k:{i}", "v"]);
        RunTransaction([.. mset]);
        Server.Keyspace.Persistence.Tell(TransactionFor(true, "BGSAVE"), TestActor);
        Assert.Equal("+Background saving started\r\n", ReplyOf(ExpectMsg<TransactionRequest>()));
        Server.Keyspace.Persistence.Tell(TransactionFor(true, "BGSAVE"), TestActor);
        var second = ReplyOf(ExpectMsg<TransactionRequest>());
        Server.Keyspace.Persistence.Tell(TransactionFor(true, "BGSAVE", "now"), TestActor);
        Assert.Equal("-ERR syntax error\r\n", ReplyOf(ExpectMsg<TransactionRequest>()));
        AwaitCondition(() => Server.Services.Persistence.RdbSaves == 1, TimeSpan.FromSeconds(30));
        // The first may have finished before the second arrived on a fast machine; on this one 50,000 keys take longer
        // than a message, so the refusal is what is seen.
        Assert.Equal("-ERR Background save already in progress\r\n", second);
    }

    [Fact]
    public void An_aborted_bgsave_writes_no_file_lets_its_tables_go_and_the_next_one_saves_what_is_there_then()
    {
        var mset = new List<string> { "MSET" };
        for (var i = 0; i < 100_000; i++) mset.AddRange([$"k:{i}", "v"]);
        RunTransaction([.. mset]);
        Server.Keyspace.Persistence.Tell(TransactionFor(true, "BGSAVE"), TestActor);
        Assert.Equal("+Background saving started\r\n", ReplyOf(ExpectMsg<TransactionRequest>()));
        Server.Keyspace.Persistence.Tell(AbortBackgroundSave.Instance);
        AwaitCondition(() => !Server.Services.Persistence.BgsaveInProgress, TimeSpan.FromSeconds(30));
        // Almost always 0 (the abort overtakes the walk of 100,000 keys); 1 if a loaded machine let the save finish first.
        var savesBefore = Server.Services.Persistence.RdbSaves;
        Assert.Equal(":100000\r\n", RunTransaction("DBSIZE"));
        Assert.Equal("+OK\r\n", RunTransaction("SET", "after", "abort"));
        Server.Keyspace.Persistence.Tell(TransactionFor(true, "BGSAVE"), TestActor);
        Assert.Equal("+Background saving started\r\n", ReplyOf(ExpectMsg<TransactionRequest>()));
        AwaitCondition(() => Server.Services.Persistence.RdbSaves == savesBefore + 1, TimeSpan.FromSeconds(30));
        var saved = ReadStrings(File.ReadAllBytes(_file));
        Assert.Equal(100_001, saved.Count);
        Assert.Equal("abort", saved["after"]);
    }

    /// <summary>The string keys of an RDB file (other types' records are read and skipped), its checksum checked.</summary>
    private static Dictionary<string, string> ReadStrings(byte[] file)
    {
        var result = new Dictionary<string, string>();
        var r = new RdbReader(file);
        Assert.Equal("REDIS0010", Encoding.ASCII.GetString(r.ReadBytes(9)));
        while (true)
        {
            var op = r.ReadByte();
            switch (op)
            {
                case RdbFormat.OpAux:
                    r.ReadString();
                    r.ReadString();
                    continue;
                case RdbFormat.OpSelectDb:
                    r.ReadLength();
                    continue;
                case RdbFormat.OpResizeDb:
                    r.ReadLength();
                    r.ReadLength();
                    continue;
                case RdbFormat.OpExpireTimeMs:
                    r.ReadInt64();
                    continue;
                case RdbFormat.OpEof:
                    var crc = Crc64.Compute(0, file.AsSpan(0, r.Position));
                    Assert.Equal(crc, BitConverter.ToUInt64(file, r.Position));
                    return result;
                case RdbFormat.TypeString:
                    var key = Encoding.UTF8.GetString(r.ReadString());
                    result[key] = Encoding.UTF8.GetString(r.ReadString());
                    continue;
                default:
                    r.ReadString(); // another type's key, then its value
                    RdbValues.ReadValue(ref r, op);
                    continue;
            }
        }
    }
}
