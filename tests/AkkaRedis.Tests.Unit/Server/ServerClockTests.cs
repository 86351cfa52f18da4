using System.Diagnostics;
using AkkaRedis.Actors.Server;
using Xunit;

namespace AkkaRedis.Tests.Unit.Server;

/// <summary>The wall clock derived from a command's own timestamp (ServerClock.UnixMsAt) reads what the wall clock
/// reads, across the per-thread anchor's renewals.</summary>
public sealed class ServerClockTests
{
    [Fact]
    public void Time_at_a_timestamp_stays_between_two_wall_clock_reads_around_it()
    {
        var watch = Stopwatch.StartNew();
        var reads = 0;
        // About 30 ms of reads: some thirty renewals of the anchor (one a millisecond), and reads between them.
        while (watch.ElapsedMilliseconds < 30)
        {
            var before = ServerClock.UnixMs();
            var at = ServerClock.UnixMsAt(Stopwatch.GetTimestamp());
            var after = ServerClock.UnixMs();
            Assert.InRange(at, before - 1, after + 1); // rounding of two clocks read a few ns apart
            reads++;
        }
        Assert.True(reads > 100, $"only {reads} reads");
    }
}
