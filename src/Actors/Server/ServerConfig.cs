using System.Globalization;
using System.Text;
using AkkaRedis.Net.Resp;
using AkkaRedis.Actors.Storage;
using static AkkaRedis.Actors.Server.ConfigFlags;

namespace AkkaRedis.Actors.Server;

/// <summary>
/// The server's parameters, by their redis.conf names: every parameter Redis 7.0 has, with its defaults, bounds and
/// error texts, whether the server acts on it yet or not (clients and tools read and set them). Defaults come from
/// the table below, then HOCON (akkaredis.server), then a redis.conf-style file, then --name value arguments, then
/// CONFIG SET at run time.
/// </summary>
public sealed class ServerConfig
{
    private readonly Dictionary<string, ConfigParameter> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ConfigParameter> _parameters = new();

    private readonly NumberParameter _port, _databases, _shards, _hz, _protoMaxBulkLen, _clientQueryBufferLimit, _maxClients, _ioThreads;
    private readonly NumberParameter _maxMemory, _replBacklogSize;
    private readonly NumberParameter _zsetMaxListpackEntries, _zsetMaxListpackValue;
    private readonly NumberParameter _hllSparseMaxBytes;
    private readonly EnumParameter _logLevel, _maxMemoryPolicy, _enableDebugCommand, _enableProtectedConfigs;
    private readonly StringParameter _requirePass;
    private readonly BoolParameter _protectedMode;
    private readonly NumberParameter _idleTimeout, _tcpKeepAlive;
    private readonly BoolParameter _lazyfreeLazyExpire;
    private readonly NumberParameter _hashMaxListpackEntries, _hashMaxListpackValue;
    private readonly NumberParameter _streamNodeMaxEntries, _streamNodeMaxBytes;

    private string[] _bind = ["*", "-::*"];
    // Replaced, never modified in place, so that readers on other threads see a whole list.
    private List<(long Seconds, long Changes)> _save = [(3600, 1), (300, 100), (60, 10000)];
    private bool _saveLoadedFromFile;
    private readonly OutputBufferLimit[] _outputBufferLimits = DefaultOutputBufferLimits();
    private readonly int[] _oomScoreAdjValues = [0, 200, 800];
    private double[] _latencyPercentiles = [50, 99, 99.9];
    private int _notifyKeyspaceEvents;
    private string? _replicaOfHost;
    private int _replicaOfPort;

    private static readonly (string, int)[] NoYesLocal = [("no", 0), ("yes", 1), ("local", 2)];

    public ServerConfig()
    {
        // Bool configs
        Bool("rdbchecksum", null, Immutable, true);
        Bool("daemonize", null, Immutable, false);
        Bool("io-threads-do-reads", null, Immutable, false);
        Bool("always-show-logo", null, Immutable, false);
        _protectedMode = Bool("protected-mode", null, None, true);
        Bool("rdbcompression", null, None, true);
        Bool("rdb-del-sync-files", null, None, false);
        Bool("activerehashing", null, None, true);
        Bool("stop-writes-on-bgsave-error", null, None, true);
        Bool("set-proc-title", null, Immutable, true);
        Bool("dynamic-hz", null, None, true);
        Bool("lazyfree-lazy-eviction", null, None, false);
        _lazyfreeLazyExpire = Bool("lazyfree-lazy-expire", null, None, false);
        Bool("lazyfree-lazy-server-del", null, None, false);
        Bool("lazyfree-lazy-user-del", null, None, false);
        Bool("lazyfree-lazy-user-flush", null, None, false);
        Bool("repl-disable-tcp-nodelay", null, None, false);
        Bool("repl-diskless-sync", null, None, true);
        Bool("aof-rewrite-incremental-fsync", null, None, true);
        Bool("no-appendfsync-on-rewrite", null, None, false);
        Bool("cluster-require-full-coverage", null, None, true);
        Bool("rdb-save-incremental-fsync", null, None, true);
        Bool("aof-load-truncated", null, None, true);
        Bool("aof-use-rdb-preamble", null, None, true);
        Bool("aof-timestamp-enabled", null, None, false);
        Bool("cluster-replica-no-failover", "cluster-slave-no-failover", None, false);
        Bool("replica-lazy-flush", "slave-lazy-flush", None, false);
        Bool("replica-serve-stale-data", "slave-serve-stale-data", None, true);
        Bool("replica-read-only", "slave-read-only", None, true);
        Bool("replica-ignore-maxmemory", "slave-ignore-maxmemory", None, true);
        Bool("jemalloc-bg-thread", null, None, true);
        Add(new BoolParameter("activedefrag", null, None, false)
        {
            Validate = on => on
                ? "Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution"
                : null,
        });
        Bool("syslog-enabled", null, Immutable, false);
        Bool("cluster-enabled", null, Immutable, false);
        Bool("appendonly", null, None, false);
        Bool("cluster-allow-reads-when-down", null, None, false);
        Bool("cluster-allow-pubsubshard-when-down", null, None, true);
        Bool("crash-log-enabled", null, None, true);
        Bool("crash-memcheck-enabled", null, None, true);
        Bool("use-exit-on-panic", null, Hidden, false);
        Bool("disable-thp", null, Immutable, true);
        Bool("cluster-allow-replica-migration", null, None, true);
        Bool("replica-announced", null, None, true);
        Bool("latency-tracking", null, None, true);
        Bool("aof-disable-auto-gc", null, None, false);
        Bool("replica-ignore-disk-write-errors", null, None, false);

        // String configs
        String("aclfile", null, Immutable, "", emptyIsNull: false);
        String("unixsocket", null, Immutable, null, emptyIsNull: true);
        String("pidfile", null, Immutable, null, emptyIsNull: true);
        String("replica-announce-ip", "slave-announce-ip", None, null, emptyIsNull: true);
        String("masteruser", null, Sensitive, null, emptyIsNull: true);
        String("cluster-announce-ip", null, None, null, emptyIsNull: true);
        String("cluster-config-file", null, Immutable, "nodes.conf", emptyIsNull: false);
        Add(new StringParameter("cluster-announce-hostname", null, None, null, emptyIsNull: true) { Validate = ValidateHostname });
        String("syslog-ident", null, Immutable, "redis", emptyIsNull: false);
        Add(new StringParameter("dbfilename", null, Protected, "dump.rdb", emptyIsNull: false)
        {
            Validate = v => IsBaseName(v) ? null : "dbfilename can't be a path, just a filename",
        });
        Add(new StringParameter("appendfilename", null, Immutable, "appendonly.aof", emptyIsNull: false)
        {
            Validate = v => v.Length == 0 ? "appendfilename can't be empty" : IsBaseName(v) ? null : "appendfilename can't be a path, just a filename",
        });
        Add(new StringParameter("appenddirname", null, Immutable, "appendonlydir", emptyIsNull: false)
        {
            Validate = v => v.Length == 0 ? "appenddirname can't be empty" : IsBaseName(v) ? null : "appenddirname can't be a path, just a dirname",
        });
        String("server_cpulist", null, Immutable, null, emptyIsNull: true);
        String("bio_cpulist", null, Immutable, null, emptyIsNull: true);
        String("aof_rewrite_cpulist", null, Immutable, null, emptyIsNull: true);
        String("bgsave_cpulist", null, Immutable, null, emptyIsNull: true);
        String("ignore-warnings", null, None, "", emptyIsNull: false);
        String("proc-title-template", null, None, "{title} {listen-addr} {server-mode}", emptyIsNull: false);
        String("bind-source-addr", null, None, null, emptyIsNull: true);
        String("logfile", null, Immutable, "", emptyIsNull: false);
        String("masterauth", null, Sensitive, null, emptyIsNull: true);
        _requirePass = String("requirepass", null, Sensitive, null, emptyIsNull: true);

        // Enum configs
        Enum("supervised", null, Immutable, [("upstart", 1), ("systemd", 2), ("auto", 3), ("no", 0)], 0);
        Enum("syslog-facility", null, Immutable,
            [("user", 8), ("local0", 128), ("local1", 136), ("local2", 144), ("local3", 152), ("local4", 160), ("local5", 168), ("local6", 176), ("local7", 184)], 128);
        Enum("repl-diskless-load", null, None, [("disabled", 0), ("on-empty-db", 1), ("swapdb", 2)], 0);
        _logLevel = Enum("loglevel", null, None, [("debug", 0), ("verbose", 1), ("notice", 2), ("warning", 3)], 2);
        _maxMemoryPolicy = Enum("maxmemory-policy", null, None,
            [("volatile-lru", 1), ("volatile-lfu", 2), ("volatile-random", 3), ("volatile-ttl", 4), ("allkeys-lru", 5), ("allkeys-lfu", 6), ("allkeys-random", 7), ("noeviction", 8)], 8);
        Enum("appendfsync", null, None, [("everysec", 2), ("always", 1), ("no", 0)], 2);
        Enum("oom-score-adj", null, None, [("no", 0), ("yes", 1), ("relative", 1), ("absolute", 2)], 0);
        Enum("acl-pubsub-default", null, None, [("allchannels", 1), ("resetchannels", 0)], 0);
        Enum("sanitize-dump-payload", null, None, [("no", 0), ("yes", 1), ("clients", 2)], 0);
        _enableProtectedConfigs = Enum("enable-protected-configs", null, Immutable, NoYesLocal, 0);
        _enableDebugCommand = Enum("enable-debug-command", null, Immutable, NoYesLocal, 0);
        Enum("enable-module-command", null, Immutable, NoYesLocal, 0);
        Enum("cluster-preferred-endpoint-type", null, None, [("ip", 0), ("hostname", 1), ("unknown-endpoint", 2)], 0);
        Enum("propagation-error-behavior", null, None, [("ignore", 0), ("panic", 1), ("panic-on-replicas", 2)], 0);
        (string, int)[] shutdownFlags = [("default", 0), ("save", 1), ("nosave", 2), ("now", 4), ("force", 8)];
        Add(new EnumParameter("shutdown-on-sigint", null, MultiArg, shutdownFlags, 0) { Validate = ValidateShutdownFlags });
        Add(new EnumParameter("shutdown-on-sigterm", null, MultiArg, shutdownFlags, 0) { Validate = ValidateShutdownFlags });

        // Integer configs (int: 32-bit signed bounds)
        _databases = Int("databases", null, Immutable, 1, int.MaxValue, 16);
        _port = Int("port", null, None, 0, 65535, 6379);
        _ioThreads = Int("io-threads", null, Immutable, 1, 128, 1);
        Int("auto-aof-rewrite-percentage", null, None, 0, int.MaxValue, 100);
        Int("cluster-replica-validity-factor", "cluster-slave-validity-factor", None, 0, int.MaxValue, 10);
        Int("list-max-listpack-size", "list-max-ziplist-size", None, int.MinValue, int.MaxValue, -2);
        _tcpKeepAlive = Int("tcp-keepalive", null, None, 0, int.MaxValue, 300);
        Int("cluster-migration-barrier", null, None, 0, int.MaxValue, 1);
        Int("active-defrag-cycle-min", null, None, 1, 99, 1);
        Int("active-defrag-cycle-max", null, None, 1, 99, 25);
        Int("active-defrag-threshold-lower", null, None, 0, 1000, 10);
        Int("active-defrag-threshold-upper", null, None, 0, 1000, 100);
        Int("lfu-log-factor", null, None, 0, int.MaxValue, 10);
        Int("lfu-decay-time", null, None, 0, int.MaxValue, 1);
        Int("replica-priority", "slave-priority", None, 0, int.MaxValue, 100);
        Int("repl-diskless-sync-delay", null, None, 0, int.MaxValue, 5);
        Int("maxmemory-samples", null, None, 1, int.MaxValue, 5);
        Int("maxmemory-eviction-tenacity", null, None, 0, 100, 10);
        _idleTimeout = Int("timeout", null, None, 0, int.MaxValue, 0);
        Int("replica-announce-port", "slave-announce-port", None, 0, 65535, 0);
        Int("tcp-backlog", null, Immutable, 0, int.MaxValue, 511);
        Int("cluster-port", null, Immutable, 0, 65535, 0);
        Int("cluster-announce-bus-port", null, None, 0, 65535, 0);
        Int("cluster-announce-port", null, None, 0, 65535, 0);
        Int("cluster-announce-tls-port", null, None, 0, 65535, 0);
        Int("repl-timeout", null, None, 1, int.MaxValue, 60);
        Int("repl-ping-replica-period", "repl-ping-slave-period", None, 1, int.MaxValue, 10);
        Int("list-compress-depth", null, None, 0, int.MaxValue, 0);
        Int("rdb-key-save-delay", null, Hidden, int.MinValue, int.MaxValue, 0);
        Int("key-load-delay", null, Hidden, int.MinValue, int.MaxValue, 0);
        Int("active-expire-effort", null, None, 1, 10, 1);
        // Redis accepts any hz but caps it to 1..500 (updateHZ), also for values read from the config file.
        _hz = Add(new NumberParameter("hz", null, None, 0, int.MaxValue, 10) { Normalize = v => Math.Clamp(v, 1, 500) });
        Int("min-replicas-to-write", "min-slaves-to-write", None, 0, int.MaxValue, 0);
        Int("min-replicas-max-lag", "min-slaves-max-lag", None, 0, int.MaxValue, 10);
        Int("watchdog-period", null, Hidden, 0, int.MaxValue, 0);
        Int("shutdown-timeout", null, None, 0, int.MaxValue, 10);
        Int("repl-diskless-sync-max-replicas", null, None, 0, int.MaxValue, 0);

        // Unsigned int configs
        _maxClients = Add(new NumberParameter("maxclients", null, None, 1, uint.MaxValue, 10000, unsigned: true));
        Add(new NumberParameter("unixsocketperm", null, Immutable, 0, Convert.ToInt64("777", 8), 0, NumberFormat.Octal, unsigned: true));
        Add(new NumberParameter("socket-mark-id", null, Immutable, 0, uint.MaxValue, 0, unsigned: true));

        // Unsigned long configs (bounds checked signed, as Redis does for this type)
        Int("active-defrag-max-scan-fields", null, None, 1, long.MaxValue, 1000);
        Int("slowlog-max-len", null, None, 0, long.MaxValue, 128);
        Int("acllog-max-len", null, None, 0, long.MaxValue, 128);

        // Long long configs
        Int("busy-reply-threshold", "lua-time-limit", None, 0, long.MaxValue, 5000);
        Int("cluster-node-timeout", null, None, 0, long.MaxValue, 15000);
        Int("slowlog-log-slower-than", null, None, -1, long.MaxValue, 10000);
        Int("latency-monitor-threshold", null, None, 0, long.MaxValue, 0);
        _protoMaxBulkLen = Memory("proto-max-bulk-len", null, None, 1024 * 1024, long.MaxValue, 512L * 1024 * 1024);
        _streamNodeMaxEntries = Int("stream-node-max-entries", null, None, 0, long.MaxValue, 100);
        _replBacklogSize = Memory("repl-backlog-size", null, None, 1, long.MaxValue, 1024 * 1024);

        // Unsigned long long configs
        _maxMemory = Add(new NumberParameter("maxmemory", null, None, 0, -1, 0, NumberFormat.Memory, unsigned: true));
        Add(new NumberParameter("cluster-link-sendbuf-limit", null, None, 0, -1, 0, NumberFormat.Memory, unsigned: true));

        // size_t configs
        _hashMaxListpackEntries = Add(new NumberParameter("hash-max-listpack-entries", "hash-max-ziplist-entries", None, 0, long.MaxValue, 512, unsigned: true));
        Add(new NumberParameter("set-max-intset-entries", null, None, 0, long.MaxValue, 512, unsigned: true));
        _zsetMaxListpackEntries = Add(new NumberParameter("zset-max-listpack-entries", "zset-max-ziplist-entries", None, 0, long.MaxValue, 128, unsigned: true));
        Add(new NumberParameter("active-defrag-ignore-bytes", null, None, 1, long.MaxValue, 100L << 20, NumberFormat.Memory, unsigned: true));
        _hashMaxListpackValue = Add(new NumberParameter("hash-max-listpack-value", "hash-max-ziplist-value", None, 0, long.MaxValue, 64, NumberFormat.Memory, unsigned: true));
        _streamNodeMaxBytes = Add(new NumberParameter("stream-node-max-bytes", null, None, 0, long.MaxValue, 4096, NumberFormat.Memory, unsigned: true));
        _zsetMaxListpackValue = Add(new NumberParameter("zset-max-listpack-value", "zset-max-ziplist-value", None, 0, long.MaxValue, 64, NumberFormat.Memory, unsigned: true));
        _hllSparseMaxBytes = Add(new NumberParameter("hll-sparse-max-bytes", null, None, 0, long.MaxValue, 3000, NumberFormat.Memory, unsigned: true));
        _trackingTableMaxKeys = Add(new NumberParameter("tracking-table-max-keys", null, None, 0, long.MaxValue, 1000000, unsigned: true));
        _clientQueryBufferLimit = Add(new NumberParameter("client-query-buffer-limit", null, None, 1024 * 1024, long.MaxValue, 1024L * 1024 * 1024,
            NumberFormat.Memory, unsigned: true));
        Add(new NumberParameter("maxmemory-clients", null, None, -100, long.MaxValue, 0, NumberFormat.MemoryOrPercent));

        // Other numeric configs
        Int("repl-backlog-ttl", null, None, 0, long.MaxValue, 60 * 60);
        Memory("auto-aof-rewrite-min-size", null, None, 0, long.MaxValue, 64L * 1024 * 1024);
        Int("loading-process-events-interval-bytes", null, Hidden, 1024, int.MaxValue, 1024 * 1024 * 2);

        // TLS configs (accepted and stored; this server does not speak TLS)
        Int("tls-port", null, None, 0, 65535, 0);
        Int("tls-session-cache-size", null, None, 0, int.MaxValue, 20 * 1024);
        Int("tls-session-cache-timeout", null, None, 0, int.MaxValue, 300);
        Bool("tls-cluster", null, None, false);
        Bool("tls-replication", null, None, false);
        Enum("tls-auth-clients", null, None, [("no", 0), ("yes", 1), ("optional", 2)], 1);
        Bool("tls-prefer-server-ciphers", null, None, false);
        Bool("tls-session-caching", null, None, true);
        foreach (var name in (string[])["tls-cert-file", "tls-key-file", "tls-key-file-pass", "tls-client-cert-file", "tls-client-key-file",
                     "tls-client-key-file-pass", "tls-dh-params-file", "tls-ca-cert-file", "tls-ca-cert-dir", "tls-protocols", "tls-ciphers", "tls-ciphersuites"])
            String(name, null, None, null, emptyIsNull: true);

        // Special configs
        Add(new SpecialParameter("dir", null, Protected, GetDir, SetDir, RewriteDir));
        Add(new SpecialParameter("save", null, MultiArg, GetSave, SetSave, RewriteSave));
        Add(new SpecialParameter("client-output-buffer-limit", null, MultiArg, GetOutputBufferLimits, SetOutputBufferLimits, RewriteOutputBufferLimits));
        Add(new SpecialParameter("oom-score-adj-values", null, MultiArg, GetOomScoreAdjValues, SetOomScoreAdjValues, RewriteOomScoreAdjValues));
        Add(new SpecialParameter("notify-keyspace-events", null, None, () => KeyspaceEventsToString(_notifyKeyspaceEvents), SetNotifyKeyspaceEvents,
            s => s.RewriteLine("notify-keyspace-events", "notify-keyspace-events " + ConfigParameter.Repr(KeyspaceEventsToString(_notifyKeyspaceEvents)),
                _notifyKeyspaceEvents != 0)));
        Add(new SpecialParameter("bind", null, MultiArg, () => string.Join(' ', _bind), SetBind, RewriteBind));
        Add(new SpecialParameter("replicaof", "slaveof", Immutable | MultiArg, GetReplicaOf, SetReplicaOf, s => s.MarkProcessed("replicaof")));
        Add(new SpecialParameter("latency-tracking-info-percentiles", null, MultiArg, GetLatencyPercentiles, SetLatencyPercentiles,
            RewriteLatencyPercentiles));

        // AkkaRedis's own: how many shard actors own the keyspace (0 = one per processor). Hidden so that
        // CONFIG GET * lists exactly Redis's parameters.
        _shards = Int("shards", null, Immutable | Hidden, 0, 1024, 0);
        // Actor tracing (see Tracing/CommandTracer): on/off, the share of commands traced, text or JSON lines.
        _traceCommands = Bool("trace-commands", null, Hidden, false);
        Add(new SpecialParameter("trace-sample-rate", null, Hidden, GetTraceSampleRate, SetTraceSampleRate,
            s => s.RewriteLine("trace-sample-rate", "trace-sample-rate " + GetTraceSampleRate(), _traceSampleRate != 1)));
        _traceLogFormat = Enum("trace-log-format", null, Hidden, [("text", 0), ("json", 1)], 0);
        // A shard with more messages than this waiting is reported as falling behind (INFO shards, log).
        _shardMailboxWarnThreshold = Int("shard-mailbox-warn-threshold", null, Hidden, 1, int.MaxValue, 1000);
    }

    private readonly BoolParameter _traceCommands;
    private readonly EnumParameter _traceLogFormat;
    private double _traceSampleRate = 1;
    private readonly NumberParameter _shardMailboxWarnThreshold;

    public long ShardMailboxWarnThreshold => _shardMailboxWarnThreshold.Value;

    /// <summary>trace-commands: whether sampled commands log every hop through the actors.</summary>
    public bool TraceCommands => _traceCommands.Value;
    /// <summary>trace-sample-rate: the share of commands traced while trace-commands is on, 0 to 1.</summary>
    public double TraceSampleRate => _traceSampleRate;
    /// <summary>trace-log-format: "text" (Redis-style log lines) or "json" (one JSON object per hop).</summary>
    public string TraceLogFormat => _traceLogFormat.ValueName;

    private string GetTraceSampleRate() => _traceSampleRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private string? SetTraceSampleRate(IReadOnlyList<string> args)
    {
        if (args.Count != 1 || !RedisNumbers.TryParseDouble(Encoding.Latin1.GetBytes(args[0]), out var rate) || !(rate >= 0 && rate <= 1))
            return "argument must be a number between 0 and 1";
        _traceSampleRate = rate;
        return null;
    }

    public int Port => (int)_port.Value;
    public string[] Bind => _bind;
    public int Databases => (int)_databases.Value;
    /// <summary>io-threads: the threads that run connections (read, parse, run on idle shards, reply); 1, the default,
    /// is redis-server's one event loop. The host turns it into the socket engine count at start-up.</summary>
    public int IoThreads => (int)_ioThreads.Value;
    public int Shards => _shards.Value == 0 ? Environment.ProcessorCount : (int)_shards.Value;
    public int Hz => (int)_hz.Value;
    public long ProtoMaxBulkLen => _protoMaxBulkLen.Value;
    public long ClientQueryBufferLimit => _clientQueryBufferLimit.Value;
    public int MaxClients => (int)Math.Min(_maxClients.Value, int.MaxValue);
    public string LogLevel => _logLevel.ValueName;
    /// <summary>maxmemory in bytes (0 = no limit).</summary>
    public ulong MaxMemory => (ulong)_maxMemory.Value;
    public string MaxMemoryPolicy => _maxMemoryPolicy.ValueName;
    public long ReplBacklogSize => _replBacklogSize.Value;
    /// <summary>zset-max-listpack-entries / -value, clamped to int (no listpack can be larger anyway).</summary>
    public int ZsetMaxListpackEntries => (int)Math.Min(_zsetMaxListpackEntries.Value, int.MaxValue);
    public int ZsetMaxListpackValue => (int)Math.Min(_zsetMaxListpackValue.Value, int.MaxValue);
    /// <summary>Redis's server.hll_sparse_max_bytes: a sparse HyperLogLog that would grow past it turns dense.</summary>
    public long HllSparseMaxBytes => _hllSparseMaxBytes.Value;
    /// <summary>requirepass, or null when not set.</summary>
    public string? RequirePass => _requirePass.Value;
    /// <summary>protected-mode: refuse non-loopback clients while the default user needs no password.</summary>
    public bool ProtectedMode => _protectedMode.Value;
    /// <summary>timeout: seconds a client may stay idle before it is closed (0 = never).</summary>
    public long IdleTimeoutSeconds => _idleTimeout.Value;
    /// <summary>tcp-keepalive: SO_KEEPALIVE interval in seconds for new connections (0 = off).</summary>
    public int TcpKeepAliveSeconds => (int)_tcpKeepAlive.Value;

    /// <summary>lazyfree-lazy-expire: expired keys are deleted (and propagated) as UNLINK rather than DEL.</summary>
    public bool LazyfreeLazyExpire => _lazyfreeLazyExpire.Value;
    /// <summary>hash-max-listpack-entries / -value: the most fields, and the longest field or value, of a listpack
    /// hash (clamped to int: a longer one cannot be stored anyway).</summary>
    public int HashMaxListpackEntries => (int)Math.Min(_hashMaxListpackEntries.Value, int.MaxValue);
    /// <summary>A stream node holds at most this many entries, deleted ones included (0: no limit).</summary>
    public long StreamNodeMaxEntries => _streamNodeMaxEntries.Value;
    /// <summary>A stream node's listpack stays below this many bytes (0: only the 1 GB listpack limit).</summary>
    public long StreamNodeMaxBytes => _streamNodeMaxBytes.Value;
    private readonly NumberParameter _trackingTableMaxKeys;
    /// <summary>tracking-table-max-keys: keys remembered for client-side caching before the oldest are invalidated (0: no limit).</summary>
    public long TrackingTableMaxKeys => _trackingTableMaxKeys.Value;
    public int HashMaxListpackValue => (int)Math.Min(_hashMaxListpackValue.Value, int.MaxValue);
    /// <summary>notify-keyspace-events as Redis's NOTIFY_* bit flags.</summary>
    public int NotifyKeyspaceEvents => _notifyKeyspaceEvents;
    /// <summary>enable-debug-command: "no", "yes" or "local".</summary>
    public string EnableDebugCommand => _enableDebugCommand.ValueName;
    /// <summary>enable-protected-configs: "no", "yes" or "local".</summary>
    public string EnableProtectedConfigs => _enableProtectedConfigs.ValueName;
    /// <summary>save points (seconds, changes), as "save" sets them.</summary>
    public IReadOnlyList<(long Seconds, long Changes)> SavePoints => _save;

    // The RDB's parameters (issue 12): read where a save or a load happens, never per command.
    public string DbFilename => ((StringParameter)Find("dbfilename")!).Value ?? "dump.rdb";
    public bool RdbChecksum => ((BoolParameter)Find("rdbchecksum")!).Value;
    public bool StopWritesOnBgsaveError => ((BoolParameter)Find("stop-writes-on-bgsave-error")!).Value;
    /// <summary>shutdown-on-sigterm / shutdown-on-sigint as SHUTDOWN flags (1 save, 2 nosave, 4 now, 8 force; 0 default).</summary>
    public int ShutdownOnSigterm => ((EnumParameter)Find("shutdown-on-sigterm")!).Value;
    public int ShutdownOnSigint => ((EnumParameter)Find("shutdown-on-sigint")!).Value;
    /// <summary>busy-reply-threshold (alias lua-time-limit), in ms: read by sessions only while a script runs (issue 13).</summary>
    public long BusyReplyThreshold => (_busyReplyThreshold ??= (NumberParameter)Find("busy-reply-threshold")!).Value;
    private NumberParameter? _busyReplyThreshold;
    /// <summary>dir: the directory RDB (and AOF) files live in (the process's working directory, as Redis's).</summary>
    public string Dir => GetDir();

    /// <summary>Held while parameters are read or changed as a whole (CONFIG GET, SET, REWRITE), which sessions on
    /// different threads may run at the same time.</summary>
    public object SyncRoot { get; } = new();

    /// <summary>Applies a changed bind list at run time (set by the host, which owns the listening sockets): arguments
    /// are the old and the new list; false when the new addresses could not all be bound (the host binds the old
    /// ones again and CONFIG SET fails, restoring the old value). Null: CONFIG SET bind only records the value.</summary>
    public Func<string[], string[], bool>? ApplyBind { get; set; }

    /// <summary>Raised after a successful CONFIG SET with the names it set (on the thread that ran it): Redis's apply
    /// functions for parameters whose change starts work elsewhere (appendonly starts or stops the AOF).</summary>
    public event Action<IReadOnlyList<string>>? Changed;

    /// <summary>DEBUG SET-ACTIVE-EXPIRE.</summary>
    public bool ActiveExpireEnabled { get; set; } = true;

    /// <summary>Absolute path of the config file the server was started with (CONFIG REWRITE target), if any.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>Every parameter under its primary name, in Redis's table order (aliases are <see cref="ConfigParameter.Alias"/>).</summary>
    public IEnumerable<ConfigParameter> Parameters => _parameters;

    /// <summary>A parameter by its name or alias, case-insensitively.</summary>
    public ConfigParameter? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Sets a parameter at start-up (HOCON, or a file line / --option whose arguments were joined with
    /// spaces); returns Redis's error message or null.</summary>
    public string? Set(string name, string value)
    {
        var p = Find(name);
        if (p == null) return "Bad directive or wrong number of arguments";
        return p.MultiArg ? ApplyFromFile(p, ConfigParameter.SplitOnSpaces(value)) : p.Set(value);
    }

    /// <summary>Applies one config file line (name and its arguments, as sdssplitargs split them), as Redis's
    /// loadServerConfigFromString does; returns Redis's error message or null.</summary>
    public string? SetFromFile(string name, IReadOnlyList<string> args)
    {
        var p = Find(name);
        if (p == null)
        {
            // Directives Redis 7.0 still accepts and ignores.
            if (args.Count == 1 && name.ToLowerInvariant() is "list-max-ziplist-entries" or "list-max-ziplist-value" or "lua-replicate-commands")
                return null;
            return "Bad directive or wrong number of arguments";
        }
        if (!p.MultiArg && args.Count != 1) return "wrong number of arguments";
        // loadServerConfigFromString: a multi-arg parameter given one non-empty argument is split on spaces
        // (`--save "3600 1"` is `save 3600 1`).
        if (p.MultiArg && args.Count == 1 && args[0].Length > 0) args = ConfigParameter.SplitOnSpaces(args[0]);
        return ApplyFromFile(p, args);
    }

    private string? ApplyFromFile(ConfigParameter p, IReadOnlyList<string> args)
    {
        // In a config file, "save" lines add up: the defaults are dropped at the first one only.
        if (p.Name != "save") return p.Apply(args);
        var error = ValidateSave(args, out var points);
        if (error != null) return error;
        if (!_saveLoadedFromFile)
        {
            _saveLoadedFromFile = true;
            _save = points;
        }
        else _save = [.. _save, .. points];
        return null;
    }

    /// <summary>
    /// CONFIG SET's core: all parameters are validated first, then set one by one; if one fails, the ones already
    /// set are restored, so nothing changes. Returns Redis's error reply (with "ERR ") or null on success.
    /// </summary>
    /// <param name="protectedAllowed">Whether the caller may change protected parameters (enable-protected-configs).</param>
    public string? SetAtomically(IReadOnlyList<(string Name, string Value)> pairs, bool protectedAllowed)
    {
        lock (SyncRoot) return SetAtomicallyLocked(pairs, protectedAllowed);
    }

    private string? SetAtomicallyLocked(IReadOnlyList<(string Name, string Value)> pairs, bool protectedAllowed)
    {
        var parameters = new ConfigParameter[pairs.Count];
        string? unknownName = null, errorName = null, reason = null;
        for (var i = 0; i < pairs.Count; i++)
        {
            var p = Find(pairs[i].Name);
            if (p == null)
            {
                if (unknownName == null && errorName == null) unknownName = pairs[i].Name;
                if (errorName == null) errorName = pairs[i].Name;
                continue;
            }
            if (errorName != null) continue;
            if (p.Immutable || (p.Protected && !protectedAllowed))
            {
                reason = p.Immutable ? "can't set immutable config" : "can't set protected config";
                errorName = pairs[i].Name;
                continue;
            }
            // Redis's duplicate check is per table entry, and an alias has an entry of its own:
            // `CONFIG SET list-max-listpack-size -3 list-max-ziplist-size -4` is accepted (the last one wins).
            for (var j = 0; j < i; j++)
            {
                if (!ReferenceEquals(parameters[j], p) || !pairs[j].Name.Equals(pairs[i].Name, StringComparison.OrdinalIgnoreCase)) continue;
                reason = "duplicate parameter";
                errorName = pairs[i].Name;
                break;
            }
            parameters[i] = p;
        }
        if (unknownName != null) return $"ERR Unknown option or number of arguments for CONFIG SET - '{unknownName}'";
        if (errorName != null) return $"ERR CONFIG SET failed (possibly related to argument '{errorName}') - {reason}";

        var old = new string[pairs.Count];
        var oldBind = _bind;
        for (var i = 0; i < pairs.Count; i++) old[i] = parameters[i].Get();
        for (var i = 0; i < pairs.Count; i++)
        {
            var error = parameters[i].Set(pairs[i].Value);
            if (error == null) continue;
            for (var j = 0; j <= i; j++) parameters[j].Set(old[j]);
            // Redis names the config table entry that was looked up: an alias stays the alias (list-max-ziplist-size),
            // in lower case (the validation errors above echo the argument as given instead).
            return $"ERR CONFIG SET failed (possibly related to argument '{pairs[i].Name.ToLowerInvariant()}') - {error}";
        }
        // Redis's apply step, once every value is set: only bind has one here (rebinding the listeners).
        if (ApplyBind != null && !_bind.AsSpan().SequenceEqual(oldBind) && !ApplyBind(oldBind, _bind))
        {
            for (var j = 0; j < pairs.Count; j++) parameters[j].Set(old[j]);
            return "ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.";
        }
        if (Changed is { } changed)
        {
            var names = new string[pairs.Count];
            for (var i = 0; i < pairs.Count; i++) names[i] = parameters[i].Name;
            changed(names);
        }
        return null;
    }

    /// <summary>
    /// CONFIG GET: the parameters matching any of <paramref name="patterns"/>, each once. A pattern without glob
    /// characters looks its name up directly (hidden parameters and aliases included, reported under the name as
    /// given); a glob matches every non-hidden name and alias.
    /// </summary>
    public List<(string Name, ConfigParameter Parameter)> Match(IReadOnlyList<string> patterns)
    {
        var result = new List<(string, ConfigParameter)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pattern in patterns)
        {
            if (pattern.AsSpan().IndexOfAny("[*?") < 0)
            {
                if (seen.Contains(pattern)) continue;
                var p = Find(pattern);
                if (p != null && seen.Add(pattern)) result.Add((pattern, p));
                continue;
            }
            foreach (var p in _parameters)
            {
                if (p.Hidden) continue;
                MatchName(p.Name, p);
                if (p.Alias != null) MatchName(p.Alias, p);
            }

            void MatchName(string name, ConfigParameter p)
            {
                if (!seen.Contains(name) && GlobPattern.Match(pattern, name, noCase: true) && seen.Add(name)) result.Add((name, p));
            }
        }
        return result;
    }

    /// <summary>The config file content CONFIG REWRITE writes, given the current file's content.</summary>
    public string RewriteContent(string oldContent)
    {
        lock (SyncRoot) return RewriteContentLocked(oldContent);
    }

    private string RewriteContentLocked(string oldContent)
    {
        var state = new ConfigRewriteState(oldContent, IsKnownDirective);
        foreach (var p in _parameters) p.Rewrite(state);
        // ACL users and modules: only the default user exists, with requirepass as its password.
        var pass = RequirePass;
        state.RewriteLine("user", pass == null
            ? "user default on nopass ~* &* +@all"
            : "user default on #" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(pass))).ToLowerInvariant() +
              " ~* &* +@all", true);
        state.MarkProcessed("loadmodule");
        return state.Content();
    }

    private bool IsKnownDirective(string name) => Find(name) != null || name.ToLowerInvariant() is "user" or "loadmodule";

    private BoolParameter Bool(string name, string? alias, ConfigFlags flags, bool defaultValue) => Add(new BoolParameter(name, alias, flags, defaultValue));

    private StringParameter String(string name, string? alias, ConfigFlags flags, string? defaultValue, bool emptyIsNull) =>
        Add(new StringParameter(name, alias, flags, defaultValue, emptyIsNull));

    private EnumParameter Enum(string name, string? alias, ConfigFlags flags, (string, int)[] names, int defaultValue) =>
        Add(new EnumParameter(name, alias, flags, names, defaultValue));

    private NumberParameter Int(string name, string? alias, ConfigFlags flags, long min, long max, long defaultValue) =>
        Add(new NumberParameter(name, alias, flags, min, max, defaultValue));

    private NumberParameter Memory(string name, string? alias, ConfigFlags flags, long min, long max, long defaultValue) =>
        Add(new NumberParameter(name, alias, flags, min, max, defaultValue, NumberFormat.Memory));

    private T Add<T>(T p) where T : ConfigParameter
    {
        _parameters.Add(p);
        _byName[p.Name] = p;
        if (p.Alias != null) _byName[p.Alias] = p;
        return p;
    }

    private static bool IsBaseName(string path) => path.IndexOf('/') < 0 && path.IndexOf('\\') < 0;

    private static string? ValidateHostname(string value)
    {
        if (value.Length >= 256) return "Hostnames must be less than 256 characters";
        foreach (var c in value)
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '.'))
                return "Hostnames may only contain alphanumeric characters, hyphens or dots";
        return null;
    }

    private static string? ValidateShutdownFlags(int flags) =>
        (flags & 1) != 0 && (flags & 2) != 0 ? "shutdown options SAVE and NOSAVE can't be used simultaneously" : null;

    // dir: the process's working directory, as Redis chdir()s into it.
    private static string GetDir() => Directory.GetCurrentDirectory();

    private static string? SetDir(IReadOnlyList<string> args)
    {
        if (args.Count != 1) return "wrong number of arguments";
        try
        {
            Directory.SetCurrentDirectory(args[0]);
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return "No such file or directory";
        }
        catch (UnauthorizedAccessException)
        {
            return "Permission denied";
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            return "No such file or directory";
        }
    }

    private static void RewriteDir(ConfigRewriteState state) => state.RewriteLine("dir", "dir " + ConfigParameter.Repr(GetDir()), true);

    // save: "seconds changes" pairs.
    private string GetSave()
    {
        var sb = new StringBuilder();
        foreach (var (seconds, changes) in _save)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(seconds.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(changes.ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static string? ValidateSave(IReadOnlyList<string> args, out List<(long Seconds, long Changes)> points)
    {
        points = new List<(long, long)>();
        var count = args.Count == 1 && args[0].Length == 0 ? 0 : args.Count;
        if ((count & 1) != 0) return "Invalid save parameters";
        for (var j = 0; j < count; j += 2)
        {
            if (!TryStrtoll(args[j], out var seconds) || seconds < 1 || !TryStrtoll(args[j + 1], out var changes) || changes < 0)
                return "Invalid save parameters";
            points.Add((seconds, (int)changes));
        }
        return null;
    }

    private string? SetSave(IReadOnlyList<string> args)
    {
        var error = ValidateSave(args, out var points);
        if (error != null) return error;
        _save = points;
        return null;
    }

    private void RewriteSave(ConfigRewriteState state)
    {
        if (_save.Count == 0) state.RewriteLine("save", "save \"\"", true);
        foreach (var (seconds, changes) in _save)
            state.RewriteLine("save", $"save {seconds} {changes}", true);
        state.MarkProcessed("save");
    }

    /// <summary>strtoll(s, &amp;end, 10) with nothing left over (leading spaces and a sign allowed, empty = 0).</summary>
    private static bool TryStrtoll(string s, out long value)
    {
        value = 0;
        var i = 0;
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
        var negative = false;
        if (i < s.Length && s[i] is '+' or '-') negative = s[i++] == '-';
        var start = i;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
            value = value > long.MaxValue / 10 ? long.MaxValue : value * 10 + (s[i] - '0');
        if (i == start) return s.Length == 0;
        if (negative) value = -value;
        return i == s.Length;
    }

    // client-output-buffer-limit: <class> <hard> <soft> <soft seconds> for normal, replica (slave) and pubsub.
    private sealed record OutputBufferLimit(ulong Hard, ulong Soft, long Seconds);

    private static readonly string[] OutputBufferClasses = ["normal", "slave", "pubsub"];

    /// <summary>The client-output-buffer-limit of a class (0 normal, 1 replica, 2 pubsub: Redis's obuf classes);
    /// 0 means no limit. Read from any thread: CONFIG SET replaces the entry whole.</summary>
    public (ulong Hard, ulong Soft, long Seconds) OutputBufferLimitOf(int clientClass)
    {
        var l = _outputBufferLimits[clientClass];
        return (l.Hard, l.Soft, l.Seconds);
    }

    private static OutputBufferLimit[] DefaultOutputBufferLimits() =>
        [new(0, 0, 0), new(256UL * 1024 * 1024, 64UL * 1024 * 1024, 60), new(32UL * 1024 * 1024, 8UL * 1024 * 1024, 60)];

    private string GetOutputBufferLimits()
    {
        var sb = new StringBuilder();
        for (var j = 0; j < OutputBufferClasses.Length; j++)
        {
            if (j > 0) sb.Append(' ');
            var l = _outputBufferLimits[j];
            sb.Append(CultureInfo.InvariantCulture, $"{OutputBufferClasses[j]} {l.Hard} {l.Soft} {l.Seconds}");
        }
        return sb.ToString();
    }

    private string? SetOutputBufferLimits(IReadOnlyList<string> args)
    {
        if (args.Count % 4 != 0) return "Wrong number of arguments in buffer limit configuration.";
        var values = new OutputBufferLimit?[3];
        for (var j = 0; j < args.Count; j += 4)
        {
            var cls = args[j].ToLowerInvariant() switch { "normal" => 0, "slave" or "replica" => 1, "pubsub" => 2, _ => -1 };
            if (cls < 0) return "Invalid client class specified in buffer limit configuration.";
            if (!TryParseMemoryUnsigned(args[j + 1], out var hard) || !TryParseMemoryUnsigned(args[j + 2], out var soft) ||
                !TryStrtoll(args[j + 3], out var seconds) || seconds < 0 || seconds > int.MaxValue)
                return "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
            values[cls] = new OutputBufferLimit(hard, soft, seconds);
        }
        for (var j = 0; j < 3; j++)
            if (values[j] != null) _outputBufferLimits[j] = values[j]!;
        return null;
    }

    private void RewriteOutputBufferLimits(ConfigRewriteState state)
    {
        var defaults = DefaultOutputBufferLimits();
        for (var j = 0; j < OutputBufferClasses.Length; j++)
        {
            var l = _outputBufferLimits[j];
            var name = j == 1 ? "replica" : OutputBufferClasses[j];
            state.RewriteLine("client-output-buffer-limit",
                $"client-output-buffer-limit {name} {NumberParameter.FormatMemory((long)l.Hard)} {NumberParameter.FormatMemory((long)l.Soft)} {l.Seconds}",
                l != defaults[j]);
        }
    }

    // oom-score-adj-values: three values for master, replica and background child.
    private string GetOomScoreAdjValues() => string.Join(' ', _oomScoreAdjValues);

    private string? SetOomScoreAdjValues(IReadOnlyList<string> args)
    {
        if (args.Count != 3) return "wrong number of arguments";
        var values = new int[3];
        for (var i = 0; i < 3; i++)
        {
            if (!TryStrtoll(args[i], out var v) || v < -2000 || v > 2000)
                return "Invalid oom-score-adj-values, elements must be between -2000 and 2000.";
            values[i] = (int)v;
        }
        values.CopyTo(_oomScoreAdjValues, 0);
        return null;
    }

    private void RewriteOomScoreAdjValues(ConfigRewriteState state) =>
        state.RewriteLine("oom-score-adj-values", "oom-score-adj-values " + GetOomScoreAdjValues(),
            _oomScoreAdjValues[0] != 0 || _oomScoreAdjValues[1] != 200 || _oomScoreAdjValues[2] != 800);

    // notify-keyspace-events: Redis's NOTIFY_* flag letters.
    public const int NotifyKeyspace = 1 << 0, NotifyKeyevent = 1 << 1, NotifyGeneric = 1 << 2, NotifyString = 1 << 3, NotifyList = 1 << 4,
        NotifySet = 1 << 5, NotifyHash = 1 << 6, NotifyZset = 1 << 7, NotifyExpired = 1 << 8, NotifyEvicted = 1 << 9, NotifyStream = 1 << 10,
        NotifyKeyMiss = 1 << 11, NotifyModule = 1 << 13, NotifyNew = 1 << 14;

    public const int NotifyAll = NotifyGeneric | NotifyString | NotifyList | NotifySet | NotifyHash | NotifyZset | NotifyExpired |
                                 NotifyEvicted | NotifyStream | NotifyModule;

    private string? SetNotifyKeyspaceEvents(IReadOnlyList<string> args)
    {
        if (args.Count != 1) return "wrong number of arguments";
        var flags = 0;
        foreach (var c in args[0])
        {
            var flag = c switch
            {
                'A' => NotifyAll, 'g' => NotifyGeneric, '$' => NotifyString, 'l' => NotifyList, 's' => NotifySet, 'h' => NotifyHash,
                'z' => NotifyZset, 'x' => NotifyExpired, 'e' => NotifyEvicted, 'K' => NotifyKeyspace, 'E' => NotifyKeyevent,
                't' => NotifyStream, 'm' => NotifyKeyMiss, 'd' => NotifyModule, 'n' => NotifyNew, _ => -1,
            };
            if (flag < 0) return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
            flags |= flag;
        }
        _notifyKeyspaceEvents = flags;
        return null;
    }

    public static string KeyspaceEventsToString(int flags)
    {
        var sb = new StringBuilder();
        if ((flags & NotifyAll) == NotifyAll) sb.Append('A');
        else
        {
            if ((flags & NotifyGeneric) != 0) sb.Append('g');
            if ((flags & NotifyString) != 0) sb.Append('$');
            if ((flags & NotifyList) != 0) sb.Append('l');
            if ((flags & NotifySet) != 0) sb.Append('s');
            if ((flags & NotifyHash) != 0) sb.Append('h');
            if ((flags & NotifyZset) != 0) sb.Append('z');
            if ((flags & NotifyExpired) != 0) sb.Append('x');
            if ((flags & NotifyEvicted) != 0) sb.Append('e');
            if ((flags & NotifyStream) != 0) sb.Append('t');
            if ((flags & NotifyModule) != 0) sb.Append('d');
            if ((flags & NotifyNew) != 0) sb.Append('n');
        }
        if ((flags & NotifyKeyspace) != 0) sb.Append('K');
        if ((flags & NotifyKeyevent) != 0) sb.Append('E');
        if ((flags & NotifyKeyMiss) != 0) sb.Append('m');
        return sb.ToString();
    }

    // bind: up to 16 addresses; a single empty argument means none.
    private string? SetBind(IReadOnlyList<string> args)
    {
        if (args.Count > 16) return "Too many bind addresses specified.";
        _bind = args.Count == 1 && args[0].Length == 0 ? [] : args.ToArray();
        return null;
    }

    private void RewriteBind(ConfigRewriteState state)
    {
        if (_bind is ["*", "-::*"])
        {
            state.MarkProcessed("bind");
            return;
        }
        state.RewriteLine("bind", "bind " + (_bind.Length > 0 ? string.Join(' ', _bind) : "\"\""), true);
    }

    // replicaof: accepted at start-up and stored; this server is always a master for now.
    private string GetReplicaOf() => _replicaOfHost == null ? "" : $"{_replicaOfHost} {_replicaOfPort}";

    private string? SetReplicaOf(IReadOnlyList<string> args)
    {
        if (args.Count != 2) return "wrong number of arguments";
        _replicaOfHost = null;
        if (string.Equals(args[0], "no", StringComparison.OrdinalIgnoreCase) && string.Equals(args[1], "one", StringComparison.OrdinalIgnoreCase))
            return null;
        if (!TryStrtoll(args[1], out var port) || port < 0 || port > 65535) return "Invalid master port";
        _replicaOfPort = (int)port;
        _replicaOfHost = args[0];
        return null;
    }

    // latency-tracking-info-percentiles: doubles between 0 and 100, printed with %f minus trailing zeros.
    private string GetLatencyPercentiles()
    {
        var sb = new StringBuilder();
        foreach (var p in _latencyPercentiles)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(FormatPercentile(p));
        }
        return sb.ToString();
    }

    private static string FormatPercentile(double p)
    {
        var s = p.ToString("F6", CultureInfo.InvariantCulture);
        return s.Contains('.') ? s.TrimEnd('0').TrimEnd('.') : s;
    }

    private string? SetLatencyPercentiles(IReadOnlyList<string> args)
    {
        var count = args.Count == 1 && args[0].Length == 0 ? 0 : args.Count;
        var values = new double[count];
        for (var j = 0; j < count; j++)
        {
            if (!RedisNumbers.TryParseDouble(Encoding.Latin1.GetBytes(args[j]), out var p)) return "Invalid latency-tracking-info-percentiles parameters";
            if (p > 100.0 || p < 0.0) return "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]";
            values[j] = p;
        }
        _latencyPercentiles = values;
        return null;
    }

    private void RewriteLatencyPercentiles(ConfigRewriteState state)
    {
        var line = "latency-tracking-info-percentiles" + (_latencyPercentiles.Length == 0 ? " \"\"" : " " + GetLatencyPercentiles());
        state.RewriteLine("latency-tracking-info-percentiles", line, true);
    }

    /// <summary>Redis's memtoull: digits with an optional b/k/kb/m/mb/g/gb unit (case-insensitive); no sign, no spaces.
    /// An empty number counts as 0 and an overflowing one saturates, as strtoull does.</summary>
    public static bool TryParseMemoryUnsigned(string v, out ulong bytes)
    {
        bytes = 0;
        if (v.Length > 0 && v[0] == '-') return false;
        var digits = 0;
        while (digits < v.Length && char.IsAsciiDigit(v[digits])) digits++;
        var unit = v[digits..].ToLowerInvariant();
        ulong mul = unit switch
        {
            "" or "b" => 1,
            "k" => 1000,
            "kb" => 1024,
            "m" => 1000 * 1000,
            "mb" => 1024 * 1024,
            "g" => 1000UL * 1000 * 1000,
            "gb" => 1024UL * 1024 * 1024,
            _ => 0,
        };
        if (mul == 0 || digits >= 128) return false;
        ulong value = 0;
        for (var i = 0; i < digits; i++)
        {
            var d = (ulong)(v[i] - '0');
            value = value > (ulong.MaxValue - d) / 10 ? ulong.MaxValue : value * 10 + d;
        }
        bytes = unchecked(value * mul);
        return true;
    }

    /// <summary>A memory value (see <see cref="TryParseMemoryUnsigned"/>) as a signed number.</summary>
    public static bool TryParseMemory(string v, out long bytes)
    {
        var ok = TryParseMemoryUnsigned(v, out var u);
        bytes = (long)u;
        return ok;
    }
}
