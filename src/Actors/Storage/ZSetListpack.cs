using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// The small form of a sorted set (Redis's OBJ_ENCODING_LISTPACK for zsets, t_zset.c's zzl* functions): a
/// <see cref="Listpack"/> of member, score pairs in (score, member) order, stored directly as the key's value. A
/// score is stored as Redis's zzlInsertAt stores it, the text d2string makes of it (integral scores as integers,
/// which Redis's listpack then encodes as integers), so that MEMORY USAGE and DEBUG OBJECT can size it as Redis does.
/// Every change returns a new array (published arrays are never written).
/// </summary>
public static class ZSetListpack
{
    public static int Length(byte[] lp) => Listpack.Count(lp) / 2;

    /// <summary>zzlGetScore: the score entry's text read back (zzlStrtod; integers directly).</summary>
    public static double ParseScore(ReadOnlySpan<byte> text)
    {
        if (RedisNumbers.TryParseLong(text, out var l)) return l;
        if (RedisNumbers.TryParseDouble(text, out var d)) return d;
        throw new InvalidDataException("corrupt sorted-set listpack score");
    }

    /// <summary>zzlFind: the offset of the member's entry (its score follows), or -1.</summary>
    public static int Find(byte[] lp, ReadOnlySpan<byte> member, out double score)
    {
        var offset = Listpack.Find(lp, member, stride: 2);
        score = 0;
        if (offset < 0) return -1;
        var next = Listpack.Next(lp, offset);
        score = ParseScore(Listpack.Read(lp, next, out _));
        return offset;
    }

    /// <summary>zzlInsert: a new listpack with the member inserted before the first element that sorts after it.</summary>
    public static byte[] Insert(byte[] lp, ReadOnlySpan<byte> member, double score)
    {
        var offset = Listpack.First;
        var end = lp.Length;
        while (offset < end)
        {
            var m = Listpack.Read(lp, offset, out var scoreOffset);
            var s = ParseScore(Listpack.Read(lp, scoreOffset, out var next));
            if (s > score || (s == score && m.SequenceCompareTo(member) > 0)) break;
            offset = next;
        }
        Span<byte> text = stackalloc byte[64];
        return Listpack.Insert(lp, offset, member, text[..FormatScore(score, text)], pair: true);
    }

    /// <summary>Redis 7.0's d2string, as zzlInsertAt stores a score: like %.17g with integers printed plainly, and a
    /// negative zero stored as "0" (7.0 takes the integer path for it), so a listpack never keeps -0 while a skip
    /// list does.</summary>
    public static int FormatScore(double score, Span<byte> text) => RedisNumbers.FormatDouble(score == 0 ? 0.0 : score, text);

    /// <summary>zzlDelete: a new listpack without the pair whose member entry is at <paramref name="offset"/>.</summary>
    public static byte[] RemoveAt(byte[] lp, int offset) => Listpack.Remove(lp, offset, 2);

    /// <summary>zzlDeleteRangeByRank, 0-based inclusive ranks (already clamped).</summary>
    public static byte[] RemoveRange(byte[] lp, long start, long end) =>
        Listpack.Remove(lp, Listpack.Seek(lp, (int)start * 2), (int)(end - start + 1) * 2);

    /// <summary>Reads every element, in order, into <paramref name="output"/> (cleared first). Small sets are
    /// walked whole, as Redis's zzl functions walk them; the range commands then work on the array.</summary>
    public static void ReadAll(byte[] lp, List<ZItem> output, int limit = int.MaxValue)
    {
        output.Clear();
        var offset = Listpack.First;
        var end = lp.Length;
        while (offset < end && output.Count < limit)
        {
            var member = Listpack.Read(lp, offset, out var scoreOffset);
            var memberStart = scoreOffset - member.Length;
            var score = ParseScore(Listpack.Read(lp, scoreOffset, out offset));
            output.Add(new ZItem(lp, memberStart, member.Length, score));
        }
    }

    /// <summary>Builds a listpack from elements already in order (a set converted back, or a copy).</summary>
    public static byte[] FromSorted(List<ZItem> items)
    {
        var entries = new List<byte[]>(items.Count * 2);
        Span<byte> text = stackalloc byte[64];
        foreach (var item in items)
        {
            entries.Add(item.Member.ToArray());
            entries.Add(text[..FormatScore(item.Score, text)].ToArray());
        }
        return Listpack.From(entries);
    }

    /// <summary>zsetConvert to the skip list: every element, in order.</summary>
    public static RedisSortedSet ToSkipList(byte[] lp)
    {
        var set = new RedisSortedSet(Length(lp));
        var offset = Listpack.First;
        while (offset < lp.Length)
        {
            var member = Listpack.Read(lp, offset, out var scoreOffset).ToArray();
            var score = ParseScore(Listpack.Read(lp, scoreOffset, out offset));
            set.Add(member, score);
        }
        return set;
    }
}
