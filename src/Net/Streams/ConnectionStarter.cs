using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Implementation;
using Akka.Streams.Implementation.Fusing;

namespace AkkaRedis.Net.Streams;

/// <summary>
/// The parent of one listener's connection actors: materializes each accepted connection's graph and starts its actor
/// at once, on the thread that accepted it (as redis-server's acceptTcpHandler creates the client in the event loop
/// that accepted it).
/// </summary>
/// <remarks>
/// Materialized the usual way, a graph's actor is attached to the materializer's stream supervisor from outside it,
/// which Akka does asynchronously: the supervisor starts the child when it handles the request (a thread-pool thread
/// woken for it), and the child's first run is scheduled from there (another one), so a connection's first request
/// was read, run and answered on the pool. An actor creating a child in its own turn creates it synchronously, so
/// this parent creates the connection's interpreter actor itself (through the materializer's sub-flow fuser hook,
/// on the connection dispatcher, as the stream supervisor would) and, told from the accepting socket thread
/// (<see cref="SocketThreadExecutor.Completing{T}"/>), runs there, the child's first turn right after its own
/// (<see cref="SocketThreadExecutor.Following{T}"/>). A child that fails is stopped, as by the stream supervisor.
/// </remarks>
internal sealed class ConnectionStarter : UntypedActor
{
    private readonly ExtendedActorMaterializer _materializer;
    private readonly Func<GraphInterpreterShell, IActorRef> _startActor;
    private GraphInterpreterShell? _shell;
    private IActorRef? _started;

    public ConnectionStarter(ExtendedActorMaterializer materializer)
    {
        _materializer = materializer;
        _startActor = StartActor;
    }

    /// <summary>The starter of a listener (one per <see cref="RespTcpServer"/>), on the connection dispatcher.</summary>
    public static IActorRef Create(IMaterializer materializer)
    {
        var extended = materializer as ExtendedActorMaterializer ??
                       throw new ArgumentException("connections need an actor materializer", nameof(materializer));
        return extended.System.ActorOf(Props.Create(() => new ConnectionStarter(extended)).WithDispatcher(SocketThreadExecutor.Id));
    }

    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    /// <summary>An accepted connection: its socket and the listener's graph with the connection's attributes.</summary>
    public sealed record Start(System.Net.Sockets.Socket Socket, IGraph<ClosedShape, NotUsed> Graph);

    protected override void OnReceive(object message)
    {
        if (message is not Start start)
        {
            Unhandled(message);
            return;
        }
        try
        {
            _materializer.Materialize(start.Graph, _startActor);
        }
        catch (Exception)
        {
            // Never a failure of this actor: its restart would stop every connection it started.
            start.Socket.Dispose();
        }
    }

    /// <summary>The sub-flow fuser: the connection graph's interpreter as this actor's child, created now.</summary>
    private IActorRef StartActor(GraphInterpreterShell shell)
    {
        _shell = shell;
        SocketThreadExecutor.Following(static self =>
            self._started = Context.ActorOf(ActorGraphInterpreter.Props(self._shell!).WithDispatcher(SocketThreadExecutor.Id)), this);
        var started = _started!;
        _started = null;
        _shell = null;
        return started;
    }
}
