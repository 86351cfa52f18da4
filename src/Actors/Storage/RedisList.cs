namespace AkkaRedis.Actors.Storage;

/// <summary>
/// A list value: a growable ring buffer of elements, so that pushes and pops at both ends are O(1) and indexing is
/// O(1) too (Redis's quicklist is O(N) to index; nothing observable depends on that). Elements are the request's own
/// byte arrays, which are never mutated, so they are stored and shared without copying.
/// Redis 7.0 reports every list as "quicklist", whatever its size.
/// </summary>
public sealed class RedisList : IDeepCopyable
{
    private byte[][] _items;
    private int _head;
    private int _count;

    public RedisList(int capacity = 4) => _items = new byte[Math.Max(capacity, 4)][];

    public int Count => _count;

    /// <summary>Slots allocated (for MEMORY USAGE and for checking that emptied lists shrink).</summary>
    public int Capacity => _items.Length;

    /// <summary>The element at <paramref name="index"/> from the head (0-based, already range-checked by the caller).</summary>
    public byte[] this[int index]
    {
        get => _items[Slot(index)];
        set => _items[Slot(index)] = value;
    }

    public void PushHead(byte[] element)
    {
        if (_count == _items.Length) Grow();
        _head = _head == 0 ? _items.Length - 1 : _head - 1;
        _items[_head] = element;
        _count++;
    }

    public void PushTail(byte[] element)
    {
        if (_count == _items.Length) Grow();
        _items[Slot(_count)] = element;
        _count++;
    }

    public byte[] PopHead()
    {
        var element = _items[_head];
        _items[_head] = null!;
        _head = _head + 1 == _items.Length ? 0 : _head + 1;
        _count--;
        ShrinkIfSparse();
        return element;
    }

    public byte[] PopTail()
    {
        var slot = Slot(_count - 1);
        var element = _items[slot];
        _items[slot] = null!;
        _count--;
        ShrinkIfSparse();
        return element;
    }

    /// <summary>Inserts <paramref name="element"/> so that it ends up at <paramref name="index"/> (0..Count),
    /// moving the shorter side.</summary>
    public void Insert(int index, byte[] element)
    {
        if (index == 0)
        {
            PushHead(element);
            return;
        }
        if (index == _count)
        {
            PushTail(element);
            return;
        }
        if (_count == _items.Length) Grow();
        if (index < _count / 2)
        {
            _head = _head == 0 ? _items.Length - 1 : _head - 1;
            _count++;
            for (var i = 0; i < index; i++) this[i] = this[i + 1];
        }
        else
        {
            _count++;
            for (var i = _count - 1; i > index; i--) this[i] = this[i - 1];
        }
        this[index] = element;
    }

    /// <summary>Removes <paramref name="count"/> elements from the head.</summary>
    public void RemoveHead(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _items[_head] = null!;
            _head = _head + 1 == _items.Length ? 0 : _head + 1;
        }
        _count -= count;
        ShrinkIfSparse();
    }

    /// <summary>Removes <paramref name="count"/> elements from the tail.</summary>
    public void RemoveTail(int count)
    {
        for (var i = 0; i < count; i++) _items[Slot(_count - 1 - i)] = null!;
        _count -= count;
        ShrinkIfSparse();
    }

    /// <summary>
    /// Removes elements equal to <paramref name="element"/>: the first <paramref name="limit"/> from the head when it is
    /// positive, from the tail when negative, all of them when zero (LREM's count). Returns how many were removed.
    /// </summary>
    public int RemoveMatching(ReadOnlySpan<byte> element, long limit)
    {
        var max = limit == 0 ? long.MaxValue : Math.Abs(limit);
        var removed = 0;
        if (limit >= 0)
        {
            // Compact towards the head: keep every element that is not (one of the first max) matches.
            var write = 0;
            for (var read = 0; read < _count; read++)
            {
                var item = this[read];
                if (removed < max && item.AsSpan().SequenceEqual(element))
                {
                    removed++;
                    continue;
                }
                if (write != read) this[write] = item;
                write++;
            }
            for (var i = write; i < _count; i++) this[i] = null!;
        }
        else
        {
            // Compact towards the tail, scanning from the tail, then move the head past the freed slots.
            var write = _count - 1;
            for (var read = _count - 1; read >= 0; read--)
            {
                var item = this[read];
                if (removed < max && item.AsSpan().SequenceEqual(element))
                {
                    removed++;
                    continue;
                }
                if (write != read) this[write] = item;
                write--;
            }
            for (var i = 0; i <= write; i++) this[i] = null!;
            _head = Slot(removed);
        }
        _count -= removed;
        ShrinkIfSparse();
        return removed;
    }

    /// <summary>The index of the first element equal to <paramref name="element"/>, or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> element)
    {
        for (var i = 0; i < _count; i++)
            if (this[i].AsSpan().SequenceEqual(element)) return i;
        return -1;
    }

    public object DeepCopy()
    {
        var copy = new RedisList(_count);
        for (var i = 0; i < _count; i++) copy._items[i] = this[i];
        copy._count = _count;
        return copy;
    }

    private int Slot(int index)
    {
        var slot = _head + index;
        return slot >= _items.Length ? slot - _items.Length : slot;
    }

    private void Grow() => Resize(_items.Length * 2);

    /// <summary>Gives memory back when a large list has been mostly emptied (LTRIM, LPOP with a count).</summary>
    private void ShrinkIfSparse()
    {
        if (_items.Length <= 64 || _count >= _items.Length / 4) return;
        var capacity = _items.Length;
        while (capacity > 64 && _count < capacity / 4) capacity /= 2;
        Resize(capacity);
    }

    private void Resize(int capacity)
    {
        var items = new byte[capacity][];
        for (var i = 0; i < _count; i++) items[i] = this[i];
        _items = items;
        _head = 0;
    }
}
