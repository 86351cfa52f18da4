using System.Text;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Net.Resp;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Keyspace;

namespace AkkaRedis.Actors.Session;

/// <summary>
/// MONITOR: the connections in monitor mode, and the line each executed command becomes. Sessions check
/// <see cref="Active"/> (one volatile read) before building anything.
/// </summary>
public sealed class MonitorFeed
{
    private readonly object _lock = new();
    private volatile ClientSession[] _monitors = [];

    public bool Active => _monitors.Length > 0;

    public int Count => _monitors.Length;

    public void Add(ClientSession client)
    {
        lock (_lock)
        {
            if (Array.IndexOf(_monitors, client) >= 0) return;
            var list = new ClientSession[_monitors.Length + 1];
            _monitors.CopyTo(list, 0);
            list[^1] = client;
            _monitors = list;
        }
    }

    public void Remove(ClientSession client)
    {
        lock (_lock)
        {
            var index = Array.IndexOf(_monitors, client);
            if (index < 0) return;
            var list = new ClientSession[_monitors.Length - 1];
            Array.Copy(_monitors, 0, list, 0, index);
            Array.Copy(_monitors, index + 1, list, index, list.Length - index);
            _monitors = list;
        }
    }

    /// <summary>Whether Redis shows this command to monitors: not admin commands, not those flagged skip_monitor,
    /// except EVAL and friends, which feed monitors themselves before their script runs (evalCommand,
    /// evalShaCommand), so that the commands the script calls follow them.</summary>
    public static bool Shows(CommandDef def) =>
        (def.Flags & (CommandFlags.Admin | CommandFlags.SkipMonitor)) == 0 || (def.RunsScript && def.Name.StartsWith("eval", StringComparison.Ordinal));

    /// <summary>A command a script called (Redis's call() from the Lua client): shown as from "lua".</summary>
    public void FeedScript(int db, CommandDef def, CommandArgs args)
    {
        var monitors = _monitors;
        if (monitors.Length == 0 || !Shows(def)) return;
        var line = new MonitorLine(FormatLine(DateTimeOffset.UtcNow, db, "lua", Redaction.Apply(def, args)));
        foreach (var monitor in monitors) monitor.Post(line);
    }

    /// <summary>Sends the command to every monitor, as Redis's replicationFeedMonitors formats it.</summary>
    public void Feed(ClientSession from, int db, CommandDef def, CommandArgs args)
    {
        var monitors = _monitors;
        if (monitors.Length == 0 || !Shows(def)) return;
        var line = new MonitorLine(FormatLine(DateTimeOffset.UtcNow, db, from.Address, Redaction.Apply(def, args)));
        foreach (var monitor in monitors) monitor.Post(line);
    }

    /// <summary>"+&lt;sec&gt;.&lt;usec&gt; [&lt;db&gt; &lt;addr&gt;] "arg" "arg"...\r\n".</summary>
    public static byte[] FormatLine(DateTimeOffset time, int db, string peerId, CommandArgs args)
    {
        var micros = (time - DateTimeOffset.UnixEpoch).Ticks / 10;
        var sb = new StringBuilder(64);
        sb.Append('+').Append(micros / 1_000_000).Append('.').Append((micros % 1_000_000).ToString("D6"))
            .Append(" [").Append(db).Append(' ').Append(peerId).Append("] ");
        for (var j = 0; j < args.Length; j++)
        {
            Repr(sb, args[j]);
            if (j != args.Length - 1) sb.Append(' ');
        }
        sb.Append("\r\n");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    /// <summary>Redis's sdscatrepr (<see cref="SdsRepr"/>), as MONITOR quotes each argument.</summary>
    public static void Repr(StringBuilder sb, ReadOnlySpan<byte> bytes) => SdsRepr.Append(sb, bytes);
}

/// <summary>A MONITOR line on its way to a monitor connection's session.</summary>
public sealed record MonitorLine(byte[] Bytes);
