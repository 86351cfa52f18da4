using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;
using Xunit.Sdk;

namespace AkkaRedis.Tests.EndToEnd.Differential;

public sealed class DiffMismatchException(string message) : XunitException(message);

/// <summary>
/// One connection to the real redis-server and one to AkkaRedis, driven in lockstep: each step is sent to both, both
/// replies are read and compared (<see cref="ReplyRules"/>). A mismatch throws with the context (script or seed),
/// the step, the command, both replies escaped, the comparison rule and the steps before it.
/// </summary>
public sealed class DiffSession : IDisposable
{
    private const int HistoryLength = 12;

    private readonly ServerProcess _redisProcess;
    private readonly ServerProcess _akkaProcess;
    private readonly string _context;
    private readonly string? _replay;
    private readonly Queue<string> _history = new();
    private RawRespClient _redis;
    private RawRespClient _akka;
    /// <summary>Connections [c2]..[c9] of multi-client scripts, opened on first use.</summary>
    private readonly Dictionary<int, (RawRespClient Redis, RawRespClient Akka)> _others = new();
    /// <summary>Sent to every connection opened later (HELLO 3 of a RESP3 run).</summary>
    private readonly List<byte[][]> _prelude = new();

    /// <summary>Receives every step with redis-server's reply (AKKAREDIS_DIFF_TRACE=1 in the script tests).</summary>
    public Action<string>? Trace { get; init; }

    public int StepsRun { get; private set; }
    /// <summary>Steps both servers answered with an error (to see how much of a random run exercised real work).</summary>
    public int ErrorReplies { get; private set; }

    /// <param name="context">What is running, e.g. "script strings/incr (RESP3)" or "random seed 42 (RESP2)".</param>
    /// <param name="replay">How to run it again, printed with a mismatch.</param>
    public DiffSession(E2EServers servers, string context, string? replay = null)
    {
        _redisProcess = servers.Redis;
        _akkaProcess = servers.Akka;
        _context = context;
        _replay = replay;
        _redis = _redisProcess.Connect();
        _akka = _akkaProcess.Connect();
    }

    /// <summary>
    /// FLUSHALL and CONFIG RESETSTAT on both servers (fresh state for every script: the per-command INFO sections
    /// then list the same commands on both, not what other tests sent to one of them); both must reply +OK. CLIENT
    /// UNPAUSE first: a script that failed while clients were paused leaves no pause behind.
    /// </summary>
    public void FlushAll()
    {
        foreach (var command in new[] { "CLIENT UNPAUSE", "FLUSHALL", "CONFIG RESETSTAT" }) Setup(command.Split(' '));
    }

    /// <summary>A setup command that must reply +OK on both servers.</summary>
    public void Setup(params string[] command)
    {
        var (r, a) = Exchange(_redis, _akka, Resp.Args(command), "setup");
        if (!r.AsSpan().SequenceEqual("+OK\r\n"u8) || !a.AsSpan().SequenceEqual("+OK\r\n"u8))
            throw new DiffMismatchException(
                $"{_context}: setup {string.Join(' ', command)} did not reply +OK on both servers (the differential tests need it).\n" +
                $"  redis:     {Resp.Escape(r)}\n  akkaredis: {Resp.Escape(a)}");
    }

    /// <summary>Runs one step on both servers and compares; <paramref name="position"/> names it in a failure.</summary>
    public void Run(DiffStep step, string position)
    {
        StepsRun++;
        var (redis, akka) = Connection(step.Conn);
        var label = step.Conn == 1 ? step.Text : $"[c{step.Conn}] {step.Text}";
        switch (step.Kind)
        {
            case StepKind.NoReply:
            case StepKind.Send:
                redis.SendCommand(WithClientIds(step.Args, akkaSide: false));
                akka.SendCommand(WithClientIds(step.Args, akkaSide: true));
                Remember(label, step.Kind == StepKind.Send ? "(sent; its reply is read by a later [read])" : "(no reply expected)");
                return;
            case StepKind.ScanAll:
                RunScanAll(step, position);
                return;
            case StepKind.WaitBlocked:
                WaitBlocked(int.Parse(Encoding.ASCII.GetString(step.Args[0])), position);
                return;
        }

        var (r, a) = step.Kind == StepKind.Read ? ReadReplies(redis, akka, step.Args, position)
            : Exchange(redis, akka, WithClientIds(step.Args, akkaSide: false), position, WithClientIds(step.Args, akkaSide: true));
        if (step.Kind == StepKind.Read) label = $"[c{step.Conn}] [read]";
        // When only one server sent a push frame, the comparison below reports it.
        if (step.Kind == StepKind.PushThenReply && r.Length > 0 && r[0] == (byte)'>' && a.Length > 0 && a[0] == (byte)'>')
        {
            var (r2, a2) = ReadReplies(redis, akka, step.Args, position);
            r = [.. r, .. r2];
            a = [.. a, .. a2];
        }
        // A [read] names no command: its frame is compared byte for byte.
        var why = step.Kind == StepKind.Read ? (r.AsSpan().SequenceEqual(a) ? null : "different bytes") : ReplyRules.Compare(step.Args, r, a);
        if (why != null) throw Mismatch(position, label, Resp.Escape(r), Resp.Escape(a), why, step.Kind == StepKind.Read ? "byte for byte" : ReplyRules.Describe(step.Args));
        Remember(label, Resp.Escape(a, 200));
        Trace?.Invoke($"{label}  ->  {Resp.Escape(r, 600)}");
        if (a.Length > 0 && a[0] == (byte)'-') ErrorReplies++;

        if (step.Kind == StepKind.Closes)
        {
            var (rBytes, rClosed) = redis.ReadUntilClose(TimeSpan.FromSeconds(10));
            var (aBytes, aClosed) = akka.ReadUntilClose(TimeSpan.FromSeconds(10));
            if (rClosed != aClosed || !rBytes.AsSpan().SequenceEqual(aBytes))
                throw Mismatch(position, step.Text + "  (then the connection)",
                    $"{(rClosed ? "closed" : "still open after 10 s")}, then sent \"{Resp.Escape(rBytes)}\"",
                    $"{(aClosed ? "closed" : "still open after 10 s")}, then sent \"{Resp.Escape(aBytes)}\"",
                    "connection state after the reply differs", "byte for byte");
            Reconnect();
        }
    }

    /// <summary>New connections (fresh connection state), e.g. after QUIT.</summary>
    public void Reconnect()
    {
        _redis.Dispose();
        _akka.Dispose();
        DisposeOthers();
        _redis = _redisProcess.Connect();
        _akka = _akkaProcess.Connect();
        foreach (var command in _prelude) SendPrelude(_redis, _akka, command);
    }

    /// <summary>HELLO 3 (or another connection set-up) on connection 1, compared like a step, and sent to every
    /// connection the script opens later.</summary>
    public void Prelude(DiffStep step, string position)
    {
        Run(step, position);
        _prelude.Add(step.Args);
    }

    private (RawRespClient Redis, RawRespClient Akka) Connection(int conn)
    {
        if (conn == 1) return (_redis, _akka);
        if (_others.TryGetValue(conn, out var pair)) return pair;
        pair = (_redisProcess.Connect(), _akkaProcess.Connect());
        foreach (var command in _prelude) SendPrelude(pair.Redis, pair.Akka, command);
        // Asked now, while any command is allowed (not later, in RESP2 Pub/Sub mode).
        _clientIds[(conn, false)] = ClientId(pair.Redis);
        _clientIds[(conn, true)] = ClientId(pair.Akka);
        _others[conn] = pair;
        return pair;
    }

    private void SendPrelude(RawRespClient redis, RawRespClient akka, byte[][] command)
    {
        var r = redis.Call(command);
        var a = akka.Call(command);
        if (r.Length == 0 || r[0] == (byte)'-' || a.Length == 0 || a[0] == (byte)'-')
            throw new DiffMismatchException($"{_context}: prelude {Resp.FormatCommand(command)} on a new connection failed.\n" +
                                            $"  redis:     {Resp.Escape(r)}\n  akkaredis: {Resp.Escape(a)}");
    }

    /// <summary>Polls INFO clients on both servers until blocked_clients is <paramref name="count"/> (10 s deadline).</summary>
    private void WaitBlocked(int count, string position)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        using var redis = _redisProcess.Connect();
        using var akka = _akkaProcess.Connect();
        long r, a;
        while (true)
        {
            r = BlockedClients(redis);
            a = BlockedClients(akka);
            if (r == count && a == count) break;
            if (DateTime.UtcNow > deadline)
                throw Mismatch(position, $"[waitblocked] {count}", $"blocked_clients:{r}", $"blocked_clients:{a}",
                    $"not both {count} after 10 s", "INFO clients blocked_clients");
            Thread.Sleep(5);
        }
        Remember($"[waitblocked] {count}", $"blocked_clients:{a}");
    }

    private static long BlockedClients(RawRespClient client)
    {
        var text = Encoding.UTF8.GetString(RespValue.Parse(client.Call("INFO", "clients")).Payload ?? []);
        foreach (var line in text.Split("\r\n"))
            if (line.StartsWith("blocked_clients:", StringComparison.Ordinal)) return long.Parse(line["blocked_clients:".Length..]);
        return -1;
    }

    /// <summary>An argument <c>{cN.id}</c> is connection N's CLIENT ID on that server (CLIENT TRACKING REDIRECT, CLIENT
    /// KILL ID...: the ids of the two servers differ). Asked when [c2]..[c9] open, at first use for connection 1.</summary>
    private byte[][] WithClientIds(byte[][] args, bool akkaSide)
    {
        byte[][]? copy = null;
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a.Length != 7 || a[0] != (byte)'{' || a[1] != (byte)'c' || !a.AsSpan(3).SequenceEqual(".id}"u8) || a[2] is < (byte)'1' or > (byte)'9')
                continue;
            var conn = a[2] - '0';
            if (!_clientIds.TryGetValue((conn, akkaSide), out var id))
            {
                var (redis, akka) = Connection(conn);
                id = _clientIds[(conn, akkaSide)] = ClientId(akkaSide ? akka : redis);
            }
            copy ??= (byte[][])args.Clone();
            copy[i] = id;
        }
        return copy ?? args;
    }

    private readonly Dictionary<(int Conn, bool Akka), byte[]> _clientIds = new();

    private static byte[] ClientId(RawRespClient client) =>
        Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(client.Call("CLIENT", "ID"))[1..].TrimEnd());

    private (byte[] Redis, byte[] Akka) Exchange(RawRespClient redis, RawRespClient akka, byte[][] args, string position, byte[][]? akkaArgs = null)
    {
        redis.SendCommand(args);
        try
        {
            akka.SendCommand(akkaArgs ?? args);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            throw Broken(position, args, "sending to akkaredis failed: " + e.Message);
        }
        return ReadReplies(redis, akka, args, position);
    }

    /// <summary>One reply from each server, redis-server's first.</summary>
    private (byte[] Redis, byte[] Akka) ReadReplies(RawRespClient redis, RawRespClient akka, byte[][] args, string position)
    {
        byte[] r;
        try
        {
            r = redis.ReadReply();
        }
        catch (Exception e) when (e is IOException or TimeoutException or FormatException)
        {
            throw new DiffMismatchException($"{_context}, {position}: the REFERENCE redis-server did not reply to {Resp.FormatCommand(args)}: {e.Message}\n" +
                                            $"(a test bug: the script expects a reply where redis sends none?)\n{HistoryText()}");
        }
        try
        {
            return (r, akka.ReadReply());
        }
        catch (Exception e) when (e is IOException or TimeoutException or FormatException)
        {
            throw Broken(position, args, $"akkaredis did not send a valid reply ({e.Message}); redis replied \"{Resp.Escape(r)}\"");
        }
    }

    private void RunScanAll(DiffStep step, string position)
    {
        var (redis, akka) = Connection(step.Conn);
        var r = ScanAll(redis, step.Args);
        var a = ScanAll(akka, step.Args);
        string Describe((string? Error, SortedSet<string> Keys, int Calls) s) =>
            s.Error ?? $"{s.Keys.Count} keys in {s.Calls} calls: [{string.Join(", ", s.Keys)}]";
        var same = r.Error == a.Error && (r.Error != null || r.Keys.SetEquals(a.Keys));
        if (!same)
            throw Mismatch(position, step.Text + "  (full scan: repeated until the cursor is 0)", Describe(r), Describe(a),
                "different sets of keys (or errors)", "set of keys of a full scan");
        Remember("[scanall] " + step.Text, Describe(a));
    }

    /// <summary>Full scan: the cursor argument (args[1]) starts as given and follows the replies until it is 0 again.</summary>
    private (string? Error, SortedSet<string> Keys, int Calls) ScanAll(RawRespClient client, byte[][] args)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        var call = (byte[][])args.Clone();
        for (var calls = 1; calls <= 100_000; calls++)
        {
            var bytes = client.Call(call);
            var reply = RespValue.Parse(bytes);
            if (reply.IsError) return (Resp.Escape(bytes), keys, calls);
            if (reply.Type != '*' || reply.Items is not { Count: 2 } items || items[0].Type != '$' || items[1].Items == null)
                return ("not a [cursor, keys] reply: " + Resp.Escape(bytes), keys, calls);
            foreach (var k in items[1].Items!) keys.Add(Resp.Escape(k.Payload ?? []));
            if (items[0].Text == "0") return (null, keys, calls);
            call[1] = items[0].Payload!;
        }
        return ("cursor never returned to 0 after 100000 calls", keys, 100_000);
    }

    private void Remember(string command, string reply)
    {
        _history.Enqueue($"{command}  ->  {reply}");
        while (_history.Count > HistoryLength) _history.Dequeue();
    }

    private string HistoryText()
    {
        if (_history.Count == 0) return "(no earlier steps)";
        var sb = new StringBuilder("Earlier steps (akkaredis replies):\n");
        foreach (var h in _history) sb.Append("    ").Append(h).Append('\n');
        return sb.ToString();
    }

    private DiffMismatchException Mismatch(string position, string command, string redis, string akka, string why, string rule) =>
        new($"Differential mismatch — {_context}, {position}\n" +
            $"  command:    {command}\n" +
            $"  redis:      {redis}\n" +
            $"  akkaredis:  {akka}\n" +
            $"  comparison: {rule} — {why}\n" +
            (_replay == null ? "" : $"  replay:     {_replay}\n") +
            HistoryText());

    private DiffMismatchException Broken(string position, byte[][] args, string what)
    {
        var server = _akkaProcess.HasExited ? "\nakkaredis has exited:\n" + _akkaProcess.Describe() : "";
        return new DiffMismatchException($"Differential failure — {_context}, {position}\n  command:    {Resp.FormatCommand(args)}\n  {what}\n" +
                                         (_replay == null ? "" : $"  replay:     {_replay}\n") + HistoryText() + server);
    }

    private void DisposeOthers()
    {
        _clientIds.Clear();
        foreach (var (r, a) in _others.Values)
        {
            r.Dispose();
            a.Dispose();
        }
        _others.Clear();
    }

    public void Dispose()
    {
        _redis.Dispose();
        _akka.Dispose();
        DisposeOthers();
    }
}
