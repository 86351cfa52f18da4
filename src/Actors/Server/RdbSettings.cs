using System.Globalization;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Actors.Storage.Rdb;

namespace AkkaRedis.Actors.Server;

/// <summary>The configuration the RDB codec works with (rdbcompression, list-max-listpack-size, the encoding
/// thresholds loaded values are converted by, which LRU/LFU data maxmemory-policy saves), read from the live config
/// (DUMP, RESTORE, SAVE, loading: none of them on a hot path).</summary>
public static class RdbSettings
{
    public static bool RdbCompression(this ServerConfig config) => config.Find("rdbcompression")?.Get() != "no";

    public static int ListFill(this ServerConfig config) =>
        int.TryParse(config.Find("list-max-listpack-size")?.Get(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : -2;

    public static RdbLoadLimits RdbLoadLimits(this ServerConfig config) => new(
        config.HashMaxListpackEntries, config.HashMaxListpackValue,
        long.TryParse(config.Find("set-max-intset-entries")?.Get(), NumberStyles.None, CultureInfo.InvariantCulture, out var intset) ? intset : 512,
        config.ZsetMaxListpackEntries, config.ZsetMaxListpackValue);

    /// <summary>rdbSaveKeyValuePair's options: IDLE for the LRU policies, FREQ for the LFU ones.</summary>
    public static RdbSaveOptions RdbSaveOptions(this ServerConfig config, long now)
    {
        var policy = config.MaxMemoryPolicy;
        return new RdbSaveOptions(config.RdbCompression(), now,
            SaveLru: policy.EndsWith("-lru", StringComparison.Ordinal),
            SaveLfu: policy.EndsWith("-lfu", StringComparison.Ordinal),
            ListFill: config.ListFill());
    }

    /// <summary>A DUMP payload of <paramref name="entry"/> with the configured compression and list fill.</summary>
    public static void CreateDumpPayload(this ServerConfig config, RdbWriter w, KeyEntry entry) =>
        DumpPayload.Create(w, entry, config.RdbCompression(), config.ListFill());
}
