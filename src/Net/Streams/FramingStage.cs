using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Net.Streams;

/// <summary>
/// The commands parsed from one incoming chunk. <see cref="FramingStage"/> reuses a single instance: the consumer
/// must be done with an element before it pulls the next one.
/// </summary>
public sealed class RequestFrames
{
    /// <summary>Complete commands, in order; each is one exactly-sized byte[] per argument.</summary>
    public readonly List<byte[][]> Commands = new();

    /// <summary>Set on the last frame: answer <see cref="Commands"/>, then reply with this error ("-" + it + CRLF) and close.</summary>
    public string? ProtocolError;

    /// <summary>Set on the last frame: the query buffer limit was exceeded; answer <see cref="Commands"/>, then close without a reply.</summary>
    public bool CloseWithoutReply;

    /// <summary>The parser's buffered bytes after this chunk (CLIENT LIST qbuf).</summary>
    public long QueryBufferBytes;

    /// <summary>Bytes received from the connection since the previous frame (INFO total_net_input_bytes).</summary>
    public long BytesReceived;

    internal void Reset()
    {
        Commands.Clear();
        ProtocolError = null;
        CloseWithoutReply = false;
        QueryBufferBytes = 0;
        BytesReceived = 0;
    }
}

/// <summary>
/// Turns the raw bytes of one connection into batches of parsed commands. 1:1 with demand: one pull downstream
/// pulls upstream until a chunk yields at least one command (or an error), which is pushed as one
/// <see cref="RequestFrames"/>. After a protocol error or query-buffer overflow the final frame is pushed and the
/// stage completes.
/// </summary>
public sealed class FramingStage : GraphStage<FlowShape<ByteString, RequestFrames>>
{
    private readonly RespLimits _limits;

    public FramingStage(RespLimits limits)
    {
        _limits = limits ?? throw new ArgumentNullException(nameof(limits));
        Shape = new FlowShape<ByteString, RequestFrames>(In, Out);
    }

    public Inlet<ByteString> In { get; } = new("FramingStage.in");

    public Outlet<RequestFrames> Out { get; } = new("FramingStage.out");

    public override FlowShape<ByteString, RequestFrames> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("resp-framing");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : InAndOutGraphStageLogic
    {
        /// <summary>Window used to feed a non-compact ByteString without materialising it as one array.</summary>
        private const int ScratchSize = 64 * 1024;

        private readonly FramingStage _stage;
        private readonly RespParser _parser;
        private readonly RequestFrames _frame = new();
        private byte[]? _scratch;
        private long _received;

        public Logic(FramingStage stage) : base(stage.Shape)
        {
            _stage = stage;
            _parser = new RespParser(stage._limits);
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void OnPull() => Pull(_stage.In);

        public override void OnPush()
        {
            var bytes = Grab(_stage.In);
            var frame = _frame;
            frame.Reset();
            var ok = FeedAll(bytes, frame.Commands);
            frame.QueryBufferBytes = _parser.BufferedBytes;
            _received += bytes.Count;
            frame.BytesReceived = _received;

            if (!ok)
            {
                frame.ProtocolError = _parser.ProtocolError;
                frame.CloseWithoutReply = _parser.QueryBufferLimitExceeded;
                _received = 0;
                Push(_stage.Out, frame);
                CompleteStage();
                return;
            }

            if (frame.Commands.Count > 0)
            {
                _received = 0;
                Push(_stage.Out, frame);
            }
            else Pull(_stage.In);
        }

        private bool FeedAll(ByteString bytes, List<byte[][]> output)
        {
            if (bytes.IsEmpty) return true;
            if (bytes.IsCompact) return _parser.Feed(bytes.ToReadOnlySpan(), output); // no copy when compact

            // Non-compact: ByteString's buffer list is not public in Akka 1.5.74, so walk it in windows; a window that
            // falls inside one underlying buffer is compact and fed without copying, others go through a reused scratch.
            var count = bytes.Count;
            for (var offset = 0; offset < count;)
            {
                var n = Math.Min(ScratchSize, count - offset);
                var slice = bytes.Slice(offset, n);
                bool ok;
                if (slice.IsCompact)
                {
                    ok = _parser.Feed(slice.ToReadOnlySpan(), output);
                }
                else
                {
                    _scratch ??= new byte[ScratchSize];
                    var span = new Span<byte>(_scratch, 0, n);
                    slice.CopyTo(ref span);
                    ok = _parser.Feed(span, output);
                }
                if (!ok) return false;
                offset += n;
            }
            return true;
        }
    }
}
