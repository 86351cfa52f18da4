using AkkaRedis.Actors.Server;

namespace AkkaRedis.Actors.Session;

/// <summary>
/// client-output-buffer-limit for one connection (Redis's checkClientOutputBufferLimits): the output held for it and
/// not yet written — replies handed to the socket stage and not yet sent, pushed messages waiting — checked after
/// each addition against its class's hard limit (at once) and soft limit (exceeded continuously for more than its
/// seconds, counted in whole seconds as Redis's server.unixtime). Owned by the connection's session stage.
/// </summary>
public struct OutputBufferLimits
{
    /// <summary>When the soft limit was first seen exceeded (Unix seconds), 0 while under it
    /// (obuf_soft_limit_reached_time).</summary>
    private long _softLimitSince;

    /// <summary>Redis's obuf classes: getClientType with a master counted as normal.</summary>
    public static int ClassOf(ClientType type) => type switch
    {
        ClientType.Replica => 1,
        ClientType.PubSub => 2,
        _ => 0,
    };

    /// <summary>True when a connection of <paramref name="type"/> holding <paramref name="used"/> bytes must be
    /// closed.</summary>
    public bool Reached(ServerConfig config, ClientType type, long used, long nowMs)
    {
        var (hardLimit, softLimit, softSeconds) = config.OutputBufferLimitOf(ClassOf(type));
        var hard = hardLimit != 0 && (ulong)used >= hardLimit;
        var soft = softLimit != 0 && (ulong)used >= softLimit;
        var now = nowMs / 1000;
        if (soft)
        {
            if (_softLimitSince == 0)
            {
                _softLimitSince = now;
                soft = false; // first time over it
            }
            else if (now - _softLimitSince <= softSeconds) soft = false;
        }
        else _softLimitSince = 0;
        return hard || soft;
    }

    /// <summary>The line Redis logs (closeClientOnOutputBufferLimitReached) with the client's CLIENT LIST line.</summary>
    public static string LogLine(string clientInfo) =>
        $"Client {clientInfo} scheduled to be closed ASAP for overcoming of output buffer limits.";
}
