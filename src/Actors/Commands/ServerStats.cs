using System.Collections.Concurrent;

namespace AkkaRedis.Actors.Commands;

public sealed class ServerStats
{
    public long TotalConnectionsReceived;
    public long TotalCommandsProcessed;
    public long RejectedConnections;
    public long TotalNetInputBytes;
    public long TotalNetOutputBytes;
    public long ProtocolErrors;
    public readonly ConcurrentDictionary<string, long> ErrorCounts = new();
    public long TotalErrorReplies;

    public void CountError(string code)
    {
        Interlocked.Increment(ref TotalErrorReplies);
        ErrorCounts.AddOrUpdate(code, 1, static (_, n) => n + 1);
    }

    public void Reset()
    {
        TotalConnectionsReceived = 0;
        TotalCommandsProcessed = 0;
        RejectedConnections = 0;
        TotalNetInputBytes = 0;
        TotalNetOutputBytes = 0;
        ProtocolErrors = 0;
        TotalErrorReplies = 0;
        ErrorCounts.Clear();
    }
}
