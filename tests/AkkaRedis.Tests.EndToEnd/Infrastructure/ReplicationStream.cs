using System.Globalization;
using System.Text;

namespace AkkaRedis.Tests.EndToEnd.Infrastructure;

/// <summary>
/// The command stream a replica receives, read from either server: redis-server after <c>SYNC</c> (the old,
/// capability-less handshake: Redis answers with a disk-based RDB as <c>$&lt;len&gt;\r\n&lt;len bytes&gt;</c>, no
/// trailing CRLF, possibly preceded by <c>\n</c> keep-alives while the BGSAVE runs, then the stream), AkkaRedis after
/// <c>DEBUG EFFECTS</c> (<c>+OK</c>, then the stream). Each command comes as a list of byte strings; the master's
/// <c>ping</c>s (Redis's replicationCron, every repl-ping-replica-period) are dropped, <c>SELECT</c>s are kept.
/// <para>
/// Synchronisation is by marker, never by sleeping: after a script, the test writes <c>SET __effects_marker__ n</c>
/// on the script's own connection, and <see cref="ReadUntilMarker"/> collects everything before it.
/// </para>
/// </summary>
public sealed class ReplicationStream : IDisposable
{
    public const string MarkerKey = "__effects_marker__";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly RawRespClient _client;
    private byte[] _pending = [];

    public string Name { get; }

    private ReplicationStream(string name, RawRespClient client)
    {
        Name = name;
        _client = client;
    }

    /// <summary>Attaches to redis-server as a replica with SYNC; returns once the RDB payload is consumed, so every
    /// command processed after this returns is in the stream.</summary>
    public static ReplicationStream AttachRedis(ServerProcess server, TimeSpan? timeout = null)
    {
        var stream = new ReplicationStream("redis-server (SYNC)", server.Connect());
        try
        {
            stream._client.SendCommand("SYNC");
            stream.SkipRdb(DateTime.UtcNow + (timeout ?? DefaultTimeout));
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Attaches to AkkaRedis with DEBUG EFFECTS; returns once it answered +OK (subscribed).</summary>
    public static ReplicationStream AttachAkka(ServerProcess server, TimeSpan? timeout = null)
    {
        var stream = new ReplicationStream("akkaredis (DEBUG EFFECTS)", server.Connect());
        try
        {
            stream._client.SendCommand("DEBUG", "EFFECTS");
            var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
            var ok = "+OK\r\n"u8;
            while (stream._pending.Length < ok.Length) stream.Fill(deadline);
            if (!stream._pending.AsSpan(0, ok.Length).SequenceEqual(ok))
                throw new InvalidOperationException($"DEBUG EFFECTS did not answer +OK: \"{Resp.Escape(stream._pending)}\"");
            stream.Consume(ok.Length);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The marker command written on a script's connection: <c>SET __effects_marker__ &lt;n&gt;</c>.</summary>
    public static string[] Marker(long n) => ["SET", MarkerKey, n.ToString(CultureInfo.InvariantCulture)];

    /// <summary>The commands of the stream up to (not including) the marker <paramref name="n"/>; PINGs dropped.</summary>
    public List<byte[][]> ReadUntilMarker(long n, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        var marker = Marker(n);
        var commands = new List<byte[][]>();
        while (true)
        {
            var command = Next(deadline, commands);
            if (IsPing(command)) continue;
            if (IsCommand(command, marker)) return commands;
            commands.Add(command);
        }
    }

    /// <summary>The master's keep-alive: Redis's replicationCron sends shared.ping, spelled "ping" (a client's PING is
    /// never propagated, so any PING in the stream is one).</summary>
    private static bool IsPing(byte[][] command) =>
        command.Length == 1 && Encoding.ASCII.GetString(command[0]).Equals("PING", StringComparison.OrdinalIgnoreCase);

    private static bool IsCommand(byte[][] command, string[] expected)
    {
        if (command.Length != expected.Length) return false;
        for (var i = 0; i < command.Length; i++)
            if (Encoding.UTF8.GetString(command[i]) != expected[i]) return false;
        return true;
    }

    /// <summary>The next command of the stream (an array of bulk strings).</summary>
    private byte[][] Next(DateTime deadline, List<byte[][]> sofar)
    {
        while (true)
        {
            int length;
            try
            {
                length = _pending.Length == 0 ? -1 : Resp.MeasureReply(_pending);
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"{Name}: the stream is not RESP ({e.Message}): \"{Resp.Escape(_pending)}\"");
            }
            if (length > 0)
            {
                var value = RespValue.Parse(_pending.AsSpan(0, length).ToArray());
                Consume(length);
                if (value.Type != '*' || value.Items == null || value.Items.Count == 0 || value.Items.Any(i => i.Type != '$' || i.Payload == null))
                    throw new InvalidOperationException($"{Name}: not a command in the stream: {value}");
                return value.Items.Select(i => i.Payload!).ToArray();
            }
            try
            {
                Fill(deadline);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}\nCommands read so far:\n{Format(sofar)}");
            }
        }
    }

    /// <summary>Skips the keep-alive newlines and the RDB payload that answer SYNC.</summary>
    private void SkipRdb(DateTime deadline)
    {
        while (true)
        {
            var skip = 0;
            while (skip < _pending.Length && _pending[skip] == (byte)'\n') skip++;
            Consume(skip);
            var eol = _pending.AsSpan().IndexOf("\r\n"u8);
            if (eol >= 0)
            {
                if (_pending[0] != (byte)'$')
                    throw new InvalidOperationException($"{Name}: SYNC was not answered with a bulk RDB payload: \"{Resp.Escape(_pending)}\"");
                var length = long.Parse(Encoding.ASCII.GetString(_pending, 1, eol - 1), CultureInfo.InvariantCulture);
                var total = eol + 2 + length;
                while (_pending.Length < total) Fill(deadline);
                Consume((int)total);
                return;
            }
            Fill(deadline);
        }
    }

    /// <summary>Waits for more bytes; throws on timeout or when the server closed the connection.</summary>
    private void Fill(DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        if (left <= TimeSpan.Zero) throw new TimeoutException($"{Name}: nothing more arrived in time; pending \"{Resp.Escape(_pending)}\"");
        var (bytes, closed) = _client.ReadUntil(b => b.Length > 0, left);
        if (bytes.Length == 0)
        {
            if (closed) throw new IOException($"{Name}: the server closed the stream; pending \"{Resp.Escape(_pending)}\"");
            throw new TimeoutException($"{Name}: nothing more arrived in time; pending \"{Resp.Escape(_pending)}\"");
        }
        _pending = [.. _pending, .. bytes];
    }

    private void Consume(int count) => _pending = _pending.AsSpan(count).ToArray();

    /// <summary>One command per line, numbered, arguments escaped.</summary>
    public static string Format(IReadOnlyList<byte[][]> commands)
    {
        if (commands.Count == 0) return "    (nothing)\n";
        var sb = new StringBuilder();
        for (var i = 0; i < commands.Count; i++) sb.Append("    ").Append(i + 1).Append(". ").Append(Resp.FormatCommand(commands[i])).Append('\n');
        return sb.ToString();
    }

    public void Dispose() => _client.Dispose();
}
