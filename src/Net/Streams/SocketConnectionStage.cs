using System.Net.Sockets;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;

namespace AkkaRedis.Net.Streams;

/// <summary>
/// One accepted socket as an Akka.Streams flow: what is pushed in is written to the socket, what the socket
/// receives is pushed out. Socket completions reach the stage through async callbacks, one stream event each,
/// instead of the two actor hops per read and per write of Akka.IO's TCP layer.
/// </summary>
/// <remarks>
/// Each received ByteString wraps the stage's receive buffer, which is reused for the next read: downstream must
/// be done with the bytes before it pulls again (the framing stage copies what it keeps during its push).
/// </remarks>
public sealed class SocketConnectionStage : GraphStage<FlowShape<ByteString, ByteString>>
{
    private readonly Socket _socket;
    private readonly int _receiveBufferSize;

    public SocketConnectionStage(Socket socket, int receiveBufferSize = 64 * 1024)
    {
        _socket = socket;
        _receiveBufferSize = receiveBufferSize;
        Shape = new FlowShape<ByteString, ByteString>(In, Out);
    }

    /// <summary>Bytes to send.</summary>
    public Inlet<ByteString> In { get; } = new("socket.send");

    /// <summary>Bytes received.</summary>
    public Outlet<ByteString> Out { get; } = new("socket.receive");

    public override FlowShape<ByteString, ByteString> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : GraphStageLogic, IInHandler, IOutHandler
    {
        private readonly SocketConnectionStage _stage;
        private readonly Socket _socket;
        private readonly SocketAsyncEventArgs _receiveArgs = new();
        private readonly SocketAsyncEventArgs _sendArgs = new();
        private readonly byte[] _receiveBuffer;
        private byte[] _sendBuffer = new byte[16 * 1024];
        private int _sendLength;
        private int _sendOffset;
        private bool _sending;
        private bool _closing;
        private Action<SocketAsyncEventArgs> _onReceived = null!;
        private Action<SocketAsyncEventArgs> _onSent = null!;

        public Logic(SocketConnectionStage stage) : base(stage.Shape)
        {
            _stage = stage;
            _socket = stage._socket;
            _receiveBuffer = new byte[stage._receiveBufferSize];
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            _onReceived = GetAsyncCallback<SocketAsyncEventArgs>(OnReceived);
            _onSent = GetAsyncCallback<SocketAsyncEventArgs>(OnSent);
            _receiveArgs.SetBuffer(_receiveBuffer, 0, _receiveBuffer.Length);
            _receiveArgs.Completed += (_, e) => _onReceived(e);
            _sendArgs.Completed += (_, e) => _onSent(e);
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
            _sendArgs.Dispose();
        }

        // Downstream wants bytes: read once.
        public void OnPull()
        {
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
            if (e.SocketError != SocketError.Success || e.BytesTransferred == 0)
            {
                // Peer closed (or reset): stop reading, but let replies to what it sent still go out.
                if (e.SocketError != SocketError.Success) CompleteStage();
                else Complete(_stage.Out);
                return;
            }
            Push(_stage.Out, ByteString.FromBytes(_receiveBuffer, 0, e.BytesTransferred));
        }

        public void OnDownstreamFinish(Exception cause)
        {
            // Nothing more will be read; finish once everything pushed in has been written.
            if (IsClosed(_stage.In) && !_sending) CompleteStage();
        }

        public void OnPush()
        {
            var bytes = Grab(_stage.In);
            var length = bytes.Count;
            if (_sendBuffer.Length < length) _sendBuffer = new byte[Math.Max(length, _sendBuffer.Length * 2)];
            bytes.CopyTo(_sendBuffer, 0, length);
            _sendLength = length;
            _sendOffset = 0;
            Send();
        }

        private void Send()
        {
            _sending = true;
            _sendArgs.SetBuffer(_sendBuffer, _sendOffset, _sendLength - _sendOffset);
            bool pending;
            try
            {
                pending = _socket.SendAsync(_sendArgs);
            }
            catch (ObjectDisposedException)
            {
                CompleteStage();
                return;
            }
            if (!pending) OnSent(_sendArgs);
        }

        private void OnSent(SocketAsyncEventArgs e)
        {
            if (e.SocketError != SocketError.Success)
            {
                CompleteStage();
                return;
            }
            _sendOffset += e.BytesTransferred;
            if (_sendOffset < _sendLength)
            {
                Send();
                return;
            }
            _sending = false;
            if (_closing) CompleteStage();
            else if (_sendBuffer.Length > 1 << 20) _sendBuffer = new byte[16 * 1024];
            if (!_closing) Pull(_stage.In);
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
