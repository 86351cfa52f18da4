using System.Buffers;
using System.Net.Sockets;
using Akka.Streams;
using Akka.Streams.Stage;

namespace AkkaRedis.Net.Streams;

/// <summary>
/// One accepted socket as an Akka.Streams flow: what is pushed in is written to the socket, what the socket
/// receives is pushed out. Socket completions reach the stage through async callbacks, one stream event each,
/// instead of the two actor hops per read and per write of Akka.IO's TCP layer.
/// </summary>
/// <remarks>
/// Memory follows Redis's idea of a cheap idle client: the stage waits for data with a zero-byte receive and rents a
/// receive buffer from the shared pool only once bytes are there; the buffer goes downstream with them (the parser
/// keeps requests as slices of it). Its size adapts to what the connection sends. Replies are sent from the memory
/// they were encoded in (a segment list), never copied into a send buffer of the stage. The send's
/// SocketAsyncEventArgs is taken from a shared pool for the time of a send only, so an idle connection holds one
/// (its pending zero-byte receive) instead of two.
/// </remarks>
public sealed class SocketConnectionStage : GraphStage<FlowShape<OutgoingBytes, ReceivedChunk>>
{
    private const int MinReceiveSize = 4 * 1024;
    private const int MaxReceiveSize = 256 * 1024;

    private readonly Socket? _socket;

    /// <summary>Send arguments not in use by any connection (bounded: past it they are disposed).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentQueue<SocketAsyncEventArgs> SendArgsPool = new();
    private static int _sendArgsPooled;
    private const int MaxPooledSendArgs = 256;

    // One handler for every connection and operation: the arguments' UserToken says whose operation completed.
    private static readonly EventHandler<SocketAsyncEventArgs> Completed = (_, e) => ((Logic)e.UserToken!).CompletedOutside(e);

    private static SocketAsyncEventArgs RentSendArgs(Logic owner)
    {
        if (SendArgsPool.TryDequeue(out var args)) Interlocked.Decrement(ref _sendArgsPooled);
        else
        {
            args = new SocketAsyncEventArgs();
            args.Completed += Completed;
        }
        args.UserToken = owner;
        return args;
    }

    private static void ReturnSendArgs(SocketAsyncEventArgs args)
    {
        args.BufferList = null;
        args.SetBuffer(null, 0, 0);
        args.UserToken = null;
        if (Interlocked.Increment(ref _sendArgsPooled) <= MaxPooledSendArgs) SendArgsPool.Enqueue(args);
        else
        {
            Interlocked.Decrement(ref _sendArgsPooled);
            args.Dispose();
        }
    }

    /// <param name="socket">The socket; null: the one of the <see cref="RespTcpServer.ConnectionAttribute"/> the
    /// graph is materialized with (a server's shared connection graph).</param>
    public SocketConnectionStage(Socket? socket = null)
    {
        _socket = socket;
        Shape = new FlowShape<OutgoingBytes, ReceivedChunk>(In, Out);
    }

    /// <summary>Bytes to send.</summary>
    public Inlet<OutgoingBytes> In { get; } = new("socket.send");

    /// <summary>Bytes received.</summary>
    public Outlet<ReceivedChunk> Out { get; } = new("socket.receive");

    public override FlowShape<OutgoingBytes, ReceivedChunk> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) =>
        new Logic(this, _socket ?? RespTcpServer.ConnectionOf(inheritedAttributes).Socket);

    private sealed class Logic : GraphStageLogic, IInHandler, IOutHandler
    {
        private readonly SocketConnectionStage _stage;
        private readonly Socket _socket;
        private readonly SocketAsyncEventArgs _receiveArgs = new();
        /// <summary>Rented from the shared pool while a send is in flight, null otherwise.</summary>
        private SocketAsyncEventArgs? _sendArgs;
        private readonly ReceivedChunk _chunk = new();
        private int _receiveSize = 16 * 1024;
        private byte[]? _receiving;
        private OutgoingBytes? _outgoing;
        private int _sendSegment;
        private int _sendOffset;
        private bool _sending;
        private bool _closing;
        /// <summary>One async callback for receives and sends (each costs a connection about 200 bytes of delegates and
        /// state): which one completed is told by the arguments.</summary>
        private Action<SocketAsyncEventArgs> _onCompleted = null!;

        // Ports counted, not read from the shape: GraphStageLogic(Shape) formats the shape into a log source string
        // at every materialization (about 140 bytes per stage and connection), for a logger this stage never uses.
        protected override object LogSource => nameof(SocketConnectionStage);

        public Logic(SocketConnectionStage stage, Socket socket) : base(inCount: 1, outCount: 1)
        {
            _stage = stage;
            _socket = socket;
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            _onCompleted = GetAsyncCallback<SocketAsyncEventArgs>(OnCompleted);
            _receiveArgs.UserToken = this;
            _receiveArgs.Completed += Completed;
            Pull(_stage.In);
        }

        public override void PostStop()
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            _socket.Dispose();
            _receiveArgs.Dispose();
            // A send still in flight keeps its arguments; they are collected once it completes.
            if (_sendArgs != null && !_sending) ReturnSendArgs(_sendArgs);
            _sendArgs = null;
            // A read still pending at close may complete later; its buffer is then simply collected.
        }

        // The stage's actor may run right here, on the thread that completed the operation (SocketThreadExecutor).
        internal void CompletedOutside(SocketAsyncEventArgs e) => SocketThreadExecutor.Completing(_onCompleted, e);

        private void OnCompleted(SocketAsyncEventArgs e)
        {
            if (ReferenceEquals(e, _receiveArgs)) OnReceived(e);
            else OnSent(e);
        }

        // Downstream wants bytes: first wait until the socket is readable without holding memory.
        public void OnPull() => Receive(waitForData: true);

        private void Receive(bool waitForData)
        {
            if (waitForData)
            {
                _receiving = null;
                _receiveArgs.SetBuffer(Memory<byte>.Empty);
            }
            else
            {
                _receiving = ArrayPool<byte>.Shared.Rent(_receiveSize);
                _receiveArgs.SetBuffer(_receiving, 0, _receiving.Length);
            }
            bool pending;
            try
            {
                pending = _socket.ReceiveAsync(_receiveArgs);
            }
            catch (ObjectDisposedException)
            {
                CompleteStage();
                return;
            }
            if (!pending) OnReceived(_receiveArgs);
        }

        private void OnReceived(SocketAsyncEventArgs e)
        {
            var buffer = _receiving;
            _receiving = null;
            if (e.SocketError != SocketError.Success)
            {
                if (buffer != null) ArrayPool<byte>.Shared.Return(buffer);
                // Reset: nothing more will come, and nobody reads what we would send.
                CompleteStage();
                return;
            }
            if (buffer == null)
            {
                // Readable (or closed by the peer: the real read tells).
                Receive(waitForData: false);
                return;
            }
            var n = e.BytesTransferred;
            if (n == 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                // Peer closed: stop reading, but let replies to what it sent still go out.
                Complete(_stage.Out);
                return;
            }
            // A full buffer suggests more is queued: read bigger next time; small reads shrink it back.
            if (n == buffer.Length) _receiveSize = Math.Min(MaxReceiveSize, buffer.Length * 2);
            else if (n < _receiveSize / 8) _receiveSize = Math.Max(MinReceiveSize, _receiveSize / 2);
            _chunk.Buffer = buffer;
            _chunk.Count = n;
            Push(_stage.Out, _chunk);
        }

        public void OnDownstreamFinish(Exception cause)
        {
            // Nothing more will be read; finish once everything pushed in has been written.
            if (IsClosed(_stage.In) && !_sending) CompleteStage();
        }

        public void OnPush()
        {
            _outgoing = Grab(_stage.In);
            _sendSegment = 0;
            _sendOffset = 0;
            Send();
        }

        private void Send()
        {
            var segments = _outgoing!.Segments;
            while (_sendSegment < segments.Count && segments[_sendSegment].Count == 0) _sendSegment++;
            if (_sendSegment >= segments.Count)
            {
                Sent();
                return;
            }
            _sending = true;
            var args = _sendArgs ??= RentSendArgs(this);
            if (_sendSegment == segments.Count - 1 || _sendOffset > 0)
            {
                // One segment (the common case), or the rest of one that went out in part.
                var s = segments[_sendSegment];
                args.BufferList = null;
                args.SetBuffer(s.Array, s.Offset + _sendOffset, s.Count - _sendOffset);
            }
            else
            {
                args.SetBuffer(null, 0, 0);
                args.BufferList = _sendSegment == 0 ? segments : segments.GetRange(_sendSegment, segments.Count - _sendSegment);
            }
            bool pending;
            try
            {
                pending = _socket.SendAsync(args);
            }
            catch (ObjectDisposedException)
            {
                CompleteStage();
                return;
            }
            if (!pending) OnSent(args);
        }

        private void OnSent(SocketAsyncEventArgs e)
        {
            if (e.SocketError != SocketError.Success)
            {
                _sending = false; // the operation is over: PostStop may pool its arguments
                CompleteStage();
                return;
            }
            // Advance over what went out (a stream socket may take part of it).
            var sent = e.BytesTransferred;
            var segments = _outgoing!.Segments;
            while (sent > 0 && _sendSegment < segments.Count)
            {
                var left = segments[_sendSegment].Count - _sendOffset;
                if (sent >= left)
                {
                    sent -= left;
                    _sendSegment++;
                    _sendOffset = 0;
                }
                else
                {
                    _sendOffset += sent;
                    sent = 0;
                }
            }
            Send();
        }

        private void Sent()
        {
            _sending = false;
            _outgoing = null;
            if (_sendArgs != null)
            {
                ReturnSendArgs(_sendArgs);
                _sendArgs = null;
            }
            if (_closing) CompleteStage();
            else Pull(_stage.In); // the sender may reuse its memory now
        }

        public void OnUpstreamFinish()
        {
            // The session is done (QUIT, protocol error, peer closed): close once the last write is out.
            if (_sending) _closing = true;
            else CompleteStage();
        }

        public void OnUpstreamFailure(Exception e) => FailStage(e);
    }
}
