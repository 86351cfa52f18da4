using System.Runtime.CompilerServices;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// The big form of a sorted set (Redis's OBJ_ENCODING_SKIPLIST, t_zset.c's zset): a skip list of (score, member)
/// elements ordered by score then member bytes, whose levels carry spans so that ranks are O(log n) (zskiplist), and a
/// member table from member to node for O(1) ZSCORE and for ZSCAN's cursor. The small form is a listpack array
/// (<see cref="ZSetListpack"/>); <see cref="ZSet"/> works over both.
/// </summary>
/// <remarks>
/// Redis keeps an element's levels in its node (zskiplistNode's flexible level[] array). Here they are kept apart, as
/// blocks of one array of 16-byte <see cref="Level"/>s: a node's block is its levels, side by side, and a level names
/// the next element's block and holds a copy of its score. A walk (every ZADD that moves a member, ZREM, ZRANK,
/// ZRANGEBYSCORE) then reads only that array: about 21 bytes per element where nodes with their members spread over
/// 100 or more, each step one aligned cache line, and whether to step decided without loading the next element. In a
/// 100,000-member set a moving ZADD takes about 35 such steps; with levels in the node objects it waited on a cache
/// miss at most of them (half the server's time at pipeline 16, 0.64x redis-server's throughput). The
/// <see cref="Node"/> objects keep the member, the score and the links of the bottom level (Next, Backward) that
/// iteration follows.
/// </remarks>
public sealed class RedisSortedSet : IDeepCopyable
{
    /// <summary>ZSKIPLIST_MAXLEVEL.</summary>
    public const int MaxLevel = 32;

    /// <summary>An element: its member and score, the bottom level's links both ways, and where its levels are.</summary>
    public sealed class Node
    {
        public readonly byte[] Member;
        public double Score;
        public Node? Backward;
        internal Node? Forward;
        /// <summary>The first of its levels in the set's level array.</summary>
        internal int Block;
        internal readonly byte Levels;

        internal Node(byte[] member, double score, int levels)
        {
            Member = member;
            Score = score;
            Levels = (byte)levels;
        }

        /// <summary>The next element in (score, member) order.</summary>
        public Node? Next => Forward;

        /// <summary>How many levels the element has (zslRandomLevel's draw).</summary>
        public int LevelCount => Levels;
    }

    /// <summary>One level of an element (zskiplistLevel): the next element on it, how many elements that skips
    /// (span), and that element's score.</summary>
    internal struct Level
    {
        /// <summary>The next element's block; 0 (the header's, never a next one): none.</summary>
        public int Forward;
        public int Span;
        /// <summary>Forward's score, copied here so that a walk decides whether to step without loading the next
        /// element. Kept with every link that changes (<see cref="LinkAt"/>, <see cref="Unlink"/>,
        /// <see cref="UpdateScore"/>).</summary>
        public double Score;
    }

    /// <summary>The header's block: the first MaxLevel levels.</summary>
    private const int Header = 0;

    private Level[] _levels;
    /// <summary>The element whose block starts at each index (null elsewhere and for free blocks).</summary>
    private Node?[] _nodes;
    /// <summary>Levels handed out so far, all below this index.</summary>
    private int _used = MaxLevel;
    /// <summary>Freed blocks by level count, each linked to the next through its first level's Forward; 0 ends.</summary>
    private readonly int[] _free = new int[MaxLevel + 1];
    private Node? _tail;
    private int _level = 1;
    private readonly MemberTable<Node> _dict;
    // zslInsert's update[] and rank[]: kept per set (big sets only) so that an insert allocates only its node.
    private readonly int[] _update = new int[MaxLevel];
    private readonly int[] _rank = new int[MaxLevel];
    // UpdateScore's second walk (to the element's old place): its update[] and rank[].
    private readonly int[] _updateOld = new int[MaxLevel];
    private readonly int[] _rankOld = new int[MaxLevel];

    public RedisSortedSet(int capacity = 0)
    {
        _dict = new MemberTable<Node>(capacity);
        // Four elements in three have one level (ZSKIPLIST_P = 0.25): 4/3 levels each on average.
        var size = MaxLevel + Math.Max(16, capacity + capacity / 3 + 8);
        _levels = new Level[size];
        _nodes = new Node?[size];
    }

    public int Count => _dict.Count;

    /// <summary>The member table (ZSCAN walks it with its reverse-binary cursor; MEMORY USAGE reads its slots).</summary>
    public MemberTable<Node> Table => _dict;

    /// <summary>The lowest element, or null when empty.</summary>
    public Node? First => _nodes[_levels[Header].Forward];

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

    /// <summary>Whether a walk towards (score, member) steps over <paramref name="l"/>'s next element: it comes before
    /// (zslInsert's and zslDelete's test), read from the level's copy of its score. The common case (different scores)
    /// is computed without branches, so UpdateScore's two walks step with conditional moves; only a tie (rare, and
    /// predicted as not taken) compares members.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Before(in Level l, double score, ReadOnlySpan<byte> member)
    {
        var step = (l.Forward != 0) & (l.Score < score);
        if (l.Score == score && l.Forward != 0) step = Compare(_nodes[l.Forward]!.Member, member) < 0;
        return step;
    }

    /// <summary>zslRandomLevel: each further level with probability 1/4 (ZSKIPLIST_P).</summary>
    private static int RandomLevel()
    {
        var level = 1;
        while (level < MaxLevel && (Random.Shared.Next() & 0xFFFF) < 0xFFFF / 4) level++;
        return level;
    }

    /// <summary>A block of <paramref name="levels"/> levels for <paramref name="node"/>: a freed one of that size, or
    /// the next ones of the array (grown by doubling; blocks are indexes, so nothing points into the old array).</summary>
    private void AllocateBlock(Node node, int levels)
    {
        ref var free = ref _free[levels];
        int block;
        if (free != 0)
        {
            block = free;
            free = _levels[block].Forward;
        }
        else
        {
            if (_used + levels > _levels.Length)
            {
                var size = Math.Max(_levels.Length * 2, _used + levels);
                Array.Resize(ref _levels, size);
                Array.Resize(ref _nodes, size);
            }
            block = _used;
            _used += levels;
        }
        node.Block = block;
        _nodes[block] = node;
    }

    /// <summary>Gives a removed element's block back (zslFreeNode).</summary>
    private void FreeBlock(Node node)
    {
        var block = node.Block;
        _nodes[block] = null;
        _levels[block].Forward = _free[node.Levels];
        _free[node.Levels] = block;
    }

    /// <summary>Adds a member that is not in the set yet (zsetAdd's new-element path: zslInsert and dictAdd).</summary>
    public Node Add(byte[] member, double score)
    {
        var node = new Node(member, score, RandomLevel());
        AllocateBlock(node, node.Levels);
        WalkToInsert(score, member);
        LinkAt(node, Count);
        _dict.Add(member, node);
        return node;
    }

    /// <summary>zslInsert's walk: fills _update with the last element before (score, member) on each level and _rank
    /// with that element's rank (the header's is 0).</summary>
    private void WalkToInsert(double score, byte[] member)
    {
        var levels = _levels;
        var update = _update;
        var rank = _rank;
        var x = Header;
        for (var i = _level - 1; i >= 0; i--)
        {
            rank[i] = i == _level - 1 ? 0 : rank[i + 1];
            while (Before(levels[x + i], score, member))
            {
                rank[i] += levels[x + i].Span;
                x = levels[x + i].Forward;
            }
            update[i] = x;
        }
    }

    /// <summary>zslInsert's linking once _update and _rank hold the walk's result: links <paramref name="node"/>
    /// (keeping its block and level count) after _update[i] on each of its levels, fixing the spans and the score
    /// copies, in a list of <paramref name="length"/> elements without it.</summary>
    private void LinkAt(Node node, int length)
    {
        var levels = _levels;
        var update = _update;
        var rank = _rank;
        var level = (int)node.Levels;
        var block = node.Block;
        if (level > _level)
        {
            for (var i = _level; i < level; i++)
            {
                rank[i] = 0;
                update[i] = Header;
                levels[Header + i].Span = length;
            }
            _level = level;
        }
        for (var i = 0; i < level; i++)
        {
            ref var before = ref levels[update[i] + i];
            ref var own = ref levels[block + i];
            own.Forward = before.Forward;
            own.Score = before.Score;
            own.Span = before.Span - (rank[0] - rank[i]);
            before.Forward = block;
            before.Score = node.Score;
            before.Span = rank[0] - rank[i] + 1;
        }
        for (var i = level; i < _level; i++) levels[update[i] + i].Span++;
        var previous = _nodes[update[0]];
        var next = _nodes[levels[block].Forward];
        node.Backward = previous;
        node.Forward = next;
        if (previous != null) previous.Forward = node;
        if (next != null) next.Backward = node;
        else _tail = node;
    }

    /// <summary>Fills _update with the last element before (score, member) on each level (zslDelete's walk); returns
    /// the block after it on the bottom level (0: none).</summary>
    private int FindUpdate(double score, ReadOnlySpan<byte> member)
    {
        var levels = _levels;
        var x = Header;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (Before(levels[x + i], score, member)) x = levels[x + i].Forward;
            _update[i] = x;
        }
        return levels[x].Forward;
    }

    /// <summary>zslDeleteNode: unlinks <paramref name="node"/> given the last element before it on each level.</summary>
    private void Unlink(Node node, int[] update)
    {
        var levels = _levels;
        var block = node.Block;
        for (var i = 0; i < _level; i++)
        {
            ref var l = ref levels[update[i] + i];
            if (l.Forward == block)
            {
                ref var own = ref levels[block + i];
                l.Span += own.Span - 1;
                l.Forward = own.Forward;
                l.Score = own.Score;
            }
            else l.Span -= 1;
        }
        var previous = node.Backward;
        var next = node.Forward;
        if (previous != null) previous.Forward = next;
        if (next != null) next.Backward = previous;
        else _tail = previous;
        while (_level > 1 && levels[Header + _level - 1].Forward == 0) _level--;
    }

    /// <summary>Removes a member (zsetRemoveFromSkiplist); false when absent.</summary>
    public bool Remove(ReadOnlySpan<byte> member)
    {
        if (!_dict.Remove(member, out _, out var node)) return false;
        FindUpdate(node.Score, member);
        Unlink(node, _update);
        FreeBlock(node);
        return true;
    }

    /// <summary>zslUpdateScore: changes a member's score, in place when its position does not change.</summary>
    public void UpdateScore(Node node, double newScore)
    {
        var levels = _levels;
        // In place when the element stays between its neighbours (zslUpdateScore's test). Its score is also copied
        // in the level before it on each of its levels: a one-level element's (three in four) is its backward one's
        // (or the header's); a taller one's are found by the walks below.
        var previous = node.Backward;
        if (node.Levels == 1 &&
            (previous == null || previous.Score < newScore) &&
            (levels[node.Block] is var own && (own.Forward == 0 || own.Score > newScore)))
        {
            node.Score = newScore;
            levels[previous?.Block ?? Header].Score = newScore;
            return;
        }
        // Redis deletes the node (zslDeleteNode after zslDelete's walk) and inserts a new one (zslInsert's walk from
        // the header). Both walks are made here at once, step by step in turn, before anything changes: each step
        // may wait for a level to come from memory, and two independent walks wait for two at a time.
        var member = node.Member;
        var oldScore = node.Score;
        var before = _updateOld;
        var beforeRank = _rankOld;
        var update = _update;
        var rank = _rank;
        int x = Header, y = Header;
        for (var i = _level - 1; i >= 0; i--)
        {
            beforeRank[i] = i == _level - 1 ? 0 : beforeRank[i + 1];
            rank[i] = i == _level - 1 ? 0 : rank[i + 1];
            int rx = beforeRank[i], ry = rank[i];
            while (true)
            {
                // Each walk's step is taken or not without a branch (conditional moves): which way a step goes is a
                // coin toss, and a mispredicted branch would wait for the level before the other walk's next load
                // could start, where the two walks should wait for theirs together.
                var lx = levels[x + i];
                var ly = levels[y + i];
                var stepX = Before(lx, oldScore, member);
                var stepY = Before(ly, newScore, member);
                if (!(stepX | stepY)) break;
                rx += stepX ? lx.Span : 0;
                x = stepX ? lx.Forward : x;
                ry += stepY ? ly.Span : 0;
                y = stepY ? ly.Forward : y;
            }
            beforeRank[i] = rx;
            rank[i] = ry;
            before[i] = x;
            update[i] = y;
        }
        // The new place's walk saw the element still in the list: where the element itself is the last one before the
        // new place, the last one without it is its own predecessor on that level; an element after it has one rank
        // less.
        var nodeRank = beforeRank[0] + 1;
        for (var i = 0; i < _level; i++)
        {
            if (update[i] == node.Block)
            {
                update[i] = before[i];
                rank[i] = beforeRank[i];
            }
            else if (rank[i] > nodeRank) rank[i]--;
        }
        Unlink(node, before);
        // Redis frees the node and inserts a new one; moving the same one (and its block) spares an allocation and
        // the member table's update.
        node.Score = newScore;
        LinkAt(node, Count - 1);
    }

    /// <summary>zslGetRank, 0-based: the position of (score, member) from the lowest, or -1.</summary>
    public long Rank(double score, ReadOnlySpan<byte> member)
    {
        var levels = _levels;
        long rank = 0;
        var x = Header;
        var xScore = 0.0;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (levels[x + i] is { Forward: not 0 } l &&
                   (l.Score < score || (l.Score == score && Compare(_nodes[l.Forward]!.Member, member) <= 0)))
            {
                rank += l.Span;
                x = l.Forward;
                xScore = l.Score;
            }
            // The element reached is the one sought only at its score: its member is read only then.
            if (x != Header && xScore == score && _nodes[x]!.Member.AsSpan().SequenceEqual(member)) return rank - 1;
        }
        return -1;
    }

    /// <summary>zslGetElementByRank, 0-based; null when out of range.</summary>
    public Node? ByRank(long rank)
    {
        var levels = _levels;
        rank++;
        long traversed = 0;
        var x = Header;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (levels[x + i].Forward != 0 && traversed + levels[x + i].Span <= rank)
            {
                traversed += levels[x + i].Span;
                x = levels[x + i].Forward;
            }
            if (traversed == rank) return _nodes[x];
        }
        return null;
    }

    /// <summary>zslFirstInRange: the lowest element within the score range, or null.</summary>
    public Node? FirstInRange(in ScoreRange range)
    {
        if (range.IsEmpty || _tail == null || !range.GteMin(_tail.Score) || !range.LteMax(First!.Score)) return null;
        var levels = _levels;
        var x = Header;
        for (var i = _level - 1; i >= 0; i--)
            while (levels[x + i].Forward != 0 && !range.GteMin(levels[x + i].Score)) x = levels[x + i].Forward;
        var node = _nodes[levels[x].Forward]!;
        return range.LteMax(node.Score) ? node : null;
    }

    /// <summary>zslLastInRange: the highest element within the score range, or null.</summary>
    public Node? LastInRange(in ScoreRange range)
    {
        if (range.IsEmpty || _tail == null || !range.GteMin(_tail.Score) || !range.LteMax(First!.Score)) return null;
        var levels = _levels;
        var x = Header;
        for (var i = _level - 1; i >= 0; i--)
            while (levels[x + i].Forward != 0 && range.LteMax(levels[x + i].Score)) x = levels[x + i].Forward;
        var node = _nodes[x]!;
        return range.GteMin(node.Score) ? node : null;
    }

    /// <summary>zslFirstInLexRange.</summary>
    public Node? FirstInRange(in LexRange range)
    {
        if (range.IsEmpty || _tail == null || !range.GteMin(_tail.Member) || !range.LteMax(First!.Member)) return null;
        var levels = _levels;
        var x = Header;
        for (var i = _level - 1; i >= 0; i--)
            while (levels[x + i].Forward is var f and not 0 && !range.GteMin(_nodes[f]!.Member)) x = f;
        var node = _nodes[levels[x].Forward]!;
        return range.LteMax(node.Member) ? node : null;
    }

    /// <summary>zslLastInLexRange.</summary>
    public Node? LastInRange(in LexRange range)
    {
        if (range.IsEmpty || _tail == null || !range.GteMin(_tail.Member) || !range.LteMax(First!.Member)) return null;
        var levels = _levels;
        var x = Header;
        for (var i = _level - 1; i >= 0; i--)
            while (levels[x + i].Forward is var f and not 0 && range.LteMax(_nodes[f]!.Member)) x = f;
        var node = _nodes[x]!;
        return range.GteMin(node.Member) ? node : null;
    }

    /// <summary>The 0-based rank of an element of this set (zslGetRank on its own score and member).</summary>
    public long RankOf(Node node) => Rank(node.Score, node.Member);

    /// <summary>zslDeleteRangeByScore: removes every member in the range; returns how many.</summary>
    public long RemoveRange(in ScoreRange range) => RemoveInRange(range);

    /// <summary>zslDeleteRangeByLex.</summary>
    public long RemoveRange(in LexRange range) => RemoveInRange(range);

    private long RemoveInRange<TRange>(in TRange range) where TRange : struct, IElementRange
    {
        var levels = _levels;
        var x = Header;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (levels[x + i].Forward is var f and not 0 && !range.GteMin(levels[x + i].Score, _nodes[f]!.Member)) x = f;
            _update[i] = x;
        }
        var node = _nodes[levels[x].Forward];
        long removed = 0;
        while (node != null && range.LteMax(node.Score, node.Member))
        {
            var next = node.Forward;
            RemoveLinked(node);
            removed++;
            node = next;
        }
        return removed;
    }

    /// <summary>zslDeleteRangeByRank with 0-based inclusive ranks (already clamped by the caller).</summary>
    public long RemoveRangeByRank(long start, long end)
    {
        var levels = _levels;
        start++;
        end++;
        long traversed = 0;
        var x = Header;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (levels[x + i].Forward != 0 && traversed + levels[x + i].Span < start)
            {
                traversed += levels[x + i].Span;
                x = levels[x + i].Forward;
            }
            _update[i] = x;
        }
        traversed++;
        var node = _nodes[levels[x].Forward];
        long removed = 0;
        while (node != null && traversed <= end)
        {
            var next = node.Forward;
            RemoveLinked(node);
            removed++;
            traversed++;
            node = next;
        }
        return removed;
    }

    /// <summary>A range removal's step: the element right after _update[0], from the list, the table and its block.</summary>
    private void RemoveLinked(Node node)
    {
        Unlink(node, _update);
        _dict.Remove(node.Member);
        FreeBlock(node);
    }

    public object DeepCopy()
    {
        // zsetDup: the members in order from the tail, so each insert is at the head of the list.
        var copy = new RedisSortedSet(Count);
        for (var n = _tail; n != null; n = n.Backward) copy.Add((byte[])n.Member.Clone(), n.Score);
        return copy;
    }
}
