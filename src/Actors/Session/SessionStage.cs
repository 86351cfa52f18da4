using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Stage;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Tracing;
using AkkaRedis.Net.Resp;
using AkkaRedis.Net.Streams;

namespace AkkaRedis.Actors.Session;

/// <summary>
/// The connection's session: takes each received batch of commands, runs connection commands itself, sends one
/// message per involved shard for the rest, waits at barriers, and emits the batch's replies in request order as
/// one segment list over the writers that encoded them (no copy). Those writers are reused only after the socket
/// stage has sent the list (it pulls again), so the session asks for its next batch then; the framing stage reads
/// ahead meanwhile.
/// </summary>
public sealed partial class SessionStage : GraphStage<FlowShape<RequestFrames, OutgoingBytes>>
{
    private readonly ServerContext _server;
    private readonly string? _remote;
    private readonly string? _local;
    private readonly RespLimits? _framingLimits;

    /// <param name="framingLimits">The connection's framing limits, if the session is to tie them to its state
    /// (the smaller requests Redis accepts before authentication).</param>
    public SessionStage(ServerContext server, string remoteAddress, string localAddress, RespLimits? framingLimits = null)
    {
        _server = server;
        _remote = remoteAddress;
        _local = localAddress;
        _framingLimits = framingLimits;
        Shape = new FlowShape<RequestFrames, OutgoingBytes>(In, Out);
    }

    /// <summary>The session of a server's shared connection graph: addresses and framing limits come from the
    /// <see cref="RespTcpServer.ConnectionAttribute"/> each connection is materialized with.</summary>
    public SessionStage(ServerContext server)
    {
        _server = server;
        Shape = new FlowShape<RequestFrames, OutgoingBytes>(In, Out);
    }

    public Inlet<RequestFrames> In { get; } = new("session.in");
    public Outlet<OutgoingBytes> Out { get; } = new("session.out");
    public override FlowShape<RequestFrames, OutgoingBytes> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes)
    {
        if (_remote != null) return new Logic(this, _remote, _local!, _framingLimits);
        var info = RespTcpServer.ConnectionOf(inheritedAttributes).Info;
        return new Logic(this, RespTcpServer.Format(info.Remote), info.LocalText, info.Limits);
    }

    private struct ReplySlot
    {
        public RespWriter? Writer;
        public int Start;
        public int End;
        public bool Suppressed;
    }

    /// <summary>What a feature hook (Transactions, Blocking, PubSub, ClientControl parts of <see cref="Logic"/>) did
    /// with the command at the cursor.</summary>
    private enum Intercept
    {
        /// <summary>Not its business: the command goes on its usual way.</summary>
        None,
        /// <summary>Answered (or queued) in its slot: go on with the next command.</summary>
        Done,
        /// <summary>Sent somewhere that answers with a message (_outstanding counted): go on once it is back.</summary>
        Sent,
        /// <summary>Not run yet and must wait (CLIENT PAUSE): the cursor stays, the feature calls Run() again later.</summary>
        Hold,
    }

    private sealed partial class Logic : InGraphStageLogic, IOutHandler, IAuthGate
    {
        /// <summary>The parser's authRequired (<see cref="ConnectionGate.LimitUnauthenticatedRequests"/>).</summary>
        bool IAuthGate.AuthRequired(CommandBatch notRunYet) => ConnectionGate.AuthRequiredBefore(_server.Config, _client, notRunYet);

        private readonly SessionStage _stage;
        private readonly ServerContext _server;
        private readonly ClientSession _client;
        private readonly SessionCall _call;
        private readonly RespWriter _local = new();
        private readonly ShardBatch?[] _batches;
        // Made at first use (cross-shard commands, scatter-gather, multi-key routing): a connection that only sends
        // single-key and connection commands never pays for them.
        private TransactionRequest? _transactionRequest;
        private ScatterRequest? _scatterRequest;
        private List<int>? _keyIndexList;
        private TransactionRequest TxRequest => _transactionRequest ??= new();
        private List<int> KeyIndexes => _keyIndexList ??= new();
        private readonly IActorRef[] _shards;
        // Sized for one command at a time; grown for pipelines, cut back once they are answered (ReleaseReplyMemory).
        private ReplySlot[] _slots = new ReplySlot[1];
        private SessionRef _self = null!;
        private RequestFrames? _frames;
        private int _cursor;
        /// <summary>The last command this connection sent (CommandTable.Resolve's one-entry cache).</summary>
        private CommandDef? _lastCommand;
        private int _outstanding;
        private bool _transactionUsed;
        private bool _closeAfterBatch;
        private bool _upstreamFinished;
        private OutgoingBytes? _pendingOutput;
        private readonly OutgoingBytes _output = new();
        /// <summary>Pushed output on its way to the socket (made at the first push: most connections never get one).</summary>
        private OutgoingBytes? _pushBytes;
        /// <summary>Small pushed messages copied together (see <see cref="FlushPushOutput"/>); released once they are out.</summary>
        private RespWriter? _pushCopy;
        /// <summary>Pushed messages up to this size are copied into one buffer rather than sent as segments of their own.</summary>
        private const int PushCopyMax = 1024;
        /// <summary>A batch's replies are out at the socket stage: the writers they point into stay untouched.</summary>
        private bool _awaitingSend;
        /// <summary>trace-commands, read once per received batch; when off, no trace code runs.</summary>
        private bool _tracing;
        private long _receivedTimestamp;
        private string? _path;
        /// <summary>Pushed output waiting for the socket: MONITOR lines, write effects (DEBUG EFFECTS); made at the first.</summary>
        private List<ArraySegment<byte>>? _pushOutputList;
        private List<ArraySegment<byte>> PushOutput => _pushOutputList ??= new();
        private Action<EffectBlock>? _effectsSubscription;
        private int _effectsDb = -1;
        /// <summary>Where this connection counts its session commands and rejections: the running thread's cell
        /// (StatsRegistry.ForCurrentThread), not one per connection.</summary>
        private StatsCell Stats => _server.CommandStats.ForCurrentThread();

        private readonly RespLimits? _framingLimits;

        // Ports counted, not read from the shape: GraphStageLogic(Shape) formats the shape into a log source string
        // at every materialization (about 140 bytes per stage and connection), for a logger this stage never uses.
        protected override object LogSource => nameof(SessionStage);

        public Logic(SessionStage stage, string remote, string local, RespLimits? framingLimits) : base(inCount: 1, outCount: 1)
        {
            _stage = stage;
            _server = stage._server;
            _framingLimits = framingLimits;
            _shards = _server.Keyspace.Shards;
            _batches = new ShardBatch?[_shards.Length];
            _client = new ClientSession(_server.Clients.NextId(), remote, local);
            _call = new SessionCall(_server, _client);
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            var system = (ExtendedActorSystem)((ActorMaterializer)Materializer).System;
            _self = new SessionRef(system.Provider, _client.Id, GetAsyncCallback<(IActorRef, object)>(OnMessage));
            _client.Stage = _self;
            _server.Clients.Add(_client);
            // maxclients, protected mode: Redis writes the reason and closes without reading anything.
            var refusal = ConnectionGate.Refusal(_server.Config, _client.Address, _server.Clients.Count);
            if (refusal != null)
            {
                Interlocked.Increment(ref _server.Stats.RejectedConnections);
                _closeAfterBatch = true;
                _output.Add(refusal);
                _pendingOutput = _output;
                return;
            }
            Interlocked.Increment(ref _server.Stats.TotalConnectionsReceived);
            _client.Authenticated = !ConnectionGate.DefaultUserNeedsPassword(_server.Config);
            if (_framingLimits != null) ConnectionGate.LimitUnauthenticatedRequests(_framingLimits, this);
            Pull(_stage.In);
        }

        public override void PostStop()
        {
            // First: once this client is gone from CLIENT LIST and INFO, no shard may serve its blocked request.
            StopBlocking();
            _server.Stats.Retire(_client);
            _server.Clients.Remove(_client);
            if (_client.IsMonitor) _server.Monitors.Remove(_client);
            if (_effectsSubscription != null) _server.Effects.Unsubscribe(_effectsSubscription);
            StopTransactions();
            StopPubSub();
            StopClientControl();
        }

        public override void OnPush()
        {
            _frames = Grab(_stage.In);
            _client.InFlight = true;
            _client.QueryBufferBytes = _frames.QueryBufferBytes;
            _client.NetInputBytes += _frames.BytesReceived;
            _client.LastInteraction = ServerContext.UnixMs();
            var count = _frames.Commands.Count;
            if (_slots.Length < count) _slots = new ReplySlot[Math.Max(count, _slots.Length * 2)];
            _cursor = 0;
            _local.Reset();
            _local.Protocol = _client.Protocol;
            _transactionUsed = false;
            _execUsed = false;
            foreach (var b in _batches) b?.Clear();
            _tracing = _server.Tracer.Enabled;
            if (_tracing) _receivedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
            Run();
        }

        public override void OnUpstreamFinish()
        {
            _upstreamFinished = true;
            // A client that leaves while blocked is gone at once, as Redis sees the closed socket of a blocked client.
            if ((_frames == null && _pendingOutput == null) || _blocked != null) CompleteStage();
        }

        public void OnPull()
        {
            OutputWritten();
            if (_pendingOutput != null)
            {
                var output = _pendingOutput;
                _pendingOutput = null;
                Push(_stage.Out, output);
                OutputHandedOver(output.Length, fromPushQueue: false);
                _awaitingSend = true;
                return;
            }
            if (_awaitingSend)
            {
                // The last batch's replies are out: its writers may be reused, the next batch may come.
                _awaitingSend = false;
                ReleaseReplyMemory();
                AfterOutput();
                if (IsClosed(_stage.Out)) return;
            }
            FlushPushOutput();
        }

        public void OnDownstreamFinish(Exception cause) => CompleteStage();

        private void OnMessage((IActorRef sender, object message) envelope)
        {
            switch (envelope.message)
            {
                case ShardBatch batch:
                    Answered(batch);
                    if (--_outstanding == 0) Run();
                    break;
                case TransactionRequest request:
                    ref var txSlot = ref _slots[_rerunning != null ? RerunPosition() : _cursor - 1];
                    txSlot.Writer = request.Writer;
                    txSlot.Start = request.ReplyStart;
                    txSlot.End = request.ReplyEnd;
                    if (request.Trace is { } txTrace)
                    {
                        request.Trace = null;
                        TraceReply(txTrace, nameof(TransactionRequest));
                    }
                    if (_rerunning != null) RerunAnswered();
                    if (--_outstanding == 0) Run();
                    break;
                case ScatterPart part:
                    if (--part.Request.Remaining == 0) FinishScatter(part.Request);
                    break;
                case ClientSession.KillStage:
                    CompleteStage();
                    break;
                case ClientSession.TrimIdleMemory:
                    TrimIdleMemory();
                    break;
                case EffectBlock block:
                    EffectsFeed.Format(block, ref _effectsDb, PushOutput);
                    FlushPushOutput();
                    break;
                case MonitorLine line:
                    PushOut(line.Bytes);
                    break;
                default:
                    if (!OnTransactionMessage(envelope.message) && !OnBlockingMessage(envelope.message) && !OnPubSubMessage(envelope.message))
                        OnClientControlMessage(envelope.message);
                    break;
            }
        }

        /// <summary>A shard ran <paramref name="batch"/> (sent, or inline): its replies go to their slots.</summary>
        private void Answered(ShardBatch batch)
        {
            var answered = batch.AnsweredEnd;
            for (var i = batch.SegmentStart; i < answered; i++)
            {
                ref var slot = ref _slots[batch.Positions[i]];
                slot.Writer = batch.Writer;
                slot.Start = batch.Starts[i];
                // The next command's start ends this reply, if the next command ran (a segment may stop early).
                slot.End = i + 1 < batch.Starts.Count ? batch.Starts[i + 1] : batch.End;
                if (batch.TraceAt(i) is { } trace) TraceReply(trace, nameof(ShardBatch));
            }
            batch.SegmentStart = answered;
            if (batch.RerunAt >= 0) (_reruns ??= new()).Add(batch);
        }

        /// <summary>Output the client did not ask for in this batch (MONITOR lines, Pub/Sub messages, keyspace
        /// notifications, invalidations): queued, and sent as soon as downstream takes it.</summary>
        private void PushOut(ArraySegment<byte> bytes)
        {
            PushOutput.Add(bytes);
            FlushPushOutput();
        }

        /// <summary>Pushed output goes out between batches' replies, as soon as downstream takes it.</summary>
        private void FlushPushOutput()
        {
            if (_pendingOutput != null || _awaitingSend || !IsAvailable(_stage.Out)) return;
            if (_pushOutputList is not { Count: > 0 } pushOutput)
            {
                // What it held is out (the socket stage pulled): its buffer goes back to the pool.
                if (_pushCopy is { Buffer.Length: > 0 }) _pushCopy.Release();
                return;
            }
            if (_pushesHeld) return;
            var pushBytes = _pushBytes ??= new();
            pushBytes.Clear();
            // Small messages (Pub/Sub, invalidations, MONITOR lines) go out copied together: a send of a few segments,
            // not one per message (the segment arrays of sends of many were a third of a PUBLISH to 100 subscribers'
            // garbage).
            pushBytes.AddCoalesced(pushOutput, _pushCopy ??= new(), PushCopyMax);
            pushOutput.Clear();
            _client.NetOutputBytes += pushBytes.Length;
            Push(_stage.Out, pushBytes);
            OutputHandedOver(pushBytes.Length, fromPushQueue: true);
        }

        /// <summary>Walks the batch from the cursor until it must wait for shard replies or reaches the end.</summary>
        private void Run()
        {
            while (RunUntilDispatch()) { }
        }

        /// <summary>One walk of <see cref="Run"/>: true when it stopped at shard work that was all answered inline, so
        /// the walk goes on (a loop rather than recursion: a pipeline of barriers does not deepen the stack).</summary>
        private bool RunUntilDispatch()
        {
            // Scripts a shard stopped at (they reached a key of another shard) run again first, holding every shard.
            if (_reruns is { Count: > 0 })
            {
                SendRerun();
                return false;
            }
            var frames = _frames!;
            var commands = frames.Commands;
            while (_cursor < commands.Count)
            {
                var args = commands[_cursor];
                // CLIENT REPLY OFF/SKIP silence every reply, rejections included, and SKIP lasts one command.
                if (_client.ReplyMode != ReplyMode.On)
                {
                    _slots[_cursor].Suppressed = true;
                    if (_client.ReplyMode == ReplyMode.Skip) _client.ReplyMode = ReplyMode.On;
                }
                var def = _server.Commands.Resolve(args, out var error, out var lookedUp, ref _lastCommand);
                if (def == null)
                {
                    if (lookedUp != null) Stats.Rejected(lookedUp);
                    _client.LastCommand = lookedUp?.Name ?? "NULL";
                    RejectLocal(error!);
                    _cursor++;
                    continue;
                }
                // Redis's processCommand order: protected commands (DEBUG) are refused before authentication.
                if ((def.Protected && Rejected(def, ConnectionGate.RejectProtected(_server.Config, _client, def))) ||
                    (!_client.Authenticated && Rejected(def, ConnectionGate.RejectUnauthenticated(_server.Config, _client, def))))
                {
                    _cursor++;
                    continue;
                }
                if (_client.IsMonitor && MonitorMode.Rejects(def))
                {
                    _client.LastCommand = def.Name;
                    Stats.Rejected(def);
                    RejectLocal(MonitorMode.KeyspaceError);
                    _cursor++;
                    continue;
                }
                // -MISCONF / -LOADING (issue 12): one flag read while nothing is wrong.
                if (_server.Services.Persistence.Gate && Rejected(def, PersistenceGate.Refusal(_server, _client, def)))
                {
                    _cursor++;
                    continue;
                }
                // -BUSY while a script has run longer than busy-reply-threshold (issue 13): one volatile read otherwise.
                if (_server.Services.Scripts.Running.Oldest != null && Rejected(def, _server.Services.Scripts.Running.BusyRefusal(def, args)))
                {
                    _cursor++;
                    continue;
                }
                // Redis's processCommand order: the RESP2 subscribed-mode check, then CLIENT PAUSE, then MULTI queueing.
                var intercept = InterceptSubscribed(def, args);
                if (intercept == Intercept.None) intercept = InterceptPaused(def, args);
                if (intercept == Intercept.None) intercept = InterceptMulti(def, args);
                if (intercept != Intercept.None && Intercepted(intercept)) return false;
                if (intercept != Intercept.None) continue;
                // Barriers (and commands run by the Transaction actor, which are barriers too) wait for the replies
                // of everything sent before them; they are counted and traced once, when they really run.
                var shard = def.Execution == Execution.Shard ? SingleShardOf(def, args) : -1;
                // A script known to reach keys it did not declare holds every shard (issue 13): a flag check otherwise.
                var everyShard = def.RunsScript && _shards.Length > 1
                    && Commands.Scripting.LearnedRouting.NeedsEveryShard(_server.Services, def, args);
                if (everyShard) shard = -1;
                var barrier = (def.Execution == Execution.Session ? def.Barrier : shard < 0) || IsBlockingRequest(def, args);
                if (barrier && HasPendingShardWork()) return Dispatch();
                _client.LastCommand = def.Name;
                _client.CommandsProcessed++;
                var trace = _tracing ? BeginTrace(def) : null;
                // Barriers a feature runs itself: EXEC, blocking commands.
                intercept = InterceptExec(def, args, trace);
                if (intercept == Intercept.None) intercept = InterceptBlocking(def, args, shard, trace);
                if (intercept != Intercept.None && Intercepted(intercept)) return false;
                if (intercept != Intercept.None) continue;
                if (EffectsFeed.IsRequest(def, args))
                {
                    StartEffectsFeed();
                    _cursor++;
                    continue;
                }
                if (def.Execution == Execution.Session)
                {
                    if (trace == null) RunSessionCommand(def, args);
                    else RunTracedSessionCommand(def, args, trace);
                    // After running, as Redis's call() feeds monitors: SELECT shows its new db.
                    if (_server.Monitors.Active) _server.Monitors.Feed(_client, _client.Db, def, args);
                    _cursor++;
                    if (_closeAfterBatch)
                    {
                        // QUIT and friends: nothing after them in the batch is run.
                        commands.TruncateAt(_cursor);
                        frames.ProtocolError = null;
                    }
                    if (AwaitSubscriptionChange()) return false;
                    continue;
                }
                if (shard >= 0)
                {
                    var batch = BatchFor(shard);
                    batch.Add(args, def, _cursor, trace);
                    OnShardCommand(batch);
                    if (_server.Monitors.Active) _server.Monitors.Feed(_client, _client.Db, def, args);
                    _cursor++;
                    continue;
                }
                // Whole-keyspace reads: every shard's part, merged here; cross-shard or whole-keyspace writes: run by
                // the Transaction actor; the dedicated actors' commands: by their actor.
                // A script's own line goes first: the Transaction actor may run it (and feed what it calls) at once.
                var fedFirst = def.RunsScript && _server.Monitors.Active;
                if (fedFirst) _server.Monitors.Feed(_client, _client.Db, def, args);
                if (def.Execution == Execution.ScatterGather) SendScatter(def, args, trace);
                else
                {
                    PrepareTransaction(def, args, trace, everyShard);
                    if (RanAcrossShardsInline())
                    {
                        if (_server.Monitors.Active) _server.Monitors.Feed(_client, _client.Db, def, args);
                        _cursor++;
                        continue;
                    }
                    SendTransaction();
                }
                if (!fedFirst && _server.Monitors.Active) _server.Monitors.Feed(_client, _client.Db, def, args);
                _cursor++;
                return false;
            }
            if (HasPendingShardWork()) return Dispatch();
            FinishBatch();
            return false;
        }

        /// <summary>Applies a feature hook's outcome to the cursor; true when Run must return (wait for a message).</summary>
        private bool Intercepted(Intercept intercept)
        {
            if (intercept == Intercept.Hold) return true;
            _cursor++;
            return intercept == Intercept.Sent;
        }

        /// <summary>DEBUG EFFECTS: from now on this connection receives the write-effect stream.</summary>
        private void StartEffectsFeed()
        {
            ref var slot = ref _slots[_cursor];
            slot.Writer = _local;
            slot.Start = _local.Length;
            // enable-debug-command was checked with the rest of DEBUG (ConnectionGate.RejectProtected).
            if (_effectsSubscription == null)
            {
                var self = _self;
                _effectsSubscription = block => self.Tell(block, ActorRefs.NoSender);
                _server.Effects.Subscribe(_effectsSubscription);
            }
            _local.Ok();
            slot.End = _local.Length;
        }

        /// <summary>Answers a request the table rejected (unknown command, wrong arity) from the session itself.</summary>
        private void RejectLocal(string error)
        {
            ref var slot = ref _slots[_cursor];
            slot.Writer = _local;
            slot.Start = _local.Length;
            _local.Protocol = _client.Protocol;
            _local.Error(error);
            Stats.Error(_local.LastErrorCode ?? "ERR");
            slot.End = _local.Length;
            // Redis's rejectCommand flags an open MULTI: its EXEC then answers EXECABORT.
            OnRejected();
        }

        /// <summary>Answers <paramref name="error"/> (NOAUTH, DEBUG not allowed), counted as a rejected call as Redis's
        /// rejectCommand counts it; false when there is no error.</summary>
        private bool Rejected(CommandDef def, string? error)
        {
            if (error == null) return false;
            Stats.Rejected(def);
            _client.LastCommand = def.Name;
            RejectLocal(error);
            return true;
        }

        private void RunSessionCommand(CommandDef def, CommandArgs args)
        {
            ref var slot = ref _slots[_cursor];
            slot.Writer = _local;
            slot.Start = _local.Length;
            InvokeSessionCommand(def, args);
            slot.End = _local.Length;
            if (_call.SuppressReply) slot.End = slot.Start;
            if (_call.RepliesTurnedOn) slot.Suppressed = false;
            if (_call.CloseAfterReply) _closeAfterBatch = true;
            _local.Protocol = _client.Protocol;
        }

        /// <summary>Runs a session command's handler, its reply appended to _local, counted and contained (also for
        /// the session commands of an EXEC's queue).</summary>
        private void InvokeSessionCommand(CommandDef def, CommandArgs args)
        {
            var start = _local.Length;
            _local.Protocol = _client.Protocol;
            _call.Begin(args, def, _local);
            var errorsBefore = _local.ErrorCount;
            var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                SessionCall.Invoke(def, _call);
            }
            catch (Exception ex)
            {
                _local.Truncate(start);
                _local.Error("ERR " + ex.Message);
            }
            CommandRunner.Record(_server.Services, Stats, def, _local, errorsBefore, t0, args, _client.Label);
        }

        private string Path => _path ??= _self.Path.ToString();

        /// <summary>Samples the command for tracing; a command resumed after a barrier is traced once.</summary>
        private CommandTrace? BeginTrace(CommandDef def)
        {
            var trace = _server.Tracer.Begin(_client.Id, _client.CommandsProcessed, def.Name, _receivedTimestamp);
            if (trace != null)
                _server.Tracer.Hop(trace, Hops.SessionReceive, Path, nameof(RequestFrames), System.Diagnostics.Stopwatch.GetTimestamp());
            return trace;
        }

        private void RunTracedSessionCommand(CommandDef def, CommandArgs args, CommandTrace trace)
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            RunSessionCommand(def, args);
            var end = System.Diagnostics.Stopwatch.GetTimestamp();
            _server.Tracer.Hop(trace, Hops.SessionExecute, Path, nameof(RequestFrames), end, CommandTrace.Micros(end - start));
            CommandTracer.ChildSpan(trace, Hops.SessionExecute, Path, start, end);
            CommandTracer.End(trace);
        }

        private void TraceReply(CommandTrace trace, string messageType)
        {
            _server.Tracer.Hop(trace, Hops.SessionReply, Path, messageType, System.Diagnostics.Stopwatch.GetTimestamp());
            CommandTracer.End(trace);
        }

        /// <summary>The shard that owns every key of the command, or -1 when its keys span shards.</summary>
        private int SingleShardOf(CommandDef def, CommandArgs args)
        {
            var count = _shards.Length;
            if (count == 1) return 0;
            // One fixed key position (and no other key spec: movablekeys is derived from them).
            if (def.Route != null) return def.Route(args, count);
            if ((def.Flags & CommandFlags.MovableKeys) == 0 && def.FirstKey > 0 && def.FirstKey == def.LastKey)
                return args.Length > def.FirstKey ? HashSlot.ShardOf(args[def.FirstKey], count) : 0;
            var keys = KeyIndexes;
            keys.Clear();
            def.GetKeys(args, keys);
            if (def.RoutingKeys != null && !def.RoutingKeys(args, keys)) return -1;
            if (keys.Count == 0) return 0;
            var shard = HashSlot.ShardOf(args[keys[0]], count);
            for (var i = 1; i < keys.Count; i++)
                if (HashSlot.ShardOf(args[keys[i]], count) != shard) return -1;
            return shard;
        }

        private ShardBatch BatchFor(int shard)
        {
            var batch = _batches[shard];
            if (batch == null)
            {
                batch = _batches[shard] = new ShardBatch { ShardIndex = shard };
            }
            if (batch.Pending == 0)
            {
                batch.Db = _client.Db;
                batch.Client = _client.Label;
                batch.Writer.Protocol = _client.Protocol;
            }
            return batch;
        }

        private bool HasPendingShardWork()
        {
            foreach (var b in _batches)
                if (b != null && b.Pending > 0) return true;
            return false;
        }

        /// <summary>Runs or sends the pending shard work: a batch whose shard is idle runs here and now (ShardGate), the
        /// others go to their shard actors. True when nothing was sent (all answered): the walk goes on.</summary>
        /// <param name="inline">False to send everything (the caller waits for the replies in any case).</param>
        private bool Dispatch(bool inline = true)
        {
            // Only with nothing in flight: a batch may not overtake this connection's work still at a shard.
            inline &= _outstanding == 0;
            var sent = false;
            foreach (var b in _batches)
            {
                if (b == null || b.Pending == 0) continue;
                // Sampled commands keep their actor hops for tracing.
                if (inline && b.Traces is not { Count: > 0 } && _client.MayRunInline(b.ShardIndex)
                    && _server.Keyspace.ShardData[b.ShardIndex].Gate.TryRun(b))
                {
                    Answered(b);
                    // A script that had to leave this thread (Scripting.ScriptRun): it and the rest go to the actor.
                    if (b.YieldAt < 0) continue;
                    b.YieldAt = -1;
                }
                if (b.Traces is { Count: > 0 }) TraceDispatch(b);
                _outstanding++;
                sent = true;
                _shards[b.ShardIndex].Tell(b, _self);
                _client.QueuedAt(b.ShardIndex);
            }
            return !sent;
        }

        private void TraceDispatch(ShardBatch batch)
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            for (var i = batch.SegmentStart; i < batch.Commands.Count; i++)
            {
                if (batch.TraceAt(i) is not { } trace) continue;
                trace.SentTimestamp = now;
                _server.Tracer.Hop(trace, Hops.SessionDispatch, Path, nameof(ShardBatch), now);
            }
        }

        private void SendTransaction(CommandDef def, CommandArgs args, CommandTrace? trace, bool everyShard = false)
        {
            PrepareTransaction(def, args, trace, everyShard);
            SendTransaction();
        }

        /// <summary>
        /// A keyspace command on keys of several shards runs here when all of them are free (Keyspace.CrossShardRun),
        /// under the same conditions as a single-shard batch runs inline; true when it did, its reply in its slot.
        /// </summary>
        private bool RanAcrossShardsInline()
        {
            var tx = TxRequest;
            if (!CrossShardRun.Suits(tx) || tx.Shards.Count == 0 || !MayRunInlineNow(tx.Shards)) return false;
            if (!CrossShardRun.ForCurrentThread(_server.Services, _server.Keyspace.ShardData).TryRun(tx, tx.Shards)) return false;
            ref var slot = ref _slots[_cursor];
            slot.Writer = tx.Writer;
            slot.Start = tx.ReplyStart;
            slot.End = tx.ReplyEnd;
            return true;
        }

        /// <summary>Whether work for <paramref name="shard"/> may run on this thread now: nothing of this connection is
        /// in flight (it may not overtake it), and the connection allows it there (ClientSession.MayRunInline).</summary>
        private bool MayRunInlineNow(int shard) => _outstanding == 0 && _client.MayRunInline(shard);

        private bool MayRunInlineNow(List<int> shards)
        {
            if (_outstanding != 0) return false;
            foreach (var shard in shards)
                if (!_client.MayRunInline(shard)) return false;
            return true;
        }

        /// <summary>Fills the session's transaction request for <paramref name="def"/>: its shards (none: every one).</summary>
        private void PrepareTransaction(CommandDef def, CommandArgs args, CommandTrace? trace, bool everyShard)
        {
            var tx = TxRequest;
            if (!_transactionUsed)
            {
                tx.Writer.Reset();
                _transactionUsed = true;
            }
            tx.Writer.Protocol = _client.Protocol;
            tx.Args = args;
            tx.Def = def;
            tx.Db = _client.Db;
            tx.Client = _client.Label;
            tx.Shards.Clear();
            if (def.Execution == Execution.Shard && !everyShard)
            {
                KeyIndexes.Clear();
                def.GetKeys(args, KeyIndexes);
                // Keys that may be anywhere (SORT's patterns): no shard list, which holds every shard.
                if (def.RoutingKeys != null && !def.RoutingKeys(args, KeyIndexes)) KeyIndexes.Clear();
                foreach (var k in KeyIndexes)
                {
                    var shard = HashSlot.ShardOf(args[k], _shards.Length);
                    if (!tx.Shards.Contains(shard)) tx.Shards.Add(shard);
                }
                tx.Shards.Sort();
            }
            tx.Trace = trace;
            tx.TrackingClient = _rememberCurrent ? _client.Id : 0;
        }

        private void SendTransaction()
        {
            var tx = TxRequest;
            var trace = tx.Trace;
            var def = tx.Def;
            if (trace != null)
            {
                trace.SentTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
                _server.Tracer.Hop(trace, Hops.TransactionDispatch, Path, nameof(TransactionRequest), trace.SentTimestamp);
            }
            _outstanding++;
            var target = def.Execution == Execution.Actor ? _server.Keyspace.Dedicated[def.ActorName!] : _server.Keyspace.Transactions;
            target.Tell(tx, _self);
        }

        private void SendScatter(CommandDef def, CommandArgs args, CommandTrace? trace)
        {
            var request = _scatterRequest ??= new();
            if (request.Messages.Length != _shards.Length)
            {
                request.Parts = new object?[_shards.Length];
                request.Messages = new ScatterPart[_shards.Length];
                for (var i = 0; i < _shards.Length; i++) request.Messages[i] = new ScatterPart(request, i);
            }
            request.Args = args;
            request.Def = def;
            request.Db = _client.Db;
            request.Trace = trace;
            request.Remaining = _shards.Length;
            request.StartTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
            _outstanding++;
            for (var i = 0; i < _shards.Length; i++) _shards[i].Tell(request.Messages[i], _self);
        }

        /// <summary>Every shard's part is in: the merged reply goes where the command's reply goes.</summary>
        private void FinishScatter(ScatterRequest request)
        {
            ref var slot = ref _slots[_cursor - 1];
            slot.Writer = _local;
            slot.Start = _local.Length;
            _local.Protocol = _client.Protocol;
            CommandRunner.Gather(_server.Services, Stats, request.Def, request.Parts, _local, request.StartTimestamp, request.Args, _client.Label);
            slot.End = _local.Length;
            Array.Clear(request.Parts);
            if (request.Trace is { } trace)
            {
                request.Trace = null;
                TraceReply(trace, nameof(ScatterRequest));
            }
            if (--_outstanding == 0) Run();
        }

        private void FinishBatch()
        {
            BeforeBatchOutput();
            var frames = _frames!;
            var count = frames.Commands.Count;
            var total = 0;
            for (var i = 0; i < count; i++)
                if (!_slots[i].Suppressed) total += _slots[i].End - _slots[i].Start;
            byte[]? error = null;
            if (frames.ProtocolError != null)
            {
                Interlocked.Increment(ref _server.Stats.ProtocolErrors);
                Stats.Error("ERR");
                error = System.Text.Encoding.Latin1.GetBytes("-" + frames.ProtocolError + "\r\n");
                total += error.Length;
                _closeAfterBatch = true;
            }
            if (frames.CloseWithoutReply) _closeAfterBatch = true;
            var output = _output;
            output.Clear();
            for (var i = 0; i < count; i++)
            {
                ref var slot = ref _slots[i];
                var len = slot.Suppressed ? 0 : slot.End - slot.Start;
                if (len > 0) output.Add(slot.Writer!, slot.Start, slot.Start + len);
                if (_deferredInvalidations is { Count: > 0 }) total += InvalidationsAfter(i, output);
                slot = default;
            }
            if (error != null) output.Add(error);
            // Every request has run: their receive memory goes back to the pool.
            frames.Release();
            _frames = null;
            _client.InFlight = false;
            _client.NetOutputBytes += total;
            if (total == 0)
            {
                // Nothing to send (CLIENT REPLY OFF): the writers are free at once.
                ReleaseReplyMemory();
                FlushPushOutput();
                AfterOutput();
                AfterBatchReplies();
                return;
            }
            if (BatchOutputLimitReached(output.Length)) return;
            if (IsAvailable(_stage.Out))
            {
                Push(_stage.Out, output);
                _awaitingSend = true;
            }
            else _pendingOutput = output;
            AfterBatchReplies();
        }

        /// <summary>
        /// The replies are sent: the writers' buffers go back to the shared pool and what was sized for a big
        /// pipeline goes, so that a connection between requests holds no reply memory (Redis frees a client's reply
        /// blocks once written; its idle query buffer shrinks). Renting them again for the next batch costs a pool
        /// round trip, no allocation. The output list drops its references to stored values.
        /// </summary>
        private void ReleaseReplyMemory()
        {
            _output.Clear();
            _local.Release();
            _transactionRequest?.Writer.Release();
            ReleaseExecMemory();
            var busySized = _slots.Length > MaxIdleSlots;
            foreach (var b in _batches)
            {
                if (b == null) continue;
                b.Writer.Release();
                busySized |= b.IsBusySized;
            }
            // What was sized for a pipeline stays while the pipeline goes on; the clients cron asks for it back
            // once the connection has been idle a while (TrimIdleMemory), as Redis's clientsCron resizes buffers.
            if (busySized) _client.HoldsBusySizedMemory = true;
        }

        private const int MaxIdleSlots = 256;

        /// <summary>The clients cron saw this connection idle while holding arrays sized for a big pipeline.</summary>
        private void TrimIdleMemory()
        {
            if (_frames != null || _awaitingSend || _pendingOutput != null) return; // busy again: next time
            _client.HoldsBusySizedMemory = false;
            if (_slots.Length > MaxIdleSlots) _slots = new ReplySlot[1];
            foreach (var b in _batches) b?.Trim();
        }

        private void AfterOutput()
        {
            if (_closeAfterBatch || _upstreamFinished) CompleteStage();
            else if (!HasBeenPulled(_stage.In)) Pull(_stage.In);
        }
    }
}
