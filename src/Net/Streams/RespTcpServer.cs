using System.Net;
using Akka;
using Akka.Actor;
using System.Collections.Immutable;
using Akka.IO;
using ByteString = Akka.IO.ByteString;
using Tcp = Akka.Streams.Dsl.Tcp;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Net.Streams;

/// <summary>
/// Accepts TCP connections with Akka.Streams and runs each through framing (bytes → command batches), the
/// session flow the caller provides (batches → reply bytes), and back to the socket.
/// </summary>
public static class RespTcpServer
{
    /// <summary>Describes a connection to the code that decides whether and how to serve it.</summary>
    public sealed record ConnectionInfo(EndPoint Remote, EndPoint Local);

    /// <param name="session">Builds the session flow of one connection; returns null to refuse it (the flow then
    /// writes <paramref name="refusal"/>'s bytes and closes).</param>
    public static Task<Tcp.ServerBinding> Bind(
        ActorSystem system,
        IMaterializer materializer,
        IPAddress address,
        int port,
        Func<RespLimits> limits,
        Func<ConnectionInfo, Flow<RequestFrames, ByteString, NotUsed>> session)
    {
        var connections = Source.FromGraph(ConnectionSource(system, new IPEndPoint(address, port)));
        return connections
            .To(Sink.ForEach<Tcp.IncomingConnection>(connection =>
            {
                var info = new ConnectionInfo(connection.RemoteAddress, connection.LocalAddress);
                var flow = Flow.FromGraph(new FramingStage(limits())).Via(session(info));
                connection.HandleWith(flow, materializer);
            }))
            .Run(materializer);
    }

    /// <summary>
    /// The stage behind TcpExt.Bind, created with an IPEndPoint: TcpExt.Bind only takes a host name and wraps it in a
    /// DnsEndPoint, which rejects the wildcard addresses (0.0.0.0, ::) that redis.conf's "bind *" needs. The stage
    /// is internal in Akka.Streams 1.5.74, hence reflection; it goes away with our own socket stage.
    /// </summary>
    private static IGraph<SourceShape<Tcp.IncomingConnection>, Task<Tcp.ServerBinding>> ConnectionSource(ActorSystem system, EndPoint endPoint)
    {
        var type = typeof(Tcp).Assembly.GetType("Akka.Streams.Implementation.IO.ConnectionSourceStage", throwOnError: true)!;
        return (IGraph<SourceShape<Tcp.IncomingConnection>, Task<Tcp.ServerBinding>>)Activator.CreateInstance(
            type, system.Tcp(), endPoint, 511, ImmutableList<Inet.SocketOption>.Empty, true, null, TimeSpan.FromSeconds(3))!;
    }

    /// <summary>"ip:port" as Redis prints addresses (CLIENT LIST addr/laddr).</summary>
    public static string Format(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint ip when ip.Address.IsIPv4MappedToIPv6 => $"{ip.Address.MapToIPv4()}:{ip.Port}",
        IPEndPoint ip => $"{ip.Address}:{ip.Port}",
        _ => endPoint.ToString() ?? "",
    };
}
