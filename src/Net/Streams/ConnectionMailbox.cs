using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace AkkaRedis.Net.Streams;

/// <summary>
/// The mailbox of connections' stream actors (HOCON: <c>mailbox-type</c> of the connection dispatcher,
/// <see cref="SocketThreadExecutor.Id"/>): a <see cref="ConnectionMessageQueue"/>, which costs an idle connection
/// about 130 bytes where Akka's default (a <see cref="System.Collections.Concurrent.ConcurrentQueue{T}"/>, whose
/// first segment has 32 slots) costs about 1 KB.
/// </summary>
public sealed class ConnectionMailbox : MailboxType, IProducesMessageQueue<ConnectionMessageQueue>
{
    public ConnectionMailbox(Akka.Actor.Settings settings, Config config) : base(settings, config) { }

    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new ConnectionMessageQueue();
}

/// <summary>
/// An unbounded queue sized for a connection's actor: a ring of envelopes under a lock, allocated at the first
/// message with room for a few (a connection's actor mostly holds one or two: a socket completion, a shard's
/// reply) and doubled as needed. Once it is empty again after a burst that grew it past
/// <see cref="MaxKeptCapacity"/>, the ring goes (the next message allocates a small one), so an idle connection
/// does not keep room sized for its busiest moment. The lock is a flag taken with one compare-and-swap and held for
/// a few stores (a contended taker spins and yields, never sleeps): an enqueue and a dequeue cost what the lock-free
/// queue's do, within a few ns (a single-thread micro-benchmark: 15-35 ns a message for both; a connection's actor
/// sees two or three messages per request).
/// </summary>
public sealed class ConnectionMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private const int InitialCapacity = 4;
    private const int MaxKeptCapacity = 64;

    private int _locked;
    private Envelope[]? _ring;
    private int _head;
    private int _count;

    public bool HasMessages => Volatile.Read(ref _count) > 0;

    public int Count => Volatile.Read(ref _count);

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        Enter();
        try
        {
            var ring = _ring;
            if (ring == null) ring = _ring = new Envelope[InitialCapacity];
            else if (_count == ring.Length) ring = Grow(ring);
            ring[(_head + _count) & (ring.Length - 1)] = envelope;
            Volatile.Write(ref _count, _count + 1);
        }
        finally
        {
            // A full fence, not a release store: the poster reads the mailbox's status next (Dispatcher.
            // RegisterForExecution), while the actor's thread marks the mailbox idle and then reads HasMessages. With
            // a plain store the status read could pass the count's store (x86 keeps stores in a store buffer), both
            // sides would see the other's old value, and the message would wait for the next one: the lost wake-up
            // behind BlockingConcurrencyTests' unanswered BLPOPs in session 12 (Akka's ConcurrentQueue publishes its
            // tail with a compare-and-swap, which is a full fence).
            Interlocked.Exchange(ref _locked, 0);
        }
    }

    private void Enter()
    {
        if (Interlocked.CompareExchange(ref _locked, 1, 0) != 0) EnterContended();
    }

    private void EnterContended()
    {
        var spin = new SpinWait();
        do spin.SpinOnce(sleep1Threshold: -1);
        while (Volatile.Read(ref _locked) != 0 || Interlocked.CompareExchange(ref _locked, 1, 0) != 0);
    }

    private void Exit() => Volatile.Write(ref _locked, 0);

    private Envelope[] Grow(Envelope[] ring)
    {
        var bigger = new Envelope[ring.Length * 2];
        for (var i = 0; i < _count; i++) bigger[i] = ring[(_head + i) & (ring.Length - 1)];
        _head = 0;
        return _ring = bigger;
    }

    public bool TryDequeue(out Envelope envelope)
    {
        if (Volatile.Read(ref _count) == 0)
        {
            envelope = default;
            return false;
        }
        Enter();
        try
        {
            if (_count == 0)
            {
                envelope = default;
                return false;
            }
            var ring = _ring!;
            envelope = ring[_head];
            ring[_head] = default;
            _head = (_head + 1) & (ring.Length - 1);
            Volatile.Write(ref _count, _count - 1);
            if (_count == 0)
            {
                _head = 0;
                if (ring.Length > MaxKeptCapacity) _ring = null;
            }
            return true;
        }
        finally
        {
            Exit();
        }
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var envelope)) deadletters.Enqueue(owner, envelope);
    }
}
