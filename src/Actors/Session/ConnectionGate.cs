using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Net.Resp;
using AkkaRedis.Actors.Keyspace;

namespace AkkaRedis.Actors.Session;

/// <summary>
/// Who may connect and who may run commands, as Redis 7.0 decides it: maxclients and protected mode when a
/// connection is accepted (acceptCommonHandler, clientAcceptHandler), authentication before each command
/// (processCommand's authRequired check).
/// </summary>
public static class ConnectionGate
{
    public const string NoAuthError = "NOAUTH Authentication required.";

    public static readonly byte[] MaxClientsReply = "-ERR max number of clients reached\r\n"u8.ToArray();

    /// <summary>Redis 7.0.15's text, byte for byte (including its "Setup a an").</summary>
    public static readonly byte[] ProtectedModeReply = System.Text.Encoding.ASCII.GetBytes(
        "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the " +
        "default user. In this mode connections are only accepted from the loopback interface. If you want to connect " +
        "from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode " +
        "sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the " +
        "same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do " +
        "so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode " +
        "by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting " +
        "the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' " +
        "option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the " +
        "above things in order for the server to start accepting connections from the outside.\r\n");

    /// <summary>Whether the default user has a password (requirepass), i.e. is not "nopass".</summary>
    public static bool DefaultUserNeedsPassword(ServerConfig config) => config.RequirePass != null;

    /// <summary>Redis's authRequired: the client has not authenticated and the default user needs a password.</summary>
    public static bool AuthRequired(ServerConfig config, ClientSession client) => !client.Authenticated && DefaultUserNeedsPassword(config);

    /// <summary>Ties the connection's framing limits to its authentication: before it, requests of more than 10
    /// arguments or with an argument over 16 KB are protocol errors, as in Redis.</summary>
    public static void LimitUnauthenticatedRequests(RespLimits limits, IAuthGate session) => limits.AuthGate = session;

    /// <summary>
    /// authRequired for a request parsed after <paramref name="notRunYet"/> (earlier requests of the same batch, which
    /// the session runs only once the whole batch is parsed). Redis runs each request before it parses the next: an
    /// AUTH or HELLO among them may authenticate first, so then the limit is not applied (the request still gets NOAUTH
    /// if they did not).
    /// </summary>
    public static bool AuthRequiredBefore(ServerConfig config, ClientSession client, CommandBatch notRunYet)
    {
        if (!AuthRequired(config, client)) return false;
        foreach (var args in notRunYet)
            if (args.Length > 0 && (Keywords.Is(args[0], "auth") || Keywords.Is(args[0], "hello"))) return false;
        return true;
    }

    /// <summary>
    /// The reply that refuses a just-accepted connection before it is closed, or null to accept it.
    /// <paramref name="connectedClients"/> counts this connection too. Redis checks maxclients first (before the
    /// client exists), then protected mode. Protected mode in 7.0 does not depend on <c>bind</c>: it refuses every
    /// peer but 127.0.0.1 and ::1 (compared as text, so 127.0.0.2 is refused too) while the default user needs no
    /// password.
    /// </summary>
    public static byte[]? Refusal(ServerConfig config, string remoteAddress, int connectedClients)
    {
        if (connectedClients > config.MaxClients) return MaxClientsReply;
        if (config.ProtectedMode && !DefaultUserNeedsPassword(config) && !IsLoopbackPeer(remoteAddress))
            return ProtectedModeReply;
        return null;
    }

    /// <summary>Redis's check on the peer's address text: exactly "127.0.0.1" or "::1".</summary>
    public static bool IsLoopbackPeer(string address)
    {
        var colon = address.LastIndexOf(':');
        var host = colon > 0 ? address.AsSpan(0, colon) : address.AsSpan();
        if (host.Length > 1 && host[0] == '[' && host[^1] == ']') host = host[1..^1];
        return host.SequenceEqual("127.0.0.1") || host.SequenceEqual("::1");
    }

    /// <summary>
    /// For a client that has not authenticated, the error that rejects <paramref name="def"/>, or null when it may
    /// run: commands flagged no_auth (AUTH, HELLO, QUIT, RESET) always may, and every command may once the default
    /// user needs no password any more (CONFIG SET requirepass ""). Called only for unauthenticated clients, so
    /// the common path costs one bool test in the session.
    /// </summary>
    public static string? RejectUnauthenticated(ServerConfig config, ClientSession client, CommandDef def)
    {
        if ((def.Flags & CommandFlags.NoAuth) != 0 || !DefaultUserNeedsPassword(config)) return null;
        return NoAuthError;
    }

    public const string DebugNotAllowed =
        "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local " +
        "connection, otherwise you need to set this option in the configuration file, and then restart the server.";

    /// <summary>
    /// Redis's check of CMD_PROTECTED commands in processCommand (after the arity check, before authentication):
    /// the error that refuses <paramref name="def"/> to this connection, or null. DEBUG is allowed by
    /// enable-debug-command. The only place this gate is decided: handlers never see a refused DEBUG.
    /// </summary>
    public static string? RejectProtected(ServerConfig config, ClientSession client, CommandDef def) =>
        def.Protected && !AllowProtectedAction(config.EnableDebugCommand, client) ? DebugNotAllowed : null;

    /// <summary>allowProtectedAction: "yes", or "local" for a connection from 127.0.0.1 or ::1 (islocalClient).</summary>
    public static bool AllowProtectedAction(string setting, ClientSession client) => setting switch
    {
        "yes" => true,
        "local" => IsLoopbackPeer(client.Address),
        _ => false,
    };
}
