using Akka.Actor;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;

using AkkaRedis.Actors.Tracing;
using System.Diagnostics;

namespace AkkaRedis.Actors.Transactions;

/// <summary>
/// Runs commands that need several shards at once (cross-shard keys, whole-keyspace commands): holds the shards
/// in ascending order, runs the command against their data, releases them. It is the only actor that ever holds
/// more than one shard, one request at a time, so holds never deadlock.
/// </summary>
public sealed class TransactionActor : UntypedActor, IWithUnboundedStash, IWithTimers
{
    private readonly CommandServices _server;
    private readonly IActorRef[] _shards;
    private readonly KeyspaceView _view;
    private readonly ExecContext _context;
    private readonly List<int> _holding = new();
    private TransactionRequest? _current;
    private IActorRef _requester = ActorRefs.Nobody;
    private long _transactionId;
    private int _awaitingHeld;
    private string? _path;

    public TransactionActor(CommandServices server, IActorRef[] shards)
    {
        _server = server;
        _shards = shards;
        _view = new KeyspaceView(shards.Length);
        _context = new ExecContext(server, _view);
    }

    public IStash Stash { get; set; } = null!;
    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CommandServices server, IActorRef[] shards) =>
        Akka.Actor.Props.Create(() => new TransactionActor(server, shards));

    private sealed record ReleaseNow(long TransactionId);

    protected override void OnReceive(object message)
    {
        if (message is not TransactionRequest request)
        {
            Unhandled(message);
            return;
        }
        _current = request;
        _requester = Sender;
        _transactionId++;
        _holding.Clear();
        if (request.Shards.Count == 0)
            for (var i = 0; i < _shards.Length; i++) _holding.Add(i);
        else _holding.AddRange(request.Shards);
        _awaitingHeld = _holding.Count;
        var trace = request.Trace;
        if (trace != null)
        {
            var now = Stopwatch.GetTimestamp();
            _server.Tracer.Hop(trace, Hops.TransactionReceive, Path, nameof(TransactionRequest), now, CommandTrace.Micros(now - trace.SentTimestamp));
            trace.SentTimestamp = Stopwatch.GetTimestamp();
        }
        // Only this actor holds several shards, so asking them all at once cannot deadlock; each one stops
        // serving others as soon as it sees its Hold.
        foreach (var shard in _holding) _shards[shard].Tell(new Hold(_transactionId, trace));
        BecomeStacked(Holding);
    }

    private void Holding(object message)
    {
        switch (message)
        {
            case Held held when held.TransactionId == _transactionId:
                _view.Hold(held.Data);
                // Keys the held databases expire by themselves become effects of this hold, in order.
                foreach (var db in held.Data.Databases) db.Events = _context;
                if (--_awaitingHeld == 0) RunCurrent();
                break;
            case ReleaseNow release when release.TransactionId == _transactionId:
                Finish();
                break;
            default:
                Stash.Stash();
                break;
        }
    }

    private void RunCurrent()
    {
        var request = _current!;
        request.ReplyStart = request.Writer.Length;
        _context.HoldFor = null;
        _context.Effects.Enabled = _server.Effects.Active;
        var start = Stopwatch.GetTimestamp();
        CommandRunner.Run(_context, request.Def, request.Args, request.Writer, request.Db, request.Client);
        // Published while the shards are still held: nothing they do later can be seen before it.
        _server.Effects.Publish(-1, _context.Effects, atomic: true);
        request.ReplyEnd = request.Writer.Length;
        if (request.Trace is { } trace)
        {
            var end = Stopwatch.GetTimestamp();
            _server.Tracer.Hop(trace, Hops.TransactionExecute, Path, nameof(TransactionRequest), end, CommandTrace.Micros(end - start));
            CommandTracer.ChildSpan(trace, Hops.TransactionExecute, Path, start, end);
        }
        if (_context.HoldFor is { } delay && delay > TimeSpan.Zero)
            Timers.StartSingleTimer("hold", new ReleaseNow(_transactionId), delay);
        else Finish();
    }

    private string Path => _path ??= Self.Path.ToString();

    private void Finish()
    {
        foreach (var shard in _holding) _shards[shard].Tell(new Release(_transactionId));
        _view.ReleaseAll();
        _requester.Tell(_current!);
        _current = null;
        _requester = ActorRefs.Nobody;
        UnbecomeStacked();
        Stash.UnstashAll();
    }
}
