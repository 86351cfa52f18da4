using System.Net.Sockets;
using System.Text;
using AkkaRedis.Tests.EndToEnd.Differential;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// Malformed requests, sent as raw bytes on a fresh connection to both servers: everything AkkaRedis sends back
/// (replies to the commands before the error, then "-ERR Protocol error: ...") must equal redis-server's bytes, and
/// the connection must be closed exactly when Redis closes it. Another client, connected before and holding a key,
/// must be untouched: its connection still answers and its key is still there.
/// Cases that Redis keeps open end with a sentinel command (ECHO sentinel) whose reply ends the read.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Protocol")]
public sealed class ProtocolErrorTests(E2EServers servers)
{
    private static readonly byte[] Sentinel = Resp.Encode("ECHO", "sentinel");
    private static readonly byte[] SentinelReply = "$8\r\nsentinel\r\n"u8.ToArray();

    // The "too big" cases send exactly one byte more than PROTO_INLINE_MAX_SIZE (64 KB) after the point where Redis
    // starts measuring (processInlineBuffer / processMultibulkBuffer: `sdslen(querybuf)-qb_pos > PROTO_INLINE_MAX_SIZE`
    // with no '\r' yet). The error can then only fire once the last byte is read, so nothing is left unread when the
    // server closes and the close is a FIN. With more bytes (this test used to send 80 KB) Redis errs with some still
    // unread: its first read takes 16 KB, its second, greedy, 65526 bytes, leaving 10 bytes in the socket, and
    // close() with unread data sends a reset instead of a FIN (every time, strace shows it). A reset may drop a reply
    // still queued on the server's side and leaves the close to how the client's kernel takes the reset: a timing
    // the test must not depend on.
    private const int InlineMax = 64 * 1024;

    private static readonly Dictionary<string, (byte[] Bytes, bool Closes)> Cases = new()
    {
        ["multibulk length not a number"] = (B("*abc\r\n"), true),
        ["multibulk length above INT_MAX"] = (B("*2147483648\r\n"), true),
        ["multibulk length with plus sign"] = (B("*+1\r\n"), true),
        ["multibulk length with leading zero"] = (B("*01\r\n$4\r\nPING\r\n"), true),
        ["multibulk length empty"] = (B("*\r\n"), true),
        ["multibulk length INT_MAX then a star"] = (B("*2147483647\r\n*1\r\n$4\r\nPING\r\n"), true),
        ["expected dollar got x"] = (B("*1\r\nx\r\n"), true),
        ["expected dollar got colon"] = (B("*3\r\n$3\r\nSET\r\n$1\r\na\r\n:1\r\n"), true),
        ["bulk length not a number"] = (B("*1\r\n$abc\r\n"), true),
        ["bulk length negative"] = (B("*1\r\n$-5\r\n"), true),
        ["bulk length above proto-max-bulk-len"] = (B("*1\r\n$536870913\r\n"), true),
        ["bulk length with a space"] = (B("*1\r\n$ 4\r\nPING\r\n"), true),
        ["bulk length with plus sign"] = (B("*1\r\n$+4\r\nPING\r\n"), true),
        ["bulk length empty"] = (B("*1\r\n$\r\n"), true),
        ["unbalanced double quotes"] = (B("SET \"abc\r\n"), true),
        ["unbalanced single quotes"] = (B("SET 'a\r\n"), true),
        ["closing quote not followed by space"] = (B("SET \"a\"b\r\n"), true),
        ["too big inline request"] = (Repeat('x', InlineMax + 1), true),
        ["too big mbulk count string"] = (Concat(B("*"), Repeat('1', InlineMax)), true),
        ["too big bulk count string"] = (Concat(B("*1\r\n$"), Repeat('1', InlineMax)), true),
        ["replies before the error are sent"] = (B("PING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n*abc\r\n"), true),
        ["inline then bad multibulk"] = (B("SET pe-k v\r\nGET pe-k\r\n*1\r\nx\r\n"), true),
        ["error in the second command of a pipeline"] = (Concat(Resp.Encode("SET", "pe-k", "1"), B("*1\r\n$-1\r\n")), true),

        ["null multibulk is ignored"] = (B("*-1\r\nPING\r\n"), false),
        ["empty multibulk is ignored"] = (B("*0\r\nPING\r\n"), false),
        ["empty inline lines are ignored"] = (B("\r\n\r\n\n  \r\nPING\r\n"), false),
        ["bulk not followed by CRLF is accepted"] = (B("*1\r\n$4\r\nPINGxx"), false),
        ["inline with LF only"] = (B("PING\n"), false),
        ["inline with surrounding spaces"] = (B("   PING   \r\n"), false),
        ["inline with quotes and escapes"] = (B("ECHO \"a\\x41b\\n\"\r\nECHO 'it\\'s'\r\nECHO \"\"\r\n"), false),
        ["inline key and value with spaces"] = (B("SET  \"pe k\"   \"v 1\"  \r\nGET \"pe k\"\r\n"), false),
        ["inline unknown command"] = (B("NOSUCH a b\r\n"), false),
        ["inline tab separated"] = (B("ECHO\tx\r\n"), false),
    };

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Keys) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MalformedRequestGetsRedisReplyAndClose(string name)
    {
        var (bytes, closes) = Cases[name];
        var input = closes ? bytes : Concat(bytes, Sentinel);

        // A bystander: connected before, with a key of its own.
        using var bystander = servers.Akka.Connect();
        Assert.Equal("+OK\\r\\n", bystander.CallText("SET", "protocol-bystander", "still-here"));

        var redis = Exchange(servers.Redis, input, closes);
        var akka = Exchange(servers.Akka, input, closes);

        if (redis.Closed != closes)
            throw new InvalidOperationException($"test bug: redis-server {(redis.Closed ? "closed" : "kept open")} the connection for case \"{name}\"");
        if (!redis.Bytes.AsSpan().SequenceEqual(akka.Bytes) || redis.Closed != akka.Closed)
            throw new DiffMismatchException(
                $"protocol case \"{name}\": AkkaRedis does not answer like Redis\n" +
                $"  sent:       {Resp.Escape(input, 300)}\n" +
                $"  redis:      {Resp.Escape(redis.Bytes)}  ({(redis.Closed ? "then closed" : "connection kept open")})\n" +
                $"  akkaredis:  {Resp.Escape(akka.Bytes)}  ({(akka.Closed ? "then closed" : "connection kept open")})" +
                (akka.SendError == null ? "" : $"\n  (sending to akkaredis failed: {akka.SendError})"));

        // The bystander's connection and data are untouched.
        Assert.Equal("+PONG\\r\\n", bystander.CallText("PING"));
        Assert.Equal("$10\\r\\nstill-here\\r\\n", bystander.CallText("GET", "protocol-bystander"));
        using var fresh = servers.Akka.Connect();
        Assert.Equal("+PONG\\r\\n", fresh.CallText("PING"));
    }

    private static (byte[] Bytes, bool Closed, string? SendError) Exchange(ServerProcess server, byte[] input, bool closes)
    {
        using var client = server.Connect();
        string? sendError = null;
        try
        {
            client.Send(input);
        }
        catch (SocketException e)
        {
            // The server may close while a big request is still being sent; what it replied is still compared.
            sendError = e.SocketErrorCode.ToString();
        }
        var (bytes, closed) = closes
            ? client.ReadUntilClose(TimeSpan.FromSeconds(10))
            : client.ReadUntil(b => b.AsSpan().EndsWith(SentinelReply), TimeSpan.FromSeconds(10));
        return (bytes, closed, sendError);
    }

    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    private static byte[] Repeat(char c, int n) => Encoding.ASCII.GetBytes(new string(c, n));

    private static byte[] Concat(byte[] a, byte[] b) => [.. a, .. b];
}
