using System.Diagnostics;
using AkkaRedis.Actors.Storage.Rdb;

namespace AkkaRedis.Actors.Storage;

/// <summary>Writes one key's snapshot record (<c>RdbValues.WriteKeyRecord</c> for an RDB file or an AOF's RDB
/// preamble) into <paramref name="writer"/>: called with the key as it was when the snapshot started.</summary>
public delegate void SnapshotRecordWriter(RdbWriter writer, KeyEntry entry);

/// <summary>
/// One shard's part of a point-in-time snapshot (BGSAVE, BGREWRITEAOF), what Redis gets from fork(): at the start,
/// under a hold of every shard, <see cref="Mark"/> flags each live slot of the shard's tables as pending (one bit per
/// slot, O(slots / 64) words filled). The shard then serialises the pending keys in small <see cref="Step"/>s
/// between client batches, while the tables stay writable: before anything may change or delete a pending key (a
/// lookup, an overwrite, a delete or expiry, a slot moved by Compact, a FLUSH), the table hands it to
/// <see cref="TableSnapshot.Preserve"/>, which writes its snapshot-time record first (copy-on-write, at key
/// granularity) and clears its bit. Keys added after the start have no bit, so they are never written.
/// </summary>
/// <remarks>
/// Only the shard's current owner (the shard actor, or whoever holds it) touches this object, as it touches the
/// tables: no locks. Records go into one buffer per database index the key had at the start (SWAPDB afterwards does
/// not move them); <see cref="TakeChunks"/> cuts the buffers into the chunks the owner hands on.
/// </remarks>
public sealed class ShardSnapshot
{
    private readonly SnapshotRecordWriter _write;
    private readonly List<TableSnapshot> _tables = new();
    private readonly RdbWriter?[] _buffers;
    private int _current;

    public ShardSnapshot(int databases, SnapshotRecordWriter write)
    {
        _write = write;
        _buffers = new RdbWriter?[databases];
        Keys = new long[databases];
        Expires = new long[databases];
    }

    /// <summary>Keys per database index at the start (RESIZEDB's hint: expired-but-not-deleted keys included).</summary>
    public long[] Keys { get; }

    /// <summary>Keys with a TTL per database index at the start.</summary>
    public long[] Expires { get; }

    /// <summary>Bytes of records written early, before a change (rdb_last_cow_size: what fork's copy-on-write copied).</summary>
    public long CowBytes { get; private set; }

    /// <summary>Records written so far.</summary>
    public long Written { get; private set; }

    /// <summary>Every pending key has been written (the tables are let go).</summary>
    public bool Done => _current == _tables.Count;

    /// <summary>The start of the snapshot for <paramref name="db"/>: every key it holds now is pending. Call it
    /// while the shard is held (no command between the marks of all shards), once per database.</summary>
    public void Mark(Database db)
    {
        var table = db.Table;
        if (table.Count == 0) return;
        // One snapshot runs at a time (the Persistence actor's rule): one still attached here was given up and its
        // abort has not reached this shard yet; it lets go of the table now (its own abort is then a no-op).
        table.Snapshot?.Detach();
        Keys[db.Index] += table.Count;
        Expires[db.Index] += table.VolatileCount;
        _tables.Add(new TableSnapshot(this, table, db.Index));
    }

    /// <summary>Writes pending keys until <paramref name="maxKeys"/> are written or the clock passes
    /// <paramref name="deadlineTicks"/> (Stopwatch ticks); true once every pending key has been written.</summary>
    public bool Step(int maxKeys, long deadlineTicks)
    {
        var written = 0;
        while (_current < _tables.Count)
        {
            var table = _tables[_current];
            written += table.Step(maxKeys - written, deadlineTicks);
            if (!table.Finished) return false;
            table.Detach();
            _current++;
            if (written >= maxKeys || Stopwatch.GetTimestamp() > deadlineTicks) return Done;
        }
        return true;
    }

    /// <summary>Gives up the snapshot: the tables stop calling back (nothing pending is written any more).</summary>
    public void Abort()
    {
        for (; _current < _tables.Count; _current++) _tables[_current].Detach();
    }

    /// <summary>Hands each database's buffered records of at least <paramref name="minBytes"/> (all of them with 0) to
    /// <paramref name="sink"/> as (database index, bytes), and empties those buffers. The bytes are in an array rented
    /// from <see cref="System.Buffers.ArrayPool{T}.Shared"/>, which the sink owns from then on (and gives back once
    /// written): a save of a million small keys handed on 27 MB of new arrays, garbage that the clients' collections
    /// paid for during the save.</summary>
    public void TakeChunks(int minBytes, Action<int, ArraySegment<byte>> sink)
    {
        for (var db = 0; db < _buffers.Length; db++)
        {
            var buffer = _buffers[db];
            if (buffer == null || buffer.Length == 0 || buffer.Length < minBytes) continue;
            var written = buffer.Written;
            var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(written.Length);
            written.CopyTo(chunk);
            sink(db, new ArraySegment<byte>(chunk, 0, written.Length));
            buffer.Clear();
        }
    }

    /// <summary>Bytes written and not yet taken.</summary>
    public long Buffered
    {
        get
        {
            long total = 0;
            foreach (var b in _buffers) total += b?.Length ?? 0;
            return total;
        }
    }

    /// <summary>The first record that could not be written (the snapshot has failed, the walk goes on so the tables
    /// are let go as usual); never thrown from a table's hook, which runs inside a client's command.</summary>
    public Exception? Error { get; private set; }

    internal void Write(int db, KeyEntry entry, bool early)
    {
        var buffer = _buffers[db] ??= new RdbWriter(64 * 1024);
        var before = buffer.Length;
        try
        {
            _write(buffer, entry);
        }
        catch (Exception e)
        {
            Error ??= e;
        }
        Written++;
        if (early) CowBytes += buffer.Length - before;
    }
}

/// <summary>
/// The snapshot's view of one <see cref="KeyTable"/>: a bit per slot in use at the start, set for the live ones, and
/// the walk's position. The table calls <see cref="Preserve"/> before it lets a pending key change or go, and
/// <see cref="Moved"/> when Compact moves a slot; <see cref="KeyTable.Clear"/> hands its old contents to a table of
/// their own that only this walk reads (FLUSHALL during a save keeps the snapshot-time keys, in O(1)).
/// </summary>
internal sealed class TableSnapshot
{
    private readonly ShardSnapshot _owner;
    private KeyTable _table;
    private readonly ulong[] _pending;
    private readonly int _limit;
    private int _cursor;
    private bool _attached;
    public readonly int DbIndex;

    public TableSnapshot(ShardSnapshot owner, KeyTable table, int dbIndex)
    {
        _owner = owner;
        _table = table;
        DbIndex = dbIndex;
        _limit = table.UsedSlots;
        // Every slot in use starts with its bit set (a memset, not a walk of the slots, since this runs while every
        // shard is held): a bit counts only while its slot holds a key, and the table clears the bit of a free slot
        // it hands to a new key (Added), so a set bit on a live slot means "there at the start, not written yet".
        _pending = new ulong[(_limit + 63) >> 6];
        Array.Fill(_pending, ulong.MaxValue);
        table.Snapshot = this;
        _attached = true;
    }

    public bool Finished => _cursor >= _limit;

    /// <summary>For a slot that holds a key (only those ask): it was there at the start and is not written yet.</summary>
    private bool IsPending(int slot) => slot < _limit && (_pending[slot >> 6] & (1UL << slot)) != 0;

    /// <summary>A free slot got a new key: not part of the snapshot.</summary>
    public void Added(int slot)
    {
        if (slot < _limit) _pending[slot >> 6] &= ~(1UL << slot);
    }

    /// <summary>The key in <paramref name="slot"/> is about to be read for a change, changed, moved or deleted: if it
    /// is still pending, its snapshot-time record is written now.</summary>
    public void Preserve(int slot)
    {
        if (!IsPending(slot)) return;
        _pending[slot >> 6] &= ~(1UL << slot);
        _owner.Write(DbIndex, new KeyEntry(_table, slot), early: true);
    }

    /// <summary>Compact moved the key of <paramref name="from"/> to the free slot <paramref name="to"/> (below it).</summary>
    public void Moved(int from, int to)
    {
        // The free slot's bit may be set (see the constructor): it now says what the moved key's said.
        Added(to);
        if (!IsPending(from)) return;
        _pending[from >> 6] &= ~(1UL << from);
        _pending[to >> 6] |= 1UL << to;
        // A pending key moved behind the walk's position is written at once rather than missed.
        if (to < _cursor) Preserve(to);
    }

    /// <summary>The table was cleared: its old contents now live in <paramref name="orphan"/>, which nothing but this
    /// walk reads, so nothing needs preserving early any more.</summary>
    public void Orphaned(KeyTable orphan)
    {
        _table = orphan;
        _attached = false;
    }

    /// <summary>Writes pending keys from the walk's position on; returns how many.</summary>
    public int Step(int maxKeys, long deadlineTicks)
    {
        var written = 0;
        while (_cursor < _limit && written < maxKeys)
        {
            var word = _pending[_cursor >> 6] >> (_cursor & 63);
            if (word == 0)
            {
                _cursor = (_cursor | 63) + 1;
                continue;
            }
            _cursor += System.Numerics.BitOperations.TrailingZeroCount(word);
            if (_cursor >= _limit) break;
            var slot = _cursor++;
            _pending[slot >> 6] &= ~(1UL << slot);
            if (_table.At(slot).Data == null) continue; // free since (or at) the start
            _owner.Write(DbIndex, new KeyEntry(_table, slot), early: false);
            // The clock is read every 64 keys: a record costs well under a microsecond to a few for big values.
            if ((++written & 63) == 0 && Stopwatch.GetTimestamp() > deadlineTicks) break;
        }
        return written;
    }

    /// <summary>The walk is over (or abandoned): the table stops calling back.</summary>
    public void Detach()
    {
        if (_attached && _table.Snapshot == this) _table.Snapshot = null;
        _attached = false;
        _cursor = _limit;
    }
}
