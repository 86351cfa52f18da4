using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Session;
using AkkaRedis.Net.Streams;
using Xunit;

namespace AkkaRedis.Tests.Actors;

/// <summary>
/// The "dedicated actor" execution kind: a command whose table entry names an actor goes from the session to that
/// actor and its reply comes back in request order, with no branch for that actor in the session (the way PubSub,
/// Replication and Persistence will plug in).
/// </summary>
public sealed class DedicatedActorTests : KeyspaceTestBase
{
    /// <summary>A stand-in for PubSub & co.: answers "ECHOACTOR x" with x and counts what it served.</summary>
    private sealed class EchoActor : ReceiveActor
    {
        public EchoActor()
        {
            var served = 0;
            Receive<TransactionRequest>(r =>
            {
                r.ReplyStart = r.Writer.Length;
                r.Writer.Bulk(r.Args[1]);
                r.ReplyEnd = r.Writer.Length;
                served++;
                Sender.Tell(r);
            });
            Receive<string>(_ => Sender.Tell(served));
        }
    }

    public DedicatedActorTests() : base(new Dictionary<string, DedicatedActorProps>
    {
        ["echo"] = (_, _, _) => Props.Create(() => new EchoActor()),
    })
    {
        Server.Commands.Add(new CommandDef("echoactor", 2, CommandFlags.Fast, 0, 0, 0, AclCategories.None) { ActorName = "echo" });
    }

    [Fact]
    public async Task A_command_named_for_an_actor_is_answered_by_it_in_request_order()
    {
        Assert.Equal(Execution.Actor, Server.Commands.Find("echoactor")!.Execution);
        var frames = new RequestFrames();
        frames.Commands.Add(Cmd("SET", "k", "before"));
        frames.Commands.Add(Cmd("ECHOACTOR", "from-the-actor"));
        frames.Commands.Add(Cmd("GET", "k"));
        var output = await Source.Single(frames)
            .Via(Flow.FromGraph(new SessionStage(Server, "127.0.0.1:50000", "127.0.0.1:6379")))
            .Select(b => System.Text.Encoding.UTF8.GetString(b.ToArray()))
            .RunWith(Sink.Seq<string>(), Sys.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("+OK\r\n$14\r\nfrom-the-actor\r\n$6\r\nbefore\r\n", string.Concat(output));
        Assert.Equal(1, await Server.Keyspace.Dedicated["echo"].Ask<int>("served", TimeSpan.FromSeconds(10)));
    }
}
