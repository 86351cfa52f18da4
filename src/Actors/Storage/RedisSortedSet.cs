namespace AkkaRedis.Actors.Storage;

/// <summary>
/// The big form of a sorted set (Redis's OBJ_ENCODING_SKIPLIST, t_zset.c's zset): a skip list of (score, member)
/// nodes ordered by score then member bytes, whose levels carry spans so that ranks are O(log n) (zskiplist), and a
/// member table from member to node for O(1) ZSCORE and for ZSCAN's cursor. The small form is a listpack array
/// (<see cref="ZSetListpack"/>); <see cref="ZSet"/> works over both.
/// </summary>
public sealed class RedisSortedSet : IDeepCopyable
{
    /// <summary>ZSKIPLIST_MAXLEVEL.</summary>
    public const int MaxLevel = 32;

    /// <summary>
    /// A skip-list node. Its first level lives in the node itself and only the levels above it in an array: with
    /// ZSKIPLIST_P = 0.25 three nodes in four have one level, so most nodes are one object (64 bytes instead of a
    /// 48-byte node plus a 40-byte level array), which also leaves the GC fewer objects to trace and free.
    /// </summary>
    public sealed class Node
    {
        public readonly byte[] Member;
        public double Score;
        public Node? Backward;
        private Level _level0;
        private readonly Level[]? _upper;

        internal Node(byte[] member, double score, int levels)
        {
            Member = member;
            Score = score;
            if (levels > 1) _upper = new Level[levels - 1];
        }

        /// <summary>Level <paramref name="i"/> (0 = the bottom, which links every node).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        internal ref Level L(int i)
        {
            if (i == 0) return ref _level0;
            return ref _upper![i - 1];
        }

        /// <summary>The next node in (score, member) order.</summary>
        public Node? Next => _level0.Forward;

        public int LevelCount => _upper is null ? 1 : _upper.Length + 1;
    }

    internal struct Level
    {
        public Node? Forward;
        public long Span;
    }

    private readonly Node _header = new([], 0, MaxLevel);
    private Node? _tail;
    private int _level = 1;
    private readonly MemberTable<Node> _dict;
    // zslInsert's update[] and rank[]: kept per set (big sets only) so that an insert allocates only its node.
    private readonly Node[] _update = new Node[MaxLevel];
    private readonly long[] _rank = new long[MaxLevel];

    public RedisSortedSet(int capacity = 0) => _dict = new MemberTable<Node>(capacity);

    public int Count => _dict.Count;

    /// <summary>The member table (ZSCAN walks it with its reverse-binary cursor; MEMORY USAGE reads its slots).</summary>
    public MemberTable<Node> Table => _dict;

    /// <summary>The lowest element, or null when empty.</summary>
    public Node? First => _header.L(0).Forward;

    /// <summary>The highest element, or null when empty.</summary>
    public Node? Last => _tail;

    public bool TryGetScore(ReadOnlySpan<byte> member, out double score)
    {
        if (_dict.TryGetValue(member, out var node))
        {
            score = node.Score;
            return true;
        }
        score = 0;
        return false;
    }

    public Node? Find(ReadOnlySpan<byte> member) => _dict.TryGetValue(member, out var node) ? node : null;

    /// <summary>sdscmp order of members at equal scores: bytes compared as unsigned, then the shorter first.</summary>
    private static int Compare(byte[] a, ReadOnlySpan<byte> b) => a.AsSpan().SequenceCompareTo(b);

    /// <summary>zslRandomLevel: each further level with probability 1/4 (ZSKIPLIST_P).</summary>
    private static int RandomLevel()
    {
        var level = 1;
        while (level < MaxLevel && (Random.Shared.Next() & 0xFFFF) < 0xFFFF / 4) level++;
        return level;
    }

    /// <summary>Adds a member that is not in the set yet (zsetAdd's new-element path: zslInsert and dictAdd).</summary>
    public Node Add(byte[] member, double score)
    {
        var node = Insert(member, score);
        _dict.Add(member, node);
        return node;
    }

    /// <summary>zslInsert: a new node with zslRandomLevel's levels, linked in order.</summary>
    private Node Insert(byte[] member, double score) => Link(new Node(member, score, RandomLevel()));

    /// <summary>zslInsert's walk and linking, fixing the spans on the way down, for a new node or one that
    /// <see cref="UpdateScore"/> moves (it keeps its levels: a level count drawn once stays as likely as a new one).</summary>
    private Node Link(Node node)
    {
        var member = node.Member;
        var score = node.Score;
        var update = _update;
        var rank = _rank;
        var x = _header;
        for (var i = _level - 1; i >= 0; i--)
        {
            rank[i] = i == _level - 1 ? 0 : rank[i + 1];
            while (x.L(i).Forward is { } f && (f.Score < score || (f.Score == score && Compare(f.Member, member) < 0)))
            {
                rank[i] += x.L(i).Span;
                x = f;
            }
            update[i] = x;
        }
        var level = node.LevelCount;
        if (level > _level)
        {
            for (var i = _level; i < level; i++)
            {
                rank[i] = 0;
                update[i] = _header;
                update[i].L(i).Span = Count;
            }
            _level = level;
        }
        for (var i = 0; i < level; i++)
        {
            node.L(i).Forward = update[i].L(i).Forward;
            update[i].L(i).Forward = node;
            node.L(i).Span = update[i].L(i).Span - (rank[0] - rank[i]);
            update[i].L(i).Span = rank[0] - rank[i] + 1;
        }
        for (var i = level; i < _level; i++) update[i].L(i).Span++;
        node.Backward = update[0] == _header ? null : update[0];
        if (node.L(0).Forward is { } next) next.Backward = node;
        else _tail = node;
        Array.Clear(update);
        return node;
    }

    /// <summary>Fills _update with the last node before (score, member) on each level (zslDelete's walk).</summary>
    private Node? FindUpdate(double score, ReadOnlySpan<byte> member)
    {
        var x = _header;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (x.L(i).Forward is { } f && (f.Score < score || (f.Score == score && Compare(f.Member, member) < 0))) x = f;
            _update[i] = x;
        }
        return x.L(0).Forward;
    }

    /// <summary>zslDeleteNode: unlinks <paramref name="x"/> given the update vector.</summary>
    private void Unlink(Node x)
    {
        for (var i = 0; i < _level; i++)
        {
            ref var l = ref _update[i].L(i);
            if (l.Forward == x)
            {
                l.Span += x.L(i).Span - 1;
                l.Forward = x.L(i).Forward;
            }
            else l.Span -= 1;
        }
        if (x.L(0).Forward is { } next) next.Backward = x.Backward;
        else _tail = x.Backward;
        while (_level > 1 && _header.L(_level - 1).Forward == null) _level--;
    }

    /// <summary>Removes a member (zsetRemoveFromSkiplist); false when absent.</summary>
    public bool Remove(ReadOnlySpan<byte> member)
    {
        if (!_dict.Remove(member, out _, out var node)) return false;
        var x = FindUpdate(node.Score, member);
        Unlink(x!);
        Array.Clear(_update);
        return true;
    }

    /// <summary>zslUpdateScore: changes a member's score, in place when its position does not change.</summary>
    public void UpdateScore(Node node, double newScore)
    {
        if ((node.Backward == null || node.Backward.Score < newScore) &&
            (node.L(0).Forward == null || node.L(0).Forward!.Score > newScore))
        {
            node.Score = newScore;
            return;
        }
        var x = FindUpdate(node.Score, node.Member);
        Unlink(x!);
        Array.Clear(_update);
        // Redis frees the node and inserts a new one; moving the same one spares an allocation and the member
        // table's update, and keeps old nodes pointing at old nodes (no young object for every collection to trace
        // from them).
        node.Score = newScore;
        Link(node);
    }

    /// <summary>zslGetRank, 0-based: the position of (score, member) from the lowest, or -1.</summary>
    public long Rank(double score, ReadOnlySpan<byte> member)
    {
        long rank = 0;
        var x = _header;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (x.L(i).Forward is { } f && (f.Score < score || (f.Score == score && Compare(f.Member, member) <= 0)))
            {
                rank += x.L(i).Span;
                x = f;
            }
            if (x != _header && x.Member.AsSpan().SequenceEqual(member)) return rank - 1;
        }
        return -1;
    }

    /// <summary>zslGetElementByRank, 0-based; null when out of range.</summary>
    public Node? ByRank(long rank)
    {
        rank++;
        long traversed = 0;
        var x = _header;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (x.L(i).Forward != null && traversed + x.L(i).Span <= rank)
            {
                traversed += x.L(i).Span;
                x = x.L(i).Forward!;
            }
            if (traversed == rank) return x;
        }
        return null;
    }

    /// <summary>zslFirstInRange: the lowest node within the score range, or null.</summary>
    public Node? FirstInRange(in ScoreRange range)
    {
        if (range.IsEmpty || _tail == null || !range.GteMin(_tail.Score) || !range.LteMax(First!.Score)) return null;
        var x = _header;
        for (var i = _level - 1; i >= 0; i--)
            while (x.L(i).Forward is { } f && !range.GteMin(f.Score)) x = f;
        x = x.L(0).Forward!;
        return range.LteMax(x.Score) ? x : null;
    }

    /// <summary>zslLastInRange: the highest node within the score range, or null.</summary>
    public Node? LastInRange(in ScoreRange range)
    {
        if (range.IsEmpty || _tail == null || !range.GteMin(_tail.Score) || !range.LteMax(First!.Score)) return null;
        var x = _header;
        for (var i = _level - 1; i >= 0; i--)
            while (x.L(i).Forward is { } f && range.LteMax(f.Score)) x = f;
        return range.GteMin(x.Score) ? x : null;
    }

    /// <summary>zslFirstInLexRange.</summary>
    public Node? FirstInRange(in LexRange range)
    {
        if (range.IsEmpty || _tail == null || !range.GteMin(_tail.Member) || !range.LteMax(First!.Member)) return null;
        var x = _header;
        for (var i = _level - 1; i >= 0; i--)
            while (x.L(i).Forward is { } f && !range.GteMin(f.Member)) x = f;
        x = x.L(0).Forward!;
        return range.LteMax(x.Member) ? x : null;
    }

    /// <summary>zslLastInLexRange.</summary>
    public Node? LastInRange(in LexRange range)
    {
        if (range.IsEmpty || _tail == null || !range.GteMin(_tail.Member) || !range.LteMax(First!.Member)) return null;
        var x = _header;
        for (var i = _level - 1; i >= 0; i--)
            while (x.L(i).Forward is { } f && range.LteMax(f.Member)) x = f;
        return range.GteMin(x.Member) ? x : null;
    }

    /// <summary>The 0-based rank of a node of this set (zslGetRank on its own score and member).</summary>
    public long RankOf(Node node) => Rank(node.Score, node.Member);

    /// <summary>zslDeleteRangeByScore: removes every member in the range; returns how many.</summary>
    public long RemoveRange(in ScoreRange range) => RemoveInRange(range);

    /// <summary>zslDeleteRangeByLex.</summary>
    public long RemoveRange(in LexRange range) => RemoveInRange(range);

    private long RemoveInRange<TRange>(in TRange range) where TRange : struct, IElementRange
    {
        var x = _header;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (x.L(i).Forward is { } f && !range.GteMin(f.Score, f.Member)) x = f;
            _update[i] = x;
        }
        var node = x.L(0).Forward;
        long removed = 0;
        while (node != null && range.LteMax(node.Score, node.Member))
        {
            var next = node.L(0).Forward;
            Unlink(node);
            _dict.Remove(node.Member);
            removed++;
            node = next;
        }
        Array.Clear(_update);
        return removed;
    }

    /// <summary>zslDeleteRangeByRank with 0-based inclusive ranks (already clamped by the caller).</summary>
    public long RemoveRangeByRank(long start, long end)
    {
        start++;
        end++;
        long traversed = 0;
        var x = _header;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (x.L(i).Forward != null && traversed + x.L(i).Span < start)
            {
                traversed += x.L(i).Span;
                x = x.L(i).Forward!;
            }
            _update[i] = x;
        }
        traversed++;
        var node = x.L(0).Forward;
        long removed = 0;
        while (node != null && traversed <= end)
        {
            var next = node.L(0).Forward;
            Unlink(node);
            _dict.Remove(node.Member);
            removed++;
            traversed++;
            node = next;
        }
        Array.Clear(_update);
        return removed;
    }

    public object DeepCopy()
    {
        // zsetDup: the members in order from the tail, so each insert is at the head of the list.
        var copy = new RedisSortedSet(Count);
        for (var n = _tail; n != null; n = n.Backward) copy.Add((byte[])n.Member.Clone(), n.Score);
        return copy;
    }
}
