using System.Globalization;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.Differential;

/// <summary>
/// Seeded random commands over every implemented command of the connection, strings, keys, lists and server families,
/// and the introspection ones (CONFIG SET/GET of <see cref="SafeConfig"/>, CLIENT LIST/INFO/KILL, INFO, OBJECT,
/// SLOWLOG, LATENCY, MEMORY USAGE): a small key space (tagged keys sharing a slot, plain keys spreading over shards,
/// the empty key), edge values, option keywords in random case and order, wrong arities, unknown commands.
/// <para>
/// Everything must be deterministic for two servers run in lockstep: relative TTLs are at least 1000 s (nothing
/// expires during a run), GT/LT only with absolute times (two relative TTLs of the same value would compare by
/// clock), absolute times far from the relative ones. Non-deterministic replies are compared under
/// <see cref="ReplyRules"/> (TTL ±, RANDOMKEY, KEYS order, OBJECT IDLETIME/FREQ, TIME, CLIENT ID, INFO and CLIENT
/// LIST/INFO shapes, SLOWLOG GET and LATENCY HISTOGRAM without times); a SCAN is always a full scan compared as a
/// set of keys. Server-wide state the run changes (CONFIG SET) is limited to <see cref="SafeConfig"/>, which the test
/// puts in a known state before the run and restores after it. Never generated, because their effect depends on
/// timing or on other connections: maxmemory, timeout, latency-monitor-threshold, slowlog thresholds other than
/// -1 / 1000 s, CLIENT KILL filters that match a live client (TYPE normal, USER default), LATENCY HISTOGRAM of
/// every command (SCAN's call count depends on each server's cursors).
/// </para>
/// </summary>
public sealed partial class CommandGenerator
{
    private static readonly string[] Keys =
        ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "{t}a", "{t}b", "{t}c", "{u}1", "{u}2", ""];

    private static readonly string[] Values =
    [
        "", "0", "-0", "1", "-1", "10", "9999", "10000", "1e5", "9223372036854775807", "-9223372036854775808",
        "9223372036854775806", "9223372036854775808", " 1", "1 ", "abc", "hello world", "3.14", "0.1", "-2.5", "inf",
        "-inf", "nan", "+1", "01", "0x10", "ohmytext", "mynewtext", "123456789012345678901",
        new string('e', 44), new string('r', 45), "\0\u00ff\r\n", "x",
    ];

    private static readonly string[] Integers =
    [
        "0", "1", "-1", "2", "100", "-100", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "abc", "1.5", "", " 1", "01", "+1",
    ];

    private static readonly string[] Floats =
    [
        "0", "1", "-1", "0.5", "1.5", "-2.25", "1e3", "5.0e3", "1e-3", "0.1", "-0.1", "abc", "inf", "-inf", "nan", "",
        " 1", "1e308", ".5", "3.",
    ];

    private static readonly string[] Offsets = ["0", "1", "-1", "2", "-3", "5", "100", "-100", "abc", "9223372036854775807", "-9223372036854775808"];
    private static readonly string[] SetRangeOffsets = ["0", "1", "3", "10", "-1", "abc", "536870912"];
    private static readonly string[] RelativeSeconds = ["1000", "5000", "20000", "100000", "2000000"];
    private static readonly string[] BadTimes = ["0", "-1", "-100", "abc", "1.5", "", "9223372036854775807", "-9223372036854775808"];
    private static readonly long[] AbsoluteOffsetsSeconds = [3000, 10000, 50000, 500000, 5000000];
    private static readonly string[] Dbs = ["0", "0", "1", "1", "2", "15", "16", "-1", "abc"];
    private static readonly string[] Patterns = ["*", "k*", "{t}*", "k[0-3]", "?", "*a*", "k?", "[", "\\", "nomatch", "*1*"];
    private static readonly string[] ListElements = ["a", "b", "c", "a", "1", "", "x y"];
    private static readonly string[] Counts = ["0", "1", "2", "3", "10", "-1", "abc"];
    private static readonly string[] Ends = ["LEFT", "RIGHT", "LEFT", "RIGHT", "MIDDLE"];
    private static readonly string[] Names = ["a", "conn-1", "", "bad name", "x\ny"];

    /// <summary>
    /// Server-wide parameters the run may CONFIG SET, each with the value it starts from (set on both servers before
    /// the run; the previous values are restored after it) and the values drawn (valid, out of range, unparsable).
    /// All have deterministic effects. slowlog-log-slower-than only takes values that log nothing (-1) or nothing
    /// that finishes within 1000 s: its default, 10000 µs, would log by timing, and 0 would log every SCAN call of
    /// a full scan, whose number differs between servers (each follows its own cursors). List sizes only take
    /// byte limits (negative): the run's lists stay far below 4 KB, so their layout never depends on them
    /// (positive element counts change MEMORY USAGE of long lists, where AkkaRedis differs: see the issue notes).
    /// </summary>
    public static readonly (string Name, string RunStart, string[] Values)[] SafeConfig =
    [
        ("maxmemory-policy", "noeviction",
            ["noeviction", "allkeys-lru", "allkeys-lfu", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-random", "NoEviction", "bogus"]),
        ("hz", "10", ["1", "10", "20", "500", "1000", "0", "-1", "abc"]),
        ("slowlog-log-slower-than", "-1", ["-1", "1000000000", "abc", ""]),
        ("slowlog-max-len", "128", ["0", "1", "3", "128", "-1", "abc"]),
        ("lazyfree-lazy-eviction", "no", ["yes", "no", "maybe"]),
        ("lazyfree-lazy-expire", "no", ["yes", "no", "YES"]),
        ("lazyfree-lazy-server-del", "no", ["yes", "no"]),
        ("lazyfree-lazy-user-del", "no", ["yes", "no", "1"]),
        ("lazyfree-lazy-user-flush", "no", ["yes", "no"]),
        ("list-max-listpack-size", "-2", ["-1", "-2", "-3", "-5", "-6", "abc"]),
        ("list-max-ziplist-size", "-2", ["-1", "-2", "-4", "abc"]),
        ("list-compress-depth", "0", ["0", "1", "2", "-1", "abc"]),
        ("maxmemory-samples", "5", ["1", "5", "10", "0", "abc"]),
        ("lfu-log-factor", "10", ["0", "1", "10", "-1"]),
        ("lfu-decay-time", "1", ["0", "1", "60", "-1"]),
        ("active-expire-effort", "1", ["1", "5", "10", "0", "11"]),
        ("notify-keyspace-events", "", ["", "KEA", "Kg$", "AKE", "Ex", "xE", "!"]),
        ("latency-tracking", "yes", ["yes", "no", "maybe"]),
        // Small stream nodes, so that "~" trims, XDEL's node removal and MEMORY USAGE meet many nodes.
        ("stream-node-max-entries", "100", ["0", "1", "2", "3", "100", "-1", "abc"]),
        ("stream-node-max-bytes", "4096", ["0", "60", "200", "4096", "1k", "-1", "abc"]),
    ];

    private static readonly string[] ConfigGetPatterns =
        ["lazyfree-*", "list-*", "*policy*", "latency-*", "slowlog-*", "nosuchparameter", "databases", "proto-max-bulk-len", "HZ"];

    private static readonly string[] InfoSections =
    [
        "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats", "cluster",
        "keyspace", "commandstats", "latencystats", "everything", "all", "default", "nosuchsection",
    ];

    private static readonly string[] LatencyEvents = ["command", "fork", "expire-cycle", "eviction-cycle", "nosuch"];

    // Named explicitly, at least two (a wrong-arity draw drops one): LATENCY HISTOGRAM of every command would
    // include SCAN, whose call count differs (full scans follow each server's own cursors).
    private static readonly string[] HistogramCommands = ["get", "set", "lpush", "client|list", "config|set", "info", "nosuch", "GET"];

    private readonly Random _rng;
    private readonly int _protocol;
    private readonly long _baseSeconds;
    private readonly HashSet<string> _excluded;
    private readonly List<(string Name, int Weight, Func<List<string>> Make)> _table;
    private readonly int _totalWeight;

    /// <param name="excluded">Command names to leave out (AKKAREDIS_DIFF_EXCLUDE), to look past a known divergence.</param>
    public CommandGenerator(int seed, int protocol, IEnumerable<string>? excluded = null)
    {
        _rng = new Random(seed);
        _protocol = protocol;
        _baseSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        _excluded = new HashSet<string>(excluded ?? [], StringComparer.OrdinalIgnoreCase);
        _table = [];
        Build();
        _table.RemoveAll(e => _excluded.Contains(e.Name));
        foreach (var e in _table) _totalWeight += e.Weight;
    }

    public IReadOnlyCollection<string> CommandNames => _table.Select(e => e.Name).ToList();

    public DiffStep Next()
    {
        var roll = _rng.Next(_totalWeight);
        var entry = _table[0];
        foreach (var e in _table)
        {
            if (roll < e.Weight)
            {
                entry = e;
                break;
            }
            roll -= e.Weight;
        }
        var args = entry.Make();
        if (entry.Name == "scan") return new DiffStep(Resp.Args(args.ToArray()), StepKind.ScanAll, 0);

        // Wrong arities: drop the last argument or add one (both servers must agree on the error, or on the result).
        // The random-member commands are only drawn in deterministic forms (a count covering the whole value): without
        // their last argument they would pick at random (SPOP k 9 -> SPOP k), so they only get one added.
        var r = _rng.Next(100);
        if (r < 2 && args.Count > 1 && !PicksAtRandomWithoutCount.Contains(entry.Name)) args.RemoveAt(args.Count - 1);
        else if (r < 4) args.Add(Pick(Values));
        return new DiffStep(Resp.Args(args.ToArray()), StepKind.Reply, 0);
    }

    private static readonly HashSet<string> PicksAtRandomWithoutCount =
        new(StringComparer.OrdinalIgnoreCase) { "spop", "srandmember", "hrandfield", "zrandmember" };

    private void Add(string name, int weight, Func<List<string>> make) => _table.Add((name, weight, make));

    // Each family of issues 9 and 10 adds its commands in its own file (CommandGenerator.<Family>.cs).
    partial void BuildHashes();
    partial void BuildSets();
    partial void BuildSortedSets();
    partial void BuildSort();
    partial void BuildStreams();
    partial void BuildStreamGroups();
    partial void BuildBitmaps();
    partial void BuildHyperLogLog();
    partial void BuildGeo();

    private void Build()
    {
        BuildHashes();
        BuildSets();
        BuildSortedSets();
        BuildSort();
        BuildStreams();
        BuildStreamGroups();
        BuildBitmaps();
        BuildHyperLogLog();
        BuildGeo();

        // connection
        Add("ping", 2, () => _rng.Next(2) == 0 ? [Cmd("PING")] : [Cmd("PING"), Pick(Values)]);
        Add("echo", 2, () => [Cmd("ECHO"), Pick(Values)]);
        Add("select", 2, () => [Cmd("SELECT"), Pick(Dbs)]);
        Add("hello", 1, () => _rng.Next(4) switch
        {
            0 => [Cmd("HELLO"), "4"],
            1 => [Cmd("HELLO"), _protocol.ToString(CultureInfo.InvariantCulture), Word("SETNAME"), Pick(Names)],
            2 => [Cmd("HELLO"), "abc"],
            _ => [Cmd("HELLO"), _protocol.ToString(CultureInfo.InvariantCulture)],
        });
        if (_protocol == 2) Add("reset", 1, () => [Cmd("RESET")]);
        // No requirepass on either server: the one-argument form is an error, the default user takes any password.
        Add("auth", 1, () => _rng.Next(3) switch
        {
            0 => [Cmd("AUTH"), Pick(Values)],
            1 => [Cmd("AUTH"), "default", Pick(Values)],
            _ => [Cmd("AUTH"), Pick(Names), Pick(Values)],
        });
        Add("client|no-evict", 1, () => [Cmd("CLIENT"), Word("NO-EVICT"), Pick(["on", "off", "ON", "maybe"])]);
        Add("client", 4, () => _rng.Next(9) switch
        {
            0 => [Cmd("CLIENT"), Word("SETNAME"), Pick(Names)],
            1 => [Cmd("CLIENT"), Word("GETNAME")],
            2 or 3 => [Cmd("CLIENT"), Word("ID")],
            4 => [Cmd("CLIENT"), Word("INFO")],
            5 => ClientList(),
            6 or 7 => ClientKill(),
            _ => [Cmd("CLIENT"), Word("NOSUCHSUB")],
        });
        Add("nosuchcommand", 1, () => [Cmd("NOSUCHCOMMAND"), Pick(Values)]);

        // strings
        Add("get", 30, () => [Cmd("GET"), Key()]);
        Add("set", 30, Set);
        Add("append", 6, () => [Cmd("APPEND"), Key(), Pick(Values)]);
        Add("decr", 4, () => [Cmd("DECR"), Key()]);
        Add("decrby", 4, () => [Cmd("DECRBY"), Key(), Pick(Integers)]);
        Add("incr", 8, () => [Cmd("INCR"), Key()]);
        Add("incrby", 6, () => [Cmd("INCRBY"), Key(), Pick(Integers)]);
        Add("incrbyfloat", 5, () => [Cmd("INCRBYFLOAT"), Key(), Pick(Floats)]);
        Add("getdel", 4, () => [Cmd("GETDEL"), Key()]);
        Add("getex", 6, GetEx);
        Add("getrange", 4, () => [Cmd("GETRANGE"), Key(), Pick(Offsets), Pick(Offsets)]);
        Add("substr", 2, () => [Cmd("SUBSTR"), Key(), Pick(Offsets), Pick(Offsets)]);
        Add("getset", 4, () => [Cmd("GETSET"), Key(), Pick(Values)]);
        Add("lcs", 3, Lcs);
        Add("mget", 8, () => [Cmd("MGET"), .. KeyList(1, 5)]);
        Add("mset", 8, () => [Cmd("MSET"), .. Pairs()]);
        Add("msetnx", 4, () => [Cmd("MSETNX"), .. Pairs()]);
        Add("setnx", 4, () => [Cmd("SETNX"), Key(), Pick(Values)]);
        Add("setex", 3, () => [Cmd("SETEX"), Key(), RelativeOrBad(seconds: true), Pick(Values)]);
        Add("psetex", 3, () => [Cmd("PSETEX"), Key(), RelativeOrBad(seconds: false), Pick(Values)]);
        Add("setrange", 4, () => [Cmd("SETRANGE"), Key(), Pick(SetRangeOffsets), Pick(Values)]);
        Add("strlen", 4, () => [Cmd("STRLEN"), Key()]);

        // keys
        Add("copy", 4, Copy);
        Add("del", 8, () => [Cmd("DEL"), .. KeyList(1, 4)]);
        Add("unlink", 3, () => [Cmd("UNLINK"), .. KeyList(1, 4)]);
        Add("exists", 6, () => [Cmd("EXISTS"), .. KeyList(1, 4)]);
        Add("touch", 2, () => [Cmd("TOUCH"), .. KeyList(1, 4)]);
        Add("expire", 4, () => [Cmd("EXPIRE"), Key(), RelativeOrBad(seconds: true), .. NxXxOnly()]);
        Add("pexpire", 3, () => [Cmd("PEXPIRE"), Key(), RelativeOrBad(seconds: false), .. NxXxOnly()]);
        Add("expireat", 4, () => [Cmd("EXPIREAT"), Key(), AbsoluteOrBad(seconds: true), .. ExpireOptions()]);
        Add("pexpireat", 3, () => [Cmd("PEXPIREAT"), Key(), AbsoluteOrBad(seconds: false), .. ExpireOptions()]);
        Add("expiretime", 2, () => [Cmd("EXPIRETIME"), Key()]);
        Add("pexpiretime", 2, () => [Cmd("PEXPIRETIME"), Key()]);
        Add("ttl", 4, () => [Cmd("TTL"), Key()]);
        Add("pttl", 3, () => [Cmd("PTTL"), Key()]);
        Add("persist", 3, () => [Cmd("PERSIST"), Key()]);
        Add("keys", 2, () => [Cmd("KEYS"), Pick(Patterns)]);
        Add("move", 2, () => [Cmd("MOVE"), Key(), Pick(Dbs)]);
        // REFCOUNT follows Redis's object sharing (shared integers 0..9999 report INT_MAX, copies do not).
        Add("object|refcount", 1, () => [Cmd("OBJECT"), Word("REFCOUNT"), Key()]);
        Add("object", 3, () => _rng.Next(7) switch
        {
            0 or 1 or 4 => [Cmd("OBJECT"), Word("ENCODING"), Key()],
            2 => [Cmd("OBJECT"), Word("IDLETIME"), Key()],
            3 => [Cmd("OBJECT"), Word("FREQ"), Key()],
            5 => [Cmd("OBJECT"), Word("HELP")],
            _ => [Cmd("OBJECT"), Word("NOSUCHSUB"), Key()],
        });
        Add("randomkey", 2, () => [Cmd("RANDOMKEY")]);
        Add("rename", 4, () => [Cmd("RENAME"), Key(), Key()]);
        Add("renamenx", 3, () => [Cmd("RENAMENX"), Key(), Key()]);
        Add("scan", 1, Scan);
        Add("type", 3, () => [Cmd("TYPE"), Key()]);
        Add("dbsize", 2, () => [Cmd("DBSIZE")]);
        Add("swapdb", 1, () => [Cmd("SWAPDB"), Pick(Dbs), Pick(Dbs)]);
        Add("flushdb", 1, () => _rng.Next(3) == 0 ? [Cmd("FLUSHDB"), Word(Pick(["SYNC", "ASYNC", "FOO"]))] : [Cmd("FLUSHDB")]);
        Add("flushall", 1, () => _rng.Next(2) == 0 ? [Cmd("FLUSHALL"), Word(Pick(["SYNC", "ASYNC", "FOO"]))] : [Cmd("FLUSHALL")]);

        // lists: a few recurring elements so that LREM/LPOS/LINSERT find them; strings and lists share the key space
        // so that every command also meets the other type (WRONGTYPE).
        Add("lpush", 8, () => [Cmd("LPUSH"), Key(), .. Elements(1, 4)]);
        Add("rpush", 8, () => [Cmd("RPUSH"), Key(), .. Elements(1, 4)]);
        Add("lpushx", 2, () => [Cmd("LPUSHX"), Key(), .. Elements(1, 3)]);
        Add("rpushx", 2, () => [Cmd("RPUSHX"), Key(), .. Elements(1, 3)]);
        Add("lpop", 4, () => _rng.Next(2) == 0 ? [Cmd("LPOP"), Key()] : [Cmd("LPOP"), Key(), Pick(Counts)]);
        Add("rpop", 4, () => _rng.Next(2) == 0 ? [Cmd("RPOP"), Key()] : [Cmd("RPOP"), Key(), Pick(Counts)]);
        Add("llen", 3, () => [Cmd("LLEN"), Key()]);
        Add("lrange", 5, () => [Cmd("LRANGE"), Key(), Pick(Offsets), Pick(Offsets)]);
        Add("lindex", 3, () => [Cmd("LINDEX"), Key(), Pick(Offsets)]);
        Add("lset", 3, () => [Cmd("LSET"), Key(), Pick(Offsets), Element()]);
        Add("linsert", 3, () => [Cmd("LINSERT"), Key(), Word(Pick(["BEFORE", "AFTER", "BEFORE", "AFTER", "MIDDLE"])), Element(), Element()]);
        Add("lrem", 3, () => [Cmd("LREM"), Key(), Pick(["0", "1", "-1", "2", "-2", "abc"]), Element()]);
        Add("ltrim", 2, () => [Cmd("LTRIM"), Key(), Pick(Offsets), Pick(Offsets)]);
        Add("lpos", 3, LPos);
        Add("lmove", 3, () => [Cmd("LMOVE"), Key(), Key(), Word(Pick(Ends)), Word(Pick(Ends))]);
        Add("rpoplpush", 2, () => [Cmd("RPOPLPUSH"), Key(), Key()]);
        Add("lmpop", 3, LMPop);

        // server
        Add("time", 1, () => [Cmd("TIME")]);
        Add("config", 4, Config);
        Add("info", 2, Info);
        Add("slowlog", 2, () => _rng.Next(6) switch
        {
            0 or 1 => [Cmd("SLOWLOG"), Word("LEN")],
            2 => [Cmd("SLOWLOG"), Word("RESET")],
            3 => [Cmd("SLOWLOG"), Word("GET")],
            4 => [Cmd("SLOWLOG"), Word("GET"), Pick(["0", "1", "2", "10", "-1", "-2", "abc"])],
            _ => [Cmd("SLOWLOG"), Word(Pick(["HELP", "NOSUCHSUB"]))],
        });
        Add("latency", 2, () => _rng.Next(8) switch
        {
            0 => [Cmd("LATENCY"), Word("LATEST")],
            1 => [Cmd("LATENCY"), Word("HISTORY"), Pick(LatencyEvents)],
            2 => [Cmd("LATENCY"), Word("RESET"), .. Enumerable.Range(0, _rng.Next(3)).Select(_ => Pick(LatencyEvents))],
            3 => [Cmd("LATENCY"), Word("GRAPH"), Pick(LatencyEvents)],
            4 => [Cmd("LATENCY"), Word("DOCTOR")],
            5 or 6 => [Cmd("LATENCY"), Word("HISTOGRAM"), .. Enumerable.Range(0, 2 + _rng.Next(3)).Select(_ => Pick(HistogramCommands))],
            _ => [Cmd("LATENCY"), Word(Pick(["HELP", "NOSUCHSUB"]))],
        });
        Add("memory", 3, () => _rng.Next(5) switch
        {
            0 => [Cmd("MEMORY"), Word("USAGE"), Key(), Word("SAMPLES"), Pick(["0", "1", "5", "-1", "abc"])],
            1 => [Cmd("MEMORY"), Word("USAGE"), Key(), Word(Pick(["SAMPLES", "FOO"]))],
            _ => [Cmd("MEMORY"), Word("USAGE"), Key()],
        });
        Add("command", 1, () => [Cmd("COMMAND"), Word("GETKEYS"), .. Pick<Func<List<string>>>([Set, Copy, Lcs, () => [Cmd("MGET"), .. KeyList(1, 3)]])()]);
    }

    // ---- argument generators

    private List<string> Config()
    {
        switch (_rng.Next(10))
        {
            case 0:
            case 1:
                return [Cmd("CONFIG"), Word("GET"), .. Enumerable.Range(0, 1 + _rng.Next(2)).Select(_ => ConfigName())];
            case 2:
                return [Cmd("CONFIG"), Word("RESETSTAT")];
            case 3:
                return [Cmd("CONFIG"), Word("SET"), Pick(["nosuchparameter", "databases", "daemonize", "maxmemory-policy"]), Pick(["1", "yes", "bogus"])];
            default:
                // One to three parameters (CONFIG SET applies all or none), sometimes the same one twice.
                var args = new List<string> { Cmd("CONFIG"), Word("SET") };
                var n = 1 + _rng.Next(_rng.Next(4) == 0 ? 3 : 1);
                for (var i = 0; i < n; i++)
                {
                    var (name, _, values) = Pick(SafeConfig);
                    args.AddRange([_rng.Next(8) == 0 ? name.ToUpperInvariant() : name, Pick(values)]);
                }
                return args;
        }
    }

    private string ConfigName() => _rng.Next(3) == 0 ? Pick(ConfigGetPatterns) : Pick(SafeConfig).Name;

    private List<string> Info()
    {
        List<string> args = [Cmd("INFO")];
        var n = _rng.Next(4) == 0 ? 0 : 1 + _rng.Next(_rng.Next(3) == 0 ? 3 : 1);
        for (var i = 0; i < n; i++) args.Add(Word(Pick(InfoSections)));
        return args;
    }

    private List<string> ClientList()
    {
        List<string> args = [Cmd("CLIENT"), Word("LIST")];
        switch (_rng.Next(5))
        {
            case 0: args.AddRange([Word("TYPE"), Word(Pick(["normal", "pubsub", "master", "replica", "slave", "bogus"]))]); break;
            case 1: args.AddRange([Word("ID"), .. Enumerable.Range(0, 1 + _rng.Next(2)).Select(_ => Pick(["999999999", "0", "-1", "abc"]))]); break;
            default: break;
        }
        return args;
    }

    /// <summary>
    /// CLIENT KILL that can match no live client: every filter set holds at least one that matches nothing (no
    /// TYPE normal, no USER default), so the count is 0 on both servers whatever other connections exist.
    /// </summary>
    private List<string> ClientKill()
    {
        List<string> args = [Cmd("CLIENT"), Word("KILL")];
        if (_rng.Next(5) == 0)
        {
            // The old form: one address, an error when no client has it.
            args.Add(Pick(["1.2.3.4:5", "127.0.0.1:1", "nonsense"]));
            return args;
        }
        var filters = new List<List<string>>
        {
            _rng.Next(4) switch
            {
                0 => [Word("ID"), Pick(["999999999", "0", "abc"])],
                1 => [Word("ADDR"), Pick(["1.2.3.4:5", "127.0.0.1:1"])],
                2 => [Word("LADDR"), "1.2.3.4:5"],
                _ => [Word("TYPE"), Word(Pick(["pubsub", "master", "replica", "bogus"]))],
            },
        };
        if (_rng.Next(2) == 0) filters.Add([Word("SKIPME"), Word(Pick(["yes", "no", "maybe"]))]);
        if (_rng.Next(4) == 0) filters.Add([Word("USER"), Pick(["nosuchuser", "nosuchuser2"])]);
        if (_rng.Next(10) == 0) filters.Add([Word(Pick(["MAXAGE", "BOGUS"])), "1"]);
        Shuffle(filters);
        foreach (var f in filters) args.AddRange(f);
        return args;
    }

    private List<string> Set()
    {
        var args = new List<string> { Cmd("SET"), Key(), Pick(Values) };
        if (_rng.Next(2) == 0) return args;
        var options = new List<List<string>>();
        var count = 1 + _rng.Next(3);
        for (var i = 0; i < count; i++)
        {
            options.Add(_rng.Next(8) switch
            {
                0 => [Word("NX")],
                1 => [Word("XX")],
                2 => [Word("GET")],
                3 => [Word("EX"), RelativeOrBad(seconds: true)],
                4 => [Word("PX"), RelativeOrBad(seconds: false)],
                5 => [Word("EXAT"), AbsoluteOrBad(seconds: true, allowPast: false)],
                6 => [Word("PXAT"), AbsoluteOrBad(seconds: false, allowPast: false)],
                _ => [Word("KEEPTTL")],
            });
        }
        foreach (var o in options) args.AddRange(o);
        return args;
    }

    private List<string> GetEx()
    {
        var args = new List<string> { Cmd("GETEX"), Key() };
        switch (_rng.Next(8))
        {
            case 0: args.AddRange([Word("EX"), RelativeOrBad(seconds: true)]); break;
            case 1: args.AddRange([Word("PX"), RelativeOrBad(seconds: false)]); break;
            case 2: args.AddRange([Word("EXAT"), AbsoluteOrBad(seconds: true, allowPast: false)]); break;
            case 3: args.AddRange([Word("PXAT"), AbsoluteOrBad(seconds: false, allowPast: false)]); break;
            case 4: args.Add(Word("PERSIST")); break;
            case 5: args.AddRange([Word("EX"), RelativeOrBad(seconds: true), Word("PERSIST")]); break;
            default: break;
        }
        return args;
    }

    private List<string> Lcs()
    {
        var args = new List<string> { Cmd("LCS"), Key(), Key() };
        switch (_rng.Next(6))
        {
            case 0: args.Add(Word("LEN")); break;
            case 1: args.Add(Word("IDX")); break;
            case 2: args.AddRange([Word("IDX"), Word("MINMATCHLEN"), Pick(["0", "1", "2", "4", "-1", "abc"])]); break;
            case 3: args.AddRange([Word("IDX"), Word("WITHMATCHLEN")]); break;
            case 4: args.AddRange([Word("IDX"), Word("MINMATCHLEN"), Pick(["1", "2", "3"]), Word("WITHMATCHLEN")]); break;
            default: break;
        }
        return args;
    }

    private List<string> Copy()
    {
        var args = new List<string> { Cmd("COPY"), Key(), Key() };
        if (_rng.Next(3) == 0) args.AddRange([Word("DB"), Pick(Dbs)]);
        if (_rng.Next(3) == 0) args.Add(Word("REPLACE"));
        if (args.Count > 4 && _rng.Next(2) == 0)
        {
            // options in the other order
            var tail = args.GetRange(3, args.Count - 3);
            args.RemoveRange(3, args.Count - 3);
            if (tail[0].Equals("REPLACE", StringComparison.OrdinalIgnoreCase)) args.AddRange(tail);
            else args.AddRange([.. tail.GetRange(2, tail.Count - 2), .. tail.GetRange(0, 2)]);
        }
        return args;
    }

    private List<string> Scan()
    {
        var args = new List<string> { Cmd("SCAN"), "0" };
        var options = new List<List<string>>();
        if (_rng.Next(2) == 0) options.Add([Word("MATCH"), Pick(Patterns)]);
        if (_rng.Next(2) == 0) options.Add([Word("COUNT"), Pick(["1", "2", "5", "100"])]);
        if (_rng.Next(4) == 0) options.Add([Word("TYPE"), Pick(["string", "list", "STRING"])]);
        Shuffle(options);
        foreach (var o in options) args.AddRange(o);
        return args;
    }

    private List<string> LPos()
    {
        var args = new List<string> { Cmd("LPOS"), Key(), Element() };
        var options = new List<List<string>>();
        if (_rng.Next(2) == 0) options.Add([Word("RANK"), Pick(["1", "2", "-1", "-2", "0", "abc", "-9223372036854775807"])]);
        if (_rng.Next(2) == 0) options.Add([Word("COUNT"), Pick(["0", "1", "2", "-1", "abc"])]);
        if (_rng.Next(3) == 0) options.Add([Word("MAXLEN"), Pick(["0", "1", "3", "-1"])]);
        if (_rng.Next(20) == 0) options.Add([Word("FOO")]);
        Shuffle(options);
        foreach (var o in options) args.AddRange(o);
        return args;
    }

    private List<string> LMPop()
    {
        var keys = KeyList(1, 3);
        var numKeys = _rng.Next(15) switch
        {
            0 => "0",
            1 => "-1",
            2 => "abc",
            3 => (keys.Count + 1).ToString(CultureInfo.InvariantCulture),
            _ => keys.Count.ToString(CultureInfo.InvariantCulture),
        };
        List<string> args = [Cmd("LMPOP"), numKeys, .. keys, Word(Pick(["LEFT", "RIGHT", "LEFT", "RIGHT", "UP"]))];
        if (_rng.Next(2) == 0) args.AddRange([Word("COUNT"), Pick(["1", "2", "10", "0", "-1", "abc"])]);
        return args;
    }

    private string Element() => _rng.Next(4) == 0 ? Pick(Values) : Pick(ListElements);

    private List<string> Elements(int min, int max)
    {
        var n = min + _rng.Next(max - min + 1);
        var elements = new List<string>(n);
        for (var i = 0; i < n; i++) elements.Add(Element());
        return elements;
    }

    private List<string> NxXxOnly() => _rng.Next(3) switch
    {
        0 => [Word("NX")],
        1 => [Word("XX")],
        _ => [],
    };

    private List<string> ExpireOptions() => _rng.Next(10) switch
    {
        0 => [Word("NX")],
        1 => [Word("XX")],
        2 => [Word("GT")],
        3 => [Word("LT")],
        4 => [Word("XX"), Word("GT")],
        5 => [Word(Pick(["NX", "GT"])), Word(Pick(["XX", "LT"]))],
        6 => [Word("FOO")],
        _ => [],
    };

    private string RelativeOrBad(bool seconds)
    {
        if (_rng.Next(5) == 0) return Pick(BadTimes);
        var s = Pick(RelativeSeconds);
        return seconds ? s : s + "000";
    }

    /// <param name="allowPast">
    /// EXPIREAT/PEXPIREAT with a past time delete the key at once. SET/GETEX with a past EXAT/PXAT leave an expired key
    /// behind in Redis 7.0 until it is accessed or active expiry finds it, so DBSIZE/RANDOMKEY would depend on the
    /// clock: the scripts cover those, with an immediate access.
    /// </param>
    private string AbsoluteOrBad(bool seconds, bool allowPast = true)
    {
        var r = _rng.Next(allowPast ? 10 : 8) + (allowPast ? 0 : 2);
        long at = r switch
        {
            0 => 1,
            1 => _baseSeconds - 1000,
            _ => _baseSeconds + Pick(AbsoluteOffsetsSeconds),
        };
        if (r == 2 && _rng.Next(3) == 0) return Pick(BadTimes);
        return seconds ? at.ToString(CultureInfo.InvariantCulture) : (at * 1000 + _rng.Next(1000)).ToString(CultureInfo.InvariantCulture);
    }

    private string Key() => Pick(Keys);

    private List<string> KeyList(int min, int max)
    {
        var n = min + _rng.Next(max - min + 1);
        var keys = new List<string>(n);
        for (var i = 0; i < n; i++) keys.Add(Key());
        return keys;
    }

    private List<string> Pairs()
    {
        var n = 1 + _rng.Next(3);
        var result = new List<string>();
        for (var i = 0; i < n; i++)
        {
            result.Add(Key());
            result.Add(Pick(Values));
        }
        return result;
    }

    private T Pick<T>(IReadOnlyList<T> from) => from[_rng.Next(from.Count)];

    /// <summary>A command name in random case (mostly as Redis documents it).</summary>
    private string Cmd(string name) => Word(name);

    private string Word(string word) => _rng.Next(4) switch
    {
        0 => word.ToLowerInvariant(),
        1 => RandomCase(word),
        _ => word,
    };

    private string RandomCase(string word)
    {
        var chars = word.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            chars[i] = _rng.Next(2) == 0 ? char.ToLowerInvariant(chars[i]) : char.ToUpperInvariant(chars[i]);
        return new string(chars);
    }

    private void Shuffle<T>(List<T> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = _rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
