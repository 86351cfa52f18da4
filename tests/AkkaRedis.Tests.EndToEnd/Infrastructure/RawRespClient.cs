using System.Net;
using System.Net.Sockets;

namespace AkkaRedis.Tests.EndToEnd.Infrastructure;

/// <summary>
/// A plain TCP client: sends raw bytes (each <see cref="Send"/> is one socket write, Nagle off) and reads exactly one
/// complete reply at a time, returning its exact bytes. Every read has a deadline.
/// </summary>
public sealed class RawRespClient : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly Socket _socket;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public int Port { get; }
    public TimeSpan Timeout { get; set; } = DefaultTimeout;
    /// <summary>Set once the server closed its side (a read returned 0 or the connection was reset).</summary>
    public bool RemoteClosed { get; private set; }

    private RawRespClient(Socket socket, int port)
    {
        _socket = socket;
        Port = port;
    }

    public static RawRespClient Connect(int port, TimeSpan? timeout = null) => Connect(IPAddress.Loopback, port, timeout);

    /// <summary>Connects to another address of the server (a non-loopback one, as an outside client would).</summary>
    public static RawRespClient Connect(IPAddress address, int port, TimeSpan? timeout = null)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            var connect = socket.ConnectAsync(new IPEndPoint(address, port));
            if (!connect.Wait(timeout ?? DefaultTimeout)) throw new TimeoutException($"connecting to {address}:{port} timed out");
            connect.GetAwaiter().GetResult();
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new RawRespClient(socket, port) { Timeout = timeout ?? DefaultTimeout };
    }

    /// <summary>One socket write of exactly these bytes.</summary>
    public void Send(ReadOnlySpan<byte> bytes)
    {
        var sent = 0;
        while (sent < bytes.Length) sent += _socket.Send(bytes[sent..]);
    }

    public void SendCommand(IReadOnlyList<byte[]> args) => Send(Resp.Encode(args));

    public void SendCommand(params string[] args) => Send(Resp.Encode(args));

    public byte[] Call(IReadOnlyList<byte[]> args)
    {
        SendCommand(args);
        return ReadReply();
    }

    public byte[] Call(params string[] args) => Call(Resp.Args(args));

    /// <summary>The reply as text (escaped bytes), handy in assertions: Call("PING") → "+PONG\r\n".</summary>
    public string CallText(params string[] args) => Resp.Escape(Call(args));

    /// <summary>Reads exactly one complete reply (an attribute and its value count as one) and returns its bytes.</summary>
    public byte[] ReadReply() => ReadReply(Timeout);

    public byte[] ReadReply(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_end > _start)
            {
                var len = Resp.MeasureReply(_buffer.AsSpan(_start, _end - _start));
                if (len > 0)
                {
                    var reply = _buffer.AsSpan(_start, len).ToArray();
                    _start += len;
                    return reply;
                }
            }
            if (RemoteClosed)
                throw new IOException($"connection closed by the server before a complete reply; pending bytes: \"{Resp.Escape(_buffer.AsSpan(_start, _end - _start))}\"");
            if (!Fill(deadline))
                throw new TimeoutException($"no complete reply within {timeout.TotalSeconds:0.#} s; pending bytes: \"{Resp.Escape(_buffer.AsSpan(_start, _end - _start))}\"");
        }
    }

    /// <summary>Reads <paramref name="count"/> replies and returns them concatenated.</summary>
    public List<byte[]> ReadReplies(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        var result = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) left = TimeSpan.FromMilliseconds(1);
            result.Add(ReadReply(left));
        }
        return result;
    }

    /// <summary>
    /// Reads until the server closes the connection or the deadline passes; returns every byte received (buffered ones
    /// included) and whether the connection was closed.
    /// </summary>
    public (byte[] Bytes, bool Closed) ReadUntilClose(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!RemoteClosed && Fill(deadline))
        {
        }
        var bytes = _buffer.AsSpan(_start, _end - _start).ToArray();
        _start = _end = 0;
        return (bytes, RemoteClosed);
    }

    /// <summary>
    /// Reads until <paramref name="done"/> holds for everything received so far, the server closes, or the deadline
    /// passes; returns the bytes received (buffered ones included) and whether the connection was closed.
    /// </summary>
    public (byte[] Bytes, bool Closed) ReadUntil(Func<byte[], bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!RemoteClosed && !done(_buffer.AsSpan(_start, _end - _start).ToArray()) && Fill(deadline))
        {
        }
        var bytes = _buffer.AsSpan(_start, _end - _start).ToArray();
        _start = _end = 0;
        return (bytes, RemoteClosed);
    }

    /// <summary>Bytes received but not yet returned as a reply.</summary>
    public byte[] Pending => _buffer.AsSpan(_start, _end - _start).ToArray();

    /// <summary>Waits for more bytes until <paramref name="deadline"/>; false on timeout.</summary>
    private bool Fill(DateTime deadline)
    {
        if (_start > 0 && _start == _end) _start = _end = 0;
        if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var left = deadline - DateTime.UtcNow;
        if (left <= TimeSpan.Zero) return false;
        try
        {
            if (!_socket.Poll((int)Math.Min(left.TotalMicroseconds, int.MaxValue), SelectMode.SelectRead)) return false;
            var n = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
            if (n == 0) RemoteClosed = true;
            _end += n;
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            RemoteClosed = true;
            return true;
        }
    }

    /// <summary>This end of the connection (the client's address and port as the server sees them).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Half-closes our sending side, as a client that has nothing more to say.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    public void Dispose() => _socket.Dispose();
}
