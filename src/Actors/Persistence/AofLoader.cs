using AkkaRedis.Actors.Storage.Rdb;
using System.Diagnostics;
using System.Globalization;
using Akka.Event;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Persistence;

/// <summary>aof.c's AOF_OK / AOF_NOT_EXIST / AOF_EMPTY / AOF_OPEN_ERR / AOF_FAILED / AOF_TRUNCATED.</summary>
public enum AofLoadResult
{
    Ok,
    NotExist,
    Empty,
    OpenError,
    Failed,
    Truncated,
}

/// <summary>
/// Loads the AOF at start-up (aof.c's loadAppendOnlyFiles and loadSingleAppendOnlyFile): the base (an RDB when it
/// starts with "REDIS", else commands), then each incr file in manifest order, every command replayed through its
/// handler against a context holding every shard, as Redis runs cmd->proc on its fake client: no reply, no
/// statistics, no write effects. MULTI ... EXEC is queued and applied whole; a block cut off at the end of the last
/// file is reverted. A short read in the last file is truncated away when aof-load-truncated is yes; anywhere else,
/// and any format error, fails the load (the server exits), with Redis's log lines.
/// </summary>
public sealed class AofLoader
{
    private readonly AofSettings _settings;
    private readonly ExecContext _ctx;
    private readonly CommandTable _commands;
    private readonly ILoggingAdapter _log;
    private readonly RespWriter _discard = new();

    public AofLoader(AofSettings settings, ExecContext ctx, CommandTable commands, ILoggingAdapter log)
    {
        _settings = settings;
        _ctx = ctx;
        _commands = commands;
        _log = log;
    }

    /// <summary>Total size of the base and incr files (aof_current_size) and the base's, after a successful load.</summary>
    public long TotalSize { get; private set; }
    public long BaseSize { get; private set; }

    /// <summary>loadAppendOnlyFiles.</summary>
    public AofLoadResult Load(AofManifest manifest)
    {
        if (manifest.Base == null && manifest.Incr.Count == 0) return AofLoadResult.NotExist;
        var files = new List<AofFileInfo>();
        if (manifest.Base != null) files.Add(manifest.Base);
        files.AddRange(manifest.Incr);
        long total = 0;
        foreach (var f in files)
        {
            var path = _settings.PathOf(f.Name);
            if (!File.Exists(path))
            {
                // An AOF the manifest names but the disk lacks is fatal (getBaseAndIncrAppendOnlyFilesSize).
                _log.Warning("The append log file {0} doesn't exist: No such file or directory", f.Name);
                return AofLoadResult.Failed;
            }
            total += new FileInfo(path).Length;
        }
        if (total == 0) return AofLoadResult.Empty;
        var result = AofLoadResult.Ok;
        for (var i = 0; i < files.Count; i++)
        {
            var f = files[i];
            var last = i == files.Count - 1;
            var start = Stopwatch.GetTimestamp();
            if (f.Type == AofFileType.Base) BaseSize = new FileInfo(_settings.PathOf(f.Name)).Length;
            result = LoadFile(f.Name, last);
            if (result == AofLoadResult.Ok || (result == AofLoadResult.Truncated && last))
                _log.Info("DB loaded from {0} file {1}: {2} seconds", f.Type == AofFileType.Base ? "base" : "incr", f.Name,
                    Stopwatch.GetElapsedTime(start).TotalSeconds.ToString("F3", CultureInfo.InvariantCulture));
            // At least one file has data, so an empty one is fine.
            if (result == AofLoadResult.Empty) result = AofLoadResult.Ok;
            if (result == AofLoadResult.Truncated && !last)
            {
                _log.Warning("Fatal error: the truncated file is not the last file");
                result = AofLoadResult.Failed;
            }
            if (result is AofLoadResult.OpenError or AofLoadResult.Failed) return result;
        }
        foreach (var f in files) TotalSize += new FileInfo(_settings.PathOf(f.Name)).Length;
        return result;
    }

    /// <summary>loadSingleAppendOnlyFile.</summary>
    public AofLoadResult LoadFile(string name, bool lastFile)
    {
        var path = _settings.PathOf(name);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            _log.Warning("The append log file {0} doesn't exist: No such file or directory", name);
            return AofLoadResult.NotExist;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Warning("Fatal error: can't open the append log file {0} for reading: {1}", name, e.Message);
            return AofLoadResult.OpenError;
        }
        using (file)
        {
            if (file.Length == 0) return AofLoadResult.Empty;
            return Replay(file, name, lastFile, out _);
        }
    }

    /// <summary>The RDB part of a base file (RDBFLAGS_AOF_PREAMBLE: expired keys load too) into the held keyspace;
    /// leaves the stream just past its checksum, where the commands go on. Null, or the reason it is bad.</summary>
    private string? LoadRdbPreamble(FileStream file)
    {
        var data = new byte[file.Length];
        file.Position = 0;
        file.ReadExactly(data);
        try
        {
            var services = _ctx.Services;
            var result = RdbFileReader.Load(data, new KeyspaceLoadTarget(_ctx.Keyspace, services.Config.Databases),
                RdbSaving.LoadOptions(services, aofPreamble: true));
            RdbSaving.LoadFunctions(services, result.Functions, replace: false);
            file.Position = result.Length;
            return null;
        }
        catch (RdbFormatException e)
        {
            return e.Message;
        }
    }

    /// <summary>The commands of one file (after an RDB preamble, if it starts with one).</summary>
    internal AofLoadResult Replay(FileStream file, string name, bool lastFile, out long validUpTo)
    {
        validUpTo = 0;
        Span<byte> signature = stackalloc byte[5];
        var position = 0L;
        if (file.Read(signature) == 5 && signature.SequenceEqual("REDIS"u8))
        {
            file.Position = 0;
            _log.Info("Reading RDB base file on AOF loading...");
            var error = LoadRdbPreamble(file);
            if (error != null)
            {
                _log.Warning("Error reading the RDB base file {0}, AOF loading aborted ({1})", name, error);
                return AofLoadResult.Failed;
            }
            position = file.Position;
        }
        file.Position = position;
        var reader = new AofReader(file, position);
        var args = new List<byte[]>();
        List<byte[][]>? multi = null;
        long validBeforeMulti = -1;
        validUpTo = -1;
        var db = 0;
        while (true)
        {
            var status = reader.Next(args);
            if (status == AofReadStatus.End) break;
            if (status == AofReadStatus.BadFormat)
            {
                _log.Warning("Bad file format reading the append only file {0}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>", name);
                return AofLoadResult.Failed;
            }
            if (status == AofReadStatus.Truncated) return ShortRead(file, name, lastFile, validUpTo);
            var command = CommandArgs.Of(args.ToArray());
            var def = _commands.Resolve(command, out _);
            if (def == null && _commands.Find(args[0]) == null)
            {
                _log.Warning("Unknown command '{0}' reading the append only file {1}", System.Text.Encoding.Latin1.GetString(args[0]), name);
                return AofLoadResult.Failed;
            }
            if (def?.Name == "multi")
            {
                validBeforeMulti = validUpTo;
                multi = new List<byte[][]>();
            }
            else if (def?.Name == "exec" && multi != null)
            {
                foreach (var queued in multi)
                    if (!Run(queued, ref db, name)) return AofLoadResult.Failed;
                multi = null;
            }
            else if (def?.Name == "discard" && multi != null) multi = null;
            else if (def?.Name is "exec" or "discard")
            {
                // EXEC or DISCARD without MULTI: an error reply to the fake client, which nobody reads.
            }
            else if (multi != null) multi.Add(args.ToArray());
            else if (!Run(args.ToArray(), ref db, name)) return AofLoadResult.Failed;
            validUpTo = reader.Position;
        }
        // A MULTI without its EXEC at the end of the file: handled as a short read (Redis removes the unprocessed tail).
        if (multi != null)
        {
            _log.Warning("Revert incomplete MULTI/EXEC transaction in AOF file {0}", name);
            return ShortRead(file, name, lastFile, validBeforeMulti);
        }
        return AofLoadResult.Ok;
    }

    /// <summary>Redis's uxeof: the last file is cut back to its last whole command when aof-load-truncated allows.</summary>
    private AofLoadResult ShortRead(FileStream file, string name, bool lastFile, long validUpTo)
    {
        if (lastFile && _settings.LoadTruncated)
        {
            _log.Warning("!!! Warning: short read while loading the AOF file {0}!!!", name);
            _log.Warning("!!! Truncating the AOF {0} at offset {1} !!!", name, validUpTo);
            if (validUpTo == -1) _log.Warning("Last valid command offset is invalid");
            else
            {
                try
                {
                    file.SetLength(validUpTo);
                    _log.Warning("AOF {0} loaded anyway because aof-load-truncated is enabled", name);
                    return AofLoadResult.Truncated;
                }
                catch (IOException e)
                {
                    _log.Warning("Error truncating the AOF file {0}: {1}", name, e.Message);
                }
            }
        }
        _log.Warning("Unexpected end of file reading the append only file {0}. You can: " +
                     "1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. " +
                     "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.", name);
        return AofLoadResult.Failed;
    }

    /// <summary>One command on the fake client: SELECT changes its database, anything else runs its handler (replies
    /// are discarded, as the fake client's are); false for a command that cannot run against the keyspace.</summary>
    private bool Run(byte[][] argv, ref int db, string fileName)
    {
        var args = CommandArgs.Of(argv);
        var def = _commands.Resolve(args, out _);
        if (def == null)
        {
            // Wrong arity or an unknown subcommand: Redis's fake client gets an error reply nobody reads.
            return true;
        }
        if (def.Name == "select")
        {
            if (argv.Length == 2 && int.TryParse(System.Text.Encoding.ASCII.GetString(argv[1]), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index)
                && index >= 0 && index < _ctx.Config.Databases)
                db = index;
            return true;
        }
        if (def.Handler == null)
        {
            _log.Warning("Command '{0}' in the append only file {1} cannot be replayed here", def.FullName, fileName);
            return false;
        }
        _ctx.Args = args;
        _ctx.Command = def;
        _ctx.Reply = _discard;
        _ctx.DbIndex = db;
        _ctx.Client = null;
        _ctx.Now = ServerClock.UnixMs();
        try
        {
            def.Handler(_ctx);
        }
        catch (Exception e)
        {
            // A handler bug answers an error elsewhere; the fake client's reply is not read.
            _log.Warning("Error replaying '{0}' from the append only file {1}: {2}", def.FullName, fileName, e.Message);
        }
        if (_discard.Length > 64 * 1024) _discard.Reset();
        _ctx.Effects.Clear();
        return true;
    }
}
