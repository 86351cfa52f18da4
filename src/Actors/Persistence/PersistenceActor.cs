using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage.Rdb;

namespace AkkaRedis.Actors.Persistence;

/// <summary>
/// The Persistence actor (issue 12): RDB snapshots (save points, loading at start-up, SHUTDOWN's save) and the AOF
/// (PersistenceActor.Aof.cs), fed by the shards' write-effect stream, in Redis 7.0's file formats. What INFO
/// persistence and the sessions read of its state is in Server.PersistenceStatus (written here, and by the SAVE path).
/// </summary>
/// <remarks>
/// Work that needs the whole keyspace still (a load, a save) holds every shard through the Transaction actor (a
/// hand-over request) and runs on a pool thread while they stay held, so this actor keeps serving its other messages
/// (the AOF's) meanwhile; the shards are released when the work is over, or never when the process is about to exit
/// after it (SHUTDOWN: nothing may be acknowledged after the final save).
/// </remarks>
public sealed partial class PersistenceActor : UntypedActor, IWithTimers
{
    private readonly CommandServices _server;
    private readonly IActorRef[] _shards;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private KeyspaceRefs? _refs;
    /// <summary>Messages that need the Transaction actor, waiting for the keyspace references.</summary>
    private readonly List<(object Message, IActorRef Sender)> _waitingForRefs = new();
    /// <summary>Hand-over requests sent, and what to do with the held keyspace once each is held.</summary>
    private readonly Dictionary<TransactionRequest, HeldWork> _holds = new();
    /// <summary>Unix seconds of the last save attempt by a save point (lastbgsave_try).</summary>
    private long _lastSaveTry;
    private bool _shuttingDown;

    /// <summary>Work on every shard held: runs on a pool thread; true keeps the shards held for ever (the process exits).</summary>
    private delegate HeldOutcome HeldWork(ExecContext held);

    private sealed record HeldOutcome(bool KeepHeld, Action? After = null);

    private sealed record HeldDone(TransactionRequest Request, long TransactionId, HeldOutcome Outcome);

    private sealed class Cron
    {
        public static readonly Cron Instance = new();
    }

    public PersistenceActor(CommandServices server, IActorRef[] shards)
    {
        _server = server;
        _shards = shards;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CommandServices server, IActorRef[] shards) =>
        Akka.Actor.Props.Create(() => new PersistenceActor(server, shards));

    protected override void PreStart()
    {
        var status = _server.Persistence;
        status.LogNotice = message => _log.Info(message);
        status.LogWarning = message => _log.Warning(message);
        Context.Parent.Tell(new KeyspaceSupervisor.GetRefs());
        // serverCron's save-point check runs every second here (Redis runs it at hz, with second resolution anyway).
        Timers.StartPeriodicTimer(Cron.Instance, Cron.Instance, TimeSpan.FromSeconds(1));
        _lastSaveTry = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }

    protected override void OnReceive(object message)
    {
        // RDB first: it sees the keyspace references before the snapshot part takes them.
        if (OnRdbMessage(message) || OnSnapshotMessage(message) || OnAofMessage(message)) return;
        Unhandled(message);
    }

    protected override void PostStop() => StopAof();

    /// <summary>RDB messages (this file); false: not one of them.</summary>
    private bool OnRdbMessage(object message)
    {
        switch (message)
        {
            case KeyspaceRefs refs:
                _refs = refs;
                foreach (var (waiting, sender) in _waitingForRefs) Self.Tell(waiting, sender);
                _waitingForRefs.Clear();
                // The snapshot part wants them too.
                OnSnapshotMessage(refs);
                return true;
            case StartupLoad or SignalShutdown or TransactionRequest { Def.Name: "shutdown" } when _refs == null:
                _waitingForRefs.Add((message, Sender));
                return true;
            case StartupLoad load:
                StartLoad(load);
                return true;
            case Cron:
                CheckSavePoints();
                return true;
            case SignalShutdown signal:
                Shutdown(signal.Flags, signal.Signal, request: null, requester: ActorRefs.Nobody);
                return true;
            case TransactionRequest { Def.Name: "shutdown" } request:
                ShutdownCommand(request, Sender);
                return true;
            case ShardsHeld held when _holds.Remove(held.Request, out var work):
                RunHeld(held, work);
                return true;
            case ShardsHeld held when _snapshot is { } snapshot && held.Request == snapshot.Hold:
                // A snapshot's hold (the snapshot part takes it next): every shard is held, the count is exact.
                _snapshotDirty = TotalDirty();
                return false;
            case BgsaveWritten { Error: null }:
                // backgroundSaveDoneHandlerDisk: server.dirty -= dirty_before_bgsave (the snapshot part does the rest).
                _server.Persistence.DirtyAtLastSave = _snapshotDirty;
                return false;
            case HeldDone done:
                if (!done.Outcome.KeepHeld) _refs!.Transactions.Tell(new ReleaseShards(done.Request, done.TransactionId));
                done.Outcome.After?.Invoke();
                return true;
        }
        return false;
    }

    // ---- holding every shard -------------------------------------------------------------------------------------

    private void HoldEveryShard(HeldWork work)
    {
        var request = new TransactionRequest { HandOver = true };
        _holds[request] = work;
        _refs!.Transactions.Tell(request);
    }

    private void RunHeld(ShardsHeld held, HeldWork work)
    {
        var self = Self;
        Task.Run(() =>
        {
            HeldOutcome outcome;
            try
            {
                outcome = work(held.Context);
            }
            catch (Exception e)
            {
                _log.Error(e, "Persistence work failed");
                outcome = new HeldOutcome(false);
            }
            // Effects of the work (none today: loads and saves write nothing), published while still held.
            _server.Effects.Publish(-1, held.Context.Effects, atomic: true);
            self.Tell(new HeldDone(held.Request, held.TransactionId, outcome));
        });
    }

    // ---- start-up load ---------------------------------------------------------------------------------------------

    /// <summary>The AOF part sets this (when appendonly is on) to load the AOF instead of the RDB: Redis's
    /// loadDataFromDisk picks the AOF when it is enabled. Returns null or the reason the load failed.</summary>
    partial void ChooseStartupLoader(ref Func<ExecContext, string?>? loader);

    private void StartLoad(StartupLoad load)
    {
        Func<ExecContext, string?>? loader = null;
        ChooseStartupLoader(ref loader);
        loader ??= LoadRdbAtStartup;
        var status = _server.Persistence;
        status.BeginLoading(RdbFileLength());
        Sender.Tell(new StartupLoadStarted());
        HoldEveryShard(held =>
        {
            string? error;
            try
            {
                error = loader(held);
            }
            catch (Exception e)
            {
                error = e.Message;
            }
            if (error != null)
            {
                // Never a partial silent load: the shards stay held (nothing is served) and the host exits.
                load.Done.TrySetResult(error);
                return new HeldOutcome(KeepHeld: true);
            }
            status.EndLoading(status.LastLoadKeysLoaded, status.LastLoadKeysExpired);
            load.Done.TrySetResult(null);
            return new HeldOutcome(KeepHeld: false);
        });
    }

    private long RdbFileLength()
    {
        var path = Path.Combine(_server.Config.Dir, _server.Config.DbFilename);
        return File.Exists(path) ? new FileInfo(path).Length : 0;
    }

    /// <summary>loadDataFromDisk's RDB branch: a missing file is an empty dataset; anything else wrong is fatal.</summary>
    private string? LoadRdbAtStartup(ExecContext held)
    {
        // With appendonly yes the AOF is the dataset (loadDataFromDisk): the AOF part loads it (AofStartup).
        if (_server.Config.Find("appendonly")?.Get() == "yes") return null;
        var path = Path.Combine(_server.Config.Dir, _server.Config.DbFilename);
        if (!File.Exists(path)) return null;
        var started = Stopwatch.GetTimestamp();
        try
        {
            RdbSaving.Load(_server, held.Keyspace, path, replace: false);
        }
        catch (Exception e) when (e is RdbFormatException or IOException or UnauthorizedAccessException)
        {
            return $"Fatal error loading the DB ({path}): {e.Message}. Exiting.";
        }
        _log.Info("DB loaded from disk: {0:F3} seconds", Stopwatch.GetElapsedTime(started).TotalSeconds);
        return null;
    }

    // ---- save points ---------------------------------------------------------------------------------------------

    /// <summary>serverCron's save points: a save once some point's changes happened and its seconds passed since the
    /// last save (after a failure, only every CONFIG_BGSAVE_RETRY_DELAY = 5 s).</summary>
    private void CheckSavePoints()
    {
        if (_refs == null || _shuttingDown) return;
        var status = _server.Persistence;
        if (status.Loading || status.BgsaveInProgress) return;
        var points = _server.Config.SavePoints;
        if (points.Count == 0) return;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var changes = status.ChangesSinceLastSave(TotalDirty());
        foreach (var (seconds, minChanges) in points)
        {
            if (changes < minChanges || now - _server.Runtime.LastSaveUnixSeconds <= seconds) continue;
            if (now - _lastSaveTry <= 5 && !status.LastBgsaveOk) continue;
            _log.Info("{0} changes in {1} seconds. Saving...", minChanges, seconds);
            _lastSaveTry = now;
            StartBgsave();
            return;
        }
    }

    /// <summary>The dirty counter at the moment of the last snapshot (every shard held for it, PersistenceActor.Snapshot.cs):
    /// what a BGSAVE covers, the baseline of rdb_changes_since_last_save once it succeeds (server.dirty_before_bgsave).
    /// Observed here, as the snapshot part's messages go by, so that part needs no hook (one snapshot at a time).</summary>
    private long _snapshotDirty;

    private long TotalDirty()
    {
        long dirty = 0;
        foreach (var shard in _refs!.ShardData) dirty += shard.Stats.Dirty;
        return dirty;
    }

    // ---- SHUTDOWN and signals ----------------------------------------------------------------------------------------

    /// <summary>SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT], sent here by the session (Execution.Actor).</summary>
    private void ShutdownCommand(TransactionRequest request, IActorRef requester)
    {
        request.ReplyStart = request.Writer.Length;
        var flags = 0;
        var abort = false;
        for (var i = 1; i < request.Args.Length; i++)
        {
            var arg = request.Args[i];
            if (Keywords.Is(arg, "nosave")) flags |= ShutdownFlags.NoSave;
            else if (Keywords.Is(arg, "save")) flags |= ShutdownFlags.Save;
            else if (Keywords.Is(arg, "now")) flags |= ShutdownFlags.Now;
            else if (Keywords.Is(arg, "force")) flags |= ShutdownFlags.Force;
            else if (Keywords.Is(arg, "abort")) abort = true;
            else
            {
                Answer(request, requester, Errors.Syntax);
                return;
            }
        }
        if ((abort && flags != 0) || ((flags & ShutdownFlags.Save) != 0 && (flags & ShutdownFlags.NoSave) != 0))
        {
            Answer(request, requester, Errors.Syntax);
            return;
        }
        if (abort)
        {
            // With no replicas to wait for, a shutdown is never pending: there is nothing to abort.
            Answer(request, requester, "ERR No shutdown in progress.");
            return;
        }
        Shutdown(flags, signal: null, request, requester);
    }

    private static void Answer(TransactionRequest request, IActorRef requester, string? error)
    {
        if (error != null) request.Writer.Error(error);
        request.ReplyEnd = request.Writer.Length;
        requester.Tell(request);
    }

    /// <summary>
    /// prepareForShutdown / finishShutdown: with save points configured and no NOSAVE, or with SAVE, the final RDB is
    /// written with every shard held (and they stay held: nothing is acknowledged after it); a failed save answers
    /// "-ERR Errors trying to SHUTDOWN. Check logs." and the server keeps running, unless FORCE. Then the process exits.
    /// </summary>
    private void Shutdown(int flags, string? signal, TransactionRequest? request, IActorRef requester)
    {
        if (_shuttingDown) return;
        var config = _server.Config;
        var save = (config.SavePoints.Count > 0 && (flags & ShutdownFlags.NoSave) == 0) || (flags & ShutdownFlags.Save) != 0;
        // A signal during the start-up load ends the process without saving (prepareForShutdown(SHUTDOWN_NOSAVE) from
        // whileBlockedCron): half a dataset must never be written over the file being loaded.
        if (_server.Persistence.Loading) save = false;
        if (signal != null) _log.Warning("Received {0} scheduling shutdown...", signal);
        else _log.Warning("User requested shutdown...");
        _shuttingDown = true;
        // prepareForShutdown kills a saving child first, whatever the save flags.
        if (RunningSnapshot == SnapshotPurpose.Rdb) AbortSnapshot();
        if (!save)
        {
            Exit(request, requester, heldForGood: false);
            return;
        }
        var status = _server.Persistence;
        HoldEveryShard(held =>
        {
            _log.Info("Saving the final RDB snapshot before exiting.");
            if (RdbSaving.Save(_server, held.Keyspace))
                return new HeldOutcome(KeepHeld: true, () => Exit(request, requester, heldForGood: true));
            if ((flags & ShutdownFlags.Force) != 0)
            {
                _log.Warning("Error trying to save the DB. Exit anyway.");
                return new HeldOutcome(KeepHeld: true, () => Exit(request, requester, heldForGood: true));
            }
            _log.Warning("Error trying to save the DB, can't exit.");
            if (signal != null) _log.Warning("{0} received but errors trying to shut down the server, check the logs for more information", signal);
            return new HeldOutcome(KeepHeld: false, () =>
            {
                _shuttingDown = false;
                if (request != null) Answer(request, requester, "ERR Errors trying to SHUTDOWN. Check logs.");
            });
        });
    }

    /// <summary>The process exits: a SHUTDOWN command gets no reply (Redis closes the connection as it exits).
    /// <paramref name="heldForGood"/>: every shard stays held after the final save, so the host must not wait for the
    /// commands in flight (without a save they are answered while the host stops, as before).</summary>
    private void Exit(TransactionRequest? request, IActorRef requester, bool heldForGood)
    {
        // An empty reply: the session sends nothing and the connection closes with the process.
        if (request != null) Answer(request, requester, null);
        if (heldForGood) _server.Persistence.ShuttingDown = true;
        _server.Persistence.RequestExit(0);
    }
}
