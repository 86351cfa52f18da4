using System.Text;
using System.Text.RegularExpressions;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// INFO latencystats and commandstats against redis-server: the same lines once the measured values are masked.
/// (The differential scripts compare INFO only as "some text".)
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed partial class LatencyStatsTests(E2EServers servers)
{
    [Fact]
    public void LatencystatsAndCommandstatsHaveRedisLines()
    {
        var redis = Collect(servers.Redis);
        var akka = Collect(servers.Akka);
        Assert.Equal(redis, akka);
        Assert.Contains("latency_percentiles_usec_set:p50=<v>,p99=<v>,p99.9=<v>", akka);
        Assert.Contains("latency_percentiles_usec_client|setname:p50=<v>,p99=<v>,p99.9=<v>", akka);
        Assert.Contains("cmdstat_get:calls=2,usec=<v>,usec_per_call=<v>,rejected_calls=1,failed_calls=0", akka);
        Assert.Contains("latency_percentiles_usec_get:p0=<v>,p12.5=<v>,p100=<v>", akka);
    }

    private static List<string> Collect(ServerProcess server)
    {
        using var c = server.Connect();
        var lines = new List<string>();
        try
        {
            c.Call("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9");
            c.Call("CONFIG", "RESETSTAT");
            c.Call("SET", "latency:k", "v");
            c.Call("GET", "latency:k");
            c.Call("GET", "latency:k");
            c.Call("CLIENT", "SETNAME", "latency-test");
            c.Call("GET");
            lines.AddRange(Section(c, "latencystats"));
            lines.AddRange(Section(c, "commandstats"));
            c.Call("CONFIG", "SET", "latency-tracking-info-percentiles", "0 12.5 100");
            lines.AddRange(Section(c, "latencystats"));
            c.Call("CONFIG", "SET", "latency-tracking", "no");
            lines.AddRange(Section(c, "latencystats"));
        }
        finally
        {
            c.Call("CONFIG", "SET", "latency-tracking", "yes");
            c.Call("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9");
        }
        return lines;
    }

    /// <summary>The section's lines, sorted (Redis lists commands in hash-table order), values masked.</summary>
    private static List<string> Section(RawRespClient c, string name)
    {
        var reply = RespValue.Parse(c.Call("INFO", name));
        var lines = reply.Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("cmdstat_info:", StringComparison.Ordinal) && !l.StartsWith("latency_percentiles_usec_info:", StringComparison.Ordinal))
            .Select(l => Number().Replace(l, "${key}=<v>"))
            .ToList();
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    [GeneratedRegex(@"(?<key>usec|usec_per_call|p[0-9.]+)=\d+(\.\d+)?")]
    private static partial Regex Number();
}
