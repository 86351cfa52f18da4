using System.Net.Sockets;

namespace AkkaRedis.Net.Streams;

/// <summary>Redis's anetKeepAlive: TCP keepalive on an accepted socket, so that dead peers are eventually noticed.</summary>
public static class TcpKeepAlive
{
    /// <summary>
    /// Turns SO_KEEPALIVE on with the first probe after <paramref name="intervalSeconds"/> of silence, then probes
    /// every third of it (at least 1 s) and gives up after 3 unanswered probes, the values Redis sets on Linux.
    /// Best effort: a platform without one of the options keeps the ones it has.
    /// </summary>
    public static void Enable(Socket socket, int intervalSeconds)
    {
        if (intervalSeconds <= 0) return;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, intervalSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, Math.Max(1, intervalSeconds / 3));
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
        }
        catch (SocketException)
        {
        }
        catch (PlatformNotSupportedException)
        {
        }
    }
}
