using AkkaRedis.Actors.Commands;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// The write effects of one shard batch (or of one command run by the Transaction actor, <see cref="Atomic"/>),
/// in the order they happened: what replicas and the AOF replay.
/// </summary>
public sealed class EffectBlock
{
    public EffectBlock(int shard, byte[] bytes, WriteEffects.Entry[] entries, bool atomic)
    {
        Shard = shard;
        Bytes = bytes;
        Entries = entries;
        Atomic = atomic;
    }

    /// <summary>The shard that produced it; -1 for the Transaction actor (several shards held at once).</summary>
    public int Shard { get; }
    public byte[] Bytes { get; }
    public WriteEffects.Entry[] Entries { get; }
    /// <summary>Produced under one hold of several shards: consumers must not interleave other shards' effects.</summary>
    public bool Atomic { get; }
}

/// <summary>
/// Where shards publish their write effects. Consumers (today: connections that asked for the stream with DEBUG
/// EFFECTS; later the Replication and Persistence actors) subscribe; effects of one shard reach each consumer in
/// the order the shard produced them, and a Transaction actor block arrives after everything its shards produced
/// before they were held. Shards check <see cref="Active"/> (one volatile read per batch) and record nothing
/// while nobody listens.
/// </summary>
public sealed class EffectStream
{
    private readonly object _lock = new();
    private volatile Action<EffectBlock>[] _subscribers = [];

    public bool Active => _subscribers.Length > 0;

    public void Subscribe(Action<EffectBlock> subscriber)
    {
        lock (_lock) _subscribers = [.. _subscribers, subscriber];
    }

    public void Unsubscribe(Action<EffectBlock> subscriber)
    {
        lock (_lock) _subscribers = _subscribers.Where(s => s != subscriber).ToArray();
    }

    /// <summary>Hands what <paramref name="effects"/> recorded to every subscriber, then clears it.</summary>
    public void Publish(int shard, WriteEffects effects, bool atomic = false)
    {
        if (effects.Count == 0) return;
        var subscribers = _subscribers;
        if (subscribers.Length > 0)
        {
            var block = new EffectBlock(shard, effects.Bytes.ToArray(), effects.Entries.ToArray(), atomic);
            foreach (var subscriber in subscribers) subscriber(block);
        }
        effects.Clear();
    }
}
