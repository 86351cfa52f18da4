using System.Runtime.CompilerServices;

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
    /// A skip-list node: member, score, backward link and then its levels in the same object, as zskiplistNode's
    /// flexible level[] array. .NET has no variable-size objects but arrays, so each level count is its own class,
    /// <see cref="Node{TLevels}"/> over an inline array of that many <see cref="Level"/>s, and every one of them keeps
    /// its levels at the same offset, right after these fields: <see cref="L"/> reads level i there without asking
    /// the node's type. A walk's step then costs one object (the next node, its score and its level together) where
    /// a separate level array cost two, and a one-level node (three in four) is 56 bytes.
    /// </summary>
    public abstract class Node
    {
        public readonly byte[] Member;
        public double Score;
        public Node? Backward;

        private protected Node(byte[] member, double score)
        {
            Member = member;
            Score = score;
        }

        /// <summary>Level <paramref name="i"/> (0 = the bottom, which links every node); i below <see cref="LevelCount"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal ref Level L(int i) =>
            // Every Node<T> lays out its single field (the levels) at the same offset after the fields above, so the
            // view as Node<Levels1> finds level 0 of any node, and the next levels follow it in memory.
            ref Unsafe.Add(
                ref Unsafe.As<Levels1, Level>(
                    ref Unsafe.As<Node<Levels1>>(this).Levels), i);

        /// <summary>The next node in (score, member) order.</summary>
        public Node? Next => L(0).Forward;

        public abstract int LevelCount { get; }

        /// <summary>A node of at least <paramref name="levels"/> levels: exactly that many up to 8; above (one node
        /// in 65536 with ZSKIPLIST_P = 0.25) rounded up to 12, 16, 24 or 32, a taller node only adding express lanes.</summary>
        internal static Node Create(byte[] member, double score, int levels) => levels switch
        {
            1 => new Node<Levels1>(member, score),
            2 => new Node<Levels2>(member, score),
            3 => new Node<Levels3>(member, score),
            4 => new Node<Levels4>(member, score),
            5 => new Node<Levels5>(member, score),
            6 => new Node<Levels6>(member, score),
            7 => new Node<Levels7>(member, score),
            8 => new Node<Levels8>(member, score),
            <= 12 => new Node<Levels12>(member, score),
            <= 16 => new Node<Levels16>(member, score),
            <= 24 => new Node<Levels24>(member, score),
            _ => new Node<Levels32>(member, score),
        };
    }

    /// <summary>A node whose levels are the inline array <typeparamref name="TLevels"/> (its only field).</summary>
    public sealed class Node<TLevels> : Node where TLevels : struct
    {
        internal TLevels Levels;

        internal Node(byte[] member, double score) : base(member, score) { }

        public override int LevelCount =>
            Unsafe.SizeOf<TLevels>() / Unsafe.SizeOf<Level>();
    }

    /// <summary><see cref="Node.L"/> relies on every <see cref="Node{TLevels}"/> placing its levels at one offset (the
    /// runtime lays a derived class's fields after its base's). Checked once for every node class, so that a runtime
    /// laying them out otherwise fails at the first sorted set instead of corrupting one.</summary>
    static RedisSortedSet()
    {
        for (var levels = 1; levels <= MaxLevel; levels++)
        {
            var node = Node.Create([], 0, levels);
            var ok = node switch
            {
                Node<Levels1> n => SameLevels(n), Node<Levels2> n => SameLevels(n), Node<Levels3> n => SameLevels(n),
                Node<Levels4> n => SameLevels(n), Node<Levels5> n => SameLevels(n), Node<Levels6> n => SameLevels(n),
                Node<Levels7> n => SameLevels(n), Node<Levels8> n => SameLevels(n), Node<Levels12> n => SameLevels(n),
                Node<Levels16> n => SameLevels(n), Node<Levels24> n => SameLevels(n), Node<Levels32> n => SameLevels(n),
                _ => false,
            };
            if (!ok || node.LevelCount < levels)
                throw new PlatformNotSupportedException($"sorted-set nodes of {levels} levels are laid out unexpectedly");
        }
    }

    private static bool SameLevels<T>(Node<T> node) where T : struct =>
        Unsafe.AreSame(ref Unsafe.As<T, Level>(ref node.Levels), ref node.L(0));

    /// <summary>An update[] vector: inline in the set, so that storing a node in it needs no array covariance check
    /// (Node is not sealed).</summary>
    [InlineArray(MaxLevel)] private struct NodeVector { private Node _e; }

    [InlineArray(1)] internal struct Levels1 { private Level _e; }
    [InlineArray(2)] internal struct Levels2 { private Level _e; }
    [InlineArray(3)] internal struct Levels3 { private Level _e; }
    [InlineArray(4)] internal struct Levels4 { private Level _e; }
    [InlineArray(5)] internal struct Levels5 { private Level _e; }
    [InlineArray(6)] internal struct Levels6 { private Level _e; }
    [InlineArray(7)] internal struct Levels7 { private Level _e; }
    [InlineArray(8)] internal struct Levels8 { private Level _e; }
    [InlineArray(12)] internal struct Levels12 { private Level _e; }
    [InlineArray(16)] internal struct Levels16 { private Level _e; }
    [InlineArray(24)] internal struct Levels24 { private Level _e; }
    [InlineArray(32)] internal struct Levels32 { private Level _e; }

    internal struct Level
    {
        public Node? Forward;
        public long Span;
    }

    private readonly Node _header = Node.Create([], 0, MaxLevel);
    private Node? _tail;
    private int _level = 1;
    private readonly MemberTable<Node> _dict;
    // zslInsert's update[] and rank[]: kept per set (big sets only) so that an insert allocates only its node.
    private NodeVector _update;
    private readonly long[] _rank = new long[MaxLevel];
    // UpdateScore's second walk (to the node's old place): its update[] and rank[].
    private NodeVector _updateOld;
    private readonly long[] _rankOld = new long[MaxLevel];

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
    private Node Insert(byte[] member, double score) => Link(Node.Create(member, score, RandomLevel()));

    /// <summary>zslInsert's walk: fills _update with the last node before (score, member) on each level and _rank
    /// with that node's rank (the header's is 0).</summary>
    private void WalkToInsert(double score, byte[] member)
    {
        Span<Node> update = _update;
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
    }

    /// <summary>zslInsert's walk and linking, for a new node.</summary>
    private Node Link(Node node)
    {
        WalkToInsert(node.Score, node.Member);
        LinkAt(node, Count);
        return node;
    }

    /// <summary>zslInsert's linking once _update and _rank hold the walk's result: links <paramref name="node"/>
    /// (keeping the level count it has) after _update[i] on each of its levels, fixing the spans, in a list of
    /// <paramref name="length"/> nodes without it.</summary>
    private void LinkAt(Node node, long length)
    {
        Span<Node> update = _update;
        var rank = _rank;
        var level = node.LevelCount;
        if (level > _level)
        {
            for (var i = _level; i < level; i++)
            {
                rank[i] = 0;
                update[i] = _header;
                update[i].L(i).Span = length;
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
        update.Clear();
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

    /// <summary>zslDeleteNode: unlinks <paramref name="x"/> given the last node before it on each level.</summary>
    private void Unlink(Node x, Span<Node> update)
    {
        for (var i = 0; i < _level; i++)
        {
            ref var l = ref update[i].L(i);
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

    private void Unlink(Node x) => Unlink(x, _update);

    /// <summary>Removes a member (zsetRemoveFromSkiplist); false when absent.</summary>
    public bool Remove(ReadOnlySpan<byte> member)
    {
        if (!_dict.Remove(member, out _, out var node)) return false;
        var x = FindUpdate(node.Score, member);
        Unlink(x!);
        ((Span<Node>)_update).Clear();
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
        // Redis deletes the node (zslDeleteNode after zslDelete's walk) and inserts a new one (zslInsert's walk from
        // the header). Both walks are made here at once, step by step in turn, before anything changes: each step
        // waits for the next node to come from memory, and two independent walks wait for two nodes at a time.
        var member = node.Member;
        var oldScore = node.Score;
        Span<Node> before = _updateOld;
        var beforeRank = _rankOld;
        Span<Node> update = _update;
        var rank = _rank;
        Node x = _header, y = _header;
        for (var i = _level - 1; i >= 0; i--)
        {
            beforeRank[i] = i == _level - 1 ? 0 : beforeRank[i + 1];
            rank[i] = i == _level - 1 ? 0 : rank[i + 1];
            while (true)
            {
                var fx = x.L(i).Forward;
                var fy = y.L(i).Forward;
                var stepX = fx != null && (fx.Score < oldScore || (fx.Score == oldScore && Compare(fx.Member, member) < 0));
                var stepY = fy != null && (fy.Score < newScore || (fy.Score == newScore && Compare(fy.Member, member) < 0));
                if (stepX)
                {
                    beforeRank[i] += x.L(i).Span;
                    x = fx!;
                }
                if (stepY)
                {
                    rank[i] += y.L(i).Span;
                    y = fy!;
                }
                if (!stepX && !stepY) break;
            }
            before[i] = x;
            update[i] = y;
        }
        // The new place's walk saw the node still in the list: where the node itself is the last one before the new
        // place, the last one without it is its own predecessor on that level; a node after it has one rank less.
        var nodeRank = beforeRank[0] + 1;
        for (var i = 0; i < _level; i++)
        {
            if (update[i] == node)
            {
                update[i] = before[i];
                rank[i] = beforeRank[i];
            }
            else if (rank[i] > nodeRank) rank[i]--;
        }
        Unlink(node, before);
        before.Clear();
        // Redis frees the node and inserts a new one; moving the same one spares an allocation and the member
        // table's update, and keeps old nodes pointing at old nodes (no young object for every collection to trace
        // from them).
        node.Score = newScore;
        LinkAt(node, Count - 1);
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
        ((Span<Node>)_update).Clear();
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
        ((Span<Node>)_update).Clear();
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
