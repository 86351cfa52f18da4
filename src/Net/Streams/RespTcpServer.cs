using System.Net;
using System.Net.Sockets;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Net.Streams;

/// <summary>
/// Accepts TCP connections and runs each as one Akka.Streams graph: socket stage (bytes) → framing (command
/// batches) → the caller's session flow (reply bytes) → back into the socket stage.
/// </summary>
/// <remarks>
/// The graph is one blueprint built once per listener and materialized per connection: the stages learn their
/// connection (socket, addresses, limits) from a <see cref="ConnectionAttribute"/> added at materialization, so a
/// connection costs no graph building, and its stages' descriptions (shapes, ports, modules) are shared.
/// </remarks>
public sealed class RespTcpServer : IAsyncDisposable
{
    /// <summary>Describes a connection to the code that builds its session.</summary>
    public sealed record ConnectionInfo(EndPoint Remote, EndPoint Local)
    {
        /// <summary>The limits this connection's framing stage applies; the session may adjust them (authentication).</summary>
        public RespLimits? Limits { get; init; }

        /// <summary><see cref="Local"/> as <see cref="Format"/> prints it; one string shared by the listener's
        /// connections to the same address (CLIENT LIST laddr), not one per connection.</summary>
        public string LocalText { get; init; } = "";
    }

    /// <summary>The connection a materialization of the shared graph serves, read by its stages in CreateLogic.</summary>
    public sealed class ConnectionAttribute(Socket socket, ConnectionInfo info) : Attributes.IAttribute
    {
        public Socket Socket { get; } = socket;
        public ConnectionInfo Info { get; } = info;
    }

    /// <summary>The connection a stage is materialized for; throws when the graph was not run by a server.</summary>
    public static ConnectionAttribute ConnectionOf(Attributes inheritedAttributes) =>
        inheritedAttributes.GetAttribute<ConnectionAttribute>(null!) ??
        throw new InvalidOperationException("this stage needs its connection (a RespTcpServer.ConnectionAttribute)");

    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<Task> _runAcceptLoop;
    private Task? _acceptLoop;
    // The last accepted connection's local address and its text (the accept loop is one task: no sharing).
    private EndPoint? _lastLocal;
    private string _lastLocalText = "";

    private RespTcpServer(Socket listener, IMaterializer materializer, Func<RespLimits> limits,
        Flow<RequestFrames, OutgoingBytes, NotUsed> session, Func<int>? keepAliveSeconds)
    {
        _listener = listener;
        // Fused here, once: materializing a graph that is not fused yet fuses it first, which was the largest part of
        // a connection's set-up; a fused graph with added attributes stays fused. No dispatcher: it runs in a host's
        // actor (ConnectionHosts), which has it.
        var connection = Fusing.Aggressive(
            Flow.FromGraph(new SocketConnectionStage()).Join(Flow.FromGraph(new FramingStage()).Via(session))
                .WithAttributes(Attributes.CreateName("conn")));
        _runAcceptLoop = () => AcceptLoop(materializer, limits, connection, keepAliveSeconds);
    }

    /// <summary>Starts accepting connections (once). Until then clients wait in the listen backlog: a server that
    /// binds several addresses serves none before it has bound them all, as redis-server.</summary>
    public void StartAccepting() => _acceptLoop ??= _runAcceptLoop();

    public EndPoint LocalEndPoint => _listener.LocalEndPoint!;

    /// <summary>Binds and (unless told otherwise) starts accepting; throws SocketException when the address cannot be bound.</summary>
    /// <param name="session">The session of every connection: one blueprint, whose stages read their connection with
    /// <see cref="ConnectionOf"/> (its limits may be adjusted by the session: authentication).</param>
    /// <param name="keepAliveSeconds">Read at each accept: the TCP keepalive interval for the new connection (0 = off).</param>
    /// <param name="startAccepting">False to only bind and listen; <see cref="StartAccepting"/> starts serving.</param>
    public static RespTcpServer Start(IMaterializer materializer, IPAddress address, int port, int backlog,
        Func<RespLimits> limits, Flow<RequestFrames, OutgoingBytes, NotUsed> session,
        Func<int>? keepAliveSeconds = null, bool startAccepting = true)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6) listener.DualMode = false;
            listener.Bind(new IPEndPoint(address, port));
            listener.Listen(backlog);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        LoopTail.Install();
        var server = new RespTcpServer(listener, materializer, limits, session, keepAliveSeconds);
        if (startAccepting) server.StartAccepting();
        return server;
    }

    private async Task AcceptLoop(IMaterializer materializer, Func<RespLimits> limits,
        IGraph<ClosedShape, NotUsed> connection, Func<int>? keepAliveSeconds)
    {
        var hosts = ConnectionHosts.For(materializer);
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            try
            {
                socket.NoDelay = true;
                if (keepAliveSeconds != null) TcpKeepAlive.Enable(socket, keepAliveSeconds());
                var local = socket.LocalEndPoint!;
                if (!local.Equals(_lastLocal))
                {
                    _lastLocal = local;
                    _lastLocalText = Format(local);
                }
                var info = new ConnectionInfo(socket.RemoteEndPoint!, _lastLocal) { Limits = limits(), LocalText = _lastLocalText };
                // As a socket completion, so that the host starts the connection on this thread (when it is free): its
                // first request is read, run and answered here, as redis-server's acceptTcpHandler creates the client
                // in the event loop that accepted it.
                SocketThreadExecutor.Completing(static start => start.Hosts.Run(start.Message),
                    (Hosts: hosts, Message: new ConnectionHosts.Start(socket,
                        connection.AddAttributes(new Attributes(new ConnectionAttribute(socket, info))))));
            }
            catch (Exception)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>
    /// Stops accepting at once (the listening socket is closed when this returns: CONFIG SET bind may bind its address
    /// again) without waiting for the accept loop to end. The caller may be a session that runs on that loop's own
    /// stack (a connection's first request is read, run and answered on the thread that accepted it) or on the socket
    /// thread the loop's last completion needs: waiting there would wait forever.
    /// </summary>
    public void Close()
    {
        _stop.Cancel();
        _listener.Dispose();
    }

    /// <summary>Stops accepting and waits for the accept loop to end; connections already open go on until their
    /// sessions end.</summary>
    public async ValueTask DisposeAsync()
    {
        Close();
        try
        {
            if (_acceptLoop != null) await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception)
        {
        }
    }

    /// <summary>"ip:port" as Redis prints addresses (CLIENT LIST addr/laddr).</summary>
    public static string Format(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint ip when ip.Address.IsIPv4MappedToIPv6 => $"{ip.Address.MapToIPv4()}:{ip.Port}",
        IPEndPoint ip when ip.AddressFamily == AddressFamily.InterNetworkV6 => $"{ip.Address}:{ip.Port}",
        IPEndPoint ip => $"{ip.Address}:{ip.Port}",
        _ => endPoint.ToString() ?? "",
    };
}
