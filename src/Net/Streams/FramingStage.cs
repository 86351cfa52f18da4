using Akka.Streams;
using Akka.Streams.Stage;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Net.Streams;

/// <summary>
/// Requests parsed from a connection, handed to its session. The framing stage takes an instance from a pool shared by
/// every connection when bytes arrive and fills the next one while the session runs this one (read-ahead); the session
/// gives it back with <see cref="Release"/> once the requests have run, which also returns their receive memory to the
/// pool. An idle connection holds none (each connection kept its own before: about 250 bytes of an idle one).
/// </summary>
public sealed class RequestFrames
{
    /// <summary>Instances not in use by any connection (bounded: past it they are left to the collector).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentQueue<RequestFrames> Pool = new();
    private static int _pooled;
    private const int MaxPooled = 256;

    /// <summary>A pooled instance, or a new one.</summary>
    public static RequestFrames Rent()
    {
        if (!Pool.TryDequeue(out var frames)) return new RequestFrames();
        Interlocked.Decrement(ref _pooled);
        return frames;
    }

    /// <summary>Complete requests, in order, as slices of the memory they arrived in.</summary>
    public readonly CommandBatch Commands = new();

    /// <summary>Set on the last frame: answer <see cref="Commands"/>, then reply with this error ("-" + it + CRLF) and close.</summary>
    public string? ProtocolError;

    /// <summary>Set on the last frame: the query buffer limit was exceeded; answer <see cref="Commands"/>, then close without a reply.</summary>
    public bool CloseWithoutReply;

    /// <summary>The parser's buffered bytes after this frame's last read (CLIENT LIST qbuf).</summary>
    public long QueryBufferBytes;

    /// <summary>Bytes received from the connection since the previous frame (INFO total_net_input_bytes).</summary>
    public long BytesReceived;

    internal bool HasWork => Commands.Count > 0 || ProtocolError != null || CloseWithoutReply;

    /// <summary>The requests have run: their memory goes back to the pool, and this instance to its own.</summary>
    public void Release()
    {
        Commands.Clear();
        ProtocolError = null;
        CloseWithoutReply = false;
        QueryBufferBytes = 0;
        BytesReceived = 0;
        if (Interlocked.Increment(ref _pooled) <= MaxPooled) Pool.Enqueue(this);
        else Interlocked.Decrement(ref _pooled);
    }
}

/// <summary>
/// Turns the received bytes of one connection into batches of parsed requests. It keeps reading while its session
/// runs the previous batch (bounded by <see cref="RespLimits.ReadAhead"/>, and not at all while requests are limited
/// before authentication), so the next batch is parsed by the time the session asks for it; everything read
/// meanwhile joins that next batch. After a protocol error or query-buffer overflow the final frame is pushed and
/// the stage completes.
/// </summary>
public sealed class FramingStage : GraphStage<FlowShape<ReceivedChunk, RequestFrames>>
{
    private readonly RespLimits? _limits;

    /// <param name="limits">The limits; null: those of the <see cref="RespTcpServer.ConnectionAttribute"/> the graph
    /// is materialized with (a server's shared connection graph).</param>
    public FramingStage(RespLimits? limits = null)
    {
        _limits = limits;
        Shape = new FlowShape<ReceivedChunk, RequestFrames>(In, Out);
    }

    public Inlet<ReceivedChunk> In { get; } = new("FramingStage.in");

    public Outlet<RequestFrames> Out { get; } = new("FramingStage.out");

    public override FlowShape<ReceivedChunk, RequestFrames> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("resp-framing");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) =>
        new Logic(this, _limits ?? RespTcpServer.ConnectionOf(inheritedAttributes).Info.Limits
            ?? throw new InvalidOperationException("the connection has no limits"));

    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly FramingStage _stage;
        private readonly RespParser _parser;
        private RequestFrames? _ready;
        private long _readyBytes;
        private long _received;
        private bool _failed;
        private bool _finishing;

        private readonly RespLimits _limits;

        // Ports counted, not read from the shape: GraphStageLogic(Shape) formats the shape into a log source string
        // at every materialization (about 140 bytes per stage and connection), for a logger this stage never uses.
        protected override object LogSource => nameof(FramingStage);

        public Logic(FramingStage stage, RespLimits limits) : base(inCount: 1, outCount: 1)
        {
            _stage = stage;
            _limits = limits;
            _parser = new RespParser(limits);
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void OnPull()
        {
            if (_ready is { HasWork: true })
            {
                PushReady();
                return;
            }
            if (_finishing)
            {
                CompleteStage();
                return;
            }
            MaybePull();
        }

        public override void OnPush()
        {
            var chunk = Grab(_stage.In);
            var frame = _ready ??= RequestFrames.Rent();
            var ok = _parser.Feed(chunk.Buffer, 0, chunk.Count, frame.Commands);
            chunk.Buffer = [];
            _received += chunk.Count;
            _readyBytes += chunk.Count;
            frame.QueryBufferBytes = _parser.BufferedBytes;
            frame.BytesReceived = _received;
            if (!ok)
            {
                frame.ProtocolError = _parser.ProtocolError;
                frame.CloseWithoutReply = _parser.QueryBufferLimitExceeded;
                _failed = true;
                _finishing = true;
                Cancel(_stage.In);
                if (IsAvailable(_stage.Out)) PushReady();
                return;
            }
            if (frame.HasWork && IsAvailable(_stage.Out)) PushReady();
            else MaybePull();
        }

        public override void OnUpstreamFinish()
        {
            // The peer closed: what it sent in full is still answered.
            if (_ready is { HasWork: true }) _finishing = true;
            else CompleteStage();
        }

        private void PushReady()
        {
            var frame = _ready!;
            _ready = null;
            _readyBytes = 0;
            _received = 0;
            Push(_stage.Out, frame);
            if (_finishing) CompleteStage();
            else MaybePull();
        }

        /// <summary>Reads on while nothing complete waits, or ahead of the session within the read-ahead bound.</summary>
        private void MaybePull()
        {
            if (_failed || IsClosed(_stage.In) || HasBeenPulled(_stage.In)) return;
            // Before authentication Redis runs each request before it parses the next (an AUTH lifts the limits the
            // parser applies), so then read only while the session waits for input.
            if (_limits.Restricted && !IsAvailable(_stage.Out)) return;
            if (_ready is { HasWork: true } && _readyBytes >= _limits.ReadAhead) return;
            Pull(_stage.In);
        }
    }
}
