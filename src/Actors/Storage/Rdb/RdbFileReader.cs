using System.Buffers.Binary;
using System.Text;

namespace AkkaRedis.Actors.Storage.Rdb;

/// <summary>Where a loaded file's keys go: the database (of the part of the keyspace that owns the key) for a key of
/// database <c>db</c>, and how many databases there are (a SELECTDB past them is fatal, as in Redis).</summary>
public interface IRdbLoadTarget
{
    int Databases { get; }
    Database For(int db, ReadOnlySpan<byte> key);
}

public readonly record struct RdbLoadOptions
{
    /// <summary>Unix ms: keys whose expiry time is before it are skipped (a master's rdbLoad), LRU idle times count
    /// back from it.</summary>
    public long Now { get; init; }
    /// <summary>rdbchecksum (and not DEBUG SET-SKIP-CHECKSUM-VALIDATION): the trailer is checked unless it is zero.</summary>
    public bool VerifyChecksum { get; init; }
    /// <summary>RDBFLAGS_ALLOW_DUP (DEBUG RELOAD MERGE): a key already present is replaced; otherwise a duplicate is an
    /// error, as rdbLoad's "RDB has duplicated key".</summary>
    public bool Replace { get; init; }
    /// <summary>RDBFLAGS_AOF_PREAMBLE: the RDB part of an AOF base file, whose expired keys load anyway (the AOF after it
    /// may still refer to them; Redis skips expired keys only outside the preamble).</summary>
    public bool AofPreamble { get; init; }
    /// <summary>The encoding thresholds loaded values are converted by (the server's configuration; Redis 7.0's
    /// defaults when null).</summary>
    public RdbLoadLimits? Limits { get; init; }
    /// <summary>key-load-delay (a hidden parameter Redis's own tests use to watch a load in progress): microseconds
    /// to wait after each key, as rdbLoad's debugDelay.</summary>
    public int KeyLoadDelayMicros { get; init; }
    /// <summary>Told the offset reached every 1024 keys (INFO's loading_loaded_bytes, as rdbLoadProgressCallback).</summary>
    public Action<long>? Progress { get; init; }
}

/// <summary>What loading a file found (INFO's rdb_last_load_keys_loaded / _expired, the aux fields, FUNCTION2
/// libraries kept for the scripting issue).</summary>
public sealed class RdbLoadResult
{
    public int Version;
    public long KeysLoaded;
    public long KeysExpired;
    public long EmptyKeysSkipped;
    /// <summary>Offset just past the checksum: an AOF with an RDB preamble goes on from there.</summary>
    public int Length;
    public readonly Dictionary<string, string> Aux = new(StringComparer.Ordinal);
    /// <summary>The FUNCTION2 payloads (library code), in file order.</summary>
    public readonly List<byte[]> Functions = new();
}

/// <summary>
/// Loads a whole RDB file (rdbLoadRioWithLoadingCtx of Redis 7.0): checks the signature and version (1..10 load, a
/// newer one is refused), reads every opcode (aux fields kept, modules' aux data refused as Redis refuses it without the
/// module, FUNCTION2 kept), skips keys already expired, verifies the CRC64 trailer. Anything wrong raises
/// <see cref="RdbFormatException"/> with the reason; the caller stops (at start-up: exits) rather than carry on with half
/// a dataset. Keys are read from the span in place: no copy beyond the one into storage.
/// </summary>
public static class RdbFileReader
{
    public static RdbLoadResult Load(ReadOnlySpan<byte> data, IRdbLoadTarget target, in RdbLoadOptions options)
    {
        var result = new RdbLoadResult();
        var r = new RdbReader(data);
        if (data.Length < 9 || !data[..5].SequenceEqual("REDIS"u8))
            throw new RdbFormatException("Wrong signature trying to load DB from file");
        r.ReadBytes(5);
        var version = ParseVersion(r.ReadBytes(4));
        if (version < 1 || version > RdbFormat.Version)
            throw new RdbFormatException($"Can't handle RDB format version {version}");
        result.Version = version;

        var db = 0;
        long expireAt = -1;
        long idle = -1;
        while (true)
        {
            var type = r.ReadByte();
            switch (type)
            {
                case RdbFormat.OpExpireTime:
                    // RDB < 3: seconds in 4 bytes (rdbLoadTime).
                    expireAt = BinaryPrimitives.ReadInt32LittleEndian(r.ReadBytes(4)) * 1000L;
                    continue;
                case RdbFormat.OpExpireTimeMs:
                    expireAt = r.ReadInt64();
                    continue;
                case RdbFormat.OpFreq:
                    // LFU counter: kept by Redis only under an LFU maxmemory-policy; nothing here keeps one.
                    r.ReadByte();
                    continue;
                case RdbFormat.OpIdle:
                    idle = (long)r.ReadLength(out _);
                    continue;
                case RdbFormat.OpEof:
                    break;
                case RdbFormat.OpSelectDb:
                    var dbid = r.ReadLength(out _);
                    if (dbid >= (ulong)target.Databases)
                        throw new RdbFormatException(
                            $"FATAL: Data file was created with a Redis server configured to handle more than {target.Databases} databases. Exiting");
                    db = (int)dbid;
                    continue;
                case RdbFormat.OpResizeDb:
                    // Sizes to expand the tables to; ours grow as keys come (the hint is not needed for correctness).
                    r.ReadLength(out _);
                    r.ReadLength(out _);
                    continue;
                case RdbFormat.OpAux:
                    var key = Encoding.UTF8.GetString(r.ReadStringSpan());
                    var value = Encoding.UTF8.GetString(r.ReadStringSpan());
                    // rdbLoad acts on repl-*, lua, aof-base, used-mem... and ignores unknown ones: all are kept here
                    // for whoever wants them (replication).
                    result.Aux[key] = value;
                    continue;
                case RdbFormat.OpModuleAux:
                    var moduleId = r.ReadLength(out _);
                    throw new RdbFormatException(
                        $"The RDB file contains AUX module data I can't load: no matching module '{ModuleName(moduleId)}'");
                case RdbFormat.OpFunctionPreGa:
                    throw new RdbFormatException("Pre-release function format not supported.");
                case RdbFormat.OpFunction2:
                    result.Functions.Add(r.ReadStringSpan().ToArray());
                    continue;
                default:
                    if (!RdbFormat.IsObjectType(type)) throw new RdbFormatException($"Unknown RDB encoding type {type}");
                    LoadKey(ref r, type, db, target, options, expireAt, idle, result);
                    if (options.KeyLoadDelayMicros > 0) Thread.Sleep(TimeSpan.FromMicroseconds(options.KeyLoadDelayMicros));
                    if (options.Progress != null && ((result.KeysLoaded + result.KeysExpired) & 1023) == 0) options.Progress(r.Position);
                    expireAt = -1;
                    idle = -1;
                    continue;
            }
            break;
        }

        var bodyLength = r.Position;
        if (version >= 5)
        {
            var expected = BinaryPrimitives.ReadUInt64LittleEndian(r.ReadBytes(8));
            // A zero checksum: saved with rdbchecksum no, "no check performed".
            if (options.VerifyChecksum && expected != 0)
            {
                var actual = Crc64.Compute(0, data[..bodyLength]);
                if (actual != expected)
                    throw new RdbFormatException($"Wrong RDB checksum expected: ({expected:x}) got: ({actual:x}). Aborting now.");
            }
        }
        result.Length = r.Position;
        return result;
    }

    private static void LoadKey(ref RdbReader r, byte type, int db, IRdbLoadTarget target, in RdbLoadOptions options,
        long expireAt, long idle, RdbLoadResult result)
    {
        var key = r.ReadStringSpan();
        var limits = options.Limits ?? RdbLoadLimits.Default;
        try
        {
            // A master drops what has expired already (a replica would keep it for its master's DEL); the value is
            // read all the same, to get past it.
            if (expireAt != -1 && !options.AofPreamble && expireAt < options.Now)
            {
                RdbValues.ReadValue(ref r, type, limits);
                result.KeysExpired++;
                return;
            }
            var database = target.For(db, key);
            var count = database.Count;
            var entry = RdbValues.ReadInto(ref r, type, database, key, options.Now, limits);
            // A key that did not add one was there already: one lookup, not a probe before the insert.
            if (!options.Replace && database.Count == count)
                throw new RdbFormatException($"RDB has duplicated key '{Encoding.UTF8.GetString(key)}' in DB {db}");
            if (expireAt != -1) database.SetExpire(entry, expireAt);
            // objectSetLRUOrLFU: the access time the file recorded (IDLE), counted back from now.
            if (idle >= 0) Database.Touch(entry, options.Now - idle * 1000);
            result.KeysLoaded++;
        }
        catch (RdbEmptyKeyException)
        {
            // RDB_LOAD_ERR_EMPTY_KEY: an empty collection (written by old versions) is skipped, and counted.
            result.EmptyKeysSkipped++;
        }
    }

    private static int ParseVersion(ReadOnlySpan<byte> digits)
    {
        var v = 0;
        foreach (var d in digits)
        {
            // atoi() semantics: stops at the first non-digit.
            if (d < '0' || d > '9') break;
            v = v * 10 + (d - '0');
        }
        return v;
    }

    /// <summary>moduleTypeNameByID: the 9-character type name packed in the 54 high bits of a module id.</summary>
    private static string ModuleName(ulong moduleId)
    {
        const string charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var id = moduleId >> 10;
        var name = new char[9];
        for (var j = 8; j >= 0; j--)
        {
            name[j] = charset[(int)(id & 63)];
            id >>= 6;
        }
        return new string(name);
    }

    /// <summary>Reads a file and loads it (see <see cref="Load"/>).</summary>
    public static RdbLoadResult LoadFile(string path, IRdbLoadTarget target, in RdbLoadOptions options)
    {
        var length = new FileInfo(path).Length;
        if (length > Array.MaxLength) throw new RdbFormatException($"RDB file {path} is too large to load ({length} bytes)");
        return Load(File.ReadAllBytes(path), target, options);
    }
}
