using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands.Scripting;

/// <summary>
/// The undo journal of a script run that may still be aborted for a re-run holding every shard
/// (<see cref="ScriptBridge.CanAbort"/>: inline on a shard, or a Transaction-actor hold of some shards). Redis
/// standalone runs any key; here a script whose declared keys live on one shard runs there, and when it then reaches
/// an undeclared key of another shard after writing (BullMQ's scripts build job keys from <c>KEYS[1] .. jobId</c>),
/// its writes are taken back from this journal and the whole request runs again holding every shard: one outcome,
/// Redis standalone's, with the script's work up to that command done twice.
/// <para>
/// What it keeps: before a command that may change data runs, the before-image of each of its keys (from the key
/// specs, as the bridge's reachability check found them), once per run per key: absent, or a copy of the slot (the
/// key and string bytes, or a deep copy of the collection, with its type, encoding, LRU/LFU bits and TTL). Keys about
/// to expire that any command looks up are kept too: the lookup deletes them and propagates a DEL, which the undo
/// takes back with the rest of the run's effects, and the re-run's lookup does again in its place.
/// </para>
/// <para>
/// What makes it incomplete (an abort after a write then fails as in Redis Cluster, as before the journal existed):
/// a value too big to copy cheaply (over <see cref="MaxImageBytes"/> by MEMORY USAGE's estimate, a list over
/// <see cref="MaxListElements"/>), more than <see cref="MaxImages"/> keys or <see cref="MaxTotalBytes"/> copied,
/// and side effects that cannot be taken back: PUBLISH from the script, writes while notify-keyspace-events would
/// publish them, MOVE and COPY (they write a key of another database the key specs do not name).
/// </para>
/// <para>
/// Cost: nothing unless the run can abort. Then, per command, the lookup of its keys in their table (a TTL check only
/// while the database has keys with a TTL) and, per written key, one copy of its bytes: for a script doing a GET and
/// a SET of a small string, one small array per run. The image list is reused. Not undone (as harmless as Redis's
/// false positives): WATCH sees the written keys as touched, client-side caching got invalidations, blocked clients
/// were told of keys that turn out unchanged (serving checks the key again), commandstats, errorstats, MONITOR and
/// keyspace hits/misses count the first run's commands too (server.dirty and expired_keys are put back).
/// </para>
/// </summary>
internal sealed class ScriptUndo
{
    /// <summary>A value whose MEMORY USAGE estimate is above this is not copied: copying it would cost more than
    /// re-running is meant to save (measured: a 128 KiB string copies in a few microseconds, a 1,000-field hash in
    /// tens).</summary>
    internal const long MaxImageBytes = 128 * 1024;
    /// <summary>The estimate walks a list's elements: a longer list is not even estimated.</summary>
    internal const int MaxListElements = 4096;
    /// <summary>Distinct keys kept per run (each new key is compared with those kept: the journal stays small).</summary>
    internal const int MaxImages = 512;
    internal const long MaxTotalBytes = 1024 * 1024;
    /// <summary>Keys whose TTL ends within this much of the check are kept for the lookups' lazy expiry: the command
    /// samples the clock after the check.</summary>
    private const long ExpiryMargin = 1000;

    /// <summary>One key's state before the run changed it.</summary>
    private struct Image
    {
        public Database Db;
        public int Hash;
        /// <summary>The key, then the string's bytes (or the long, or nothing for a collection): a copy of the slot's
        /// array; for an absent key, the key alone.</summary>
        public byte[] Data;
        public int KeyLength;
        public bool Existed;
        public uint Meta;
        public object? Value;
        public long ExpireAt;
        public long DirtyBefore;
        public long ExpiredBefore;
    }

    private readonly List<Image> _images = new();
    private long _bytes;

    /// <summary>Journaling this run: it may abort, and nothing irreversible happened yet.</summary>
    internal bool Active { get; private set; }

    /// <summary>Everything the run did can be undone (always true while it cannot abort: nothing is asked of it).</summary>
    internal bool Complete { get; private set; } = true;

    /// <summary>The run must stay abortable to the end (it runs on a session's thread, which it must be able to
    /// leave): what would make the journal incomplete sets <see cref="MustYield"/> instead, before it happens.</summary>
    internal bool Strict { get; private set; }

    /// <summary>Strict run: the command about to run (or its key's copy) cannot be taken back; the caller aborts the
    /// run before it, to be run again where it may do that (its shard's actor).</summary>
    internal bool MustYield { get; private set; }

    internal void Begin(bool canAbort, bool strict = false)
    {
        Release();
        Active = canAbort || strict;
        Strict = strict;
        MustYield = false;
        Complete = true;
    }

    /// <summary>Something that cannot be taken back is about to happen: the run may no longer be undone (or, strict,
    /// must be aborted before it).</summary>
    internal void Irreversible()
    {
        if (!Active) return;
        if (Strict)
        {
            MustYield = true;
            return;
        }
        Active = false;
        Complete = false;
        Release();
    }

    /// <summary>Before <paramref name="def"/> runs in database <paramref name="db"/> with <paramref name="argv"/>
    /// (<paramref name="keys"/>: its keys' argument indexes, all in held shards).</summary>
    internal void BeforeCommand(ExecContext ctx, int db, CommandDef def, CommandArgs argv, List<int> keys)
    {
        var writes = def.MayReplicate;
        if (writes)
        {
            // Redis's notifyKeyspaceEvent would publish the write's events to subscribers: they cannot be recalled.
            if (ctx.Config.NotifyKeyspaceEvents != 0 || def.Name is "move" or "copy")
            {
                Irreversible();
                return;
            }
        }
        var now = 0L;
        foreach (var k in keys)
        {
            var key = argv[k].Span;
            var database = ctx.Keyspace.For(db, key);
            if (!writes)
            {
                // A read changes nothing but the keys its lookup expires.
                if (database.VolatileCount == 0) continue;
                if (now == 0) now = ServerClock.UnixMs() + ExpiryMargin;
                var slot = database.Table.Find(key);
                if (slot < 0 || !new KeyEntry(database.Table, slot).IsExpiredAt(now)) continue;
            }
            if (!Keep(database, key)) return;
        }
    }

    /// <summary>Keeps <paramref name="key"/>'s before-image unless it is kept already; false when the journal became
    /// incomplete.</summary>
    private bool Keep(Database db, ReadOnlySpan<byte> key)
    {
        var hash = KeyTable.HashOf(key);
        foreach (var kept in _images)
            if (kept.Hash == hash && kept.Db == db && key.SequenceEqual(kept.Data.AsSpan(0, kept.KeyLength))) return true;
        if (_images.Count == MaxImages)
        {
            Irreversible();
            return false;
        }
        var table = db.Table;
        var slot = table.Find(key, hash);
        var image = new Image { Db = db, Hash = hash, KeyLength = key.Length, ExpireAt = -1, DirtyBefore = db.Stats.Dirty,
            ExpiredBefore = db.Stats.ExpiredKeys };
        if (slot < 0)
        {
            image.Data = key.ToArray();
        }
        else
        {
            var entry = new KeyEntry(table, slot);
            ref var e = ref entry.Entry;
            var size = entry.Type == RedisType.String ? e.Data!.Length : Estimate(entry);
            if (size > MaxImageBytes || _bytes + size > MaxTotalBytes)
            {
                Irreversible();
                return false;
            }
            object? value = null;
            if (entry.Type == RedisType.String)
            {
                // A grown string's length lives in its StringRoom (mutable: copied); a reply's shared mark is not
                // the copy's business (its array is its own).
                if (e.Value is StringRoom room) value = new StringRoom { Length = room.Length };
            }
            else if (e.Value == null || (value = Database.Duplicate(e.Value, entry.Type)) == null)
            {
                Irreversible();
                return false;
            }
            _bytes += size;
            image.Existed = true;
            image.Data = (byte[])e.Data!.Clone();
            image.Meta = e.Meta;
            image.Value = value;
            image.ExpireAt = entry.ExpireAt;
        }
        _images.Add(image);
        return true;
    }

    /// <summary>MEMORY USAGE's estimate of a collection (SAMPLES 5), bounded where the estimate itself would walk the
    /// value (a list's elements) or miss what a copy copies (a stream's pending entries).</summary>
    private static long Estimate(KeyEntry entry)
    {
        switch (entry.Value)
        {
            case RedisList list when list.Count > MaxListElements:
                return long.MaxValue;
            case RedisStream stream:
                long pending = 0;
                if (stream.Groups is { } groups)
                    for (var i = 0; i < groups.Count; i++) pending += groups[i].Pending.Count;
                if (pending > MaxListElements) return long.MaxValue;
                break;
        }
        return MemoryEstimate.KeyUsage(entry);
    }

    /// <summary>Puts every kept key back as it was, the last kept first (the first image of a key is its state at the
    /// run's start). The caller truncates the run's write effects.</summary>
    internal void Undo()
    {
        for (var i = _images.Count - 1; i >= 0; i--)
        {
            var image = _images[i];
            var db = image.Db;
            var table = db.Table;
            var key = image.Data.AsSpan(0, image.KeyLength);
            var slot = table.Find(key, image.Hash);
            if (!image.Existed)
            {
                if (slot >= 0) db.RemoveIgnoringExpiry(key);
            }
            else if (slot >= 0)
            {
                // In place (the lookup told a running snapshot to keep the slot's current state first).
                ref var e = ref table.At(slot);
                e.Data = image.Data;
                e.Value = image.Value;
                e.Meta = (image.Meta & ~KeyTable.TtlFlag) | (e.Meta & KeyTable.TtlFlag);
                table.ClearExpire(slot);
                if (image.ExpireAt >= 0) table.SetExpire(slot, image.ExpireAt);
                db.Waiting?.Signal(db, key);
            }
            else
            {
                slot = table.Add(image.Data, image.KeyLength, image.Hash, image.Meta, image.Value);
                if (image.ExpireAt >= 0) table.SetExpire(slot, image.ExpireAt);
                db.Waiting?.Signal(db, key);
            }
            // server.dirty and expired_keys: the re-run counts its changes and expirations.
            db.Stats.Dirty = image.DirtyBefore;
            db.Stats.ExpiredKeys = image.ExpiredBefore;
        }
        Release();
    }

    /// <summary>Forgets the images (the list keeps its capacity: no allocation next run).</summary>
    internal void Release()
    {
        _images.Clear();
        _bytes = 0;
    }

    /// <summary>Keys kept so far (tests).</summary>
    internal int Count => _images.Count;
}
