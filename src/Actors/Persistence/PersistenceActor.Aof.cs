using Akka.Actor;
using Akka.Event;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Server;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Persistence;

/// <summary>
/// The AOF part of the Persistence actor (Redis 7 multi-part AOF: manifest, base, incremental files): loading at
/// start-up, the appender's life (appendonly yes/no at run time), BGREWRITEAOF and the automatic rewrite. Every
/// change of the file set happens with every shard held (a <see cref="TransactionRequest.HandOver"/> request), so
/// the switch to a new incr file is a point in time: what the shards did before is in the old files, the rest in
/// the new one.
/// </summary>
public sealed partial class PersistenceActor
{
    private AofSettings? _aofSettings;
    private AofSettings AofConfig => _aofSettings ??= new AofSettings(_server.Config);
    private PersistenceStatus AofStatus => _server.Persistence;

    private AofManifest _manifest = new();
    private AofAppender? _appender;
    private Action<EffectBlock>? _aofSubscriber;
    private ILoggingAdapter? _aofLogger;
    private ILoggingAdapter AofLog => _aofLogger ??= Context.GetLogger();
    private StatsCell? _aofStats;
    private ICancelable? _aofCron;
    /// <summary>Self, for the CONFIG SET hook (called on a session's thread, where Context is not available).</summary>
    private IActorRef _aofSelf = ActorRefs.Nobody;

    /// <summary>The hold asked for at start-up, or null.</summary>
    private TransactionRequest? _aofHold;
    private IActorRef _startupRequester = ActorRefs.Nobody;
    /// <summary>Bumped when a rewrite is abandoned (appendonly no): the result of an older one is ignored.</summary>
    private int _rewriteGeneration;

    /// <summary>The base of a rewrite is written (or failed, <paramref name="Error"/>); the shards are released.</summary>
    private sealed record RewriteWritten(int Generation, string TempPath, string? Error, long Size);

    private sealed record AofCronTick
    {
        public static readonly AofCronTick Instance = new();
    }

    /// <summary>CONFIG SET appendonly changed (told by the config hook).</summary>
    private sealed record AppendOnlyChanged
    {
        public static readonly AppendOnlyChanged Instance = new();
    }

    /// <summary>AOF messages; false: not one of them.</summary>
    private bool OnAofMessage(object message)
    {
        switch (message)
        {
            case AofStartup:
                StartAof();
                return true;
            case ShardsHeld held when ReferenceEquals(held.Request, _aofHold):
                OnAofShardsHeld(held);
                return true;
            case RewriteWritten written:
                FinishRewrite(written);
                return true;
            case AofCronTick:
                AofCron();
                return true;
            case AppendOnlyChanged:
                OnAppendOnlyChanged();
                return true;
            case TransactionRequest request when request.Def?.Name == "bgrewriteaof":
                BgRewriteAof(request);
                return true;
            default:
                return false;
        }
    }

    // ---- start-up (loadDataFromDisk's AOF branch, aofOpenIfNeededOnServerStart) ---------------------------------

    private void StartAof()
    {
        _startupRequester = Sender;
        _aofSelf = Self;
        _server.Config.Changed += OnConfigChanged;
        // aofLoadManifestFromDisk runs whatever appendonly says: a later CONFIG SET appendonly yes continues the
        // sequence numbers, and a corrupt manifest stops the server either way.
        if (File.Exists(AofConfig.ManifestPath))
        {
            try
            {
                _manifest = AofManifest.Parse(File.ReadAllText(AofConfig.ManifestPath, System.Text.Encoding.Latin1));
            }
            catch (AofManifestException e)
            {
                AofLog.Warning(e.Message);
                _startupRequester.Tell(new AofStartupDone(e.Message));
                return;
            }
        }
        _aofCron ??= Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(TimeSpan.FromMilliseconds(100),
            TimeSpan.FromMilliseconds(100), Self, AofCronTick.Instance, Self);
        if (!AofConfig.AppendOnly)
        {
            _startupRequester.Tell(new AofStartupDone(null));
            return;
        }
        AofStatus.AofEnabled = true;
        Hold();
    }

    /// <summary>Every shard held for the start-up load (the rewrite's hold is the snapshot engine's).</summary>
    private void Hold()
    {
        _aofHold = new TransactionRequest { HandOver = true };
        Context.ActorSelection("../" + DedicatedActors.Transactions).Tell(_aofHold, Self);
    }

    private void Release(ShardsHeld held)
    {
        _aofHold = null;
        Context.ActorSelection("../" + DedicatedActors.Transactions).Tell(new ReleaseShards(held.Request, held.TransactionId), Self);
    }

    private void OnAofShardsHeld(ShardsHeld held)
    {
        string? error;
        try
        {
            error = LoadAndOpen(held.Context);
        }
        catch (Exception e)
        {
            error = e.Message;
        }
        finally
        {
            Release(held);
        }
        _startupRequester.Tell(new AofStartupDone(error));
    }

    /// <summary>Loads the manifest's files into the held keyspace, then opens the AOF for appending (creating a
    /// base first when there is none and no incr file either, as aofOpenIfNeededOnServerStart does).</summary>
    private string? LoadAndOpen(ExecContext ctx)
    {
        var settings = AofConfig;
        ctx.Effects.Enabled = false;
        var loader = new AofLoader(settings, ctx, _server.Commands, AofLog);
        var started = DateTime.UtcNow;
        var result = loader.Load(_manifest);
        if (result is AofLoadResult.Failed or AofLoadResult.OpenError)
            return "Fatal error loading the AOF (see the log above)";
        if (result != AofLoadResult.NotExist)
            AofLog.Info("DB loaded from append only file: {0:F3} seconds", (DateTime.UtcNow - started).TotalSeconds);
        Directory.CreateDirectory(settings.Directory);
        if (_manifest.Base == null && _manifest.Incr.Count == 0)
        {
            // "If we start with an empty dataset, we will force create a BASE file."
            var info = _manifest.NewBase(settings.FileName, BaseIsRdb());
            WriteBase(settings.PathOf(info.Name), ctx.Keyspace);
            AofLog.Info("Creating AOF base file {0} on server start", info.Name);
        }
        if (_manifest.Incr.Count == 0) _manifest.NewIncr(settings.FileName);
        var incr = _manifest.Incr[^1];
        OpenAppender(settings.PathOf(incr.Name), OtherFilesSize(_manifest, incr));
        PersistManifest(_manifest);
        AofStatus.AofBaseSize = loader.BaseSize;
        if (!settings.DisableAutoGc) DeleteHistory(_manifest);
        AofStatus.AofOn = true;
        return null;
    }

    // ---- appending --------------------------------------------------------------------------------------------------

    private void OpenAppender(string path, long otherFilesSize)
    {
        _appender = new AofAppender(AofConfig, AofStatus, AofLog, Fatal) { OtherFilesSize = otherFilesSize };
        _appender.Open(path);
        var appender = _appender;
        _aofSubscriber = appender.Append;
        _server.Effects.Subscribe(_aofSubscriber);
    }

    /// <summary>appendfsync always after a failed write: Redis exits rather than break its promise.</summary>
    private static void Fatal() => Environment.Exit(1);

    /// <summary>stopAppendOnly: everything written and fsync'ed, the file closed, no more appending.</summary>
    private void StopAppender()
    {
        if (_aofSubscriber != null) _server.Effects.Unsubscribe(_aofSubscriber);
        _aofSubscriber = null;
        _appender?.Dispose();
        _appender = null;
    }

    /// <summary>The Persistence actor stops (SHUTDOWN, SIGTERM): what was appended reaches the disk.</summary>
    private void StopAof()
    {
        _aofCron?.Cancel();
        _server.Config.Changed -= OnConfigChanged;
        StopAppender();
    }

    private long OtherFilesSize(AofManifest manifest, AofFileInfo current)
    {
        long size = 0;
        if (manifest.Base != null) size += FileSize(manifest.Base.Name);
        foreach (var i in manifest.Incr)
            if (i != current) size += FileSize(i.Name);
        return size;
    }

    private long FileSize(string name)
    {
        var path = AofConfig.PathOf(name);
        return File.Exists(path) ? new FileInfo(path).Length : 0;
    }

    // ---- the manifest on disk ------------------------------------------------------------------------------------

    /// <summary>persistAofManifest: written to temp-&lt;name&gt;, fsync'ed, renamed over the manifest, directory fsync'ed.</summary>
    private void PersistManifest(AofManifest manifest)
    {
        var settings = AofConfig;
        var name = AofManifest.ManifestName(settings.FileName);
        var temp = settings.PathOf("temp-" + name);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(System.Text.Encoding.Latin1.GetBytes(manifest.Format()));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, settings.ManifestPath, overwrite: true);
        FsyncDirectory(settings.Directory);
    }

    private static void FsyncDirectory(string path)
    {
        try
        {
            using var dir = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            RandomAccess.FlushToDisk(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not every platform lets a directory be opened (Redis ignores fsync errors of the directory too).
        }
    }

    /// <summary>aofDelHistoryFiles: history files go once the manifest no longer needs them.</summary>
    private void DeleteHistory(AofManifest manifest)
    {
        if (manifest.History.Count == 0) return;
        foreach (var h in manifest.History)
        {
            AofLog.Info("Removing the history file {0} in the background", h.Name);
            try
            {
                File.Delete(AofConfig.PathOf(h.Name));
            }
            catch (IOException)
            {
            }
        }
        manifest.History.Clear();
        PersistManifest(manifest);
    }

    // ---- rewrite (rewriteAppendOnlyFileBackground, backgroundRewriteDoneHandler) -----------------------------------

    /// <summary>Whether a new base is an RDB (aof-use-rdb-preamble yes) or commands.</summary>
    private bool BaseIsRdb() => AofConfig.RdbPreamble;

    private void WriteBase(string path, IKeyspace keyspace)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        AofBaseWriter.Write(stream, _server, keyspace, BaseIsRdb(), AofConfig.Timestamps);
        stream.Flush(flushToDisk: true);
    }

    private void BgRewriteAof(TransactionRequest request)
    {
        var writer = request.Writer;
        request.ReplyStart = writer.Length;
        var errorsBefore = writer.ErrorCount;
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        if (RunningSnapshot == SnapshotPurpose.AofRewrite) writer.Error("ERR Background append only file rewriting already in progress");
        else if (AnotherChildRunning())
        {
            AofStatus.AofRewriteScheduled = true;
            AofStatus.AofRewritesConsecutiveFailures = 0;
            writer.SimpleString("Background append only file rewriting scheduled");
        }
        else
        {
            StartRewriteHold();
            writer.SimpleString(AofStatus.AofRewriteScheduled
                ? "Background append only file rewriting scheduled"
                : "Background append only file rewriting started");
        }
        request.ReplyEnd = writer.Length;
        CommandRunner.Record(_server, _aofStats ??= _server.Stats.NewCell(), request.Def, writer, errorsBefore, t0, request.Args, request.Client);
        Sender.Tell(request);
    }

    /// <summary>hasActiveChildProcess for an AOF rewrite: a BGSAVE's snapshot.</summary>
    private bool AnotherChildRunning() => RunningSnapshot is { } purpose && purpose != SnapshotPurpose.AofRewrite;

    /// <summary>rewriteAppendOnlyFileBackground on the snapshot engine: at the point in time (every shard held) later
    /// effects switch to a new incr file; the base is written from the snapshot while clients carry on.</summary>
    private void StartRewriteHold()
    {
        var rdb = BaseIsRdb();
        var generation = _rewriteGeneration;
        _rewriteSwitchError = null;
        if (!StartSnapshot(SnapshotPurpose.AofRewrite, _ => SwitchIncrUnderHold(), image => WriteRewrittenBase(image, rdb, generation),
                rdb ? null : AofRewriter.WriteRecord))
        {
            // Another snapshot (a BGSAVE) runs: the cron starts this one when it ends.
            AofStatus.AofRewriteScheduled = true;
            AofStatus.AofRewriteInProgress = false;
            return;
        }
        AofStatus.AofRewriteInProgress = true;
        AofStatus.AofRewriteScheduled = false;
        Interlocked.Exchange(ref AofStatus.AofRewriteStartMs, ServerClock.UnixMs());
        AofLog.Info("Background append only file rewriting started");
    }

    /// <summary>Why switching to the new incr file failed (the rewrite then fails), set under the hold.</summary>
    private string? _rewriteSwitchError;

    /// <summary>The snapshot's moment, every shard held: later effects go to a new incr file (listed in the manifest at
    /// once while the AOF is on: openNewIncrAofForAppend; kept aside until the base is ready when appendonly yes was
    /// just set, as Redis's temp incr file is).</summary>
    private void SwitchIncrUnderHold()
    {
        if (!AofStatus.AofEnabled) return;
        var settings = AofConfig;
        try
        {
            Directory.CreateDirectory(settings.Directory);
            var incr = _manifest.NewIncr(settings.FileName);
            if (_appender != null) _appender.SwitchTo(settings.PathOf(incr.Name));
            else OpenAppender(settings.PathOf(incr.Name), OtherFilesSize(_manifest, incr));
            if (AofStatus.AofOn) PersistManifest(_manifest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _rewriteSwitchError = e.Message;
        }
    }

    /// <summary>Every shard's records are in: the base is written to a temp file off the actor's thread.</summary>
    private void WriteRewrittenBase(SnapshotImage image, bool rdb, int generation)
    {
        var temp = Path.Combine(Directory.GetCurrentDirectory(), $"temp-rewriteaof-bg-{Environment.ProcessId}.aof");
        if (_rewriteSwitchError is { } switchError)
        {
            FinishRewrite(new RewriteWritten(generation, temp, switchError, 0));
            return;
        }
        var self = Self;
        var timestamps = AofConfig.Timestamps;
        var checksum = _server.Config.Find("rdbchecksum")?.Get() != "no";
        var compress = _server.Config.RdbCompression();
        Task.Run(() =>
        {
            try
            {
                long size;
                using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    if (image.Error is { } error) throw error;
                    if (rdb) Storage.Rdb.RdbFile.Write(stream, Aux(image, aofBase: true), image.Parts(), checksum, compress, image.Functions);
                    else AofRewriter.WriteFile(stream, image.Chunks, timestamps, image.StartedMs, image.Functions);
                    stream.Flush(flushToDisk: true);
                    size = stream.Length;
                }
                self.Tell(new RewriteWritten(generation, temp, null, size));
            }
            catch (Exception e)
            {
                self.Tell(new RewriteWritten(generation, temp, e.Message, 0));
            }
        });
    }

    /// <summary>backgroundRewriteDoneHandler: the new base replaces the old one in the manifest, incr files it covers
    /// become history, and history is deleted.</summary>
    private void FinishRewrite(RewriteWritten written)
    {
        // The engine is free again (Redis's child has exited), whatever the outcome.
        SnapshotFinished();
        var settings = AofConfig;
        if (written.Generation != _rewriteGeneration)
        {
            TryDelete(written.TempPath);
            return;
        }
        AofStatus.AofRewriteInProgress = false;
        var seconds = (ServerClock.UnixMs() - Volatile.Read(ref AofStatus.AofRewriteStartMs)) / 1000;
        AofStatus.AofLastRewriteTimeSec = seconds;
        if (written.Error != null)
        {
            AofLog.Warning("Background AOF rewrite failed: {0}", written.Error);
            TryDelete(written.TempPath);
            RewriteFailed();
            if (AofStatus.AofEnabled && !AofStatus.AofOn)
            {
                // CONFIG SET appendonly yes whose first rewrite failed: retried from the cron, as Redis schedules it.
                AofStatus.AofRewriteScheduled = true;
            }
            return;
        }
        try
        {
            // rewriteAppendOnlyFileBackground's dirCreateIfMissing: BGREWRITEAOF with appendonly no makes the directory
            // too (base and manifest, no incr file).
            Directory.CreateDirectory(settings.Directory);
            var manifest = _manifest.Copy();
            var info = manifest.NewBase(settings.FileName, BaseIsRdb());
            File.Move(written.TempPath, settings.PathOf(info.Name), overwrite: true);
            FsyncDirectory(settings.Directory);
            manifest.MarkRewrittenIncrAsHistory(keepLast: _appender != null);
            PersistManifest(manifest);
            _manifest = manifest;
            if (_appender != null)
            {
                _appender.OtherFilesSize = written.Size;
                AofStatus.AofCurrentSize = _appender.CurrentSize;
            }
            else AofStatus.AofCurrentSize = written.Size;
            AofStatus.AofBaseSize = AofStatus.AofCurrentSize;
            if (AofStatus.AofEnabled && !AofStatus.AofOn)
            {
                AofStatus.AofOn = true;
                AofLog.Info("Background AOF rewrite finished successfully");
            }
            if (!settings.DisableAutoGc) DeleteHistory(_manifest);
            AofStatus.AofLastBgrewriteOk = true;
            AofStatus.AofRewritesConsecutiveFailures = 0;
            _rewriteRetryAtMs = 0;
            Interlocked.Increment(ref AofStatus.AofRewrites);
            AofLog.Info("Background AOF rewrite terminated with success");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AofLog.Warning("Background AOF rewrite failed: {0}", e.Message);
            TryDelete(written.TempPath);
            RewriteFailed();
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    // ---- cron (serverCron's AOF part) and CONFIG SET appendonly ---------------------------------------------------

    private void AofCron()
    {
        if (RunningSnapshot != null || RewriteLimited()) return;
        if (AofStatus.AofRewriteScheduled)
        {
            StartRewriteHold();
            return;
        }
        var settings = AofConfig;
        if (!AofStatus.AofOn || settings.RewritePercentage == 0 || _appender == null) return;
        var current = _appender.CurrentSize;
        if (current <= settings.RewriteMinSize) return;
        var baseSize = AofStatus.AofBaseSize > 0 ? AofStatus.AofBaseSize : 1;
        var growth = current * 100 / baseSize - 100;
        if (growth < settings.RewritePercentage) return;
        AofLog.Info("Starting automatic rewriting of AOF on {0}% growth", growth);
        StartRewriteHold();
    }

    /// <summary>When the last failed rewrite may be retried (Unix ms).</summary>
    private long _rewriteRetryAtMs;

    /// <summary>aofRewriteLimited: after three consecutive failures, automatic and scheduled rewrites wait 1, 2, 4 ...
    /// up to 60 minutes (BGREWRITEAOF itself is never delayed).</summary>
    private bool RewriteLimited() => ServerClock.UnixMs() < _rewriteRetryAtMs;

    private void RewriteFailed()
    {
        AofStatus.AofLastBgrewriteOk = false;
        var failures = ++AofStatus.AofRewritesConsecutiveFailures;
        if (failures < 3) return;
        var minutes = Math.Min(60, 1L << (int)Math.Min(6, failures - 3));
        _rewriteRetryAtMs = ServerClock.UnixMs() + minutes * 60_000;
        AofLog.Warning("Background AOF rewrite has repeatedly failed and triggered the limit, will retry in {0} minutes", minutes);
    }

    /// <summary>Called on the thread that ran CONFIG SET: the status changes at once (INFO right after the reply shows
    /// the rewrite), the actor does the work.</summary>
    private void OnConfigChanged(IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            if (!name.Equals("appendonly", StringComparison.OrdinalIgnoreCase)) continue;
            var on = AofConfig.AppendOnly;
            if (on && !AofStatus.AofEnabled)
            {
                AofStatus.AofEnabled = true;
                AofStatus.AofRewriteInProgress = true;
            }
            else if (!on && AofStatus.AofEnabled)
            {
                AofStatus.AofEnabled = false;
            }
            _aofSelf.Tell(AppendOnlyChanged.Instance);
        }
    }

    private void OnAppendOnlyChanged()
    {
        var on = AofConfig.AppendOnly;
        if (on && !AofStatus.AofOn && _appender == null && _aofHold == null)
        {
            // startAppendOnly: AOF_WAIT_REWRITE, then a rewrite whose end turns the AOF on.
            AofStatus.AofEnabled = true;
            StartRewriteHold();
        }
        else if (!on && (AofStatus.AofOn || _appender != null))
        {
            // stopAppendOnly: flush and close; a rewrite in progress is abandoned.
            StopAppender();
            AofStatus.AofOn = false;
            AofStatus.AofEnabled = false;
            AofStatus.AofRewriteScheduled = false;
            if (AofStatus.AofRewriteInProgress)
            {
                _rewriteGeneration++;
                AofStatus.AofRewriteInProgress = false;
            }
        }
    }
}
