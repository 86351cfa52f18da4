using System.Globalization;

namespace AkkaRedis.Actors.Server;

/// <summary>
/// The server's parameters, by their redis.conf names. Defaults come from HOCON (akkaredis.server), then a
/// redis.conf-style file, then --name value arguments, then CONFIG SET at run time.
/// </summary>
public sealed class ServerConfig
{
    private readonly Dictionary<string, ConfigParameter> _parameters = new(StringComparer.OrdinalIgnoreCase);

    public ServerConfig()
    {
        Add(new ConfigParameter("port", () => Port.ToString(CultureInfo.InvariantCulture), v => SetInt(v, 0, 65535, x => Port = x)));
        Add(new ConfigParameter("bind", () => string.Join(' ', Bind), v => { Bind = v.Split(' ', StringSplitOptions.RemoveEmptyEntries); return null; }));
        Add(new ConfigParameter("databases", () => Databases.ToString(CultureInfo.InvariantCulture), v => SetInt(v, 1, int.MaxValue, x => Databases = x)) { Immutable = true });
        Add(new ConfigParameter("shards", () => Shards.ToString(CultureInfo.InvariantCulture), v => SetInt(v, 0, 1024, x => Shards = x == 0 ? Environment.ProcessorCount : x)) { Immutable = true });
        Add(new ConfigParameter("hz", () => Hz.ToString(CultureInfo.InvariantCulture), v => SetInt(v, 0, int.MaxValue, x => Hz = Math.Clamp(x, 1, 500))));
        Add(new ConfigParameter("proto-max-bulk-len", () => ProtoMaxBulkLen.ToString(CultureInfo.InvariantCulture), v => SetMemory(v, 1024 * 1024, long.MaxValue, x => ProtoMaxBulkLen = x)));
        Add(new ConfigParameter("client-query-buffer-limit", () => ClientQueryBufferLimit.ToString(CultureInfo.InvariantCulture), v => SetMemory(v, 1024 * 1024, long.MaxValue, x => ClientQueryBufferLimit = x)));
        Add(new ConfigParameter("maxclients", () => MaxClients.ToString(CultureInfo.InvariantCulture), v => SetInt(v, 1, int.MaxValue, x => MaxClients = x)));
        Add(new ConfigParameter("loglevel", () => LogLevel, v => { LogLevel = v.ToLowerInvariant(); return null; }));
    }

    public int Port { get; private set; } = 6379;
    public string[] Bind { get; private set; } = ["*"];
    public int Databases { get; private set; } = 16;
    public int Shards { get; private set; } = Environment.ProcessorCount;
    public int Hz { get; private set; } = 10;
    public long ProtoMaxBulkLen { get; private set; } = 512L * 1024 * 1024;
    public long ClientQueryBufferLimit { get; private set; } = 1024L * 1024 * 1024;
    public int MaxClients { get; private set; } = 10000;
    public string LogLevel { get; private set; } = "notice";
    /// <summary>DEBUG SET-ACTIVE-EXPIRE.</summary>
    public bool ActiveExpireEnabled { get; set; } = true;

    /// <summary>Absolute path of the config file the server was started with (CONFIG REWRITE target), if any.</summary>
    public string? ConfigFile { get; set; }

    public IEnumerable<ConfigParameter> Parameters => _parameters.Values;

    public ConfigParameter? Find(string name) => _parameters.GetValueOrDefault(name);

    private void Add(ConfigParameter p) => _parameters[p.Name] = p;

    /// <summary>Sets a parameter at start-up (file or argument); returns an error message or null.</summary>
    public string? Set(string name, string value)
    {
        var p = Find(name);
        if (p == null) return $"Bad directive or wrong number of arguments";
        return p.Set(value);
    }

    private static string? SetInt(string v, long min, long max, Action<int> apply)
    {
        if (!long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var x)) return "argument couldn't be parsed into an integer";
        if (x < min || x > max) return $"argument must be between {min} and {max} inclusive";
        apply((int)x);
        return null;
    }

    private static string? SetMemory(string v, long min, long max, Action<long> apply)
    {
        if (!TryParseMemory(v, out var x)) return "argument must be a memory value";
        if (x < min || x > max) return $"argument must be between {min} and {max} inclusive";
        apply(x);
        return null;
    }

    /// <summary>Redis's memtoll: a number with an optional k/kb/m/mb/g/gb unit (case-insensitive).</summary>
    public static bool TryParseMemory(string v, out long bytes)
    {
        bytes = 0;
        var s = v.Trim().ToLowerInvariant();
        long mul = 1;
        (string suffix, long mul)[] units = [("kb", 1024), ("mb", 1024 * 1024), ("gb", 1024L * 1024 * 1024), ("k", 1000), ("m", 1000 * 1000), ("g", 1000L * 1000 * 1000), ("b", 1)];
        foreach (var (suffix, m) in units)
        {
            if (!s.EndsWith(suffix, StringComparison.Ordinal)) continue;
            mul = m;
            s = s[..^suffix.Length];
            break;
        }
        if (!long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return false;
        bytes = n * mul;
        return true;
    }
}

public sealed class ConfigParameter
{
    public ConfigParameter(string name, Func<string> get, Func<string, string?> set)
    {
        Name = name;
        Get = get;
        Set = set;
    }

    public string Name { get; }
    public Func<string> Get { get; }
    /// <summary>Applies a value; returns Redis's reason text on failure, null on success.</summary>
    public Func<string, string?> Set { get; }
    public bool Immutable { get; init; }
}
