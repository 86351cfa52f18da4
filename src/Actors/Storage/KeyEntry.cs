using System.Buffers.Binary;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// A handle to one key's slot, as a <see cref="Database"/> lookup returns it (<c>default</c>: no such key). It reads
/// the slot in place: type, encoding, the string value as a span or a long, the collection object, the TTL.
/// </summary>
/// <remarks>
/// A handle is valid until its own key is deleted (Delete, MoveFrom, expiry) or its database cleared: slots never
/// move during a command (pages are never reallocated; only <see cref="Database.Compact"/>, run between commands,
/// moves them), so lookups of other keys (even ones that expire them), inserts and overwrites leave it valid, and
/// writes through the database to its own key show through it. Past that, look the key up again. A <c>ref
/// struct</c>, so it cannot be stored in a field, a collection or a closure. Spans it returns point into storage:
/// read them, never keep them across a write.
/// </remarks>
public readonly ref struct KeyEntry
{
    private readonly ref Entry _e;
    private readonly KeyTable? _table;
    internal readonly int Slot;

    internal KeyEntry(KeyTable table, int slot)
    {
        _table = table;
        Slot = slot;
        _e = ref table.At(slot);
    }

    internal KeyTable Table => _table!;
    internal ref Entry Entry => ref _e;

    /// <summary>False for the "no such key" handle.</summary>
    public bool Exists => _table != null;

    public RedisType Type => (RedisType)(_e.Meta & KeyTable.TypeMask);

    public ObjectEncoding Encoding => (ObjectEncoding)((_e.Meta >> KeyTable.EncodingShift) & 0xF);

    public ReadOnlySpan<byte> Key => _e.Data.AsSpan(0, _e.KeyLength);

    /// <summary>A string stored as a long (Redis's OBJ_ENCODING_INT): read <see cref="IntValue"/>.</summary>
    public bool IsInt => Encoding == ObjectEncoding.Int;

    public long IntValue => BinaryPrimitives.ReadInt64LittleEndian(_e.Data.AsSpan(_e.KeyLength));

    /// <summary>The bytes of a raw or embstr string (not of an int-encoded one: see <see cref="StringBytes"/>).</summary>
    public ReadOnlySpan<byte> RawBytes => _e.Value is StringRoom room ? _e.Data.AsSpan(_e.KeyLength, room.Length) : _e.Data.AsSpan(_e.KeyLength);

    /// <summary>A string value's bytes whatever its encoding: an int is formatted into <paramref name="scratch"/>
    /// (24 bytes are enough).</summary>
    public ReadOnlySpan<byte> StringBytes(Span<byte> scratch) =>
        IsInt ? scratch[..Net.Resp.RedisNumbers.FormatLong(IntValue, scratch)] : RawBytes;

    /// <summary>A string value's length in bytes (STRLEN), whatever its encoding.</summary>
    public int StringLength
    {
        get
        {
            if (!IsInt) return _e.Value is StringRoom room ? room.Length : _e.Data!.Length - _e.KeyLength;
            Span<byte> tmp = stackalloc byte[24];
            return Net.Resp.RedisNumbers.FormatLong(IntValue, tmp);
        }
    }

    /// <summary>The bytes a raw string's array holds for its value: its length plus the spare room a growth left
    /// (Redis's sdsalloc, what MEMORY USAGE counts).</summary>
    public int StringCapacity => IsInt ? StringLength : _e.Data!.Length - _e.KeyLength;

    /// <summary>The collection object of a non-string key.</summary>
    public object Value => _e.Value!;

    public T As<T>() where T : class => (T)_e.Value!;

    public bool HasExpire => (_e.Meta & KeyTable.TtlFlag) != 0;

    /// <summary>Absolute unix time in ms, or -1 for no TTL.</summary>
    public long ExpireAt => HasExpire ? _table!.ExpireAtOf(Slot) : -1;

    /// <summary>Redis's keyIsExpired: a key expires once the clock has passed its expiry time (now &gt; when).</summary>
    public bool IsExpiredAt(long now) => HasExpire && _table!.ExpireAtOf(Slot) < now;

    /// <summary>The 24-bit LRU clock (seconds) of the last access, as Redis's robj.lru.</summary>
    public uint Lru => _e.Meta >> KeyTable.LruShift;

    /// <summary>Seconds since the last access, as Redis's estimateObjectIdleTime / 1000 (the clock wraps every 194 days).</summary>
    public long IdleSeconds(long now) => (Database.LruClock(now) - Lru) & KeyTable.LruMax;
}
