using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace AkkaRedis.Actors.Server;

/// <summary>Versions the server reports (INFO, HELLO, LOLWUT...).</summary>
public static class ServerVersion
{
    /// <summary>The Redis version whose behaviour this server follows; clients enable features by it.</summary>
    public const string Redis = "7.0.15";
    public const string AkkaRedis = "0.1.0";
}

/// <summary>
/// Server-wide bookkeeping for INFO and friends that has no other home: the replication id, memory peak,
/// instantaneous rates, last save time. One per <see cref="ServerContext"/>.
/// </summary>
public sealed class ServerRuntime
{
    private static readonly ConditionalWeakTable<ServerContext, ServerRuntime> All = new();

    private readonly object _lock = new();
    private long _peakMemory;
    private RateSample _lastSample;
    private Rates _rates;

    private ServerRuntime(ServerContext server)
    {
        MasterReplId = NewReplicationId();
        StartupMemory = GC.GetTotalMemory(false);
        LastSaveUnixSeconds = server.StartTime.ToUnixTimeSeconds();
        _lastSample = Sample(server);
    }

    public static ServerRuntime Of(ServerContext server) => All.GetValue(server, s => new ServerRuntime(s));

    public string MasterReplId { get; private set; }

    /// <summary>Redis's changeReplicationId (DEBUG CHANGE-REPL-ID): a new random 40-hex-digit id.</summary>
    public void ChangeReplicationId() => MasterReplId = NewReplicationId();

    private static string NewReplicationId() =>
        Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();
    public long StartupMemory { get; }
    /// <summary>LASTSAVE: the last successful save, or the start time until there has been one.</summary>
    public long LastSaveUnixSeconds { get; set; }

    /// <summary>Records <paramref name="used"/> and returns the highest value seen.</summary>
    public long UpdatePeakMemory(long used)
    {
        lock (_lock)
        {
            if (used > _peakMemory) _peakMemory = used;
            return _peakMemory;
        }
    }

    public void ResetPeakMemory()
    {
        lock (_lock) _peakMemory = 0;
    }

    private readonly record struct RateSample(long Timestamp, long Commands, long InputBytes, long OutputBytes);

    public readonly record struct Rates(long OpsPerSec, double InputKbps, double OutputKbps);

    private static RateSample Sample(ServerContext server) => new(Stopwatch.GetTimestamp(),
        Interlocked.Read(ref server.Stats.TotalCommandsProcessed), Interlocked.Read(ref server.Stats.TotalNetInputBytes),
        Interlocked.Read(ref server.Stats.TotalNetOutputBytes));

    /// <summary>
    /// instantaneous_ops_per_sec and the kbps figures: Redis averages samples taken every 100 ms by its cron; we
    /// have no cron, so the rates are measured over the time since the previous INFO (at least 100 ms apart, and a
    /// sample older than 5 s is dropped so an idle gap does not dilute the figure forever).
    /// </summary>
    public Rates InstantaneousRates(ServerContext server)
    {
        lock (_lock)
        {
            var now = Sample(server);
            var elapsed = Stopwatch.GetElapsedTime(_lastSample.Timestamp, now.Timestamp).TotalSeconds;
            if (elapsed < 0.1) return _rates;
            if (elapsed <= 5 && now.Commands >= _lastSample.Commands)
            {
                _rates = new Rates(
                    (long)((now.Commands - _lastSample.Commands) / elapsed),
                    (now.InputBytes - _lastSample.InputBytes) / elapsed / 1024,
                    (now.OutputBytes - _lastSample.OutputBytes) / elapsed / 1024);
            }
            else _rates = default;
            _lastSample = now;
            return _rates;
        }
    }
}
