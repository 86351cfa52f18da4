using System.Buffers;
using Akka.Actor;
using Akka.Event;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Actors.Storage.Rdb;

namespace AkkaRedis.Actors.Persistence;

/// <summary>
/// The snapshot engine (point-in-time, without stopping writes: what Redis gets from fork) and BGSAVE on top of it.
/// </summary>
/// <remarks>
/// The engine, for BGSAVE and the AOF rewrite (<see cref="StartSnapshot"/>): every shard is held at once through the
/// Transaction actor (a HandOver request, as a cross-shard EXEC) and, under that hold, each shard's tables get a
/// <see cref="ShardSnapshot"/> marking their live keys pending; the hold is released at once. Everything any client
/// did before the hold is in the snapshot, nothing after (EXEC blocks and cross-shard commands are atomic with
/// respect to the hold). Each shard then writes its pending keys in steps between client batches (ShardActor
/// SnapshotStep), the tables writing a key's snapshot-time record first when something would change or delete it,
/// and hands its records here in chunks; once every shard is done the image goes to the snapshot's owner.
/// One snapshot at a time: Redis has one child at a time (hasActiveChildProcess).
/// </remarks>
public sealed partial class PersistenceActor
{
    /// <summary>The snapshot running, from <see cref="StartSnapshot"/> until its owner calls
    /// <see cref="SnapshotFinished"/> (after writing its file: Redis's child lives until then).</summary>
    private SnapshotJob? _snapshot;
    private long _nextSnapshotId;
    private IActorRef? _transactions;
    private readonly List<SnapshotJob> _awaitingRefs = new();

    private sealed class SnapshotJob(SnapshotImage image, Action<SnapshotImage>? onHeld, Action<SnapshotImage> onDone, SnapshotRecordWriter write,
        Func<int, ArraySegment<byte>, bool>? onChunk, Action<SnapshotImage>? onMarked)
    {
        /// <summary>Runs once the shards are marked and released, before they walk (what needs no hold: the clients
        /// wait for every moment of the hold).</summary>
        public readonly Action<SnapshotImage>? OnMarked = onMarked;
        public readonly SnapshotImage Image = image;
        /// <summary>Takes a chunk as it arrives (true: it owns the rented array now), else the image keeps a copy.</summary>
        public readonly Func<int, ArraySegment<byte>, bool>? OnChunk = onChunk;
        public readonly Action<SnapshotImage>? OnHeld = onHeld;
        public readonly Action<SnapshotImage> OnDone = onDone;
        public readonly SnapshotRecordWriter Write = write;
        public readonly TransactionRequest Hold = new() { HandOver = true };
        public ShardSnapshot[] Shards = [];
        public int Remaining;
        public bool HoldSent;
        public bool Collected;
        /// <summary>The owner's file write, if it registered one (<see cref="AbortSnapshot"/> waits for it).</summary>
        public Task? Writing;
        public readonly CancellationTokenSource Cancel = new();
    }

    /// <summary>Holds asked for by snapshots given up before they came: released as soon as they come.</summary>
    private readonly HashSet<TransactionRequest> _abandonedHolds = new();

    /// <summary>What the running snapshot is for; null when none runs (BGSAVE and BGREWRITEAOF check it).</summary>
    private SnapshotPurpose? RunningSnapshot => _snapshot?.Image.Purpose;

    /// <summary>
    /// Starts a point-in-time snapshot; false when one is running already. <paramref name="onHeld"/> runs on this
    /// actor while every shard is held, after the marks (the AOF rewrite switches to a new incr file there: effects
    /// published before are in the snapshot, effects after are not); <paramref name="onDone"/> runs on this actor when
    /// every shard's records are in the image. The engine stays busy until <see cref="SnapshotFinished"/>.
    /// <paramref name="write"/>: how a key record is written (default: RDB's key record, as rdbSaveKeyValuePair).
    /// <paramref name="onChunk"/>: offered each chunk of records (database index, bytes) as it arrives, on this actor;
    /// true: taken (a file written as the walk goes; the rented array is its to give back), false: the image keeps a copy.
    /// <paramref name="onMarked"/>: runs on this actor after the hold is released, before the shards start walking.
    /// </summary>
    private bool StartSnapshot(SnapshotPurpose purpose, Action<SnapshotImage>? onHeld, Action<SnapshotImage> onDone, SnapshotRecordWriter? write = null,
        Func<int, ArraySegment<byte>, bool>? onChunk = null, Action<SnapshotImage>? onMarked = null)
    {
        if (_snapshot != null) return false;
        var image = new SnapshotImage(++_nextSnapshotId, purpose, _server.Config.Databases);
        _snapshot = new SnapshotJob(image, onHeld, onDone, write ?? RecordWriter(), onChunk, onMarked);
        if (_transactions != null) SendHold(_snapshot);
        else
        {
            // The Transaction actor is a sibling: its ref comes from the supervisor once.
            _awaitingRefs.Add(_snapshot);
            if (_awaitingRefs.Count == 1) Context.Parent.Tell(new KeyspaceSupervisor.GetRefs(), Self);
        }
        return true;
    }

    /// <summary>The owner of the running snapshot is done with it (file written or failed): another may start, and a
    /// BGSAVE SCHEDULEd meanwhile starts now (Redis's serverCron checks rdb_bgsave_scheduled when no child runs).</summary>
    private void SnapshotFinished()
    {
        _snapshot = null;
        if (_server.Persistence.BgsaveScheduled)
        {
            _server.Persistence.BgsaveScheduled = false;
            StartBgsave();
        }
    }

    private void SendHold(SnapshotJob job)
    {
        job.HoldSent = true;
        _transactions!.Tell(job.Hold, Self);
    }

    /// <summary>
    /// Gives up the running snapshot, as Redis's killRDBChild / killAppendOnlyChild (FLUSHALL and SHUTDOWN kill an RDB
    /// child; CONFIG SET appendonly no an AOF one): the shards stop walking and let their tables go, a file being
    /// written is not renamed into place (this waits for its writer to stop), and another snapshot may start at once.
    /// Returns what the given-up snapshot was for, or null when none ran.
    /// </summary>
    private SnapshotPurpose? AbortSnapshot()
    {
        if (_snapshot is not { } job) return null;
        _snapshot = null;
        if (job.Shards.Length > 0)
        {
            if (!job.Collected) AbortShards(job);
        }
        else if (job.HoldSent) _abandonedHolds.Add(job.Hold);
        job.Cancel.Cancel();
        try
        {
            job.Writing?.Wait();
        }
        catch (AggregateException)
        {
            // The writer's own failure or cancellation: nothing was renamed into place.
        }
        _server.Persistence.BgsaveCancel = null;
        if (job.Image.Purpose == SnapshotPurpose.Rdb && _server.Persistence.BgsaveInProgress)
        {
            // backgroundSaveDoneHandlerDisk for a child killed with SIGUSR1: logged, the status is left as it was.
            _server.Persistence.BgsaveInProgress = false;
            Context.GetLogger().Warning("Background saving terminated by signal 10");
        }
        return job.Image.Purpose;
    }

    /// <summary>The shards stop walking the job's snapshot and let their tables go.</summary>
    private void AbortShards(SnapshotJob job)
    {
        job.Collected = true; // nothing more is expected from them
        for (var part = 0; part < job.Shards.Length; part++) _shards[part].Tell(new SnapshotAbort(job.Shards[part]));
    }

    /// <summary>The key-record writer a snapshot uses unless told otherwise (rdbSaveKeyValuePair), with the options of
    /// this moment: rdbcompression, IDLE or FREQ as maxmemory-policy asks, the quicklist fill of list-max-listpack-size.</summary>
    private SnapshotRecordWriter RecordWriter()
    {
        var options = _server.Config.RdbSaveOptions(ServerClock.UnixMs());
        return (w, entry) => RdbValues.WriteKeyRecord(w, entry, options);
    }

    private bool ConfigYes(string name) => _server.Config.Find(name)!.Get() == "yes";

    /// <summary>Snapshot and BGSAVE messages; false: not one of them.</summary>
    private bool OnSnapshotMessage(object message)
    {
        switch (message)
        {
            case TransactionRequest { HandOver: false } request when request.Def.Name == "bgsave":
                Bgsave(request);
                return true;
            case KeyspaceRefs refs when _transactions == null:
                _transactions = refs.Transactions;
                foreach (var job in _awaitingRefs)
                    if (job == _snapshot) SendHold(job);
                _awaitingRefs.Clear();
                return true;
            case ShardsHeld held when _snapshot is { } job && held.Request == job.Hold:
                MarkUnderHold(job, held);
                return true;
            case ShardsHeld abandoned when _abandonedHolds.Remove(abandoned.Request):
                _transactions!.Tell(new ReleaseShards(abandoned.Request, abandoned.TransactionId), Self);
                return true;
            case SnapshotChunk chunk:
                if (_snapshot is not { } forChunk || chunk.Id != forChunk.Image.Id)
                    ArrayPool<byte>.Shared.Return(chunk.Records.Array!);
                else if (forChunk.OnChunk?.Invoke(chunk.Db, chunk.Records) != true)
                {
                    // Kept until the snapshot is complete: an array of its own, the rented one goes back.
                    forChunk.Image.Chunks[chunk.Db].Add(chunk.Records.AsSpan().ToArray());
                    ArrayPool<byte>.Shared.Return(chunk.Records.Array!);
                }
                return true;
            case SnapshotShardDone done:
                if (_snapshot is { } forDone && done.Id == forDone.Image.Id) ShardDone(forDone, done);
                return true;
            case AbortBackgroundSave:
                if (RunningSnapshot == SnapshotPurpose.Rdb) AbortSnapshot();
                return true;
            case BgsaveWritten written:
                BgsaveEnded(written);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Every shard is held: mark each one's tables, let the owner act at this moment, release, and let the
    /// shards walk their pending keys.</summary>
    private void MarkUnderHold(SnapshotJob job, ShardsHeld held)
    {
        var keyspace = held.Context.Keyspace;
        var databases = _server.Config.Databases;
        var image = job.Image;
        job.Shards = new ShardSnapshot[keyspace.PartCount];
        try
        {
            image.StartedMs = ServerClock.UnixMs();
            // The libraries change only with every shard held, so they are the snapshot's own at this moment.
            image.Functions = _server.Functions.Current.Codes;
            for (var part = 0; part < job.Shards.Length; part++)
            {
                var snapshot = new ShardSnapshot(databases, job.Write);
                for (var db = 0; db < databases; db++)
                    if (keyspace.Part(part, db) is { } database) snapshot.Mark(database);
                for (var db = 0; db < databases; db++)
                {
                    image.Keys[db] += snapshot.Keys[db];
                    image.Expires[db] += snapshot.Expires[db];
                }
                job.Shards[part] = snapshot;
            }
            job.OnHeld?.Invoke(image);
        }
        finally
        {
            _transactions!.Tell(new ReleaseShards(held.Request, held.TransactionId), Self);
        }
        job.OnMarked?.Invoke(image);
        job.Remaining = job.Shards.Length;
        for (var part = 0; part < job.Shards.Length; part++) _shards[part].Tell(new SnapshotRun(image.Id, job.Shards[part], Self));
    }

    private void ShardDone(SnapshotJob job, SnapshotShardDone done)
    {
        job.Image.CowBytes += done.CowBytes;
        job.Image.Records += done.Keys;
        job.Image.Error ??= done.Error;
        if (--job.Remaining > 0 || job.Collected) return;
        job.Collected = true;
        job.OnDone(job.Image);
    }

    // ---- BGSAVE ---------------------------------------------------------------------------------------------------

    /// <summary>The file write of a BGSAVE has ended (<paramref name="Error"/> null: written and renamed).</summary>
    private sealed record BgsaveWritten(long Id, long Bytes, Exception? Error);

    /// <summary>Redis's bgsaveCommand.</summary>
    private void Bgsave(TransactionRequest request)
    {
        var reply = request.Writer;
        request.ReplyStart = reply.Length;
        var args = request.Args;
        var schedule = false;
        if (args.Length == 2 && System.Text.Ascii.EqualsIgnoreCase(args[1].Span, "schedule"u8)) schedule = true;
        if (args.Length > 1 && !schedule) reply.Error(Commands.Errors.Syntax);
        else if (RunningSnapshot == SnapshotPurpose.Rdb) reply.Error("ERR Background save already in progress");
        else if (RunningSnapshot != null)
        {
            if (schedule)
            {
                _server.Persistence.BgsaveScheduled = true;
                reply.SimpleString("Background saving scheduled");
            }
            // Redis 7.0.15's wording (older versions said "An AOF log rewriting in progress").
            else reply.Error("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
        }
        else
        {
            StartBgsave();
            reply.SimpleString("Background saving started");
        }
        request.ReplyEnd = reply.Length;
        Sender.Tell(request);
    }

    /// <summary>rdbSaveBackground: a snapshot whose image is written to dir/dbfilename off the actor threads.</summary>
    private void StartBgsave()
    {
        // As Redis: the file name and options are the ones configured when the save starts.
        var dir = Directory.GetCurrentDirectory();
        var fileName = _server.Config.Find("dbfilename")!.Get();
        var checksum = ConfigYes("rdbchecksum");
        var compress = _server.Config.RdbCompression();
        var status = _server.Persistence;
        BgsaveFile? file = null;
        var started = StartSnapshot(SnapshotPurpose.Rdb,
            // Under the hold: a FLUSHALL run as soon as the shards are released must find this save to kill.
            onHeld: _ => status.BgsaveCancel = _snapshot!.Cancel,
            // After the hold: starting the writer's thread needs no hold, and the clients wait for all of it (a save
            // killed meanwhile starts cancelled and ends at once).
            onMarked: image =>
            {
                var job = _snapshot!;
                file = BgsaveFile.Start(image, dir, fileName, checksum, compress, status.BgsaveRenameGate, job.Cancel.Token);
                job.Writing = file.Writing;
                var self = Self;
                file.Writing.ContinueWith(t => self.Tell(new BgsaveWritten(image.Id, t.IsCompletedSuccessfully ? t.Result : 0,
                    t.Exception?.GetBaseException() ?? (t.IsCanceled ? new OperationCanceledException() : null))), TaskScheduler.Default);
            },
            onDone: image =>
            {
                // A key that could not be written fails the save: the writer gives up and the temp file goes.
                if (image.Error != null) _snapshot!.Cancel.Cancel();
                else file!.Finish();
            },
            onChunk: (db, records) => file!.TryStream(db, records));
        if (!started) return;
        status.BgsaveStartedMs = ServerClock.UnixMs();
        status.BgsaveInProgress = true;
        Context.GetLogger().Info("Background saving started");
    }

    /// <summary>The aux fields of a file made from <paramref name="image"/> (ctime: the snapshot's moment).</summary>
    internal static RdbAux Aux(SnapshotImage image, bool aofBase) =>
        new() { CTime = image.StartedMs / 1000, UsedMem = GC.GetTotalMemory(false), AofBase = aofBase };

    /// <summary>backgroundSaveDoneHandlerDisk: the status fields, LASTSAVE and the log line.</summary>
    private void BgsaveEnded(BgsaveWritten written)
    {
        if (_snapshot is not { } job || job.Image.Id != written.Id) return;
        // The writer failed before the walk ended (a full disk): the shards stop walking too.
        if (!job.Collected) AbortShards(job);
        var error = job.Image.Error ?? written.Error;
        var status = _server.Persistence;
        status.BgsaveCancel = null;
        if (job.Image.Error == null && written.Error is OperationCanceledException)
        {
            // Killed by FLUSHALL (KillBackgroundSave), as killRDBChild's SIGUSR1: logged, the status left as it was.
            Context.GetLogger().Warning("Background saving terminated by signal 10");
            status.BgsaveInProgress = false;
            SnapshotFinished();
            return;
        }
        var now = ServerClock.UnixMs();
        status.LastBgsaveTimeSec = (now - status.BgsaveStartedMs) / 1000;
        status.LastCowSize = job.Image.CowBytes;
        if (error == null)
        {
            status.LastBgsaveOk = true;
            status.RdbSaves++;
            _server.Runtime.LastSaveUnixSeconds = now / 1000; // backgroundSaveDoneHandlerDisk: lastsave = time(NULL)
            Context.GetLogger().Info("Background saving terminated with success ({0} keys, {1} bytes, {2} bytes copied on write)",
                job.Image.Records, written.Bytes, job.Image.CowBytes);
        }
        else
        {
            status.LastBgsaveOk = false;
            Context.GetLogger().Warning("Background saving error: {0}", error.Message);
        }
        status.BgsaveInProgress = false;
        SnapshotFinished();
    }
}
