using System.Net.Sockets;

namespace AkkaRedis.Net.Streams;

/// <summary>Work for the end of a socket thread's epoll round (<see cref="LoopTail"/>): a subscriber's wake-up.</summary>
public interface IAfterRound
{
    void RunAfterRound();
}

/// <summary>
/// Redis's beforeSleep for a socket thread: work deferred through <see cref="SocketThreadExecutor.AfterRound"/> while
/// that thread runs a connection (a publisher waking a subscriber) runs on the same thread once it has handled every
/// socket event of its current epoll round, and the connection it wakes runs right there, instead of on a pool thread
/// woken for it. As Redis writes a client's accumulated replies once per event-loop turn: a subscriber fed by fifty
/// publishers in one round is woken, and writes, once; and no other thread wakes for it.
/// </summary>
/// <remarks>
/// What waits is the wake-up (the message to the subscriber's session), not the actor that runs the subscriber's
/// connection: that actor (<see cref="ConnectionHosts"/>) runs other connections too, and while it waited for the
/// round's end their socket events waited with it (publishers in the same host answered a round late: PUBLISH to 100
/// subscribers at pipeline 1 fell to 0.37x redis-server's rate when connections began to share hosts).
/// .NET's socket engine has no hook at the end of an epoll round, so each socket thread owns a marker: a Unix socket
/// pair registered with that thread's engine. The first work deferred in a round writes one byte to it; the byte
/// makes the marker ready, which the engine sees at its next epoll_wait, after the round under way; the marker's
/// receive completion then runs what was deferred, on this thread. Engines take sockets round-robin, so
/// <see cref="Install"/> makes two markers per engine and each claims the thread its first completion runs on; a
/// thread without a marker (a pool thread, an engine no marker reached) keeps handing such work to the pool.
/// </remarks>
public sealed class LoopTail
{
    /// <summary>This thread's marker, claimed by the first marker whose completion ran here.</summary>
    [ThreadStatic] private static LoopTail? _ofThisThread;

    private readonly Socket _reader;
    private readonly Socket _writer;
    private readonly SocketAsyncEventArgs _receive = new();
    private readonly byte[] _signal = [1];
    private List<IAfterRound> _deferred = new();
    private List<IAfterRound> _running = new();
    /// <summary>A byte is on its way: the deferred runs will run at the next round.</summary>
    private bool _armed;
    private bool _claimed;

    private LoopTail(Socket reader, Socket writer)
    {
        _reader = reader;
        _writer = writer;
        _receive.SetBuffer(new byte[64], 0, 64);
        _receive.Completed += static (_, e) => SocketThreadExecutor.Completing(static e => ((LoopTail)e.UserToken!).Received(e), e);
        _receive.UserToken = this;
    }

    private static int _installed;
    private static int _threads;

    /// <summary>Socket threads that have a marker (their deferred work runs at the end of their rounds).</summary>
    public static int Threads => Volatile.Read(ref _threads);

    /// <summary>Makes the markers of the socket engines (once per process; the engine count is .NET's:
    /// DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT, else one per core with inline completions). Best effort: without Unix
    /// sockets, deferred work simply goes to the pool.</summary>
    public static void Install()
    {
        // Without inline completions a socket's completions run on any pool thread, not on one thread per marker.
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") != "1") return;
        if (Interlocked.Exchange(ref _installed, 1) != 0) return;
        var engines = int.TryParse(Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT"), out var n) && n > 0
            ? n : Environment.ProcessorCount;
        try
        {
            for (var i = 0; i < 2 * engines; i++) Create().Start();
        }
        catch (SocketException)
        {
        }
    }

    private static LoopTail Create()
    {
        var name = new UnixDomainSocketEndPoint("\0akkaredis-loop-tail-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N"));
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(name);
        listener.Listen(1);
        var writer = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        writer.Connect(name);
        var reader = listener.Accept();
        return new LoopTail(reader, writer);
    }

    /// <summary>Registers the reader with an engine (its first asynchronous receive), then probes it: the probe's
    /// completion runs on that engine's thread, which the marker then claims.</summary>
    private void Start()
    {
        _armed = true;
        if (!_reader.ReceiveAsync(_receive)) Received(_receive);
        _writer.Send(_signal);
    }

    /// <summary>Defers <paramref name="work"/> to the end of this socket thread's epoll round; false when this thread
    /// has no marker (the caller runs it now).</summary>
    internal static bool Defer(IAfterRound work)
    {
        var tail = _ofThisThread;
        if (tail == null) return false;
        tail._deferred.Add(work);
        if (tail._armed) return true;
        tail._armed = true;
        try
        {
            tail._writer.Send(tail._signal, SocketFlags.None);
        }
        catch (SocketException)
        {
            // Never to be woken again: this thread stops deferring and what waits goes to the pool.
            _ofThisThread = null;
            Interlocked.Decrement(ref _threads);
            tail.Abandon();
        }
        return true;
    }

    private void Received(SocketAsyncEventArgs e)
    {
        while (true)
        {
            if (e.SocketError != SocketError.Success || e.BytesTransferred == 0)
            {
                if (ReferenceEquals(_ofThisThread, this))
                {
                    _ofThisThread = null;
                    Interlocked.Decrement(ref _threads);
                }
                Abandon();
                return;
            }
            if (!_claimed)
            {
                _claimed = true;
                if (_ofThisThread != null)
                {
                    // Another marker serves this thread already.
                    _reader.Dispose();
                    _writer.Dispose();
                    return;
                }
                _ofThisThread = this;
                Interlocked.Increment(ref _threads);
            }
            // The round's deferred runs are taken, and the receive re-armed, before they run: what they defer in turn
            // sends a byte that the engine reports at its next epoll_wait, after the sockets already ready (a
            // synchronous completion here would run it at once and could keep two connections telling each other
            // ahead of every socket).
            _armed = false;
            (_deferred, _running) = (_running, _deferred);
            bool pending;
            try
            {
                pending = _reader.ReceiveAsync(e);
            }
            catch (ObjectDisposedException)
            {
                pending = true;
            }
            RunTaken();
            if (pending) return;
        }
    }

    private void RunTaken()
    {
        var next = 0;
        try
        {
            // Each wakes its connection's actor, which runs here and now (this is a socket completion, no actor runs).
            for (; next < _running.Count; next++) _running[next].RunAfterRound();
        }
        finally
        {
            // Only if one of them threw: those not started yet are not lost.
            for (next++; next < _running.Count; next++) ToPool(_running[next]);
            _running.Clear();
        }
    }

    private static void ToPool(IAfterRound work) =>
        ThreadPool.UnsafeQueueUserWorkItem(static w => w.RunAfterRound(), work, preferLocal: false);

    private void Abandon()
    {
        foreach (var work in _deferred) ToPool(work);
        _deferred.Clear();
        _reader.Dispose();
        _writer.Dispose();
    }
}
