using System.Net;
using System.Net.Sockets;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Session;
using AkkaRedis.Net.Resp;
using AkkaRedis.Net.Streams;
using Serilog;

namespace AkkaRedis.Host;

/// <summary>
/// The server's listening sockets, one per <c>bind</c> address: bound at start-up (Redis's listenToPort) and again
/// when CONFIG SET bind changes the list (Redis's changeBindAddr, which restores the old addresses when a new one
/// cannot be bound).
/// </summary>
internal sealed class Listeners(IMaterializer materializer, ServerContext server)
{
    private readonly object _gate = new();
    private List<RespTcpServer> _current = [];

    public int Count => _current.Count;

    /// <summary>Binds every address, then starts serving them all; false when one could not be bound (nothing is served).</summary>
    public bool Start(string[] bind)
    {
        lock (_gate)
        {
            if (!TryBind(bind, out var bound)) return false;
            _current = bound;
            foreach (var listener in bound) listener.StartAccepting();
            return true;
        }
    }

    /// <summary>CONFIG SET bind: closes the listeners and binds <paramref name="bind"/>; when that fails, binds the old
    /// addresses again and answers false. Connections already open are not affected.</summary>
    public bool Rebind(string[] oldBind, string[] bind)
    {
        lock (_gate)
        {
            Close(_current);
            _current = [];
            if (TryBind(bind, out var bound))
            {
                _current = bound;
                foreach (var listener in bound) listener.StartAccepting();
                return true;
            }
            Log.Warning("Failed to bind");
            Log.Warning("Failed applying new configuration. Possibly related to new bind setting. Restoring previous settings.");
            if (TryBind(oldBind, out var restored))
            {
                _current = restored;
                foreach (var listener in restored) listener.StartAccepting();
            }
            return false;
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            Close(_current);
            _current = [];
        }
    }

    /// <summary>Closes the listening sockets; their accept loops end by themselves (see <see cref="RespTcpServer.Close"/>:
    /// CONFIG SET bind runs in a session, possibly on the stack of the very accept loop it closes).</summary>
    private static void Close(List<RespTcpServer> listeners)
    {
        foreach (var listener in listeners) listener.Close();
    }

    private bool TryBind(string[] bind, out List<RespTcpServer> bound)
    {
        var config = server.Config;
        bound = [];
        foreach (var entry in bind)
        {
            // A leading '-' marks an address that may be unavailable.
            var optional = entry.StartsWith('-');
            var text = optional ? entry[1..] : entry;
            try
            {
                bound.Add(RespTcpServer.Start(materializer, BindAddress(text), config.Port, 511, () => Limits(config), _session,
                    () => config.TcpKeepAliveSeconds, startAccepting: false));
            }
            catch (Exception e)
            {
                Log.Warning("Warning: Could not create server TCP listening socket {Address}:{Port}: {Reason}", text, config.Port, e.GetBaseException().Message);
                // As Redis's listenToPort: a '-' address may be missing, and a protocol the host lacks (no IPv6) is skipped.
                if (e is SocketException se && ((se.SocketErrorCode == SocketError.AddressNotAvailable && optional) || Unsupported(se.SocketErrorCode)))
                    continue;
                Close(bound);
                bound = [];
                return false;
            }
        }
        return true;
    }

    /// <summary>One address of redis.conf's bind list: "*" is every IPv4 interface, "::*" every IPv6 one; a name is
    /// resolved to IPv4, as Redis binds names without ':' (throws SocketException when it cannot be resolved).</summary>
    private static IPAddress BindAddress(string text)
    {
        if (text == "*") return IPAddress.Any;
        if (text == "::*") return IPAddress.IPv6Any;
        if (IPAddress.TryParse(text, out var address)) return address;
        foreach (var a in Dns.GetHostAddresses(text, AddressFamily.InterNetwork)) return a;
        throw new SocketException((int)SocketError.HostNotFound);
    }

    private static bool Unsupported(SocketError error) => error is SocketError.AddressFamilyNotSupported or SocketError.ProtocolNotSupported
        or SocketError.SocketNotSupported or SocketError.ProtocolFamilyNotSupported or SocketError.ProtocolOption;

    private static RespLimits Limits(ServerConfig config) => new()
    {
        MaxBulkLength = config.ProtoMaxBulkLen,
        QueryBufferLimit = config.ClientQueryBufferLimit,
    };

    /// <summary>Every connection's session: one blueprint; each materialization reads its connection from its attributes.</summary>
    private readonly Flow<RequestFrames, OutgoingBytes, Akka.NotUsed> _session = Flow.FromGraph(new SessionStage(server));
}
