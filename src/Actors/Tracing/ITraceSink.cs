namespace AkkaRedis.Actors.Tracing;

/// <summary>Where hops go (the host writes them through Serilog). Called from any actor's thread.</summary>
public interface ITraceSink
{
    void Write(in TraceHop hop);
}
