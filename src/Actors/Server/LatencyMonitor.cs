using System.Globalization;
using System.Text;

namespace AkkaRedis.Actors.Server;

/// <summary>
/// The latency monitor (LATENCY LATEST / HISTORY / RESET / DOCTOR / GRAPH): per event ("command", "fast-command"),
/// the last 160 one-second samples at or above latency-monitor-threshold ms and the all-time maximum, as Redis's
/// latency.c keeps them. Events are rare (only slow commands make one), so one lock guards them all.
/// </summary>
public sealed class LatencyMonitor
{
    /// <summary>Redis's LATENCY_TS_LEN.</summary>
    public const int SeriesLength = 160;

    public sealed class Series
    {
        public readonly long[] Times = new long[SeriesLength];
        public readonly long[] Latencies = new long[SeriesLength];
        public int Index;
        public long Max;
    }

    private readonly object _lock = new();
    // Insertion order stands in for Redis's dict order.
    private readonly List<(string Event, Series Series)> _events = new();

    /// <summary>latencyAddSample: keeps the worst sample per second.</summary>
    public void AddSample(string eventName, long latencyMs, long? nowSeconds = null)
    {
        var now = nowSeconds ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        lock (_lock)
        {
            var ts = Find(eventName);
            if (ts == null)
            {
                ts = new Series();
                _events.Add((eventName, ts));
            }
            if (latencyMs > ts.Max) ts.Max = latencyMs;
            var prev = (ts.Index + SeriesLength - 1) % SeriesLength;
            if (ts.Times[prev] == now)
            {
                if (latencyMs > ts.Latencies[prev]) ts.Latencies[prev] = latencyMs;
                return;
            }
            ts.Times[ts.Index] = now;
            ts.Latencies[ts.Index] = latencyMs;
            ts.Index = (ts.Index + 1) % SeriesLength;
        }
    }

    private Series? Find(string eventName)
    {
        foreach (var (name, series) in _events)
            if (name == eventName) return series;
        return null;
    }

    /// <summary>LATENCY LATEST: (event, time of the latest sample, its latency, all-time max) per event.</summary>
    public List<(string Event, long Time, long Latency, long Max)> Latest()
    {
        lock (_lock)
        {
            var list = new List<(string, long, long, long)>(_events.Count);
            foreach (var (name, ts) in _events)
            {
                var last = (ts.Index + SeriesLength - 1) % SeriesLength;
                list.Add((name, ts.Times[last], ts.Latencies[last], ts.Max));
            }
            return list;
        }
    }

    /// <summary>LATENCY HISTORY: the event's samples, oldest first; null when the event has none.</summary>
    public List<(long Time, long Latency)>? History(string eventName)
    {
        lock (_lock)
        {
            var ts = Find(eventName);
            return ts == null ? null : Samples(ts);
        }
    }

    private static List<(long Time, long Latency)> Samples(Series ts)
    {
        var list = new List<(long, long)>();
        for (var j = 0; j < SeriesLength; j++)
        {
            var i = (ts.Index + j) % SeriesLength;
            if (ts.Times[i] == 0) continue;
            list.Add((ts.Times[i], ts.Latencies[i]));
        }
        return list;
    }

    /// <summary>LATENCY RESET: forgets the named event (case-insensitively), or every event; returns how many.</summary>
    public int Reset(string? eventName)
    {
        lock (_lock)
        {
            if (eventName == null)
            {
                var n = _events.Count;
                _events.Clear();
                return n;
            }
            return _events.RemoveAll(e => string.Equals(e.Event, eventName, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>LATENCY GRAPH: the event's ASCII sparkline (Redis's latencyCommandGenSparkeline), or null without data.</summary>
    public string? Graph(string eventName, long? nowSeconds = null)
    {
        var now = nowSeconds ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        List<(long Time, long Latency)> samples;
        long allTimeMax;
        string name;
        lock (_lock)
        {
            var ts = Find(eventName);
            if (ts == null) return null;
            samples = Samples(ts);
            allTimeMax = ts.Max;
            name = eventName;
        }
        long min = 0, max = 0;
        var values = new List<double>();
        var labels = new List<string>();
        foreach (var (time, latency) in samples)
        {
            if (values.Count == 0) min = max = latency;
            else
            {
                max = Math.Max(max, latency);
                min = Math.Min(min, latency);
            }
            var elapsed = now - time;
            labels.Add(elapsed < 60 ? $"{elapsed}s" : elapsed < 3600 ? $"{elapsed / 60}m" : elapsed < 86400 ? $"{elapsed / 3600}h" : $"{elapsed / 86400}d");
            values.Add(latency);
        }
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{name} - high {max} ms, low {min} ms (all time high {allTimeMax} ms)\n");
        sb.Append('-', 80).Append('\n');
        Sparkline.Render(sb, values, labels, 80, 4);
        return sb.ToString();
    }

    /// <summary>Redis's THPGetAnonHugePagesSize: the process's AnonHugePages from /proc/self/smaps (0 elsewhere).</summary>
    public static long AnonHugePagesBytes()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        try
        {
            long kb = 0;
            foreach (var line in File.ReadLines("/proc/self/smaps"))
            {
                if (!line.StartsWith("AnonHugePages:", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && long.TryParse(parts[1], out var n)) kb += n;
            }
            return kb * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private readonly record struct EventStats(int Samples, long Avg, long Mad, long Period, long Max);

    private static EventStats Analyze(Series ts, long now)
    {
        int samples = 0;
        long sum = 0, period = 0;
        for (var j = 0; j < SeriesLength; j++)
        {
            if (ts.Times[j] == 0) continue;
            samples++;
            sum += ts.Latencies[j];
            if (period == 0 || ts.Times[j] < period) period = ts.Times[j];
        }
        long avg = 0, mad = 0;
        if (samples > 0)
        {
            avg = sum / samples;
            period = now - period;
            if (period == 0) period = 1;
            long deviation = 0;
            for (var j = 0; j < SeriesLength; j++)
                if (ts.Times[j] != 0) deviation += Math.Abs(avg - ts.Latencies[j]);
            mad = deviation / samples;
        }
        return new EventStats(samples, avg, mad, period, ts.Max);
    }

    /// <summary>LATENCY DOCTOR: Redis's createLatencyReport for the events this server records.</summary>
    public string Doctor(long monitorThresholdMs, long slowlogSlowerThanUs) =>
        Doctor(monitorThresholdMs, slowlogSlowerThanUs, AnonHugePagesBytes() > 0);

    /// <param name="hugePagesUsed">Whether the process uses transparent huge pages (Redis then advises disabling THP).</param>
    public string Doctor(long monitorThresholdMs, long slowlogSlowerThanUs, bool hugePagesUsed)
    {
        lock (_lock)
        {
            if (_events.Count == 0 && monitorThresholdMs == 0)
                return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var sb = new StringBuilder();
            bool slowlogEnabled = false, slowlogTuning = false, slowlogInspect = false, scheduler = false, largeObjects = false;
            var advices = 0;
            var eventNumber = 0;
            foreach (var (name, ts) in _events)
            {
                eventNumber++;
                if (eventNumber == 1)
                    sb.Append("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n");
                var s = Analyze(ts, now);
                sb.Append(CultureInfo.InvariantCulture,
                    $"{eventNumber}. {name}: {s.Samples} latency spikes (average {s.Avg}ms, mean deviation {s.Mad}ms, period {(double)s.Period / s.Samples:F2} sec). Worst all time event {s.Max}ms.");
                if (name.Equals("command", StringComparison.OrdinalIgnoreCase))
                {
                    if (slowlogSlowerThanUs < 0)
                    {
                        slowlogEnabled = true;
                        advices++;
                    }
                    else if (slowlogSlowerThanUs / 1000 > monitorThresholdMs)
                    {
                        slowlogTuning = true;
                        advices++;
                    }
                    slowlogInspect = true;
                    largeObjects = true;
                    advices += 2;
                }
                if (name.Equals("fast-command", StringComparison.OrdinalIgnoreCase))
                {
                    scheduler = true;
                    advices++;
                }
                sb.Append('\n');
            }
            if (hugePagesUsed) advices++;
            if (eventNumber == 0 && advices == 0)
            {
                sb.Append("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n");
            }
            else if (eventNumber > 0 && advices == 0)
            {
                sb.Append("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n");
            }
            else
            {
                sb.Append("\nI have a few advices for you:\n\n");
                if (slowlogEnabled)
                    sb.Append(CultureInfo.InvariantCulture,
                        $"- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than {monitorThresholdMs * 1000}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n");
                if (slowlogTuning)
                    sb.Append(CultureInfo.InvariantCulture,
                        $"- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than {monitorThresholdMs * 1000}'.\n");
                if (slowlogInspect)
                    sb.Append("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n");
                if (scheduler)
                    sb.Append("- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n" +
                              "  1) Lower the system load.\n" +
                              "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n" +
                              "  3) Check if you have a \"noisy neighbour\" problem.\n" +
                              "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
                              "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n");
                if (largeObjects)
                    sb.Append("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n");
                if (hugePagesUsed)
                    sb.Append("- I detected a non zero amount of anonymous huge pages used by your process. This creates very serious latency events in different conditions, especially when Redis is persisting on disk. To disable THP support use the command 'echo never > /sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so that the command will be executed again after a reboot. Note that even if you have already disabled THP, you still need to restart the Redis process to get rid of the huge pages already created.\n");
            }
            return sb.ToString();
        }
    }
}

/// <summary>Redis's sparkline.c rendering (filled, linear scale), used by LATENCY GRAPH.</summary>
public static class Sparkline
{
    private const string CharsetFill = "_o#";
    private const int CharsetLength = 3;
    private const int LabelMarginTop = 1;

    public static void Render(StringBuilder output, IReadOnlyList<double> values, IReadOnlyList<string?> labels, int columns, int rows)
    {
        if (values.Count == 0) return;
        double min = values[0], max = values[0];
        var labelCount = 0;
        for (var i = 0; i < values.Count; i++)
        {
            // sparklineSequenceAddSample's min/max update (an "else if", as in Redis).
            if (i > 0)
            {
                if (values[i] < min) min = values[i];
                else if (values[i] > max) max = values[i];
            }
            if (!string.IsNullOrEmpty(labels[i])) labelCount++;
        }
        for (var j = 0; j < values.Count; j += columns)
        {
            var length = Math.Min(values.Count - j, columns);
            if (j != 0) output.Append('\n');
            RenderRange(output, values, labels, labelCount, min, max, rows, j, length);
        }
    }

    private static void RenderRange(StringBuilder output, IReadOnlyList<double> values, IReadOnlyList<string?> labels, int labelCount,
        double min, double max, int rows, int offset, int length)
    {
        var relmax = max - min;
        if (relmax == 0) relmax = 1;
        var steps = CharsetLength * rows;
        var chars = new char[length];
        var row = 0;
        var loop = true;
        while (loop)
        {
            loop = false;
            Array.Fill(chars, ' ');
            for (var j = 0; j < length; j++)
            {
                var relval = values[j + offset] - min;
                var step = (int)((int)(relval * steps) / relmax);
                if (step < 0) step = 0;
                if (step >= steps) step = steps - 1;
                if (row < rows)
                {
                    var charIndex = step - (rows - row - 1) * CharsetLength;
                    loop = true;
                    if (charIndex >= 0 && charIndex < CharsetLength) chars[j] = CharsetFill[charIndex];
                    else if (charIndex >= CharsetLength) chars[j] = '|';
                }
                else
                {
                    if (labelCount > 0 && row - rows < LabelMarginTop)
                    {
                        loop = true;
                        break;
                    }
                    var label = labels[j + offset];
                    if (!string.IsNullOrEmpty(label))
                    {
                        var labelChar = row - rows - LabelMarginTop;
                        if (label.Length > labelChar)
                        {
                            loop = true;
                            chars[j] = label[labelChar];
                        }
                    }
                }
            }
            if (loop)
            {
                row++;
                output.Append(chars).Append('\n');
            }
        }
    }
}
