using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;

namespace AkkaRedis.Net.Streams;

/// <summary>
/// The stream actors that run the connections: a few long-lived graph interpreters (<see cref="Count"/>), each of
/// which runs the graphs of many connections, sub-fused into it (Akka's <c>SubFusingMaterializer</c>, as flatMapConcat
/// runs its inner streams in the outer stream's actor). A connection then costs its graph only: with an actor of its
/// own each one also cost an actor cell, its props, deploy, mailbox, path, logger and interpreter actor (about 1.3 KB,
/// a fifth of an idle connection). Accepted connections are dealt to the hosts in turn.
/// </summary>
/// <remarks>
/// The hosts run on the connections' dispatcher (<see cref="SocketThreadExecutor"/>): a socket completion runs its
/// connection's host on the socket thread that completed it, as each connection's own actor ran before. With one
/// socket thread (io-threads 1, the default) every connection's events were on that thread anyway; a host is only
/// busy elsewhere when it runs a shard's reply or a timer on the pool, and then the socket thread's event waits for
/// that run (one host in <see cref="Count"/>). A connection's graph fails alone (its shell is aborted), never its host.
/// </remarks>
public sealed class ConnectionHosts
{
    /// <summary>How many interpreters the connections are dealt to: enough that a host busy on the pool rarely holds
    /// up a socket thread's event, few enough to cost nothing (a few KB each).</summary>
    public const int Count = 16;

    private static readonly ConditionalWeakTable<IMaterializer, ConnectionHosts> PerMaterializer = new();

    private readonly Action<Start>[] _hosts;
    private int _next;

    private ConnectionHosts(IMaterializer materializer)
    {
        _hosts = new Action<Start>[Count];
        var host = Source.FromGraph(new HostStage()).To(Sink.Ignore<NotUsed>())
            .WithAttributes(ActorAttributes.CreateDispatcher(SocketThreadExecutor.Id).And(Attributes.CreateName("connections")));
        for (var i = 0; i < Count; i++) _hosts[i] = materializer.Materialize(host);
    }

    /// <summary>The hosts of a materializer (its actor system's), made at the first listener's start.</summary>
    public static ConnectionHosts For(IMaterializer materializer) =>
        PerMaterializer.GetValue(materializer, static m => new ConnectionHosts(m));

    /// <summary>An accepted connection: its socket and the listener's graph with the connection's attributes.</summary>
    public sealed record Start(Socket Socket, IGraph<ClosedShape, NotUsed> Graph);

    /// <summary>Starts the connection in the next host. Called from a socket completion
    /// (<see cref="SocketThreadExecutor.Completing{T}"/>), the host runs it on this thread when it is free.</summary>
    public void Run(Start start)
    {
        var next = _next;
        _next = next + 1 == Count ? 0 : next + 1;
        _hosts[next](start);
    }

    /// <summary>A stage that never emits, whose logic materializes each connection given to it in its own actor.</summary>
    private sealed class HostStage : GraphStageWithMaterializedValue<SourceShape<NotUsed>, Action<Start>>
    {
        private readonly Outlet<NotUsed> _out = new("connections.out");

        public override SourceShape<NotUsed> Shape => new(_out);

        public override ILogicAndMaterializedValue<Action<Start>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
        {
            var logic = new Logic(this);
            return new LogicAndMaterializedValue<Action<Start>>(logic, logic.Starter);
        }

        private sealed class Logic : OutGraphStageLogic
        {
            public Logic(HostStage stage) : base(stage.Shape)
            {
                // Made before the stage runs: starts given meanwhile wait for it.
                Starter = GetAsyncCallback<Start>(OnStart);
                SetHandler(stage._out, this);
            }

            public Action<Start> Starter { get; }

            public override void OnPull() { }

            public override void OnDownstreamFinish(Exception cause) { }

            private void OnStart(Start start)
            {
                try
                {
                    SubFusingMaterializer.Materialize(start.Graph);
                }
                catch (Exception)
                {
                    // Never a failure of the host: it would stop every connection it runs.
                    start.Socket.Dispose();
                }
            }
        }
    }
}
