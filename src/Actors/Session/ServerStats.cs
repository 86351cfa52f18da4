namespace AkkaRedis.Actors.Session;

/// <summary>Connection-level counters (INFO stats): changed once per connection or per received batch, never per
/// command; command counters are per owner in Commands.StatsRegistry.</summary>
public sealed class ServerStats
{
    public long TotalConnectionsReceived;
    public long RejectedConnections;
    public long TotalNetInputBytes;
    public long TotalNetOutputBytes;
    public long ProtocolErrors;

    public void Reset()
    {
        TotalConnectionsReceived = 0;
        RejectedConnections = 0;
        TotalNetInputBytes = 0;
        TotalNetOutputBytes = 0;
        ProtocolErrors = 0;
    }
}
