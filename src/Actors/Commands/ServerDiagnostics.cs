using AkkaRedis.Net.Resp;
using System.Text;
using AkkaRedis.Actors.Server;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// What Redis's call() records after each command, wherever it ran (shard, Transaction actor, session): the slow log
/// and the latency monitor's "command" / "fast-command" events (the latency histograms are per owner, StatsCell).
/// The common case (nothing slow) costs a histogram increment and two reads.
/// </summary>
public sealed class ServerDiagnostics
{
    private readonly NumberParameter _slowlogSlowerThan, _slowlogMaxLen, _latencyThreshold;
    private readonly BoolParameter _latencyTracking;
    private readonly ConfigParameter _percentiles;
    public ServerDiagnostics(ServerConfig config, CommandTable commands)
    {
        _slowlogSlowerThan = (NumberParameter)config.Find("slowlog-log-slower-than")!;
        _slowlogMaxLen = (NumberParameter)config.Find("slowlog-max-len")!;
        _latencyThreshold = (NumberParameter)config.Find("latency-monitor-threshold")!;
        _latencyTracking = (BoolParameter)config.Find("latency-tracking")!;
        _percentiles = config.Find("latency-tracking-info-percentiles")!;
        SlowLog = new SlowLog(() => _slowlogMaxLen.Value);
    }

    public SlowLog SlowLog { get; }
    public LatencyMonitor Latency { get; } = new();

    /// <summary>DEBUG SET-SKIP-CHECKSUM-VALIDATION (server.skip_checksum_validation): RESTORE skips the payload's
    /// CRC-64. Set by DEBUG on one thread, read by RESTORE on any: volatile.</summary>
    public volatile bool SkipChecksumValidation;

    public long SlowlogSlowerThan => _slowlogSlowerThan.Value;
    public long LatencyMonitorThreshold => _latencyThreshold.Value;
    public bool LatencyTracking => _latencyTracking.Value;

    /// <summary>latency-tracking-info-percentiles, as configured.</summary>
    public double[] Percentiles()
    {
        var text = _percentiles.Get();
        if (text.Length == 0) return [];
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++) values[i] = double.Parse(parts[i], System.Globalization.CultureInfo.InvariantCulture);
        return values;
    }

    /// <summary>After a command ran (not when it was rejected before running): Redis's call() bookkeeping.</summary>
    /// <param name="args">The request as the client sent it (null when unknown: nothing goes to the slow log).</param>
    public void AfterCommand(CommandDef def, CommandArgs? args, long micros, ClientLabel? client)
    {
        var slower = _slowlogSlowerThan.Value;
        if (slower >= 0 && micros >= slower && args is { } request && (def.Flags & CommandFlags.SkipSlowlog) == 0)
            SlowLog.Push(Redaction.Apply(def, request), micros, client?.Address ?? "", client?.Name ?? "");
        var threshold = _latencyThreshold.Value;
        if (threshold > 0 && micros / 1000 >= threshold)
            Latency.AddSample((def.Flags & CommandFlags.Fast) != 0 ? "fast-command" : "command", micros / 1000);
    }
}

/// <summary>
/// The arguments the slow log and MONITOR show: AUTH's and HELLO AUTH's credentials replaced by "(redacted)", as
/// Redis's redactClientCommandArgument does while those commands parse them.
/// </summary>
public static class Redaction
{
    public static readonly byte[] Redacted = "(redacted)"u8.ToArray();

    public static CommandArgs Apply(CommandDef def, CommandArgs args)
    {
        switch (def.Name)
        {
            case "auth":
                // AUTH with more than 3 arguments is a syntax error before anything is redacted.
                if (args.Length > 3) return args;
                var auth = Copy(args);
                for (var i = 1; i < auth.Length; i++) auth[i] = new ArgSlice(Redacted);
                return new CommandArgs(auth, 0, auth.Length);
            case "hello":
                return RedactHello(args);
            default:
                return args;
        }
    }

    private static CommandArgs RedactHello(CommandArgs args)
    {
        if (args.Length < 3) return args;
        // HELLO checks its protocol version first: nothing is redacted when it is rejected.
        if (!Net.Resp.RedisNumbers.TryParseLong(args[1], out var version) || version < 2 || version > 3) return args;
        ArgSlice[]? copy = null;
        for (var j = 2; j < args.Length; j++)
        {
            var more = args.Length - 1 - j;
            if (Keywords.Is(args[j], "auth") && more >= 2)
            {
                copy ??= Copy(args);
                copy[j + 1] = new ArgSlice(Redacted);
                copy[j + 2] = new ArgSlice(Redacted);
                j += 2;
            }
            else if (Keywords.Is(args[j], "setname") && more >= 1) j++;
            else break;
        }
        return copy != null ? new CommandArgs(copy, 0, copy.Length) : args;
    }

    private static ArgSlice[] Copy(CommandArgs args) => args.AsSpan().ToArray();
}
