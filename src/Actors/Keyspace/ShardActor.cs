using System.Diagnostics;
using Akka.Actor;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Tracing;
using AkkaRedis.Net.Streams;

namespace AkkaRedis.Actors.Keyspace;

/// <summary>
/// Owns one slice of the keyspace (its slots, in every database) and runs commands against it synchronously,
/// one batch per message. While the Transaction actor holds it, it stashes everything else.
/// </summary>
public sealed class ShardActor : UntypedActor, IWithUnboundedStash, IWithTimers, IBlockingHost
{
    private readonly CommandServices _server;
    private readonly ShardData _data;
    private readonly ExecContext _context;
    private readonly KeyspaceView _view;
    /// <summary>Scratch for the keys of a tracked read.</summary>
    private readonly List<int> _keyIndexes = new();
    private long _heldBy;
    private string? _path;

    public ShardActor(CommandServices server, ShardData data, ShardData[] everyShard)
    {
        _server = server;
        _data = data;
        _view = KeyspaceView.ForShard(data, everyShard.Length, everyShard);
        _context = new ExecContext(server, _view, server.Stats.NewCell());
        OwnEvents();
    }

    /// <summary>Keys the databases expire by themselves become this shard's write effects (again after a hold).</summary>
    private void OwnEvents()
    {
        foreach (var db in _data.Databases) db.Events = _context;
    }

    private IActorRef _self = null!;
    /// <summary>Set while a session runs a batch here on its own thread (ShardGate): no actor context then.</summary>
    private bool _inline;

    protected override void PreStart()
    {
        _self = Self;
        // From now on a session may run a batch of this shard on its own thread while the shard is idle (ShardGate).
        _data.Gate.Attach(((ActorCell)Context).Mailbox.MessageQueue, RunInline, ExecInline, AttemptInline, ReleasedInline);
    }

    private void RunInline(ShardBatch batch)
    {
        _inline = true;
        _context.OnSessionThread = true;
        try
        {
            Execute(batch);
        }
        finally
        {
            _inline = false;
            _context.OnSessionThread = false;
        }
    }

    /// <summary>A <see cref="CrossShardRun"/> held this shard's data on a session's thread: as after a Release.</summary>
    private void ReleasedInline()
    {
        _inline = true;
        try
        {
            AfterHold();
        }
        finally
        {
            _inline = false;
        }
    }

    private void ExecInline(ExecRequest exec)
    {
        _inline = true;
        try
        {
            Exec(exec);
        }
        finally
        {
            _inline = false;
        }
    }

    private void AttemptInline(BlockedRequest request)
    {
        _inline = true;
        try
        {
            AttemptBlocked(request);
        }
        finally
        {
            _inline = false;
        }
    }

    /// <summary>Every message is handled inside the shard's gate, so no session runs a batch meanwhile; after it, the
    /// gate learns whether sessions may run batches inline (not while the Transaction actor holds the shard).</summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        _data.Gate.Enter();
        try
        {
            return base.AroundReceive(receive, message);
        }
        finally
        {
            _data.Gate.Closed = _heldBy != 0 || _data.Blocking.HasReady;
            _data.Gate.Exit();
        }
    }

    public IStash Stash { get; set; } = null!;
    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CommandServices server, ShardData data, ShardData[] everyShard) =>
        Akka.Actor.Props.Create(() => new ShardActor(server, data, everyShard));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ShardBatch batch:
                // Always answer, even if something outside the handlers throws: a session waiting for a batch that
                // never comes back would hang its connection.
                try
                {
                    Execute(batch);
                }
                finally
                {
                    Sender.Tell(batch);
                }
                break;
            case Hold hold:
                if (hold.Trace != null)
                {
                    var now = Stopwatch.GetTimestamp();
                    _server.Tracer.Hop(hold.Trace, Hops.ShardHold, Path, nameof(Hold), now, CommandTrace.Micros(now - hold.Trace.SentTimestamp));
                }
                _heldBy = hold.TransactionId;
                Sender.Tell(new Held(hold.TransactionId, _data));
                BecomeStacked(Held);
                break;
            case ScatterPart part:
                try
                {
                    ComputePart(part);
                }
                finally
                {
                    Sender.Tell(part);
                }
                break;
            case ActiveExpireTick tick:
                ActiveExpire(tick.Budget);
                break;
            case BlockedRequest request:
                AttemptBlocked(request);
                break;
            case BlockedTimeout timeout:
                TimeOut(timeout.Request);
                break;
            case ForgetBlocked forget:
                _data.Blocking.Remove(forget.Request);
                Timers.Cancel(forget.Request);
                break;
            case StartBlockedTimer start:
                StartTimer(start.Request);
                break;
            case TrackingPrefixes prefixes:
                var table = _data.EnsureTracking(_server.Tracking!);
                foreach (var p in prefixes.Prefixes)
                {
                    if (prefixes.Add) table.AddPrefix(p, prefixes.ClientId);
                    else table.RemovePrefix(p, prefixes.ClientId);
                }
                break;
            case ExecRequest exec:
                try
                {
                    Exec(exec);
                }
                finally
                {
                    Sender.Tell(exec);
                }
                break;
            case SnapshotRun run:
                SnapshotStep(run);
                break;
            case SnapshotAbort abort:
                abort.Snapshot.Abort();
                break;
            case UnwatchKeys unwatch:
                foreach (var w in unwatch.Keys)
                    if (HashSlot.ShardOf(w.Key, _context.Keyspace.PartCount) == _data.Index)
                        _data.Databases[w.Db].Watched?.Remove(w.Key, unwatch.Watcher);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Held(object message)
    {
        if (message is Release release && release.TransactionId == _heldBy)
        {
            _heldBy = 0;
            AfterHold();
            UnbecomeStacked();
            Stash.UnstashAll();
        }
        else Stash.Stash();
    }

    /// <summary>The end of a hold (the Transaction actor's, or a <see cref="CrossShardRun"/>'s).</summary>
    private void AfterHold()
    {
        OwnEvents();
        // What the hold made ready (pushes inside an EXEC) is served now, after the whole EXEC, before anything else.
        if (_data.Blocking.HasReady) Publishing(ServeReadyAction);
        AfterWork(); // what was modified under BCAST prefixes meanwhile
    }

    private string Path => _path ??= Self.Path.ToString();

    private void Execute(ShardBatch batch)
    {
        _context.Effects.Enabled = _server.Effects.Active;
        try
        {
            ExecuteCommands(batch);
        }
        finally
        {
            // Before the replies go back: a client that reads its reply and then subscribes sees nothing older.
            PublishEffects();
            AfterWork();
            SnapshotSlice();
        }
    }

    /// <summary>Client-side caching after a batch (Redis's beforeSleep and processCommand): BCAST invalidations go out,
    /// before the replies, and the tables are cut back to tracking-table-max-keys.</summary>
    private void AfterWork()
    {
        if (_data.Tracking is not { } table) return;
        table.Broadcast();
        table.Limit(_server.Config.TrackingTableMaxKeys);
    }

    private void ExecuteCommands(ShardBatch batch)
    {
        var writer = batch.Writer;
        KeyPrefetch.FirstKeys(_view, batch.Db, batch.Defs, batch.Commands, batch.SegmentStart, allHeld: true);
        _data.BatchesProcessed++;
        _data.CommandsProcessed += batch.Commands.Count - batch.SegmentStart;
        var traced = batch.Traces is { Count: > 0 };
        var received = traced ? Stopwatch.GetTimestamp() : 0;
        // Each command of the batch starts when the one before it ended (one clock read per command, not two).
        var ended = 0L;
        for (var i = batch.SegmentStart; i < batch.Commands.Count; i++)
        {
            batch.Starts.Add(writer.Length);
            var trace = traced ? batch.TraceAt(i) : null;
            _context.Position = batch.Positions[i];
            if (trace == null) ended = CommandRunner.Run(_context, batch.Defs[i], batch.Commands[i], writer, batch.Db, batch.Client, ended);
            else
            {
                ended = 0;
                var start = Stopwatch.GetTimestamp();
                _server.Tracer.Hop(trace, Hops.ShardReceive, Path, nameof(ShardBatch), start, CommandTrace.Micros(received - trace.SentTimestamp));
                CommandRunner.Run(_context, batch.Defs[i], batch.Commands[i], writer, batch.Db, batch.Client);
                var end = Stopwatch.GetTimestamp();
                _server.Tracer.Hop(trace, Hops.ShardExecute, Path, nameof(ShardBatch), end, CommandTrace.Micros(end - start));
                CommandTracer.ChildSpan(trace, Hops.ShardExecute, Path, start, end);
            }
            if (_context.RerunHoldingEveryShard)
            {
                // A script reached a key of another shard (Scripting.ScriptRun): stop here, so that nothing sent after
                // it runs before its re-run; the session re-runs it holding every shard, then sends the rest again.
                _context.RerunHoldingEveryShard = false;
                batch.RerunAt = i;
                break;
            }
            if (_context.YieldToShardActor)
            {
                // A script run on a session's thread that must leave it (Scripting.ScriptRun): nothing of it stays,
                // its reply start goes, and the session sends the batch from it on to this actor.
                _context.YieldToShardActor = false;
                batch.Starts.RemoveAt(batch.Starts.Count - 1);
                batch.YieldAt = i;
                break;
            }
            if (batch.Remember != null && batch.RememberAt(i))
            {
                _view.RememberKeys(_server.Tracking!, batch.Defs[i], batch.Commands[i], batch.TrackingClient, _keyIndexes);
                ended = 0;
            }
            // Redis serves blocked clients after each command (handleClientsBlockedOnKeys in processCommand), also on a
            // session's thread: the client served is told from there (Answer).
            if (_data.Blocking.HasReady)
            {
                ServeReady();
                ended = 0;
            }
        }
        batch.End = writer.Length;
        _context.Position = -1;
    }

    /// <summary>A single-shard EXEC: the whole queue in this one turn, its effects one block.</summary>
    private void Exec(ExecRequest exec)
    {
        _context.Effects.Enabled = _server.Effects.Active;
        exec.ReplyStart = exec.Writer.Length;
        try
        {
            MultiExec.Run(_context, exec.Queue, exec.Watcher, exec.Watched, exec.Writer, exec.Db, exec.Client);
        }
        finally
        {
            exec.ReplyEnd = exec.Writer.Length;
            PublishEffects(atomic: true);
            AfterWork();
        }
        // Waiters on keys the queue made ready are served after the whole EXEC, as Redis's handleClientsBlockedOnKeys
        // runs after call(execCommand): three pushes in one EXEC, then the waiters.
        if (_data.Blocking.HasReady) Publishing(ServeReadyAction);
    }

    /// <summary>This shard's part of a scatter-gather read: no hold, one mailbox turn, its own data only.</summary>
    private void ComputePart(ScatterPart part)
    {
        var request = part.Request;
        // A read that meets expired keys deletes them (RANDOMKEY): those DELs are this shard's effects.
        _context.Effects.Enabled = _server.Effects.Active;
        try
        {
            request.Parts[part.Shard] = CommandRunner.RunPart(_context, request.Def, request.Args, request.Db);
        }
        finally
        {
            PublishEffects();
        }
    }

    // ---- blocking commands (blocked.c): requests parked per key in _data.Blocking ----------------------------------

    private Action? _serveReady;
    private Action ServeReadyAction => _serveReady ??= ServeReady;

    /// <summary>handleClientsBlockedOnKeys: the waiters on keys made ready are served (not as part of the pushing
    /// command, whose batch position does not apply to them).</summary>
    private void ServeReady()
    {
        var position = _context.Position;
        _context.Position = -1;
        _data.Blocking.ServeReady(_context, this);
        _context.Position = position;
    }

    /// <summary>Runs <paramref name="work"/> with write effects on, publishing them after.</summary>
    private void Publishing(Action work)
    {
        _context.Effects.Enabled = _server.Effects.Active;
        try
        {
            work();
        }
        finally
        {
            PublishEffects();
        }
    }

    /// <summary>A blocking command whose keys are all on this shard: served now, or parked (checked and registered in
    /// this one message, so no wake-up can be lost), with its timeout as a timer message to this shard.</summary>
    private void AttemptBlocked(BlockedRequest request)
    {
        _context.Effects.Enabled = _server.Effects.Active;
        try
        {
            if (BlockingTable.Attempt(_context, request))
            {
                _data.Blocking.Park(request);
                StartTimer(request);
            }
            else _answers.Add(request);
            // A served BLMOVE may have pushed onto a key others wait on.
            if (_data.Blocking.HasReady) ServeReady();
        }
        finally
        {
            PublishEffects();
        }
    }

    /// <summary>Blocked requests answered in this turn, told to their sessions once its write effects are published
    /// (<see cref="PublishEffects"/>): Redis propagates a served pop before the client can read its reply.</summary>
    private readonly List<BlockedRequest> _answers = new();

    /// <summary>This turn's write effects go out, then the answers to blocked requests.</summary>
    private void PublishEffects(bool atomic = false)
    {
        _server.Effects.Publish(_data.Index, _context.Effects, atomic);
        SendAnswers();
    }

    private void SendAnswers()
    {
        // Served on a session's socket thread: the client served runs right after it there (BLPOP ping-pong between
        // two clients then wakes no other thread).
        foreach (var request in _answers) SocketThreadExecutor.Following(static r => r.Session.Tell(r), request);
        _answers.Clear();
    }

    private void StartTimer(BlockedRequest request)
    {
        if (request.Deadline == 0 || request.IsClaimed) return;
        if (_inline)
        {
            // Parked on a session's thread: the timers are the actor's own (not thread-safe), so it starts this one.
            _self.Tell(new StartBlockedTimer(request), ActorRefs.NoSender);
            return;
        }
        var delay = TimeSpan.FromMilliseconds(Math.Max(0, request.Deadline - ServerClock.UnixMs()));
        Timers.StartSingleTimer(request, new BlockedTimeout(request), delay);
    }

    private void TimeOut(BlockedRequest request)
    {
        _data.Blocking.Remove(request);
        if (!request.TryClaim()) return;
        request.AnswerTimeout();
        Answer(request);
        SendAnswers();
    }

    public void Answer(BlockedRequest request)
    {
        // Served on a session's thread: the actor cancels its timer (one there only with a timeout; a timer that fires
        // first finds the request claimed and does nothing).
        if (!_inline) Timers.Cancel(request);
        else if (request.Deadline != 0) _self.Tell(new ForgetBlocked(request), ActorRefs.NoSender);
        _answers.Add(request);
        if (request.Shards.Length < 2) return;
        foreach (var shard in request.Shards)
            if (shard != _data.Index) request.ShardActors[shard].Tell(new ForgetBlocked(request));
    }

    public void ServeAcrossShards(BlockedRequest request, int keyIndex) =>
        request.Transactions.Tell(new ServeBlocked(request, keyIndex));

    // ---- the point-in-time snapshot (Storage.ShardSnapshot): walked in slices after client batches -----------------

    /// <summary>
    /// While clients are served, the walk goes on in slices of about this long, each at the end of a client batch
    /// (<see cref="SnapshotSlice"/>), at most one per <see cref="SnapshotSliceEvery"/>: about 5% of the shard's time.
    /// A save hurts clients in two ways: its CPU, and the time a request waits while the walk holds its shard. Walked
    /// in 0.5 ms steps every 10 ms, a save doubled the clients' p99 (a request arriving during a step waited for it);
    /// in slices of 50 µs, a request waits at most that, and only one batch in twenty pays it. Slices run where
    /// batches run (on a session's thread inline, or in this actor), so the mailbox stays empty and batches keep
    /// running inline. Redis forks instead: its parent pays the fork and the copy-on-write page faults.
    /// </summary>
    private static readonly long SnapshotSliceTicks = Stopwatch.Frequency / 20_000; // 50 µs
    private static readonly long SnapshotSliceEvery = SnapshotSliceTicks * 20;
    /// <summary>With no client to make room for, the walk goes on in steps this long, one message each: SAVE, SHUTDOWN
    /// and an idle server's saves run at full speed.</summary>
    private static readonly long SnapshotStepTicks = Stopwatch.Frequency / 2000; // 0.5 ms
    /// <summary>How often the shard looks whether clients still carry the walk (their command count moved), from a
    /// timer; when they did not, it walks on by itself.</summary>
    private static readonly TimeSpan SnapshotCheck = TimeSpan.FromMilliseconds(5);
    /// <summary>Records written are handed on once there are this many bytes of them (in pooled arrays,
    /// ShardSnapshot.TakeChunks): the buffer they are written into stays below the large object heap's 85,000 bytes
    /// (a buffer grown for a whole step's records was a large-object allocation per save, and those trigger full
    /// collections).</summary>
    private const int SnapshotChunkBytes = 32 * 1024;
    /// <summary>Keys per Storage.ShardSnapshot.Step call (it reads the clock every 64 keys): the records written so
    /// far are handed on between calls.</summary>
    private const int SnapshotPartKeys = 1024;
    /// <summary>The snapshot this shard is walking (null when none): client batches carry it on in slices.</summary>
    private SnapshotRun? _snapshot;
    /// <summary>Stopwatch time before which no slice is taken.</summary>
    private long _nextSliceAt;
    /// <summary>The shard's command count at the last check: unchanged means no client to make room for.</summary>
    private long _snapshotClientMark = -1;

    /// <summary>The Persistence actor's request to walk this shard's part of a snapshot, then this shard's own checks
    /// (a timer, or itself when walking at full speed); the keys changed meanwhile were written first by the tables'
    /// copy-on-write.</summary>
    private void SnapshotStep(SnapshotRun run)
    {
        if (run.Reported) return; // a slice finished it; this check was on its way
        // One snapshot at a time (the Persistence actor's rule), but one given up may still be on its way out here:
        // the newest is the one that client batches carry on.
        if (_snapshot == null || run.Id > _snapshot.Id) _snapshot = run;
        var clientsServed = _data.CommandsProcessed != _snapshotClientMark;
        _snapshotClientMark = _data.CommandsProcessed;
        if (clientsServed && ReferenceEquals(_snapshot, run))
        {
            Timers.StartSingleTimer(run.Snapshot, run, SnapshotCheck);
            return;
        }
        if (WalkSnapshot(run, SnapshotStepTicks)) return;
        if (clientsServed) Timers.StartSingleTimer(run.Snapshot, run, SnapshotCheck);
        else Self.Tell(run);
    }

    /// <summary>After a client batch: a slice of the snapshot's walk, when one is due.</summary>
    private void SnapshotSlice()
    {
        if (_snapshot is not { } run) return;
        var now = Stopwatch.GetTimestamp();
        if (now < _nextSliceAt) return;
        WalkSnapshot(run, SnapshotSliceTicks);
        _nextSliceAt = Stopwatch.GetTimestamp() + SnapshotSliceEvery;
    }

    /// <summary>Walks <paramref name="run"/> for about <paramref name="ticks"/>; true once it is over (its
    /// <see cref="SnapshotShardDone"/> sent).</summary>
    private bool WalkSnapshot(SnapshotRun run, long ticks)
    {
        var snapshot = run.Snapshot;
        bool done;
        Exception? error = null;
        try
        {
            var deadline = Stopwatch.GetTimestamp() + ticks;
            do
            {
                done = snapshot.Step(SnapshotPartKeys, deadline);
                if (snapshot.Buffered >= (done ? 1 : SnapshotChunkBytes))
                    snapshot.TakeChunks(done ? 0 : SnapshotChunkBytes, run.SendChunk);
            } while (!done && Stopwatch.GetTimestamp() < deadline);
        }
        catch (Exception e)
        {
            // Never left half-attached: the tables stop calling back, and the Persistence actor hears of the failure.
            snapshot.Abort();
            error = e;
            done = true;
        }
        if (!done) return false;
        run.Reported = true;
        if (ReferenceEquals(_snapshot, run)) _snapshot = null;
        run.ReplyTo.Tell(new SnapshotShardDone(run.Id, _data.Index, snapshot.CowBytes, snapshot.Written, error ?? snapshot.Error));
        return true;
    }

    private void ActiveExpire(TimeSpan budget)
    {
        // Between commands, so no KeyEntry is held: tables emptied by mass deletion give their slots back here,
        // as Redis's serverCron resizes its dicts (tryResizeHashTables).
        foreach (var db in _data.Databases) db.Compact();
        // serverCron's trackingLimitUsedSlots (after CONFIG SET tracking-table-max-keys, with no command coming).
        _data.Tracking?.Limit(_server.Config.TrackingTableMaxKeys);
        // Redis 7.0 skips active expiry while clients are paused (checkClientPauseTimeoutAndReturnIfPaused).
        if (!_server.Config.ActiveExpireEnabled || _server.Pause.Paused) return;
        _context.Effects.Enabled = _server.Effects.Active;
        try
        {
            ActiveExpireCycle(budget);
        }
        finally
        {
            PublishEffects();
            AfterWork();
        }
    }

    /// <summary>Redis's activeExpireCycle over this shard's databases; each key it deletes propagates a DEL.</summary>
    private void ActiveExpireCycle(TimeSpan budget)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
        var now = ServerClock.UnixMs();
        foreach (var db in _data.Databases)
        {
            if (db.VolatileCount == 0) continue;
            db.ActiveExpire(now, _data.Random, deadline);
            if (Stopwatch.GetTimestamp() > deadline) break;
        }
    }
}
