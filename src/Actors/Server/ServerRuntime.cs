using System.Diagnostics;

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
/// instantaneous rates, last save time. One per server (Commands.CommandServices.Runtime).
/// </summary>
public sealed class ServerRuntime
{
    private readonly object _lock = new();
    private long _peakMemory;
    private RateSample _lastSample;
    private Rates _rates;

    public ServerRuntime(DateTimeOffset startTime)
    {
        MasterReplId = NewReplicationId();
        StartupMemory = GC.GetTotalMemory(false);
        LastSaveUnixSeconds = startTime.ToUnixTimeSeconds();
        _lastSample = new RateSample(Stopwatch.GetTimestamp(), 0, 0, 0);
    }

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

    /// <summary>
    /// instantaneous_ops_per_sec and the kbps figures: Redis averages samples taken every 100 ms by its cron; we
    /// have no cron, so the rates are measured over the time since the previous INFO (at least 100 ms apart, and a
    /// sample older than 5 s is dropped so an idle gap does not dilute the figure forever).
    /// </summary>
    public Rates InstantaneousRates(long commands, long inputBytes, long outputBytes)
    {
        lock (_lock)
        {
            var now = new RateSample(Stopwatch.GetTimestamp(), commands, inputBytes, outputBytes);
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
