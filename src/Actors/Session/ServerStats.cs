namespace AkkaRedis.Actors.Session;

/// <summary>Connection-level counters (INFO stats), changed once per connection; command counters are per owner in
/// Commands.StatsRegistry, network bytes per connection (<see cref="ClientSession.NetInputBytes"/>), summed when read.</summary>
public sealed class ServerStats
{
    public long TotalConnectionsReceived;
    public long RejectedConnections;
    public long ProtocolErrors;
    // The bytes of connections that closed (added once each), and the sums CONFIG RESETSTAT last saw.
    private long _retiredInput, _retiredOutput, _baseInput, _baseOutput;

    /// <summary>A connection closes: its byte counts stay in the totals.</summary>
    public void Retire(ClientSession client)
    {
        Interlocked.Add(ref _retiredInput, Volatile.Read(ref client.NetInputBytes));
        Interlocked.Add(ref _retiredOutput, Volatile.Read(ref client.NetOutputBytes));
    }

    /// <summary>total_net_input_bytes / total_net_output_bytes: every connection's own counts, summed.</summary>
    public (long Input, long Output) NetBytes(ClientRegistry clients)
    {
        var (input, output) = RawNetBytes(clients);
        return (input - Volatile.Read(ref _baseInput), output - Volatile.Read(ref _baseOutput));
    }

    private (long, long) RawNetBytes(ClientRegistry clients)
    {
        long input = Volatile.Read(ref _retiredInput), output = Volatile.Read(ref _retiredOutput);
        foreach (var client in clients.Unordered)
        {
            input += Volatile.Read(ref client.NetInputBytes);
            output += Volatile.Read(ref client.NetOutputBytes);
        }
        return (input, output);
    }

    public void Reset(ClientRegistry clients)
    {
        TotalConnectionsReceived = 0;
        RejectedConnections = 0;
        ProtocolErrors = 0;
        var (input, output) = RawNetBytes(clients);
        Volatile.Write(ref _baseInput, input);
        Volatile.Write(ref _baseOutput, output);
    }
}
