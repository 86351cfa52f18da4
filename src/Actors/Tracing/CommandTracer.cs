using System.Diagnostics;
using AkkaRedis.Actors.Server;

namespace AkkaRedis.Actors.Tracing;

/// <summary>
/// Decides which commands are traced (trace-commands, trace-sample-rate; both changeable with CONFIG SET), writes
/// their hops to the sink and opens their spans on <see cref="Source"/>, so an OpenTelemetry exporter listening to
/// "AkkaRedis" sees every sampled command as a root span with one child per actor it visited.
/// </summary>
public sealed class CommandTracer
{
    public const string SourceName = "AkkaRedis";
    public static readonly ActivitySource Source = new(SourceName, ServerVersion.AkkaRedis);

    private readonly ServerConfig _config;

    public CommandTracer(ServerConfig config) => _config = config;

    /// <summary>Set by the host; hops are dropped while it is null.</summary>
    public ITraceSink? Sink { get; set; }

    /// <summary>Read once per received batch: when false, nothing else here is called.</summary>
    public bool Enabled => _config.TraceCommands;

    /// <summary>A trace for this command, or null when it is not sampled.</summary>
    public CommandTrace? Begin(long clientId, long sequence, string command, long receivedTimestamp)
    {
        var rate = _config.TraceSampleRate;
        if (rate < 1 && Random.Shared.NextDouble() >= rate) return null;
        var span = Source.HasListeners() ? StartDetached("redis " + command, ActivityKind.Server, default) : null;
        var id = string.Concat(clientId.ToString(System.Globalization.CultureInfo.InvariantCulture), ":",
            sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (span != null)
        {
            span.SetTag("db.system", "redis");
            span.SetTag("db.operation", command);
            span.SetTag("akkaredis.trace_id", id);
            span.SetTag("akkaredis.client_id", clientId);
        }
        return new CommandTrace(id, command, receivedTimestamp, span);
    }

    public void Hop(CommandTrace trace, string hop, string actorPath, string messageType, long now, double durationUs = 0) =>
        Sink?.Write(new TraceHop(trace.Id, hop, actorPath, messageType, trace.Command, trace.MicrosecondsSinceReceived(now), durationUs));

    /// <summary>A child span of the command's root span for work done in <paramref name="actorPath"/>, started at
    /// <paramref name="startTimestamp"/> and ended now; nothing when nobody listens.</summary>
    public static void ChildSpan(CommandTrace trace, string name, string actorPath, long startTimestamp, long endTimestamp)
    {
        if (trace.Span == null) return;
        var span = StartDetached(name, ActivityKind.Internal, trace.SpanContext);
        if (span == null) return;
        var start = DateTime.UtcNow - Stopwatch.GetElapsedTime(startTimestamp);
        span.SetStartTime(start);
        span.SetTag("akka.actor", actorPath);
        span.SetTag("akkaredis.trace_id", trace.Id);
        span.SetEndTime(start + TimeSpan.FromTicks((long)((endTimestamp - startTimestamp) * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        var previous = Activity.Current;
        span.Stop();
        Activity.Current = previous;
    }

    /// <summary>Ends the command's root span.</summary>
    public static void End(CommandTrace trace)
    {
        if (trace.Span == null) return;
        var previous = Activity.Current;
        trace.Span.Stop();
        Activity.Current = previous;
    }

    /// <summary>Starts a span without leaving it as Activity.Current: sessions and actors interleave many commands on
    /// one thread, so the ambient "current" span would be wrong for the next one.</summary>
    private static Activity? StartDetached(string name, ActivityKind kind, ActivityContext parent)
    {
        var previous = Activity.Current;
        Activity.Current = null;
        var span = Source.StartActivity(name, kind, parent);
        Activity.Current = previous;
        return span;
    }
}
