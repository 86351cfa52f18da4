using Serilog.Core;
using Serilog.Events;

namespace AkkaRedis.Host;

/// <summary>Adds Redis's log line markers: the pid and the level character ('.' debug, '-' verbose, '*' notice, '#' warning).</summary>
public sealed class RedisLogFormat : ILogEventEnricher
{
    public const string Template = "{Pid}:M {Timestamp:dd MMM yyyy HH:mm:ss.fff} {RedisLevel} {Message:lj}{NewLine}{Exception}";
    private static readonly int Pid = Environment.ProcessId;

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory factory)
    {
        logEvent.AddPropertyIfAbsent(factory.CreateProperty("Pid", Pid));
        var marker = logEvent.Level switch
        {
            LogEventLevel.Verbose => ".",
            LogEventLevel.Debug => "-",
            LogEventLevel.Information => "*",
            _ => "#",
        };
        logEvent.AddPropertyIfAbsent(factory.CreateProperty("RedisLevel", marker));
    }
}
