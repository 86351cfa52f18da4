using System.Runtime.InteropServices;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// One connection's WATCH state between two resets (UNWATCH, EXEC, DISCARD, RESET or disconnect start a new one):
/// Redis's CLIENT_DIRTY_CAS flag. The shards that own the watched keys set <see cref="Dirty"/> when one is touched;
/// the connection reads it only while every watched key's shard is held for its EXEC (or inside that shard's turn),
/// so the read follows every touch that happened before the EXEC. A reset makes a new Watcher rather than clearing
/// this one, so a touch still on its way to a shard can never dirty the next WATCH.
/// </summary>
public sealed class Watcher
{
    /// <summary>A watched key was modified, flushed, swapped away or expired (Redis's CLIENT_DIRTY_CAS).</summary>
    public volatile bool Dirty;

    /// <summary>Set by the connection when it is done with this watch (before it tells the shards to forget it): a
    /// WATCH of this epoch still on its way to a shard registers nothing.</summary>
    public volatile bool Closed;
}

/// <summary>One (key, connection) entry of a database's <see cref="WatchTable"/>: Redis's watchedKey.</summary>
public sealed class WatchedKey(Watcher owner, bool expired)
{
    public Watcher Owner { get; } = owner;

    /// <summary>The key was logically expired when it was watched (Redis 7.0's watchedKey.expired): its deletion by
    /// expiry is then no change, and its still being expired at EXEC does not abort it.</summary>
    public bool Expired = expired;
}

/// <summary>
/// The watched keys of one database of one shard: key → the connections watching it (Redis's db->watched_keys).
/// Owned by the shard (or whoever holds it), as the database is. Kept with the database index, not with its data
/// (SWAPDB leaves it in place, as Redis's dbSwapDatabases does).
/// </summary>
public sealed class WatchTable
{
    private readonly Dictionary<byte[], List<WatchedKey>> _keys = new(ByteArrayComparer.Instance);
    private readonly Dictionary<byte[], List<WatchedKey>>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    public WatchTable() => _lookup = _keys.GetAlternateLookup<ReadOnlySpan<byte>>();

    public int Count => _keys.Count;

    /// <summary>Redis's watchForKey: no second entry for a key the connection watches already.</summary>
    public void Add(ReadOnlySpan<byte> key, Watcher watcher, bool expired)
    {
        if (!_lookup.TryGetValue(key, out var list))
        {
            list = new List<WatchedKey>(1);
            _keys.Add(key.ToArray(), list);
        }
        foreach (var wk in list)
            if (wk.Owner == watcher) return;
        list.Add(new WatchedKey(watcher, expired));
    }

    /// <summary>The entry of <paramref name="watcher"/> for <paramref name="key"/>, if any.</summary>
    public WatchedKey? Find(ReadOnlySpan<byte> key, Watcher watcher)
    {
        if (!_lookup.TryGetValue(key, out var list)) return null;
        foreach (var wk in list)
            if (wk.Owner == watcher) return wk;
        return null;
    }

    /// <summary>Redis's unwatchAllKeys, for one key: the entry goes, and the key when nobody else watches it.</summary>
    public void Remove(ReadOnlySpan<byte> key, Watcher watcher)
    {
        if (!_lookup.TryGetValue(key, out var list)) return;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Owner != watcher) continue;
            list.RemoveAt(i);
            break;
        }
        if (list.Count == 0) _lookup.Remove(key);
    }

    /// <summary>
    /// Redis 7.0's touchWatchedKey: every connection watching <paramref name="key"/> gets dirty, except one that
    /// watched it already expired and now finds it gone (deleted by expiry: logically no change; its flag is cleared so
    /// a later write does dirty it). The expiry path signals the key just before it leaves the table, so a key still
    /// there but expired counts as gone.
    /// </summary>
    public void Touch(Database db, ReadOnlySpan<byte> key)
    {
        if (!_lookup.TryGetValue(key, out var list)) return;
        foreach (var wk in list)
        {
            if (wk.Expired && !LiveIn(db, key))
            {
                wk.Expired = false;
                continue;
            }
            wk.Owner.Dirty = true;
        }
    }

    private static bool LiveIn(Database db, ReadOnlySpan<byte> key)
    {
        var slot = db.Table.Find(key);
        // mstime(), read as ServerClock (a layer up) reads it.
        return slot >= 0 && !new KeyEntry(db.Table, slot).IsExpiredAt(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    /// <summary>
    /// Redis 7.0's touchAllWatchedKeysInDb: <paramref name="emptied"/> is flushed (<paramref name="replacedWith"/> null)
    /// or swapped with <paramref name="replacedWith"/> (SWAPDB, called for both directions). A watched key is touched
    /// when it exists (expired or not) in either; one watched as expired that is gone, or replaced by another expired
    /// key, is no change; a missing key replaced by an expired one becomes "watched as expired".
    /// </summary>
    public void TouchAll(Database emptied, Database? replacedWith, long now)
    {
        foreach (var (key, list) in _keys)
        {
            var inEmptied = emptied.Table.Find(key) >= 0;
            var inReplacement = replacedWith != null && replacedWith.Table.Find(key) >= 0;
            if (!inEmptied && !inReplacement) continue;
            foreach (var wk in list)
            {
                if (wk.Expired)
                {
                    if (!inReplacement)
                    {
                        wk.Expired = false;
                        continue;
                    }
                    if (IsExpired(replacedWith!, key, now)) continue;
                }
                else if (!inEmptied && IsExpired(replacedWith!, key, now))
                {
                    wk.Expired = true;
                    continue;
                }
                wk.Owner.Dirty = true;
            }
        }
    }

    /// <summary>Redis's keyIsExpired: the key is in the table with a time that has passed (not deleted here).</summary>
    public static bool IsExpired(Database db, ReadOnlySpan<byte> key, long now)
    {
        var slot = db.Table.Find(key);
        return slot >= 0 && new KeyEntry(db.Table, slot).IsExpiredAt(now);
    }
}
