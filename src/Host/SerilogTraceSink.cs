using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Tracing;
using Serilog;
using Serilog.Formatting.Compact;

namespace AkkaRedis.Host;

/// <summary>
/// Writes traced hops through Serilog: as Redis-style log lines (trace-log-format text), or as one compact JSON
/// object per line for log tools (json), switchable at run time with CONFIG SET.
/// </summary>
public sealed class SerilogTraceSink : ITraceSink
{
    private const string Template =
        "trace {TraceId} {Hop} {ActorPath} {MessageType} {Command} elapsed={ElapsedUs:0.0}us took={DurationUs:0.0}us";

    private readonly ServerConfig _config;
    private readonly ILogger _text;
    private readonly ILogger _json;

    public SerilogTraceSink(ServerConfig config)
    {
        _config = config;
        // Loggers of their own, so that traces are written whatever the loglevel: switching tracing on is the
        // request to see them.
        _text = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .Enrich.With(new RedisLogFormat())
            .WriteTo.Console(outputTemplate: RedisLogFormat.Template)
            .CreateLogger()
            .ForContext("SourceContext", "AkkaRedis.Trace");
        _json = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.Console(new CompactJsonFormatter())
            .CreateLogger()
            .ForContext("SourceContext", "AkkaRedis.Trace");
    }

    public void Write(in TraceHop hop)
    {
        var logger = _config.TraceLogFormat == "json" ? _json : _text;
        logger.Write(Serilog.Events.LogEventLevel.Information, Template, hop.TraceId, hop.Hop, hop.ActorPath, hop.MessageType,
            hop.Command, hop.ElapsedUs, hop.DurationUs);
    }
}
