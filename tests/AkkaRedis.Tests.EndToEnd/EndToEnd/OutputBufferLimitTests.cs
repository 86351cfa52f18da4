using System.Net;
using System.Net.Sockets;
using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// client-output-buffer-limit normal: a client that pipelines GETs of a 1 MB value and reads nothing is disconnected
/// once the replies held for it pass the hard limit (Redis's closeClientOnOutputBufferLimitReached, with its log line),
/// the server's RSS does not grow with the replies it was asked for, and a client that reads its replies is not
/// touched. Own server process: the limit is set for the normal class (its default is none).
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class OutputBufferLimitTests(ITestOutputHelper output)
{
    private const int ValueSize = 1024 * 1024;
    private const int Gets = 200; // 200 MB of replies asked for
    // Replies to a non-reader never become 200 MB of RSS: the value is shared, and the connection is closed before the
    // replies are queued. The margin covers the socket buffers and the garbage collector's slack.
    private const long RssMargin = 64L * 1024 * 1024;

    [Fact]
    public void ANonReadingClientAskingForHugeRepliesIsDisconnected()
    {
        using var server = AkkaRedisProcess.Started("--shards", "4");
        using var admin = server.Connect();
        Assert.Equal("+OK\\r\\n", admin.CallText("CONFIG", "SET", "client-output-buffer-limit", "normal 4mb 2mb 10"));
        Assert.Equal("+OK\\r\\n", admin.CallText("SET", "obl:big", new string('v', ValueSize)));
        // A client that reads gets its 1 MB reply: one reply is under the limit.
        Assert.Equal($"${ValueSize}\r\n".Length + ValueSize + 2, admin.Call("GET", "obl:big").Length);
        var baseline = server.RssBytes();

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, server.Port));
        var pipeline = new StringBuilder();
        pipeline.Append("*2\r\n$6\r\nCLIENT\r\n$2\r\nID\r\n");
        for (var i = 0; i < Gets; i++) pipeline.Append("*2\r\n$3\r\nGET\r\n$7\r\nobl:big\r\n");
        socket.Send(Encoding.ASCII.GetBytes(pipeline.ToString()));

        var peak = baseline;
        var gone = Poll.Until(() =>
        {
            peak = Math.Max(peak, server.RssBytes());
            var list = Encoding.ASCII.GetString(admin.Call("CLIENT", "LIST"));
            return !list.Contains("cmd=get ", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15));
        Assert.True(gone, $"the non-reading client is still connected\n{Encoding.ASCII.GetString(admin.Call("CLIENT", "LIST"))}");
        var closed = DrainUntilClosed(socket, TimeSpan.FromSeconds(10), out var received);
        output.WriteLine($"received {received} bytes before the close; RSS baseline {baseline / 1024 / 1024} MB, peak {peak / 1024 / 1024} MB");
        Assert.True(closed, "the connection was not closed");
        Assert.True(received < (long)Gets * ValueSize / 2, $"the client received {received} bytes: it was not cut off");
        Assert.True(peak - baseline <= RssMargin, $"RSS grew by {(peak - baseline) / 1024 / 1024} MB");
        Assert.True(Poll.Until(() => server.Output.Contains("scheduled to be closed ASAP for overcoming of output buffer limits", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5)), "no log line for the disconnection\n" + server.Describe());
        // Everyone else is fine.
        Assert.Equal("+PONG\\r\\n", admin.CallText("PING"));
    }

    private static bool DrainUntilClosed(Socket socket, TimeSpan timeout, out long received)
    {
        received = 0;
        var deadline = DateTime.UtcNow + timeout;
        var buffer = new byte[64 * 1024];
        while (DateTime.UtcNow < deadline)
        {
            if (!socket.Poll(100_000, SelectMode.SelectRead)) continue;
            try
            {
                var n = socket.Receive(buffer);
                if (n == 0) return true;
                received += n;
            }
            catch (SocketException)
            {
                return true; // reset: closed with output unsent
            }
        }
        return false;
    }
}
