// bench11: the load generator of `scripts/bench --issue11` (issue 11's benchmark Done item).
//
// redis-benchmark 7.0.15 cannot send a MULTI/10 x INCR/EXEC transaction as one request, cannot read what a PUBLISH
// delivers and has no blocking ping-pong, so these scenarios need a client of their own. It is C# (the project's
// toolchain, nothing to install) with async sockets: python asyncio spends tens of µs of CPU per request on a machine
// whose 2 cores the server also needs. Its cost is measured, not assumed: the `incr` scenario does what
// `redis-benchmark -t incr -r R` does (`rb-incr` runs exactly that), and scripts/bench puts both in the table, so a
// generator slower than redis-benchmark shows up as such.
//
// Every scenario first probes its commands: a server that answers an error there (a command it does not have yet)
// makes the process exit 3 with "unsupported: <the error>" on stderr. Any error or wrong reply after the probe is a
// failure (exit 1, "FAILED: ..."), as is a run longer than --timeout seconds, a probe unanswered for 10 s, or no
// operation completing for --stall seconds (default 60: a waiter never served). On success one line on stdout:
//   OPS OPS_PER_S AVG_MS P50_MS P99_MS DELIVERED_PER_S CLIENT_CPU_US_PER_OP
//   (DELIVERED_PER_S is "-" where nothing is delivered; client CPU: this process and redis-benchmark, getrusage)
//
// Scenarios (all on 127.0.0.1:--port, RESP2):
//   incr      --clients C -n N --keyspace R   INCR counter:<12 random digits>, like redis-benchmark -t incr -r R
//   rb-incr   --clients C -n N --keyspace R   runs redis-benchmark -t incr with those arguments (the reference)
//   publish   --clients C -n N --pipeline P --subs S --payload B
//             S subscribers SUBSCRIBE bench:ch and read everything; redis-benchmark publishes N messages of B bytes
//             (PUBLISH bench:ch xxx..., C clients, pipeline P; N rounded up to whole pipelines); then one sentinel. Every subscriber must get
//             exactly N messages, byte for byte, then the sentinel (so none lost, none duplicated, none garbled), and
//             PUBLISH of the sentinel must count S receivers. OPS/latency are redis-benchmark's, DELIVERED_PER_S the
//             messages all subscribers received per second (first message received to last).
//   multi     --clients C -n N --keys hot|spread --keyspace R
//             each client loops MULTI, 10 x INCR, EXEC written as one buffer, one transaction in flight per client.
//             hot: all INCRs on bench:counter; every EXEC must answer 10 consecutive integers (no other client's
//             INCR inside a transaction) and the counter must end at 10 x N. spread: INCR bench:ctr:<12 random
//             digits> (keys on different shards). OPS = transactions, latency = per transaction.
//   pingpong  --pairs K -n N
//             K pairs bounce one element: A does LPUSH b r then BLPOP a 0, B does BLPOP b 0 then LPUSH a r; every
//             popped value must be the round number r. OPS = rounds (N split over the pairs), latency = A's round
//             trip from sending LPUSH b to receiving BLPOP a's reply.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Bench11;

/// <summary>A wrong reply, a lost message, a closed connection: the run is broken.</summary>
sealed class BenchFailure(string message) : Exception(message);

/// <summary>An error reply from the server (RESP "-").</summary>
sealed class ServerError(string message) : Exception(message);

/// <summary>The probe found the server answering an error: the scenario is unsupported there.</summary>
sealed class Unsupported(string message) : Exception(message);

/// <summary>One RESP token: the type byte; Num is the integer, or the length of an array or bulk (-1: null);
/// simple strings, errors and bulks are at Off/Len in the connection's buffer.</summary>
readonly record struct Tok(byte Type, long Num, int Off, int Len);

static class Resp
{
    public static byte[] Command(params string[] args)
    {
        var sb = new StringBuilder();
        sb.Append('*').Append(args.Length).Append("\r\n");
        foreach (var a in args) sb.Append('$').Append(Encoding.UTF8.GetByteCount(a)).Append("\r\n").Append(a).Append("\r\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>Parses one complete reply at the start of b into toks (offsets shifted by baseOff); returns the bytes
    /// it takes, 0 when b does not hold a complete reply yet.</summary>
    public static int Parse(ReadOnlySpan<byte> b, List<Tok> toks, int baseOff)
    {
        int pos = 0;
        return ParseAt(b, ref pos, toks, baseOff) ? pos : 0;
    }

    static bool ParseAt(ReadOnlySpan<byte> b, ref int pos, List<Tok> toks, int baseOff)
    {
        if (pos >= b.Length) return false;
        int nl = b[pos..].IndexOf((byte)'\n');
        if (nl < 1) return false;
        nl += pos;
        byte type = b[pos];
        var line = b.Slice(pos + 1, nl - pos - 2);
        int next = nl + 1;
        switch (type)
        {
            case (byte)'+':
            case (byte)'-':
                toks.Add(new Tok(type, 0, baseOff + pos + 1, line.Length));
                pos = next;
                return true;
            case (byte)':':
                toks.Add(new Tok(type, Long(line), 0, 0));
                pos = next;
                return true;
            case (byte)'_':
                toks.Add(new Tok(type, -1, 0, 0));
                pos = next;
                return true;
            case (byte)'$':
                long len = Long(line);
                if (len < 0) { toks.Add(new Tok(type, -1, 0, 0)); pos = next; return true; }
                if (next + len + 2 > b.Length) return false;
                toks.Add(new Tok(type, len, baseOff + next, (int)len));
                pos = next + (int)len + 2;
                return true;
            case (byte)'*':
            case (byte)'>':
                long n = Long(line);
                toks.Add(new Tok(type, n, 0, 0));
                pos = next;
                for (long i = 0; i < n; i++)
                    if (!ParseAt(b, ref pos, toks, baseOff)) return false;
                return true;
            default:
                throw new BenchFailure($"unexpected RESP type byte 0x{type:x2} ('{(char)type}')");
        }
    }

    public static long Long(ReadOnlySpan<byte> s)
    {
        if (!long.TryParse(Encoding.ASCII.GetString(s), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            throw new BenchFailure($"not an integer in a reply: '{Encoding.ASCII.GetString(s)}'");
        return v;
    }

    /// <summary>Writes v as `digits` zero-padded decimal digits (redis-benchmark's __rand_int__ is 12 of them).</summary>
    public static void Digits(Span<byte> dst, long v)
    {
        for (int i = dst.Length - 1; i >= 0; i--) { dst[i] = (byte)('0' + v % 10); v /= 10; }
    }

    public static string Show(ReadOnlySpan<byte> s)
    {
        var t = Encoding.ASCII.GetString(s.Length > 120 ? s[..120] : s).Replace("\r", "\\r").Replace("\n", "\\n");
        return s.Length > 120 ? t + "..." : t;
    }
}

/// <summary>A RESP2 connection: writes whole buffers, reads one reply at a time into Toks.</summary>
sealed class Conn : IDisposable
{
    readonly Socket _s;
    byte[] _buf;
    int _start, _end;
    public readonly List<Tok> Toks = new(16);

    Conn(Socket s, int bufSize) { _s = s; _buf = new byte[bufSize]; }

    public static async Task<Conn> OpenAsync(int port, int bufSize = 64 * 1024)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await s.ConnectAsync(IPAddress.Loopback, port);
        return new Conn(s, bufSize);
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data)
    {
        while (data.Length > 0)
        {
            int n = await _s.SendAsync(data, SocketFlags.None);
            data = data[n..];
        }
    }

    /// <summary>Reads one complete reply: Toks[0] is its top; an error reply throws ServerError.</summary>
    public async ValueTask ReadAsync()
    {
        while (true)
        {
            Toks.Clear();
            int used = _start < _end ? Resp.Parse(_buf.AsSpan(_start, _end - _start), Toks, _start) : 0;
            if (used > 0)
            {
                _start += used;
                if (_start == _end) _start = _end = 0;
                if (Toks[0].Type == (byte)'-') throw new ServerError(Text(Toks[0]));
                return;
            }
            await FillAsync();
        }
    }

    async ValueTask FillAsync()
    {
        if (_end == _buf.Length)
        {
            if (_start > 0) { Buffer.BlockCopy(_buf, _start, _buf, 0, _end - _start); _end -= _start; _start = 0; }
            else Array.Resize(ref _buf, _buf.Length * 2);
        }
        int n = await _s.ReceiveAsync(_buf.AsMemory(_end), SocketFlags.None);
        if (n == 0) throw new BenchFailure("the server closed the connection");
        _end += n;
    }

    public ReadOnlySpan<byte> Bytes(Tok t) => _buf.AsSpan(t.Off, t.Len);
    public string Text(Tok t) => Encoding.UTF8.GetString(Bytes(t));

    /// <summary>Bytes received but not parsed yet (a subscriber's first messages may follow its confirmation).</summary>
    public ReadOnlySpan<byte> TakeUnparsed()
    {
        var rest = _buf.AsSpan(_start, _end - _start);
        _start = _end = 0;
        return rest;
    }

    public ValueTask<int> ReceiveRawAsync(Memory<byte> into) => _s.ReceiveAsync(into, SocketFlags.None);

    public async ValueTask<long> CallIntAsync(params string[] args)
    {
        await SendAsync(Resp.Command(args));
        await ReadAsync();
        if (Toks[0].Type != (byte)':') throw new BenchFailure($"{args[0]} answered type '{(char)Toks[0].Type}', not an integer");
        return Toks[0].Num;
    }

    public void Dispose() => _s.Dispose();
}

/// <summary>One latency slot per operation, claimed by index; the claim also ends the run at N operations.</summary>
/// <summary>Operations done, for the stall watchdog: a server that stops answering (a blocked client never served,
/// subscribers never fed) fails the run after --stall seconds instead of the whole --timeout.</summary>
static class Progress
{
    static long _ticks;
    public static volatile bool Armed;
    public static void Tick() => Interlocked.Increment(ref _ticks);
    public static long Read() => Interlocked.Read(ref _ticks);
}

/// <summary>The client side's CPU over the measured part (this process and redis-benchmark when it runs as a child):
/// getrusage of self and of waited-for children, so a generator dearer than redis-benchmark shows in the report.</summary>
static class ClientCpu
{
    [StructLayout(LayoutKind.Sequential)]
    struct RUsage
    {
        public long UtimeSec, UtimeUsec, StimeSec, StimeUsec;
        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 14)] public long[] Rest;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int getrusage(int who, out RUsage usage);

    static double Seconds(int who) =>
        getrusage(who, out var u) == 0 ? u.UtimeSec + u.StimeSec + (u.UtimeUsec + u.StimeUsec) / 1e6 : double.NaN;

    static double Now() => Seconds(0 /* RUSAGE_SELF */) + Seconds(-1 /* RUSAGE_CHILDREN */);

    static double _begin = double.NaN;
    public static double Used = double.NaN;
    public static void Begin() => _begin = Now();
    public static void End() => Used = Now() - _begin;
}

sealed class Recorder(long n)
{
    readonly long[] _lat = new long[n];
    long _issued;

    /// <summary>The next operation's slot, or -1 when N have been issued.</summary>
    public long Claim()
    {
        long i = Interlocked.Increment(ref _issued) - 1;
        return i < _lat.Length ? i : -1;
    }

    public void Set(long slot, long ticks)
    {
        _lat[slot] = ticks;
        Progress.Tick();
    }

    public (double avg, double p50, double p99) Stats()
    {
        var a = (long[])_lat.Clone();
        Array.Sort(a);
        double ms(long t) => t * 1000.0 / Stopwatch.Frequency;
        if (a.Length == 0) return (0, 0, 0);
        return (a.Average(x => ms(x)), ms(a[(int)((a.Length - 1) * 0.50)]), ms(a[(int)((a.Length - 1) * 0.99)]));
    }
}

sealed class Options
{
    public string Scenario = "";
    public int Port, Clients = 50, Pipeline = 1, Subs, Payload = 32, Pairs = 1, Timeout = 900, Stall = 60;
    public long N = 100000, Keyspace = 100000;
    public string Keys = "hot", RedisBenchmark = "redis-benchmark";

    public static Options Parse(string[] args)
    {
        if (args.Length == 0) throw new ArgumentException("usage: bench11 SCENARIO --port P [options] (see Program.cs)");
        var o = new Options { Scenario = args[0] };
        for (int i = 1; i < args.Length; i++)
        {
            string v = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--port": o.Port = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--clients": o.Clients = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--pipeline": o.Pipeline = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--subs": o.Subs = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--payload": o.Payload = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--pairs": o.Pairs = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--timeout": o.Timeout = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--stall": o.Stall = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "-n": o.N = long.Parse(v, CultureInfo.InvariantCulture); break;
                case "--keyspace": o.Keyspace = long.Parse(v, CultureInfo.InvariantCulture); break;
                case "--keys": o.Keys = v; break;
                case "--redis-benchmark": o.RedisBenchmark = v; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
            i++;
        }
        if (o.Port <= 0) throw new ArgumentException("--port is required");
        if (o.N <= 0 || o.Clients <= 0 || o.Pairs <= 0 || o.Pipeline <= 0 || o.Payload <= 0 || o.Keyspace <= 0)
            throw new ArgumentException("-n, --clients, --pairs, --pipeline, --payload and --keyspace must be positive");
        if (o.Keys is not ("hot" or "spread")) throw new ArgumentException("--keys is hot or spread");
        return o;
    }
}

static class Program
{
    static int Main(string[] args)
    {
        // One event-loop thread, as redis-benchmark has: socket continuations run inline on the single epoll thread,
        // so the generator takes at most about one core from the server under test whatever the number of clients.
        // Read by the sockets engine when it first starts, i.e. after this line (set outside to override).
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT") is null)
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", "1");
        Options o;
        try { o = Options.Parse(args); }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        // A server that stops answering (a waiter never served, a subscriber never fed) must not hang the run.
        _ = Task.Delay(TimeSpan.FromSeconds(o.Timeout)).ContinueWith(_ =>
            Abort($"{o.Scenario} did not finish within {o.Timeout} s"));
        new Thread(() =>
        {
            long last = -1, since = Environment.TickCount64;
            while (true)
            {
                Thread.Sleep(1000);
                long now = Progress.Read();
                if (now != last || !Progress.Armed) { last = now; since = Environment.TickCount64; continue; }
                if (Environment.TickCount64 - since < o.Stall * 1000L) continue;
                Abort($"{o.Scenario}: no operation completed for {o.Stall} s (after {now})");
            }
        }) { IsBackground = true }.Start();
        try
        {
            var r = o.Scenario switch
            {
                "incr" => Incr(o).GetAwaiter().GetResult(),
                "rb-incr" => RedisBenchmarkIncr(o),
                "publish" => Publish(o).GetAwaiter().GetResult(),
                "multi" => Multi(o).GetAwaiter().GetResult(),
                "pingpong" => PingPong(o).GetAwaiter().GetResult(),
                _ => throw new ArgumentException($"unknown scenario {o.Scenario}"),
            };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Ops} {r.OpsPerS:F0} {r.Avg:F3} {r.P50:F3} {r.P99:F3} {(r.Delivered is { } d ? d.ToString("F0", CultureInfo.InvariantCulture) : "-")} {ClientCpu.Used * 1e6 / r.Ops:F2}"));
            return 0;
        }
        catch (Exception e) when (Unwrap(e) is Unsupported u)
        {
            Console.Error.WriteLine($"unsupported: {u.Message}");
            return 3;
        }
        catch (Exception e) when (Unwrap(e) is BenchFailure or ServerError or SocketException or ArgumentException)
        {
            var x = Unwrap(e);
            Console.Error.WriteLine($"FAILED: {o.Scenario}: {(x is ServerError ? "error reply: " : "")}{x.Message}");
            return 1;
        }
    }

    /// <summary>redis-benchmark while it runs, so that a run ended early does not leave it publishing.</summary>
    static volatile Process? _child;

    /// <summary>Ends the run at once (from a watchdog or a reader): the failure on stderr, exit 1.</summary>
    static void Abort(string message)
    {
        Console.Error.WriteLine($"FAILED: {message}");
        try { _child?.Kill(); } catch (InvalidOperationException) { }
        Environment.Exit(1);
    }

    static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: > 0 } a ? Unwrap(a.InnerExceptions[0]) : e;

    record Result(long Ops, double OpsPerS, double Avg, double P50, double P99, double? Delivered = null);

    /// <summary>Runs a probe: an error reply in it means the server lacks the scenario's commands; no answer within
    /// 10 s (a BLPOP whose timeout never fires) fails the run at once.</summary>
    static async Task Probe(string what, Func<Task> probe)
    {
        try { await probe().WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (ServerError e) { throw new Unsupported($"{what}: {e.Message}"); }
        catch (TimeoutException) { throw new BenchFailure($"{what}: the probe got no answer within 10 s"); }
    }

    static void Expect(bool ok, string what)
    {
        if (!ok) throw new BenchFailure(what);
    }

    static async Task<Conn[]> Connect(int port, int count, int bufSize = 64 * 1024)
    {
        var conns = new Conn[count];
        for (int i = 0; i < count; i++) conns[i] = await Conn.OpenAsync(port, bufSize);
        return conns;
    }

    /// <summary>Runs body(client index) on every connection at once; returns the wall time of the whole run.</summary>
    static async Task<double> RunAll(Conn[] conns, Func<int, Conn, Task> body)
    {
        var sw = Stopwatch.StartNew();
        Progress.Armed = true;
        ClientCpu.Begin();
        await Task.WhenAll(conns.Select((c, i) => Task.Run(() => body(i, c))));
        ClientCpu.End();
        Progress.Armed = false;
        return sw.Elapsed.TotalSeconds;
    }

    // ------------------------------------------------------------------ incr (the generator's calibration)
    static async Task<Result> Incr(Options o)
    {
        var conns = await Connect(o.Port, o.Clients);
        await Probe("INCR", async () => await conns[0].CallIntAsync("INCR", "bench:probe:incr"));
        var rec = new Recorder(o.N);
        double secs = await RunAll(conns, async (i, c) =>
        {
            var cmd = Resp.Command("INCR", "counter:000000000000");
            int digits = cmd.Length - 2 - 12;
            var rnd = new Random(i);
            for (long slot; (slot = rec.Claim()) >= 0;)
            {
                Resp.Digits(cmd.AsSpan(digits, 12), rnd.NextInt64(o.Keyspace));
                long t0 = Stopwatch.GetTimestamp();
                await c.SendAsync(cmd);
                await c.ReadAsync();
                Expect(c.Toks[0].Type == (byte)':', "INCR did not answer an integer");
                rec.Set(slot, Stopwatch.GetTimestamp() - t0);
            }
        });
        foreach (var c in conns) c.Dispose();
        var (avg, p50, p99) = rec.Stats();
        return new Result(o.N, o.N / secs, avg, p50, p99);
    }

    // ------------------------------------------------------------------ redis-benchmark
    /// <summary>Runs redis-benchmark --csv with the given arguments; its one row's rps and latencies.</summary>
    static (double rps, double avg, double p50, double p99) RunRedisBenchmark(Options o, params string[] args)
    {
        var psi = new ProcessStartInfo(o.RedisBenchmark) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-h", "127.0.0.1", "-p", o.Port.ToString(CultureInfo.InvariantCulture), "--csv" }.Concat(args))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new BenchFailure("cannot start redis-benchmark");
        _child = p;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        _child = null;
        string all = output + err.Result;
        if (all.Contains("Error from server", StringComparison.Ordinal))
            throw new BenchFailure($"redis-benchmark got an error reply: {all.Split('\n').First(l => l.Contains("Error from server"))}");
        if (p.ExitCode != 0) throw new BenchFailure($"redis-benchmark exited {p.ExitCode}: {all.Trim()}");
        // --csv: a header line of quoted names, then one row per test (a custom command's row is named by its line).
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2) throw new BenchFailure($"redis-benchmark printed no result: {all.Trim()}");
        var head = SplitCsv(lines[0]);
        var row = SplitCsv(lines[^1]);
        double col(string name)
        {
            int k = Array.IndexOf(head, name);
            if (k < 0 || k >= row.Length) throw new BenchFailure($"redis-benchmark's CSV has no {name}: {output}");
            return double.Parse(row[k], CultureInfo.InvariantCulture);
        }
        return (col("rps"), col("avg_latency_ms"), col("p50_latency_ms"), col("p99_latency_ms"));
    }

    static string[] SplitCsv(string line) => line.Split(',').Select(f => f.Trim('"')).ToArray();

    static Result RedisBenchmarkIncr(Options o)
    {
        ClientCpu.Begin();
        var (rps, avg, p50, p99) = RunRedisBenchmark(o, "-c", $"{o.Clients}", "-n", $"{o.N}", "-r", $"{o.Keyspace}", "-t", "incr");
        ClientCpu.End();
        return new Result(o.N, rps, avg, p50, p99);
    }

    // ------------------------------------------------------------------ publish
    static async Task<Result> Publish(Options o)
    {
        const string channel = "bench:ch";
        string payload = new('x', o.Payload), sentinel = new('#', o.Payload);
        // redis-benchmark issues whole pipelines until N are issued (ceil(N / P) x P in all): N rounded up, so that
        // what each subscriber must receive is known exactly.
        long n = (o.N + o.Pipeline - 1) / o.Pipeline * o.Pipeline;
        using var pub = await Conn.OpenAsync(o.Port);
        await Probe("PUBLISH", async () => await pub.CallIntAsync("PUBLISH", channel, "probe"));

        // Subscribers: big receive buffers, so that reading (not parsing: every message is the same bytes) keeps up.
        var subs = await Connect(o.Port, o.Subs, 256 * 1024);
        var subscribe = Resp.Command("SUBSCRIBE", channel);
        foreach (var s in subs)
        {
            await Probe("SUBSCRIBE", async () =>
            {
                await s.SendAsync(subscribe);
                await s.ReadAsync();
            });
            Expect(s.Toks.Count == 4 && s.Toks[0].Num == 3 && s.Text(s.Toks[1]) == "subscribe" && s.Toks[3].Num == 1,
                "SUBSCRIBE's confirmation is not [subscribe, bench:ch, 1]");
        }
        // What each subscriber must read: N of these frames, then the sentinel's.
        var frame = Encoding.ASCII.GetBytes($"*3\r\n$7\r\nmessage\r\n${channel.Length}\r\n{channel}\r\n${o.Payload}\r\n{payload}\r\n");
        var last = Encoding.ASCII.GetBytes($"*3\r\n$7\r\nmessage\r\n${channel.Length}\r\n{channel}\r\n${o.Payload}\r\n{sentinel}\r\n");
        ClientCpu.Begin();
        // A reader that fails (cut off by the output buffer limit, a wrong byte) ends the run there and then.
        var readers = subs.Select((s, i) => Task.Run(async () =>
        {
            try { return await ReadMessages(i, s, frame, last); }
            catch (Exception e) when (e is BenchFailure or SocketException)
            {
                Abort($"publish: {e.Message}");
                throw;
            }
        })).ToArray();
        Progress.Armed = o.Subs > 0;  // the readers tick; PUBLISH with nobody listening has only redis-benchmark

        // Off the socket thread: with inline completions this method may be running on it, and the readers need it.
        var (rps, avg, p50, p99) = await Task.Run(() => RunRedisBenchmark(o, "-c", $"{o.Clients}", "-n", $"{n}",
            "-P", $"{o.Pipeline}", "PUBLISH", channel, payload));
        long receivers = await pub.CallIntAsync("PUBLISH", channel, sentinel);
        Expect(receivers == o.Subs, $"PUBLISH of the last message counted {receivers} receivers, not {o.Subs}");

        var got = await Task.WhenAll(readers);
        ClientCpu.End();
        foreach (var s in subs) s.Dispose();
        for (int i = 0; i < got.Length; i++)
            Expect(got[i].count == n, $"subscriber {i} received {got[i].count} messages, {n} were published");
        double? delivered = null;
        if (got.Length > 0)
        {
            long first = got.Min(g => g.first), end = got.Max(g => g.last);
            delivered = got.Sum(g => (double)g.count) / Math.Max(1e-9, (double)(end - first) / Stopwatch.Frequency);
        }
        return new Result(n, rps, avg, p50, p99, delivered);
    }

    /// <summary>Reads one subscriber's stream up to the sentinel frame; every frame before it must be `frame`.
    /// Returns the count and the timestamps of the first and the last message bytes received.</summary>
    static async Task<(long count, long first, long last)> ReadMessages(int id, Conn c, byte[] frame, byte[] sentinel)
    {
        int len = frame.Length, have = 0;
        var partial = new byte[len];
        var buf = new byte[256 * 1024];
        long count = 0, first = 0, last = 0;
        bool done = false;

        // Frames from the received bytes; a frame cut by a read is completed in `partial`.
        void Consume(ReadOnlySpan<byte> data)
        {
            if (data.Length == 0) return;
            long now = Stopwatch.GetTimestamp();
            if (first == 0) first = now;
            if (done) throw new BenchFailure($"subscriber {id}: bytes after the last message: {Resp.Show(data)}");
            long before = count;
            if (have > 0)
            {
                int take = Math.Min(len - have, data.Length);
                data[..take].CopyTo(partial.AsSpan(have));
                have += take;
                data = data[take..];
                if (have == len) { Frame(partial); have = 0; }
            }
            while (data.Length >= len && !done)
            {
                Frame(data[..len]);
                data = data[len..];
            }
            if (data.Length > 0)
            {
                if (done) throw new BenchFailure($"subscriber {id}: bytes after the last message: {Resp.Show(data)}");
                data.CopyTo(partial);
                have = data.Length;
            }
            if (count > before) { last = now; Progress.Tick(); }
        }

        void Frame(ReadOnlySpan<byte> f)
        {
            if (f.SequenceEqual(frame)) count++;
            else if (f.SequenceEqual(sentinel)) done = true;
            else throw new BenchFailure($"subscriber {id}: after {count} messages, an unexpected frame: {Resp.Show(f)}");
        }

        Consume(c.TakeUnparsed());
        while (!done)
        {
            int n = await c.ReceiveRawAsync(buf);
            if (n == 0)
                throw new BenchFailure($"subscriber {id}: the server closed the connection after {count} messages " +
                                       "(client-output-buffer-limit pubsub? the reader fell behind)");
            Consume(buf.AsSpan(0, n));
        }
        return (count, first, last);
    }

    // ------------------------------------------------------------------ MULTI / 10 x INCR / EXEC
    static async Task<Result> Multi(Options o)
    {
        const string hotKey = "bench:counter";
        var conns = await Connect(o.Port, o.Clients);
        var c0 = conns[0];
        await Probe("MULTI/INCR/EXEC", async () =>
        {
            await c0.SendAsync(Resp.Command("MULTI"));
            await c0.ReadAsync();
            await c0.SendAsync(Resp.Command("INCR", "bench:probe:multi"));
            await c0.ReadAsync();
            await c0.SendAsync(Resp.Command("EXEC"));
            await c0.ReadAsync();
            Expect(c0.Toks.Count == 2 && c0.Toks[0].Type == (byte)'*' && c0.Toks[1].Type == (byte)':',
                "EXEC of one INCR did not answer [integer]");
        });
        await c0.CallIntAsync("DEL", hotKey, "bench:probe:multi");
        bool hot = o.Keys == "hot";

        var rec = new Recorder(o.N);
        double secs = await RunAll(conns, async (i, c) =>
        {
            // One buffer per transaction; in the spread variant each INCR's 12 key digits are rewritten in place.
            var parts = new List<byte[]> { Resp.Command("MULTI") };
            var digitAt = new List<int>();
            int offset = parts[0].Length;
            for (int k = 0; k < 10; k++)
            {
                var incr = Resp.Command("INCR", hot ? hotKey : "bench:ctr:000000000000");
                parts.Add(incr);
                offset += incr.Length;
                digitAt.Add(offset - 2 - 12);
            }
            parts.Add(Resp.Command("EXEC"));
            var txn = parts.SelectMany(p => p).ToArray();
            var rnd = new Random(i);
            for (long slot; (slot = rec.Claim()) >= 0;)
            {
                if (!hot)
                    foreach (int at in digitAt) Resp.Digits(txn.AsSpan(at, 12), rnd.NextInt64(o.Keyspace));
                long t0 = Stopwatch.GetTimestamp();
                await c.SendAsync(txn);
                await c.ReadAsync();
                Expect(c.Toks[0].Type == (byte)'+' && c.Text(c.Toks[0]) == "OK", "MULTI did not answer +OK");
                for (int k = 0; k < 10; k++)
                {
                    await c.ReadAsync();
                    Expect(c.Toks[0].Type == (byte)'+' && c.Text(c.Toks[0]) == "QUEUED", "INCR in MULTI did not answer +QUEUED");
                }
                await c.ReadAsync();
                rec.Set(slot, Stopwatch.GetTimestamp() - t0);
                Expect(c.Toks.Count == 11 && c.Toks[0].Type == (byte)'*' && c.Toks[0].Num == 10,
                    "EXEC did not answer an array of 10 replies");
                for (int k = 1; k <= 10; k++)
                {
                    Expect(c.Toks[k].Type == (byte)':', "an INCR inside EXEC did not answer an integer");
                    // Atomicity: no other client's INCR of the hot key between two of this transaction's.
                    if (hot && k > 1)
                        Expect(c.Toks[k].Num == c.Toks[k - 1].Num + 1,
                            $"EXEC answered {c.Toks[k - 1].Num} then {c.Toks[k].Num}: another INCR ran inside the transaction");
                }
            }
        });
        if (hot)
        {
            await c0.SendAsync(Resp.Command("GET", hotKey));
            await c0.ReadAsync();
            string v = c0.Toks[0].Type == (byte)'$' && c0.Toks[0].Num >= 0 ? c0.Text(c0.Toks[0]) : "(nil)";
            Expect(v == (10 * o.N).ToString(CultureInfo.InvariantCulture), $"{hotKey} is {v} after {o.N} transactions of 10 INCRs");
        }
        foreach (var c in conns) c.Dispose();
        var (avg, p50, p99) = rec.Stats();
        return new Result(o.N, o.N / secs, avg, p50, p99);
    }

    // ------------------------------------------------------------------ BLPOP / LPUSH ping-pong
    static async Task<Result> PingPong(Options o)
    {
        var conns = await Connect(o.Port, 2 * o.Pairs);
        var c0 = conns[0];
        await Probe("BLPOP", async () =>
        {
            await c0.CallIntAsync("DEL", "bench:probe:bl");
            await c0.SendAsync(Resp.Command("BLPOP", "bench:probe:bl", "0.01"));
            await c0.ReadAsync();
            Expect(c0.Toks[0].Num == -1, "BLPOP of an empty list did not time out with a null reply");
            await c0.CallIntAsync("LPUSH", "bench:probe:bl", "x");
            await c0.SendAsync(Resp.Command("BLPOP", "bench:probe:bl", "0"));
            await c0.ReadAsync();
            Expect(c0.Toks.Count == 3 && c0.Toks[0].Type == (byte)'*', "BLPOP of a list with one element did not answer [key, element]");
        });
        long rounds = o.N / o.Pairs;
        Expect(rounds > 0, $"-n {o.N} is less than one round per pair");
        for (int p = 0; p < o.Pairs; p++) await c0.CallIntAsync("DEL", $"bench:pp:{p}:a", $"bench:pp:{p}:b");

        var rec = new Recorder(rounds * o.Pairs);
        double secs = await RunAll(conns, async (i, c) =>
        {
            int pair = i / 2;
            bool isA = i % 2 == 0;
            string a = $"bench:pp:{pair}:a", b = $"bench:pp:{pair}:b";
            var blpop = Resp.Command("BLPOP", isA ? a : b, "0");
            string push = isA ? b : a;
            for (long r = 0; r < rounds; r++)
            {
                string value = r.ToString(CultureInfo.InvariantCulture);
                long t0 = Stopwatch.GetTimestamp();
                if (isA) await PushOne(c, push, value);
                await c.SendAsync(blpop);
                await c.ReadAsync();
                Expect(c.Toks.Count == 3 && c.Toks[0].Type == (byte)'*' && c.Text(c.Toks[2]) == value,
                    $"pair {pair}: BLPOP in round {r} did not pop {value}");
                if (isA) rec.Set(rec.Claim(), Stopwatch.GetTimestamp() - t0);
                else await PushOne(c, push, value);
            }
        });
        foreach (var c in conns) c.Dispose();
        var (avg, p50, p99) = rec.Stats();
        long total = rounds * o.Pairs;
        return new Result(total, total / secs, avg, p50, p99);
    }

    /// <summary>LPUSH of the one element in flight: the list was empty, so its length is 1 (or 0 on a server that
    /// hands the element straight to a blocked client, which Redis does not).</summary>
    static async Task PushOne(Conn c, string key, string value)
    {
        long len = await c.CallIntAsync("LPUSH", key, value);
        Expect(len is 0 or 1, $"LPUSH {key} answered {len}: more than one element in flight");
    }
}
