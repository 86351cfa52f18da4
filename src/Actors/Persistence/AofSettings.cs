using AkkaRedis.Actors.Server;

namespace AkkaRedis.Actors.Persistence;

/// <summary>appendfsync: Redis's AOF_FSYNC_NO / ALWAYS / EVERYSEC (the EnumParameter's values).</summary>
public enum AofFsync
{
    No = 0,
    Always = 1,
    EverySec = 2,
}

/// <summary>The AOF's configuration parameters, looked up once and read live (CONFIG SET takes effect at once, as
/// Redis reads server.aof_fsync and friends each time).</summary>
public sealed class AofSettings
{
    private readonly ServerConfig _config;
    private readonly BoolParameter _appendOnly;
    private readonly EnumParameter _fsync;
    private readonly BoolParameter _timestamps;
    private readonly BoolParameter _preamble;
    private readonly BoolParameter _loadTruncated;
    private readonly BoolParameter _disableAutoGc;
    private readonly NumberParameter _rewritePercentage;
    private readonly NumberParameter _rewriteMinSize;
    private readonly StringParameter _fileName;
    private readonly StringParameter _dirName;

    public AofSettings(ServerConfig config)
    {
        _config = config;
        _appendOnly = (BoolParameter)config.Find("appendonly")!;
        _fsync = (EnumParameter)config.Find("appendfsync")!;
        _timestamps = (BoolParameter)config.Find("aof-timestamp-enabled")!;
        _preamble = (BoolParameter)config.Find("aof-use-rdb-preamble")!;
        _loadTruncated = (BoolParameter)config.Find("aof-load-truncated")!;
        _disableAutoGc = (BoolParameter)config.Find("aof-disable-auto-gc")!;
        _rewritePercentage = (NumberParameter)config.Find("auto-aof-rewrite-percentage")!;
        _rewriteMinSize = (NumberParameter)config.Find("auto-aof-rewrite-min-size")!;
        _fileName = (StringParameter)config.Find("appendfilename")!;
        _dirName = (StringParameter)config.Find("appenddirname")!;
    }

    public bool AppendOnly => _appendOnly.Value;
    public AofFsync Fsync => (AofFsync)_fsync.Value;
    public bool Timestamps => _timestamps.Value;
    public bool RdbPreamble => _preamble.Value;
    public bool LoadTruncated => _loadTruncated.Value;
    public bool DisableAutoGc => _disableAutoGc.Value;
    public long RewritePercentage => _rewritePercentage.Value;
    public long RewriteMinSize => _rewriteMinSize.Value;
    public string FileName => _fileName.Value ?? "appendonly.aof";

    /// <summary>dir/appenddirname: dir is the process's working directory (Redis chdir()s into it).</summary>
    public string Directory => Path.Combine(System.IO.Directory.GetCurrentDirectory(), _dirName.Value ?? "appendonlydir");

    public string PathOf(string fileName) => Path.Combine(Directory, fileName);
    public string ManifestPath => PathOf(AofManifest.ManifestName(FileName));
}
