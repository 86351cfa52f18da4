using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Session;
using AkkaRedis.Actors.Tracing;
using AkkaRedis.Net.Streams;
using Xunit;

namespace AkkaRedis.Tests.Actors;

/// <summary>
/// With tracing on, a command run through a real session stage and the shard / Transaction actors produces an
/// ActivitySource span tree (a root span per command, a child per actor that ran it) and the same hops in the log
/// sink, all under one correlation id.
/// </summary>
public sealed class TracingSpanTests : KeyspaceTestBase, IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;
    private readonly RecordingSink _sink = new();

    public TracingSpanTests() : base(4, "trace-commands", "yes")
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CommandTracer.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _stopped.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(_listener);
        Server.Tracer.Sink = _sink;
    }

    void IDisposable.Dispose() => _listener.Dispose();

    private sealed class RecordingSink : ITraceSink
    {
        public readonly ConcurrentQueue<TraceHop> Hops = new();
        public void Write(in TraceHop hop) => Hops.Enqueue(hop);
    }

    private async Task<string> RunSession(params byte[][][] commands)
    {
        var frames = new RequestFrames();
        foreach (var c in commands) frames.Commands.Add(c);
        var output = await Source.Single(frames)
            .Via(Flow.FromGraph(new SessionStage(Server, "127.0.0.1:50000", "127.0.0.1:6379")))
            .Select(b => System.Text.Encoding.UTF8.GetString(b.ToArray())) // the session reuses its output after the next pull
            .RunWith(Sink.Seq<string>(), Sys.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(10));
        return string.Concat(output);
    }

    [Fact]
    public async Task A_single_shard_command_has_a_root_span_and_a_child_span_from_its_shard()
    {
        var key = "traced:1";
        var shard = HashSlot.ShardOf(System.Text.Encoding.UTF8.GetBytes(key), Server.Keyspace.Shards.Length);

        Assert.Equal("+OK\r\n", await RunSession(Cmd("SET", key, "v")));

        var root = Assert.Single(_stopped, a => a.DisplayName == "redis set");
        Assert.Equal(ActivityKind.Server, root.Kind);
        Assert.Equal(default, root.ParentSpanId);
        var child = Assert.Single(_stopped, a => a.DisplayName == Hops.ShardExecute);
        Assert.Equal(root.TraceId, child.TraceId);
        Assert.Equal(root.SpanId, child.ParentSpanId);
        Assert.EndsWith($"/user/keyspace/shard-{shard}", (string?)child.GetTagItem("akka.actor"));
        Assert.Equal(root.GetTagItem("akkaredis.trace_id"), child.GetTagItem("akkaredis.trace_id"));
        Assert.True(child.StartTimeUtc >= root.StartTimeUtc && child.StartTimeUtc + child.Duration <= root.StartTimeUtc + root.Duration,
            "the shard's span lies within the command's");

        var id = (string)root.GetTagItem("akkaredis.trace_id")!;
        var hops = _sink.Hops.Where(h => h.TraceId == id).ToList();
        Assert.Equal([Hops.SessionReceive, Hops.SessionDispatch, Hops.ShardReceive, Hops.ShardExecute, Hops.SessionReply],
            hops.Select(h => h.Hop));
        Assert.All(hops.Where(h => h.Hop.StartsWith("shard.", StringComparison.Ordinal)),
            h => Assert.EndsWith($"/user/keyspace/shard-{shard}", h.ActorPath));
        for (var i = 1; i < hops.Count; i++) Assert.True(hops[i].ElapsedUs >= hops[i - 1].ElapsedUs, "elapsed times only grow");
    }

    [Fact]
    public async Task A_cross_shard_command_has_a_child_span_from_the_transaction_actor()
    {
        var (a, b) = KeysOnDifferentShards();

        Assert.Equal("+OK\r\n", await RunSession(Cmd("MSET", a, "1", b, "2")));

        var root = Assert.Single(_stopped, s => s.DisplayName == "redis mset");
        var child = Assert.Single(_stopped, s => s.DisplayName == Hops.TransactionExecute);
        Assert.Equal(root.SpanId, child.ParentSpanId);
        Assert.EndsWith("/user/keyspace/transactions", (string?)child.GetTagItem("akka.actor"));
        var id = (string)root.GetTagItem("akkaredis.trace_id")!;
        var hops = _sink.Hops.Where(h => h.TraceId == id).Select(h => h.Hop).ToList();
        Assert.Equal(2, hops.Count(h => h == Hops.ShardHold));
        Assert.Equal(Hops.SessionReply, hops[^1]);
    }

    [Fact]
    public async Task Nothing_is_traced_when_tracing_is_off_or_sampled_out()
    {
        Server.Config.Set("trace-commands", "no");
        Assert.Equal("$-1\r\n", await RunSession(Cmd("GET", "untraced")));
        Server.Config.Set("trace-commands", "yes");
        Server.Config.Set("trace-sample-rate", "0");
        Assert.Equal("$-1\r\n", await RunSession(Cmd("GET", "untraced")));
        Assert.Empty(_stopped);
        Assert.Empty(_sink.Hops);
    }
}
