using System.Numerics;

namespace AkkaRedis.Actors.Server;

/// <summary>
/// A command's latency distribution, laid out as the HdrHistogram Redis 7.0 uses (values 1 ns .. 1 s, 2 significant
/// digits), so that LATENCY HISTOGRAM's buckets and INFO latencystats' percentiles come out as Redis computes them.
/// Each one is written by one owner (a shard's or a connection's statistics, Commands.StatsCell) and read racily;
/// readers sum the owners' histograms with <see cref="Add"/>.
/// </summary>
public sealed class LatencyHistogram
{
    public const long MinValue = 1;
    public const long MaxValue = 1_000_000_000;
    private const int SubBucketCount = 256; // 2 significant digits: 2^ceil(log2(2 * 10^2))
    private const int SubBucketHalfCount = SubBucketCount / 2;
    private const int SubBucketHalfCountMagnitude = 7;
    private const long SubBucketMask = SubBucketCount - 1;
    private static readonly int CountsLength = ComputeCountsLength();

    private readonly long[] _counts = new long[CountsLength];

    /// <summary>Summed when read (INFO, LATENCY HISTOGRAM) rather than kept: one increment per call is enough.</summary>
    public long TotalCount
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _counts.Length; i++) total += Volatile.Read(ref _counts[i]);
            return total;
        }
    }

    private static int ComputeCountsLength()
    {
        long smallestUntrackable = SubBucketCount;
        var buckets = 1;
        while (smallestUntrackable <= MaxValue)
        {
            smallestUntrackable <<= 1;
            buckets++;
        }
        return (buckets + 1) * SubBucketHalfCount;
    }

    /// <summary>Records a duration in nanoseconds, clamped into the tracked range as Redis clamps it.</summary>
    public void Record(long nanoseconds)
    {
        var value = Math.Clamp(nanoseconds, MinValue, MaxValue);
        _counts[CountsIndex(value)]++;
    }

    /// <summary>Adds <paramref name="other"/>'s counts (read racily while its owner records) to this one.</summary>
    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += Volatile.Read(ref other._counts[i]);
    }

    private static int BucketIndex(long value) => 64 - BitOperations.LeadingZeroCount((ulong)(value | SubBucketMask)) - (SubBucketHalfCountMagnitude + 1);

    private static int CountsIndex(long value)
    {
        var bucket = BucketIndex(value);
        var sub = (int)(value >> bucket);
        return ((bucket + 1) << SubBucketHalfCountMagnitude) + (sub - SubBucketHalfCount);
    }

    private static long ValueAtIndex(int index)
    {
        var bucket = (index >> SubBucketHalfCountMagnitude) - 1;
        var sub = (index & (SubBucketHalfCount - 1)) + SubBucketHalfCount;
        if (bucket < 0)
        {
            sub -= SubBucketHalfCount;
            bucket = 0;
        }
        return (long)sub << bucket;
    }

    public static long LowestEquivalent(long value)
    {
        var bucket = BucketIndex(value);
        var sub = value >> bucket;
        return sub << bucket;
    }

    private static long RangeSize(long value)
    {
        var bucket = BucketIndex(value);
        var sub = value >> bucket;
        return 1L << (sub >= SubBucketCount ? bucket + 1 : bucket);
    }

    public static long HighestEquivalent(long value) => LowestEquivalent(value) + RangeSize(value) - 1;

    /// <summary>hdr_value_at_percentile: the highest value equivalent to the one at the percentile (the lowest for p0).</summary>
    public long ValueAtPercentile(double percentile)
    {
        var requested = Math.Min(percentile, 100.0);
        var total = TotalCount;
        var countAtPercentile = (long)(requested / 100 * total + 0.5);
        countAtPercentile = Math.Max(countAtPercentile, 1);
        long running = 0, value = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            running += Volatile.Read(ref _counts[i]);
            if (running >= countAtPercentile)
            {
                value = ValueAtIndex(i);
                break;
            }
        }
        return percentile == 0.0 ? LowestEquivalent(value) : HighestEquivalent(value);
    }

    /// <summary>
    /// LATENCY HISTOGRAM's "histogram_usec": HdrHistogram's logarithmic iteration (first bucket 1024 ns, base 2), as
    /// (highest equivalent value in µs, cumulative count) for each step where the cumulative count grew.
    /// </summary>
    public List<(long Micros, long Cumulative)> CumulativeBuckets()
    {
        var result = new List<(long, long)>();
        var counts = new long[_counts.Length];
        long total = 0;
        for (var i = 0; i < counts.Length; i++) total += counts[i] = Volatile.Read(ref _counts[i]);
        // The C iterator's state: index, value and cumulative count reached, next reporting level.
        var index = -1;
        long value = 0, highest = 0, cumulative = 0, previous = 0;
        long level = 1024;
        var levelLowest = LowestEquivalent(level);
        // Steps after the last recorded value add nothing, and only steps that add something are listed.
        while (cumulative < total)
        {
            var reported = false;
            while (true)
            {
                if (value >= levelLowest)
                {
                    level *= 2;
                    levelLowest = LowestEquivalent(level);
                    reported = true;
                    break;
                }
                index++;
                if (index >= counts.Length)
                {
                    // hdr_iter_next reports once more, with the last index's values, when it runs off the end.
                    reported = true;
                    break;
                }
                cumulative += counts[index];
                value = ValueAtIndex(index);
                highest = HighestEquivalent(value);
            }
            if (!reported) break;
            if (cumulative > previous) result.Add((highest / 1000, cumulative));
            previous = cumulative;
        }
        return result;
    }
}
