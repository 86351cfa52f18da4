namespace AkkaRedis.Actors.Storage;

/// <summary>ZADD's input flags (ZADD_IN_*).</summary>
[Flags]
public enum ZAddFlags : byte { None = 0, Incr = 1, NX = 2, XX = 4, GT = 8, LT = 16 }

/// <summary>What zsetAdd did (ZADD_OUT_*); <see cref="NaN"/> when the (incremented) score is not a number.</summary>
public enum ZAddResult : byte { Nop, Added, Updated, Unchanged, NaN }

/// <summary>
/// A sorted set's operations over whichever encoding the key holds (t_zset.c's zset* functions): a listpack
/// <c>byte[]</c> (<see cref="ZSetListpack"/>) or a <see cref="RedisSortedSet"/>. Mutations take the value by
/// reference: a listpack change is a new array and a conversion a new object, which the caller then stores
/// (<see cref="Database.ReplaceValue"/> with <see cref="EncodingOf"/>).
/// </summary>
public static class ZSet
{
    public static ObjectEncoding EncodingOf(object value) => value is byte[] ? ObjectEncoding.ListPack : ObjectEncoding.SkipList;

    /// <summary>zsetTypeCreate: a listpack when the expected size and longest member fit the listpack limits.</summary>
    public static object Create(long sizeHint, long longestMember, int maxEntries, int maxValue) =>
        sizeHint <= maxEntries && longestMember <= maxValue ? Listpack.Create() : new RedisSortedSet((int)Math.Min(sizeHint, 1 << 20));

    public static int Length(object value) => value is byte[] lp ? ZSetListpack.Length(lp) : ((RedisSortedSet)value).Count;

    public static bool TryGetScore(object value, ReadOnlySpan<byte> member, out double score)
    {
        if (value is byte[] lp) return ZSetListpack.Find(lp, member, out score) >= 0;
        return ((RedisSortedSet)value).TryGetScore(member, out score);
    }

    /// <summary>zsetRank: 0-based from the lowest (or from the highest when <paramref name="reverse"/>), -1 when absent.</summary>
    public static long Rank(object value, ReadOnlySpan<byte> member, bool reverse)
    {
        long length = Length(value), rank;
        if (value is byte[] lp)
        {
            rank = -1;
            var i = 0;
            foreach (var entry in Listpack.Entries(lp))
            {
                if ((i & 1) == 0 && entry.SequenceEqual(member))
                {
                    rank = i / 2;
                    break;
                }
                i++;
            }
        }
        else
        {
            var set = (RedisSortedSet)value;
            var node = set.Find(member);
            rank = node == null ? -1 : set.RankOf(node);
        }
        if (rank < 0) return -1;
        return reverse ? length - 1 - rank : rank;
    }

    /// <summary>zsetAdd: adds or updates one member under ZADD's flags, converting a listpack to a skip list when
    /// it outgrows <paramref name="maxEntries"/> or a new member is longer than <paramref name="maxValue"/>.</summary>
    public static ZAddResult Add(ref object value, double score, ReadOnlySpan<byte> member, ZAddFlags flags,
        int maxEntries, int maxValue, out double newScore)
    {
        newScore = score;
        if (double.IsNaN(score)) return ZAddResult.NaN;
        var incr = (flags & ZAddFlags.Incr) != 0;
        var nx = (flags & ZAddFlags.NX) != 0;
        var xx = (flags & ZAddFlags.XX) != 0;
        var gt = (flags & ZAddFlags.GT) != 0;
        var lt = (flags & ZAddFlags.LT) != 0;

        if (value is byte[] lp)
        {
            var offset = ZSetListpack.Find(lp, member, out var current);
            if (offset >= 0)
            {
                if (nx) return ZAddResult.Nop;
                if (incr)
                {
                    score += current;
                    if (double.IsNaN(score)) return ZAddResult.NaN;
                }
                if ((lt && score >= current) || (gt && score <= current)) return ZAddResult.Nop;
                newScore = score;
                if (score == current) return ZAddResult.Unchanged;
                value = ZSetListpack.Insert(ZSetListpack.RemoveAt(lp, offset), member, score);
                return ZAddResult.Updated;
            }
            if (xx) return ZAddResult.Nop;
            if (ZSetListpack.Length(lp) + 1 > maxEntries || member.Length > maxValue)
            {
                var set = ZSetListpack.ToSkipList(lp);
                set.Add(member.ToArray(), score);
                value = set;
            }
            else value = ZSetListpack.Insert(lp, member, score);
            return ZAddResult.Added;
        }

        var zs = (RedisSortedSet)value;
        var node = zs.Find(member);
        if (node != null)
        {
            if (nx) return ZAddResult.Nop;
            var cur = node.Score;
            if (incr)
            {
                score += cur;
                if (double.IsNaN(score)) return ZAddResult.NaN;
            }
            if ((lt && score >= cur) || (gt && score <= cur)) return ZAddResult.Nop;
            newScore = score;
            if (score == cur) return ZAddResult.Unchanged;
            zs.UpdateScore(node, score);
            return ZAddResult.Updated;
        }
        if (xx) return ZAddResult.Nop;
        zs.Add(member.ToArray(), score);
        return ZAddResult.Added;
    }

    /// <summary>zsetDel; false when the member is absent.</summary>
    public static bool Remove(ref object value, ReadOnlySpan<byte> member)
    {
        if (value is byte[] lp)
        {
            var offset = ZSetListpack.Find(lp, member, out _);
            if (offset < 0) return false;
            value = ZSetListpack.RemoveAt(lp, offset);
            return true;
        }
        return ((RedisSortedSet)value).Remove(member);
    }

    /// <summary>The elements of 0-based ranks <paramref name="start"/>..<paramref name="end"/> (clamped by the
    /// caller), counted from the highest when <paramref name="reverse"/>, in reply order.</summary>
    public static void RangeByRank(object value, long start, long end, bool reverse, List<ZItem> output)
    {
        output.Clear();
        var length = Length(value);
        if (value is byte[] lp)
        {
            // Reverse ranks count from the tail: read up to the last one needed, then walk backwards.
            var from = reverse ? length - 1 - end : start;
            var to = reverse ? length - 1 - start : end;
            ZSetListpack.ReadAll(lp, output, (int)to + 1);
            output.RemoveRange(0, (int)from);
            if (reverse) output.Reverse();
            return;
        }
        var set = (RedisSortedSet)value;
        var count = end - start + 1;
        // zslGetElementByRank to the first one, then the level-0 links (or backward links when reversed).
        var node = set.ByRank(reverse ? length - 1 - start : start);
        for (var i = 0L; i < count && node != null; i++)
        {
            output.Add(new ZItem(node.Member, 0, node.Member.Length, node.Score));
            node = reverse ? node.Backward : node.Next;
        }
    }

    /// <summary>genericZrangebyscoreCommand's walk: from the first (or, reversed, last) element in range, skipping
    /// <paramref name="offset"/> elements (a negative offset skips everything, as Redis's <c>offset--</c> loop does),
    /// then up to <paramref name="limit"/> (negative: no limit) while the elements stay in range.</summary>
    public static void RangeByScore(object value, in ScoreRange range, bool reverse, long offset, long limit, List<ZItem> output)
    {
        output.Clear();
        if (value is byte[] lp)
        {
            ZSetListpack.ReadAll(lp, output);
            SelectInArray(output, reverse, offset, limit, range, default, lex: false);
            return;
        }
        var set = (RedisSortedSet)value;
        WalkRange(range, reverse ? set.LastInRange(range) : set.FirstInRange(range), reverse, offset, limit, output);
    }

    /// <summary>genericZrangebylexCommand's walk, as <see cref="RangeByScore"/>.</summary>
    public static void RangeByLex(object value, in LexRange range, bool reverse, long offset, long limit, List<ZItem> output)
    {
        output.Clear();
        if (value is byte[] lp)
        {
            ZSetListpack.ReadAll(lp, output);
            SelectInArray(output, reverse, offset, limit, default, range, lex: true);
            return;
        }
        var set = (RedisSortedSet)value;
        WalkRange(range, reverse ? set.LastInRange(range) : set.FirstInRange(range), reverse, offset, limit, output);
    }

    /// <summary>The skip-list part of both walks: from <paramref name="node"/> (the first or last element in range),
    /// skip <paramref name="offset"/>, then take up to <paramref name="limit"/> while the elements stay in range.</summary>
    private static void WalkRange<TRange>(in TRange range, RedisSortedSet.Node? node, bool reverse, long offset, long limit,
        List<ZItem> output) where TRange : struct, IElementRange
    {
        while (node != null && offset != 0)
        {
            offset--;
            node = reverse ? node.Backward : node.Next;
        }
        while (node != null && limit-- != 0)
        {
            if (reverse ? !range.GteMin(node.Score, node.Member) : !range.LteMax(node.Score, node.Member)) break;
            output.Add(new ZItem(node.Member, 0, node.Member.Length, node.Score));
            node = reverse ? node.Backward : node.Next;
        }
    }

    /// <summary>zzlFirstInRange / zzlLastInRange (and their lex twins) over elements read out of a listpack: the
    /// index where a walk starts, or -1. First zzlIsInRange's tests (a range that can hold nothing, the last element
    /// below min, the first above max), then the first element from the walking end past the near bound, which must
    /// also be within the far one. With unsorted lex data (members of different scores) this is what Redis answers,
    /// not a filter.</summary>
    private static int StartOfRange(List<ZItem> items, bool reverse, in ScoreRange scores, in LexRange lexes, bool lex)
    {
        var n = items.Count;
        if (n == 0 || (lex ? lexes.IsEmpty : scores.IsEmpty)) return -1;
        if (!Gte(items[n - 1], scores, lexes, lex) || !Lte(items[0], scores, lexes, lex)) return -1;
        var i = reverse ? n - 1 : 0;
        while (i >= 0 && i < n && !(reverse ? Lte(items[i], scores, lexes, lex) : Gte(items[i], scores, lexes, lex)))
            i += reverse ? -1 : 1;
        if (i < 0 || i >= n) return -1;
        return (reverse ? Gte(items[i], scores, lexes, lex) : Lte(items[i], scores, lexes, lex)) ? i : -1;
    }

    /// <summary>How many elements from <paramref name="first"/> on (downwards when reversed) stay within the far
    /// bound, up to <paramref name="limit"/> (negative: no limit).</summary>
    private static int RunLength(List<ZItem> items, int first, bool reverse, long limit, in ScoreRange scores, in LexRange lexes, bool lex)
    {
        var run = 0;
        for (var i = first; i >= 0 && i < items.Count && limit-- != 0; i += reverse ? -1 : 1, run++)
            if (!(reverse ? Gte(items[i], scores, lexes, lex) : Lte(items[i], scores, lexes, lex))) break;
        return run;
    }

    /// <summary>The listpack walk of a score or lex range over the elements read into <paramref name="items"/>,
    /// leaving only the selected ones, in reply order.</summary>
    private static void SelectInArray(List<ZItem> items, bool reverse, long offset, long limit, in ScoreRange scores, in LexRange lexes, bool lex)
    {
        var n = items.Count;
        var i = StartOfRange(items, reverse, scores, lexes, lex);
        // The offset is skipped without looking at the elements, as Redis's offset-- loop does.
        while (i >= 0 && i < n && offset != 0)
        {
            offset--;
            i += reverse ? -1 : 1;
        }
        var kept = i >= 0 && i < n ? RunLength(items, i, reverse, limit, scores, lexes, lex) : 0;
        if (kept == 0)
        {
            items.Clear();
            return;
        }
        var low = reverse ? i - kept + 1 : i;
        items.RemoveRange(low + kept, n - low - kept);
        items.RemoveRange(0, low);
        if (reverse) items.Reverse();
    }

    private static bool Gte(ZItem item, in ScoreRange scores, in LexRange lexes, bool lex) =>
        lex ? lexes.GteMin(item.Member) : scores.GteMin(item.Score);

    private static bool Lte(ZItem item, in ScoreRange scores, in LexRange lexes, bool lex) =>
        lex ? lexes.LteMax(item.Member) : scores.LteMax(item.Score);

    /// <summary>ZCOUNT: from the first element in range, the elements up to the far bound (by ranks on a skip
    /// list, as Redis).</summary>
    public static long Count(object value, in ScoreRange range)
    {
        if (value is byte[] lp) return CountListpack(lp, range, default, lex: false);
        var set = (RedisSortedSet)value;
        return CountByRanks(set, set.FirstInRange(range), set.LastInRange(range));
    }

    /// <summary>ZLEXCOUNT, as <see cref="Count(object, in ScoreRange)"/>.</summary>
    public static long Count(object value, in LexRange range)
    {
        if (value is byte[] lp) return CountListpack(lp, default, range, lex: true);
        var set = (RedisSortedSet)value;
        return CountByRanks(set, set.FirstInRange(range), set.LastInRange(range));
    }

    private static long CountListpack(byte[] lp, in ScoreRange scores, in LexRange lexes, bool lex)
    {
        var items = new List<ZItem>();
        ZSetListpack.ReadAll(lp, items);
        var first = StartOfRange(items, false, scores, lexes, lex);
        return first < 0 ? 0 : RunLength(items, first, false, -1, scores, lexes, lex);
    }

    /// <summary>zsetCount / zlexcountCommand on a skip list: length - (rank(first) - 1), less the elements after the
    /// last one in range.</summary>
    private static long CountByRanks(RedisSortedSet set, RedisSortedSet.Node? first, RedisSortedSet.Node? last)
    {
        if (first == null) return 0;
        var count = set.Count - set.RankOf(first);
        if (last != null) count -= set.Count - 1 - set.RankOf(last);
        return count;
    }

    /// <summary>ZREMRANGEBYRANK with clamped 0-based ranks.</summary>
    public static long RemoveRangeByRank(ref object value, long start, long end)
    {
        if (value is byte[] lp)
        {
            value = ZSetListpack.RemoveRange(lp, start, end);
            return end - start + 1;
        }
        return ((RedisSortedSet)value).RemoveRangeByRank(start, end);
    }

    public static long RemoveRange(ref object value, in ScoreRange range)
    {
        if (value is RedisSortedSet set) return set.RemoveRange(range);
        return RemoveListpackRun(ref value, range, default, lex: false);
    }

    public static long RemoveRange(ref object value, in LexRange range)
    {
        if (value is RedisSortedSet set) return set.RemoveRange(range);
        return RemoveListpackRun(ref value, default, range, lex: true);
    }

    /// <summary>zzlDeleteRangeByScore/ByLex: from the first element in range, the run up to the far bound, removed
    /// in one copy.</summary>
    private static long RemoveListpackRun(ref object value, in ScoreRange scores, in LexRange lexes, bool lex)
    {
        var lp = (byte[])value;
        var items = new List<ZItem>();
        ZSetListpack.ReadAll(lp, items);
        var first = StartOfRange(items, false, scores, lexes, lex);
        if (first < 0) return 0;
        var run = RunLength(items, first, false, -1, scores, lexes, lex);
        value = ZSetListpack.RemoveRange(lp, first, first + run - 1);
        return run;
    }

    /// <summary>Every element in order (ZSCAN of a listpack, COPY, digests, conversions).</summary>
    public static void ReadAll(object value, List<ZItem> output)
    {
        if (value is byte[] lp)
        {
            ZSetListpack.ReadAll(lp, output);
            return;
        }
        output.Clear();
        for (var node = ((RedisSortedSet)value).First; node != null; node = node.Next)
            output.Add(new ZItem(node.Member, 0, node.Member.Length, node.Score));
    }

    /// <summary>One element picked at random (zsetTypeRandomElement): uniform over a listpack, the member
    /// table's fair pick over a skip list.</summary>
    public static ZItem Random(object value, Random rng)
    {
        if (value is byte[] lp)
        {
            var index = rng.Next(ZSetListpack.Length(lp));
            var offset = Listpack.Seek(lp, index * 2);
            var member = Listpack.Read(lp, offset, out var scoreOffset);
            var score = ZSetListpack.ParseScore(Listpack.Read(lp, scoreOffset, out _));
            return new ZItem(lp, scoreOffset - member.Length, member.Length, score);
        }
        var (m, node) = ((RedisSortedSet)value).Table.Random(rng);
        return new ZItem(m, 0, m.Length, node.Score);
    }

    /// <summary>COPY: listpacks are immutable once stored, but each key gets its own array as in Redis (zsetDup).</summary>
    public static object Copy(object value) => value is byte[] lp ? lp.Clone() : ((RedisSortedSet)value).DeepCopy();
}
