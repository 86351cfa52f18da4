using System.Diagnostics;
using Akka.Actor;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Tracing;

namespace AkkaRedis.Actors.Keyspace;

/// <summary>
/// Owns one slice of the keyspace (its slots, in every database) and runs commands against it synchronously,
/// one batch per message. While the Transaction actor holds it, it stashes everything else.
/// </summary>
public sealed class ShardActor : UntypedActor, IWithUnboundedStash
{
    private readonly CommandServices _server;
    private readonly ShardRunner _runner;
    private readonly ShardData _data;
    private readonly ExecContext _context;
    private long _heldBy;

    public ShardActor(CommandServices server, ShardRunner runner)
    {
        _server = server;
        _runner = runner;
        _data = runner.Data;
        _context = runner.Context;
        runner.Bind(Self);
        OwnEvents();
    }

    /// <summary>Keys the databases expire by themselves become this shard's write effects (again after a hold).</summary>
    private void OwnEvents()
    {
        foreach (var db in _data.Databases) db.Events = _context;
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(CommandServices server, ShardRunner runner) =>
        Akka.Actor.Props.Create(() => new ShardActor(server, runner));

    protected override void OnReceive(object message)
    {
        // Sessions run batches inline while the shard is idle: every message takes the gate first.
        _runner.Enter();
        var keepGate = false;
        try
        {
            keepGate = Receive(message);
        }
        finally
        {
            if (!keepGate) _runner.Exit();
        }
    }

    /// <summary>Handles one message with the gate taken; true when the gate stays taken (the shard is now held).</summary>
    private bool Receive(object message)
    {
        switch (message)
        {
            case ShardBatch batch:
                // Always answer, even if something outside the handlers throws: a session waiting for a batch that
                // never comes back would hang its connection.
                try
                {
                    _runner.Execute(batch);
                }
                finally
                {
                    Sender.Tell(batch);
                }
                return false;
            case Hold hold:
                if (hold.Trace != null)
                {
                    var now = Stopwatch.GetTimestamp();
                    _server.Tracer.Hop(hold.Trace, Hops.ShardHold, _runner.Path, nameof(Hold), now, CommandTrace.Micros(now - hold.Trace.SentTimestamp));
                }
                _heldBy = hold.TransactionId;
                Sender.Tell(new Held(hold.TransactionId, _data));
                BecomeStacked(Held);
                // The Transaction actor works on this shard's data until it releases it: no session may run inline.
                return true;
            case ScatterPart part:
                try
                {
                    ComputePart(part);
                }
                finally
                {
                    Sender.Tell(part);
                }
                return false;
            case ActiveExpireTick tick:
                ActiveExpire(tick.Budget);
                return false;
            default:
                Unhandled(message);
                return false;
        }
    }

    /// <summary>While held (the gate stays taken): everything but the holder's Release waits in the stash.</summary>
    private void Held(object message)
    {
        if (message is Release release && release.TransactionId == _heldBy)
        {
            _heldBy = 0;
            OwnEvents();
            UnbecomeStacked();
            _runner.Exit();
            Stash.UnstashAll();
        }
        else Stash.Stash();
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
            _server.Effects.Publish(_data.Index, _context.Effects);
        }
    }

    private void ActiveExpire(TimeSpan budget)
    {
        // Between commands, so no KeyEntry is held: tables emptied by mass deletion give their slots back here,
        // as Redis's serverCron resizes its dicts (tryResizeHashTables).
        foreach (var db in _data.Databases) db.Compact();
        if (!_server.Config.ActiveExpireEnabled) return;
        _context.Effects.Enabled = _server.Effects.Active;
        try
        {
            ActiveExpireCycle(budget);
        }
        finally
        {
            _server.Effects.Publish(_data.Index, _context.Effects);
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
