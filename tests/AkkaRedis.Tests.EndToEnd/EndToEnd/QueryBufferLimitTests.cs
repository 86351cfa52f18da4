using System.Net;
using System.Net.Sockets;
using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// A client streaming an endless bulk string to a server with `--client-query-buffer-limit 1mb` (the smallest
/// value Redis accepts) is disconnected once it passes the limit, and the server's memory does not grow with what
/// the client sends. Uses its own server process (the shared one keeps the default 1gb limit).
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class QueryBufferLimitTests(ITestOutputHelper output)
{
    private const long Limit = 1024 * 1024;
    // What may be in flight in socket buffers (loopback autotuning) plus what the server legitimately keeps: the
    // 1 MB buffer itself, allocator and GC slack. The point is that 100 MB of request never becomes 100 MB of RSS.
    private const long RssMargin = 48L * 1024 * 1024;
    private const long BulkLength = 100_000_000; // below proto-max-bulk-len (512mb), far above the query buffer limit
    private const int Chunk = 64 * 1024;

    [Fact]
    public void EndlessBulkIsDisconnectedAtTheQueryBufferLimitWithoutGrowingMemory()
    {
        using var server = AkkaRedisProcess.Started("--client-query-buffer-limit", "1mb", "--shards", "4");
        using var bystander = server.Connect();
        Assert.Equal("+OK\\r\\n", bystander.CallText("SET", "qbl-bystander", "kept"));
        // Warm up the connection path so the baseline includes the server's normal working set.
        for (var i = 0; i < 3; i++)
        {
            using var warm = server.Connect();
            Assert.Equal("+OK\\r\\n", warm.CallText("SET", "qbl-warm", new string('w', 512 * 1024)));
        }
        var baseline = server.RssBytes();

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, SendTimeout = 15_000 };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, server.Port));
        socket.Send(Encoding.ASCII.GetBytes($"*1\r\n${BulkLength}\r\n"));
        var chunk = new byte[Chunk];
        Array.Fill(chunk, (byte)'x');
        long sent = 0;
        var peak = baseline;
        string? stoppedBy = null;
        while (sent < BulkLength)
        {
            var started = DateTime.UtcNow;
            try
            {
                sent += socket.Send(chunk);
            }
            catch (SocketException e)
            {
                if (DateTime.UtcNow - started >= TimeSpan.FromSeconds(14))
                    Assert.Fail($"the server stopped reading after {sent / 1024} KB but did not close the connection (a send blocked for 15 s)\n{server.Describe()}");
                stoppedBy = $"a send failed: {e.SocketErrorCode}";
                break;
            }
            if (sent % (1024 * 1024) < Chunk) peak = Math.Max(peak, server.RssBytes());
            // Readable is only a hint (it is also true when the server merely sent something); the close itself is
            // checked below by a read.
            if (socket.Poll(0, SelectMode.SelectRead))
            {
                stoppedBy = "the socket became readable";
                break;
            }
        }
        peak = Math.Max(peak, server.RssBytes());
        Assert.True(stoppedBy != null, $"the server accepted all {BulkLength} bytes of a bulk above the 1mb query buffer limit without disconnecting\n{server.Describe()}");
        var (closedBy, received) = ReadUntilClosed(socket, TimeSpan.FromSeconds(10));
        output.WriteLine($"stopped sending after {sent / 1024} KB ({stoppedBy}), then {closedBy ?? "no close"}; RSS baseline {baseline / 1024} KB, peak {peak / 1024} KB (+{(peak - baseline) / 1024} KB)");

        Assert.True(closedBy != null, $"the server stopped the client ({stoppedBy}) but did not close the connection within 10 s; received: \"{Resp.Escape(received)}\"\n{server.Describe()}");
        // Redis (readQueryFromClient, client-query-buffer-limit) closes without a reply.
        Assert.True(received.Length == 0, $"the server replied before closing: \"{Resp.Escape(received)}\"");
        Assert.True(sent < 64L * 1024 * 1024, $"the server disconnected only after {sent / 1024} KB (limit 1024 KB)");
        Assert.True(peak - baseline <= Limit + RssMargin,
            $"RSS grew by {(peak - baseline) / 1024} KB while a client sent {sent / 1024} KB (allowed: the 1 MB limit + {RssMargin / 1024 / 1024} MB)");

        // Everyone else is fine.
        Assert.Equal("+PONG\\r\\n", bystander.CallText("PING"));
        Assert.Equal("$4\\r\\nkept\\r\\n", bystander.CallText("GET", "qbl-bystander"));
        Assert.False(server.HasExited, server.Describe());
    }

    /// <summary>
    /// Reads until the server's close shows: a read returning 0 (FIN) or a reset. Returns how it closed (null when the
    /// deadline passed first) and the bytes read before.
    /// </summary>
    private static (string? ClosedBy, byte[] Received) ReadUntilClosed(Socket socket, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !socket.Poll((int)left.TotalMicroseconds, SelectMode.SelectRead)) return (null, [.. received]);
            int n;
            try
            {
                n = socket.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                return ($"a read was reset ({e.SocketErrorCode})", [.. received]);
            }
            if (n == 0) return ("a read returned 0", [.. received]);
            received.AddRange(buffer.AsSpan(0, n));
        }
    }
}
