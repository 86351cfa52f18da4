using System.Globalization;
using System.Text;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;

namespace AkkaRedis.Actors.Session;

/// <summary>Introspection: SLOWLOG, LATENCY, MONITOR, MEMORY.</summary>
public static class IntrospectionCommands
{
    public static void Register(CommandTable t)
    {
        RegisterSlowlog(t);
        RegisterLatency(t);
        t.Add(new("monitor", 1, F("admin noscript loading stale"), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)Monitor,
        });
        RegisterMemory(t);
    }

    private static void RegisterSlowlog(CommandTable t)
    {
        var slowlog = t.Add(new("slowlog", -2, F(""), 0, 0, 0, A("")));
        t.AddSub(slowlog, new("reset", 2, F("admin loading stale"), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)SlowlogReset,
        });
        t.AddSub(slowlog, new("get", -2, F("admin loading stale"), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)SlowlogGet,
        });
        t.AddSub(slowlog, new("len", 2, F("admin loading stale"), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)(c => c.Reply.Integer(c.Server.Diagnostics.SlowLog.Count)),
        });
        t.AddSub(slowlog, new("help", 2, F("loading stale"), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)(c => HelpReply.Write(c.Reply, "SLOWLOG", SlowlogHelp)),
        });
    }

    private static readonly string[] SlowlogHelp =
    [
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
    ];

    private static void SlowlogReset(SessionCall c)
    {
        c.Server.Diagnostics.SlowLog.Reset();
        c.Reply.Ok();
    }

    private static void SlowlogGet(SessionCall c)
    {
        if (c.Argc > 3)
        {
            c.Reply.Error(CommandTable.SubcommandSyntaxError(c.Args));
            return;
        }
        var slowlog = c.Server.Diagnostics.SlowLog;
        long count = 10;
        if (c.Argc == 3)
        {
            if (!RedisNumbers.TryParseLong(c.Args[2], out count) || count < -1)
            {
                c.Reply.Error("ERR count should be greater than or equal to -1");
                return;
            }
            if (count == -1) count = long.MaxValue;
        }
        var entries = slowlog.Newest(count);
        var w = c.Reply;
        w.ArrayHeader(entries.Count);
        foreach (var e in entries)
        {
            w.ArrayHeader(6);
            w.Integer(e.Id);
            w.Integer(e.UnixSeconds);
            w.Integer(e.DurationMicros);
            w.ArrayHeader(e.Args.Length);
            foreach (var arg in e.Args) w.Bulk(arg);
            w.Bulk(e.PeerId);
            w.Bulk(e.ClientName);
        }
    }


    private static void RegisterLatency(CommandTable t)
    {
        var latency = t.Add(new("latency", -2, F(""), 0, 0, 0, A("")));
        const string admin = "admin noscript loading stale";
        t.AddSub(latency, new("help", 2, F("loading stale"), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)(c => HelpReply.Write(c.Reply, "LATENCY", LatencyHelp)),
        });
        t.AddSub(latency, new("reset", -2, F(admin), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)LatencyReset,
        });
        t.AddSub(latency, new("latest", 2, F(admin), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)LatencyLatest,
        });
        t.AddSub(latency, new("graph", 3, F(admin), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)LatencyGraph,
        });
        t.AddSub(latency, new("histogram", -2, F(admin), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)LatencyHistogramReply,
        });
        t.AddSub(latency, new("doctor", 2, F(admin), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)LatencyDoctor,
        });
        t.AddSub(latency, new("history", 3, F(admin), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)LatencyHistory,
        });
    }

    private static readonly string[] LatencyHelp =
    [
        "DOCTOR",
        "    Return a human readable latency analysis report.",
        "GRAPH <event>",
        "    Return an ASCII latency graph for the <event> class.",
        "HISTORY <event>",
        "    Return time-latency samples for the <event> class.",
        "LATEST",
        "    Return the latest latency samples for all events.",
        "RESET [<event> ...]",
        "    Reset latency data of one or more <event> classes.",
        "    (default: reset all data for all event classes)",
        "HISTOGRAM [COMMAND ...]",
        "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
        "    If no commands are specified then all histograms are replied.",
    ];

    private static void LatencyReset(SessionCall c)
    {
        var latency = c.Server.Diagnostics.Latency;
        if (c.Argc == 2)
        {
            c.Reply.Integer(latency.Reset(null));
            return;
        }
        var resets = 0;
        for (var j = 2; j < c.Argc; j++) resets += latency.Reset(Encoding.Latin1.GetString(c.Args[j]));
        c.Reply.Integer(resets);
    }

    private static void LatencyLatest(SessionCall c)
    {
        var latest = c.Server.Diagnostics.Latency.Latest();
        c.Reply.ArrayHeader(latest.Count);
        foreach (var (name, time, latency, max) in latest)
        {
            c.Reply.ArrayHeader(4);
            c.Reply.Bulk(name);
            c.Reply.Integer(time);
            c.Reply.Integer(latency);
            c.Reply.Integer(max);
        }
    }

    private static void LatencyHistory(SessionCall c)
    {
        var samples = c.Server.Diagnostics.Latency.History(Encoding.Latin1.GetString(c.Args[2]));
        if (samples == null)
        {
            c.Reply.ArrayHeader(0);
            return;
        }
        c.Reply.ArrayHeader(samples.Count);
        foreach (var (time, latency) in samples)
        {
            c.Reply.ArrayHeader(2);
            c.Reply.Integer(time);
            c.Reply.Integer(latency);
        }
    }

    private static void LatencyGraph(SessionCall c)
    {
        var eventName = Encoding.Latin1.GetString(c.Args[2]);
        var graph = c.Server.Diagnostics.Latency.Graph(eventName);
        if (graph == null)
        {
            c.Reply.Error($"ERR No samples available for event '{eventName}'");
            return;
        }
        c.Reply.Verbatim(graph);
    }

    private static void LatencyDoctor(SessionCall c)
    {
        var d = c.Server.Diagnostics;
        c.Reply.Verbatim(d.Latency.Doctor(d.LatencyMonitorThreshold, d.SlowlogSlowerThan));
    }

    private static void LatencyHistogramReply(SessionCall c)
    {
        var diagnostics = c.Server.Diagnostics;
        var selected = new List<(CommandDef Def, LatencyHistogram Histogram)>();
        void AddIfRecorded(CommandDef def)
        {
            if (c.Server.CommandStats.Histogram(def) is { } h) selected.Add((def, h));
        }
        void AddWithSubcommands(CommandDef def)
        {
            AddIfRecorded(def);
            if (def.Subcommands == null) return;
            foreach (var sub in c.Server.Commands.AllWithSubcommands)
                if (sub.Parent == def) AddIfRecorded(sub);
        }
        if (c.Argc == 2)
        {
            foreach (var def in c.Server.Commands.AllWithSubcommands)
                if (def.Parent == null) AddWithSubcommands(def);
        }
        else
        {
            for (var j = 2; j < c.Argc; j++)
                if (LookupByFullName(c.Server.Commands, Encoding.Latin1.GetString(c.Args[j])) is { } def) AddWithSubcommands(def);
        }
        var w = c.Reply;
        w.MapHeader(selected.Count);
        foreach (var (def, histogram) in selected)
        {
            w.Bulk(def.Name);
            w.MapHeader(2);
            w.Bulk("calls"u8);
            w.Integer(histogram.TotalCount);
            w.Bulk("histogram_usec"u8);
            var buckets = histogram.CumulativeBuckets();
            w.MapHeader(buckets.Count);
            foreach (var (micros, cumulative) in buckets)
            {
                w.Integer(micros);
                w.Integer(cumulative);
            }
        }
    }

    /// <summary>Redis's lookupCommandBySds: "name" or "container|sub", case-insensitively.</summary>
    private static CommandDef? LookupByFullName(CommandTable table, string name)
    {
        var bar = name.IndexOf('|');
        if (bar < 0) return table.Find(name);
        var container = table.Find(name[..bar]);
        if (container?.Subcommands == null) return null;
        var rest = name[(bar + 1)..];
        if (rest.Contains('|')) return null;
        return container.Subcommands.GetValueOrDefault(rest);
    }

    private static void Monitor(SessionCall c)
    {
        // Redis ignores MONITOR from a connection that is already a monitor (or a replica), without a reply.
        if (c.Client.IsMonitor || c.Client.IsReplica)
        {
            c.SuppressReply = true;
            return;
        }
        c.Client.IsMonitor = true;
        c.Server.Monitors.Add(c.Client);
        c.Reply.Ok();
    }

    /// <summary>Leaves monitor mode (RESET).</summary>
    public static void StopMonitoring(SessionCall c)
    {
        if (!c.Client.IsMonitor) return;
        c.Client.IsMonitor = false;
        c.Server.Monitors.Remove(c.Client);
    }

    private static void RegisterMemory(CommandTable t)
    {
        var memory = t.Add(new("memory", -2, F(""), 0, 0, 0, A("")));
        t.AddSub(memory, new("purge", 2, F(""), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)MemoryPurge,
        });
        // DOCTOR and STATS are barriers: they read the dataset's size, which the writes sent before them change.
        t.AddSub(memory, new("doctor", 2, F(""), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)MemoryDoctor, Barrier = true,
        });
        t.AddSub(memory, new("help", 2, F("loading stale"), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)(c => HelpReply.Write(c.Reply, "MEMORY", MemoryHelp)),
        });
        t.AddSub(memory, new("malloc-stats", 2, F(""), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)(c => c.Reply.Verbatim("Stats not supported for the current allocator")),
        });
        t.AddSub(memory, new("stats", 2, F(""), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)MemoryStats, Barrier = true,
        });
        t.AddSub(memory, new("usage", -3, F("readonly"), 2, 2, 1, A(""))
        {
            Handler = MemoryEstimate.Usage, // a keyspace read: runs on the key's shard
            KeySpecFlags = ["RO"],
        });
    }

    private static readonly string[] MemoryHelp =
    [
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
    ];

    private static void MemoryPurge(SessionCall c)
    {
        // The closest .NET has to asking jemalloc to purge dirty pages: a full compacting collection in the GC's
        // Aggressive mode, which also decommits the free regions and the gen0 budget it keeps in reserve.
        // (Optimized and non-blocking let the GC skip the collection, which it did on an idle server.)
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        c.Reply.Ok();
    }

    private static void MemoryDoctor(SessionCall c)
    {
        var usage = DatasetEstimate.Dataset(c.Server);
        // Redis's threshold: under 5 MB allocated, the instance is too small to say anything.
        c.Reply.Verbatim(usage.Bytes < 5 * 1024 * 1024
            ? "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n"
            : "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n");
    }

    private static void MemoryStats(SessionCall c)
    {
        var server = c.Server;
        var runtime = server.Runtime;
        var used = GC.GetTotalMemory(false);
        var peak = runtime.UpdatePeakMemory(used);
        var startup = Math.Min(runtime.StartupMemory, used);
        var gc = GC.GetGCMemoryInfo();
        var rss = Environment.WorkingSet;
        var allocated = Math.Max(gc.HeapSizeBytes, used);
        var active = Math.Max(gc.TotalCommittedBytes, allocated);
        var dataset = DatasetEstimate.Dataset(server);
        long clientsNormal = 0;
        foreach (var client in server.Clients.All) clientsNormal += client.QueryBufferBytes + client.OutputBufferBytes;
        long dbOverhead = 0;
        foreach (var db in dataset.PerDb) dbOverhead += db.Main + db.Expires;
        var overhead = startup + clientsNormal + dbOverhead;
        var datasetBytes = Math.Max(0, used - overhead);
        var net = used - startup;

        var w = c.Reply;
        w.MapHeader(27 + dataset.PerDb.Count);
        Pair(w, "peak.allocated", peak);
        Pair(w, "total.allocated", used);
        Pair(w, "startup.allocated", startup);
        Pair(w, "replication.backlog", 0);
        Pair(w, "clients.slaves", 0);
        Pair(w, "clients.normal", clientsNormal);
        Pair(w, "cluster.links", 0);
        Pair(w, "aof.buffer", 0);
        Pair(w, "lua.caches", 0);
        Pair(w, "functions.caches", server.Services.Functions.UsedMemory);
        foreach (var db in dataset.PerDb)
        {
            w.Bulk("db." + db.Index.ToString(CultureInfo.InvariantCulture));
            w.MapHeader(3);
            Pair(w, "overhead.hashtable.main", db.Main);
            Pair(w, "overhead.hashtable.expires", db.Expires);
            Pair(w, "overhead.hashtable.slot-to-keys", 0);
        }
        Pair(w, "overhead.total", overhead);
        Pair(w, "keys.count", dataset.Keys);
        Pair(w, "keys.bytes-per-key", dataset.Keys == 0 ? 0 : net / dataset.Keys);
        Pair(w, "dataset.bytes", datasetBytes);
        PairDouble(w, "dataset.percentage", net <= 0 ? 0 : (float)(datasetBytes * 100.0 / net));
        PairDouble(w, "peak.percentage", peak == 0 ? 0 : (float)(used * 100.0 / peak));
        Pair(w, "allocator.allocated", allocated);
        Pair(w, "allocator.active", active);
        Pair(w, "allocator.resident", rss);
        PairDouble(w, "allocator-fragmentation.ratio", allocated == 0 ? 0 : (float)((double)active / allocated));
        Pair(w, "allocator-fragmentation.bytes", active - allocated);
        PairDouble(w, "allocator-rss.ratio", active == 0 ? 0 : (float)((double)rss / active));
        Pair(w, "allocator-rss.bytes", rss - active);
        PairDouble(w, "rss-overhead.ratio", 1);
        Pair(w, "rss-overhead.bytes", 0);
        PairDouble(w, "fragmentation", used == 0 ? 0 : (float)((double)rss / used));
        Pair(w, "fragmentation.bytes", rss - used);
    }

    private static void Pair(RespWriter w, string name, long value)
    {
        w.Bulk(name);
        w.Integer(value);
    }

    private static void PairDouble(RespWriter w, string name, double value)
    {
        w.Bulk(name);
        w.Double(value);
    }
}

/// <summary>MEMORY STATS / MEMORY DOCTOR's dataset figures: keys and their estimated hash-table overhead per db
/// (counters of the shards read racily, as INFO's), and the dataset's size estimated from the key count.</summary>
public static class DatasetEstimate
{
    public readonly record struct DbOverhead(int Index, long Main, long Expires);

    public sealed record DatasetSize(long Keys, long Bytes, List<DbOverhead> PerDb);

    /// <summary>Keys and their estimated hash-table overhead per db (racy reads of the shards, as INFO's), and an
    /// estimate of the dataset's size from the key count.</summary>
    public static DatasetSize Dataset(ServerContext server)
    {
        var perDb = new List<DbOverhead>();
        long keys = 0;
        var shards = server.Keyspace?.ShardData;
        if (shards != null)
        {
            for (var db = 0; db < server.Config.Databases; db++)
            {
                long count = 0, volatileCount = 0;
                foreach (var shard in shards)
                {
                    if (db >= shard.Databases.Length) continue;
                    count += shard.Databases[db].Count;
                    volatileCount += shard.Databases[db].VolatileCount;
                }
                if (count == 0) continue;
                keys += count;
                // Redis: buckets * sizeof(pointer) + entries * sizeof(dictEntry) (+ the dict struct).
                perDb.Add(new DbOverhead(db, HashTableOverhead(count), HashTableOverhead(volatileCount)));
            }
        }
        return new DatasetSize(keys, keys * 64, perDb);
    }

    private static long HashTableOverhead(long entries)
    {
        if (entries == 0) return 0;
        var buckets = Math.Max(4L, (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)entries));
        return buckets * 8 + entries * MemoryEstimate.DictEntrySize;
    }
}
