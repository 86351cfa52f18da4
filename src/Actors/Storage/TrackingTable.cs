using System.Text;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// Where a shard's <see cref="TrackingTable"/> sends what it learns (the session layer implements it: it knows the
/// connections). Callable from any shard's thread.
/// </summary>
public interface ITrackingSink
{
    /// <summary>Default mode: <paramref name="key"/>, remembered for <paramref name="clientId"/>, was modified by
    /// client <paramref name="modifier"/> (0: by the server itself, expiry or eviction) with the command at
    /// <paramref name="position"/> of its received batch (-1: the command its connection waits for).</summary>
    void Invalidate(long clientId, string key, long modifier, int position);

    /// <summary>BCAST mode: the keys modified under one of the client's prefixes since the last batch, with, per key,
    /// the client that modified it first (for NOLOOP).</summary>
    void Broadcast(long clientId, string[] keys, long[] modifiers);

    /// <summary>FLUSHDB / FLUSHALL by client <paramref name="modifier"/>: every tracking client gets a null
    /// invalidation (trackingInvalidateKeysOnFlush); the shards' tables were cleared.</summary>
    void Flushed(long modifier);

    /// <summary>The tables' sizes changed (INFO tracking_total_keys / tracking_total_items, tracking-table-max-keys).</summary>
    void Counted(int keys, int items);

    /// <summary>Keys remembered in every shard's table together (Redis's raxSize(TrackingTable)).</summary>
    long TotalKeys { get; }
}

/// <summary>
/// One shard's part of Redis's tracking.c tables: the keys read by clients in default tracking mode (TrackingTable:
/// key → client ids) and the BCAST prefixes registered by clients (PrefixTable), with the keys modified under each
/// prefix since the last batch. Keys are kept as Latin-1 strings (one char per byte: ordinal order is byte order, as
/// the rax's). As Redis's, the table ignores the database number, and keeps the ids of clients that went away until
/// their keys are invalidated. Made on first use (<c>ShardData.EnsureTracking</c>): until then a write costs the null
/// check of <see cref="Database.Tracking"/>.
/// </summary>
public sealed class TrackingTable(ITrackingSink sink)
{
    private readonly Dictionary<string, HashSet<long>> _keys = new(StringComparer.Ordinal);
    /// <summary>Sorted by prefix (Redis walks its PrefixTable rax in byte order).</summary>
    private readonly SortedDictionary<string, Prefix> _prefixes = new(StringComparer.Ordinal);

    private sealed class Prefix
    {
        public readonly SortedSet<long> Clients = new();
        /// <summary>Keys modified since the last broadcast, sorted (a rax), with their first modifier.</summary>
        public readonly SortedDictionary<string, long> Pending = new(StringComparer.Ordinal);
    }

    public int KeyCount => _keys.Count;
    public int PrefixCount => _prefixes.Count;

    public static string KeyOf(ReadOnlySpan<byte> key) => Encoding.Latin1.GetString(key);

    /// <summary>Redis's trackingRememberKeys for one key: <paramref name="clientId"/> read it.</summary>
    public void Remember(ReadOnlySpan<byte> key, long clientId)
    {
        var name = KeyOf(key);
        var newKey = false;
        if (!_keys.TryGetValue(name, out var ids))
        {
            _keys[name] = ids = new HashSet<long>();
            newKey = true;
        }
        if (ids.Add(clientId)) sink.Counted(newKey ? 1 : 0, 1);
    }

    /// <summary>Redis's trackingInvalidateKey: BCAST prefixes matching the key remember it for the next broadcast;
    /// the clients that read it are told now, and the key leaves the table.</summary>
    /// <param name="position">The modifying command's position in its connection's batch (see ITrackingSink).</param>
    public void Invalidate(ReadOnlySpan<byte> key, long modifier, int position = -1)
    {
        if (_keys.Count == 0 && _prefixes.Count == 0) return;
        var name = KeyOf(key);
        // trackingRememberKeyToBroadcast: the first modifier stays (raxTryInsert).
        foreach (var (prefix, state) in _prefixes)
            if (name.StartsWith(prefix, StringComparison.Ordinal)) state.Pending.TryAdd(name, modifier);
        if (!_keys.Remove(name, out var ids)) return;
        foreach (var id in ids) sink.Invalidate(id, name, modifier, position);
        sink.Counted(-1, -ids.Count);
    }

    /// <summary>Redis's trackingBroadcastInvalidationMessages, per batch instead of per event-loop turn: every prefix
    /// with modified keys tells its clients, one message per prefix and client.</summary>
    public void Broadcast()
    {
        foreach (var state in _prefixes.Values)
        {
            if (state.Pending.Count == 0) continue;
            var keys = new string[state.Pending.Count];
            var modifiers = new long[keys.Length];
            var i = 0;
            foreach (var (k, m) in state.Pending)
            {
                keys[i] = k;
                modifiers[i++] = m;
            }
            state.Pending.Clear();
            foreach (var client in state.Clients) sink.Broadcast(client, keys, modifiers);
        }
    }

    public void AddPrefix(string prefix, long clientId)
    {
        if (!_prefixes.TryGetValue(prefix, out var state)) _prefixes[prefix] = state = new Prefix();
        state.Clients.Add(clientId);
    }

    public void RemovePrefix(string prefix, long clientId)
    {
        if (!_prefixes.TryGetValue(prefix, out var state)) return;
        state.Clients.Remove(clientId);
        if (state.Clients.Count == 0) _prefixes.Remove(prefix);
    }

    /// <summary>FLUSHDB / FLUSHALL (trackingInvalidateKeysOnFlush): the remembered keys go without a message of their
    /// own (every tracking client gets one null invalidation instead).</summary>
    public void Clear()
    {
        if (_keys.Count == 0) return;
        var items = 0;
        foreach (var ids in _keys.Values) items += ids.Count;
        sink.Counted(-_keys.Count, -items);
        _keys.Clear();
    }

    /// <summary>Redis's trackingLimitUsedSlots: while every shard's tables together hold more than
    /// <paramref name="maxKeys"/> keys, this shard invalidates its own (as if modified by the server). Redis picks
    /// them by random walk; here the oldest remembered go first.</summary>
    public void Limit(long maxKeys)
    {
        if (maxKeys <= 0) return;
        while (_keys.Count > 0 && sink.TotalKeys > maxKeys)
        {
            string first;
            using (var e = _keys.Keys.GetEnumerator())
            {
                e.MoveNext();
                first = e.Current;
            }
            Invalidate(Encoding.Latin1.GetBytes(first), 0);
        }
    }
}
