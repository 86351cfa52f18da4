using System.Diagnostics;
using System.Text;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Storage;

/// <summary>
/// The sorted-set storage (<see cref="ZSet"/> over a listpack array or a <see cref="RedisSortedSet"/>) against a
/// naive model: every operation, on both encodings, must give what a plain sorted list of (score, member) gives.
/// </summary>
public sealed class SortedSetTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static string S(ReadOnlySpan<byte> b) => Encoding.UTF8.GetString(b);

    /// <summary>The model: (score, member) pairs in Redis's order (score, then member bytes).</summary>
    private sealed class Model
    {
        public readonly List<(double Score, string Member)> Items = [];

        private static int Compare((double Score, string Member) a, (double Score, string Member) b)
        {
            var c = a.Score.CompareTo(b.Score);
            return c != 0 ? c : B(a.Member).AsSpan().SequenceCompareTo(B(b.Member));
        }

        public int IndexOf(string member) => Items.FindIndex(i => i.Member == member);

        public void Set(string member, double score)
        {
            var i = IndexOf(member);
            if (i >= 0) Items.RemoveAt(i);
            Items.Add((score, member));
            Items.Sort(Compare);
        }
    }

    private static List<(double, string)> All(object value)
    {
        var items = new List<ZItem>();
        ZSet.ReadAll(value, items);
        return items.Select(i => (i.Score, S(i.Member))).ToList();
    }

    private static List<(double, string)> Read(List<ZItem> items) => items.Select(i => (i.Score, S(i.Member))).ToList();

    [Theory]
    [InlineData(1000, 64, 1)] // stays a listpack
    [InlineData(0, 64, 2)] // a skip list from the first element
    [InlineData(40, 64, 3)] // converts half way
    public void Every_operation_matches_the_model(int maxEntries, int maxValue, int seed)
    {
        var rng = new Random(seed);
        var model = new Model();
        object value = ZSet.Create(0, 0, maxEntries, maxValue);
        var members = Enumerable.Range(0, 60).Select(i => i % 7 == 0 ? "m" + i : ((char)('a' + i % 26)).ToString() + i).ToArray();
        double[] scores = [0, 1, 1, 2, -1, 2.5, 1e20, double.PositiveInfinity, double.NegativeInfinity, 0.1, 3];
        var items = new List<ZItem>();
        for (var step = 0; step < 3000; step++)
        {
            var member = members[rng.Next(members.Length)];
            var score = scores[rng.Next(scores.Length)];
            switch (rng.Next(8))
            {
                case 0:
                case 1:
                case 2:
                {
                    var flags = (ZAddFlags)(rng.Next(4) switch { 0 => 0, 1 => (int)ZAddFlags.GT, 2 => (int)ZAddFlags.LT, _ => (int)ZAddFlags.Incr });
                    var i = model.IndexOf(member);
                    var expectedScore = (flags & ZAddFlags.Incr) != 0 && i >= 0 ? model.Items[i].Score + score : score;
                    var result = ZSet.Add(ref value, score, B(member), flags, maxEntries, maxValue, out var newScore);
                    if (double.IsNaN(expectedScore))
                    {
                        Assert.Equal(ZAddResult.NaN, result);
                        break;
                    }
                    var skip = i >= 0 && (((flags & ZAddFlags.GT) != 0 && expectedScore <= model.Items[i].Score) ||
                                          ((flags & ZAddFlags.LT) != 0 && expectedScore >= model.Items[i].Score));
                    if (skip) Assert.Equal(ZAddResult.Nop, result);
                    else
                    {
                        Assert.Equal(i < 0 ? ZAddResult.Added : expectedScore == model.Items[i].Score ? ZAddResult.Unchanged : ZAddResult.Updated, result);
                        Assert.Equal(expectedScore, newScore);
                        model.Set(member, expectedScore);
                    }
                    break;
                }
                case 3:
                {
                    var i = model.IndexOf(member);
                    Assert.Equal(i >= 0, ZSet.Remove(ref value, B(member)));
                    if (i >= 0) model.Items.RemoveAt(i);
                    break;
                }
                case 4:
                {
                    var i = model.IndexOf(member);
                    Assert.Equal(i, ZSet.Rank(value, B(member), reverse: false));
                    Assert.Equal(i < 0 ? -1 : model.Items.Count - 1 - i, ZSet.Rank(value, B(member), reverse: true));
                    Assert.Equal(i >= 0, ZSet.TryGetScore(value, B(member), out var s));
                    if (i >= 0) Assert.Equal(model.Items[i].Score, s);
                    break;
                }
                case 5:
                {
                    if (model.Items.Count == 0) break;
                    var a = rng.Next(model.Items.Count);
                    var b = a + rng.Next(model.Items.Count - a);
                    var reverse = rng.Next(2) == 0;
                    ZSet.RangeByRank(value, a, b, reverse, items);
                    var expected = reverse
                        ? Enumerable.Range(a, b - a + 1).Select(k => model.Items[model.Items.Count - 1 - k]).ToList()
                        : model.Items.GetRange(a, b - a + 1);
                    Assert.Equal(expected, Read(items));
                    break;
                }
                case 6:
                {
                    var lo = scores[rng.Next(scores.Length)];
                    var hi = scores[rng.Next(scores.Length)];
                    var range = new ScoreRange(lo, hi, rng.Next(2) == 0, rng.Next(2) == 0);
                    var offset = rng.Next(3) - 1;
                    var limit = rng.Next(5) - 1;
                    var reverse = rng.Next(2) == 0;
                    ZSet.RangeByScore(value, range, reverse, offset, limit, items);
                    var inRange = model.Items.Where(x => range.Contains(x.Score)).ToList();
                    if (reverse) inRange.Reverse();
                    var expected = offset < 0 ? [] : inRange.Skip(offset).Take(limit < 0 ? int.MaxValue : limit).ToList();
                    Assert.Equal(expected, Read(items));
                    Assert.Equal(model.Items.Count(x => range.Contains(x.Score)), ZSet.Count(value, range));
                    break;
                }
                default:
                {
                    // Lex ranges are meaningful when all scores are equal; the walk is the same either way.
                    var lo = rng.Next(3) == 0 ? "-" : "[" + members[rng.Next(members.Length)];
                    var hi = rng.Next(3) == 0 ? "+" : "(" + members[rng.Next(members.Length)];
                    Assert.True(LexRange.TryParse(B(lo), B(hi), out var range));
                    var expectedCount = model.Items.Count(x => range.Contains(B(x.Member)));
                    if (model.Items.All(x => x.Score == model.Items[0].Score))
                        Assert.Equal(expectedCount, ZSet.Count(value, range));
                    if (rng.Next(10) == 0)
                    {
                        var sameScore = ZSet.Create(0, 0, maxEntries, maxValue);
                        foreach (var (_, m) in model.Items) ZSet.Add(ref sameScore, 0, B(m), ZAddFlags.None, maxEntries, maxValue, out _);
                        ZSet.RangeByLex(sameScore, range, false, 0, -1, items);
                        var sorted = model.Items.Select(x => x.Member).OrderBy(B, ByteOrder.Instance).Where(m => range.Contains(B(m))).ToList();
                        Assert.Equal(sorted, items.Select(i => S(i.Member)).ToList());
                        Assert.Equal(sorted.Count, ZSet.Count(sameScore, range));
                        var removed = ZSet.RemoveRange(ref sameScore, range);
                        Assert.Equal(sorted.Count, removed);
                        Assert.Equal(model.Items.Count - sorted.Count, ZSet.Length(sameScore));
                    }
                    break;
                }
            }
            Assert.Equal(model.Items, All(value));
            Assert.Equal(model.Items.Count, ZSet.Length(value));
            if (maxEntries == 0) Assert.IsType<RedisSortedSet>(value);
        }
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    [Fact]
    public void Range_removals_match_the_model_on_both_encodings()
    {
        foreach (var maxEntries in new[] { 1000, 0 })
        {
            object value = ZSet.Create(0, 0, maxEntries, 64);
            for (var i = 0; i < 50; i++) ZSet.Add(ref value, i / 2, B("m" + i.ToString("00")), ZAddFlags.None, maxEntries, 64, out _);
            Assert.Equal(10, ZSet.RemoveRangeByRank(ref value, 0, 9));
            Assert.Equal(4, ZSet.RemoveRange(ref value, new ScoreRange(5, 7, false, true)));
            Assert.Equal(36, ZSet.Length(value));
            Assert.Equal(("m14", 7.0), (S(FirstItem(value).Member), FirstItem(value).Score));
            Assert.True(LexRange.TryParse(B("-"), B("[m20"), out var lex));
            Assert.Equal(7, ZSet.RemoveRange(ref value, lex));
            Assert.Equal("m21", S(FirstItem(value).Member));
        }
    }

    private static ZItem FirstItem(object value)
    {
        var items = new List<ZItem>();
        ZSet.RangeByRank(value, 0, 0, false, items);
        return items[0];
    }

    [Fact]
    public void A_listpack_converts_past_either_limit_and_never_back()
    {
        object value = ZSet.Create(3, 5, 128, 64);
        Assert.IsType<byte[]>(value);
        for (var i = 0; i < 128; i++) ZSet.Add(ref value, i, B("m" + i), ZAddFlags.None, 128, 64, out _);
        Assert.IsType<byte[]>(value);
        ZSet.Add(ref value, 1, B("m1"), ZAddFlags.None, 128, 64, out _); // an update never converts
        Assert.IsType<byte[]>(value);
        ZSet.Add(ref value, 500, B("one-more"), ZAddFlags.None, 128, 64, out _);
        Assert.IsType<RedisSortedSet>(value);
        for (var i = 0; i < 120; i++) ZSet.Remove(ref value, B("m" + i));
        Assert.IsType<RedisSortedSet>(value);

        object small = ZSet.Create(1, 1, 128, 64);
        ZSet.Add(ref small, 1, B(new string('x', 64)), ZAddFlags.None, 128, 64, out _);
        Assert.IsType<byte[]>(small);
        ZSet.Add(ref small, 1, B(new string('x', 65)), ZAddFlags.None, 128, 64, out _);
        Assert.IsType<RedisSortedSet>(small);
        Assert.Equal(2, ZSet.Length(small));

        // zsetTypeCreate: a big size hint or a long member starts as a skip list.
        Assert.IsType<RedisSortedSet>(ZSet.Create(129, 1, 128, 64));
        Assert.IsType<RedisSortedSet>(ZSet.Create(1, 65, 128, 64));
    }

    [Fact]
    public void Listpack_scores_are_stored_as_redis_stores_them()
    {
        object value = Listpack.Create();
        ZSet.Add(ref value, 3, B("a"), ZAddFlags.None, 128, 64, out _);
        ZSet.Add(ref value, 0.1, B("b"), ZAddFlags.None, 128, 64, out _);
        ZSet.Add(ref value, double.NegativeInfinity, B("c"), ZAddFlags.None, 128, 64, out _);
        ZSet.Add(ref value, -0.0, B("d"), ZAddFlags.None, 128, 64, out _);
        var entries = new List<string>();
        foreach (var e in Listpack.Entries((byte[])value)) entries.Add(S(e));
        // d2string in 7.0 stores a negative zero as "0" (a skip list keeps -0).
        Assert.Equal(["c", "-inf", "d", "0", "b", "0.10000000000000001", "a", "3"], entries);
    }

    [Theory]
    [InlineData("1", "2", 1.0, 2.0, false, false)]
    [InlineData("(1", "(2.5", 1.0, 2.5, true, true)]
    [InlineData("", "(", 0.0, 0.0, false, true)] // strtod of "" consumes nothing and stops at the NUL: 0
    [InlineData(" 1", "\t2", 1.0, 2.0, false, false)] // leading spaces are skipped by strtod
    [InlineData("-inf", "+inf", double.NegativeInfinity, double.PositiveInfinity, false, false)]
    [InlineData("1e400", "(-1e400", double.PositiveInfinity, double.NegativeInfinity, false, true)] // overflow is not checked
    [InlineData("0x10", "1\u00002", 16.0, 1.0, false, false)] // hex floats; a C string ends at its NUL
    public void Score_ranges_parse_as_zslParseRange(string min, string max, double lo, double hi, bool loEx, bool hiEx)
    {
        min = System.Text.RegularExpressions.Regex.Unescape(min);
        max = System.Text.RegularExpressions.Regex.Unescape(max);
        Assert.True(AkkaRedis.Actors.Commands.ZSetCommands.TryParseScoreRange(B(min), B(max), out var range));
        Assert.Equal(new ScoreRange(lo, hi, loEx, hiEx), range);
    }

    [Theory]
    [InlineData("1 ", "2")]
    [InlineData("nan", "2")]
    [InlineData("1", "(nan")]
    [InlineData("abc", "2")]
    [InlineData("  ", "2")]
    [InlineData("((1", "2")]
    public void Bad_score_ranges_are_refused(string min, string max) =>
        Assert.False(AkkaRedis.Actors.Commands.ZSetCommands.TryParseScoreRange(B(min), B(max), out _));

    [Fact]
    public void Lex_ranges_parse_and_compare_as_redis()
    {
        Assert.False(LexRange.TryParse(B("a"), B("+"), out _));
        Assert.False(LexRange.TryParse(B(""), B("+"), out _));
        Assert.False(LexRange.TryParse(B("-x"), B("+"), out _));
        Assert.True(LexRange.TryParse(B("-"), B("+"), out var all));
        Assert.True(all.Contains(B("")) && all.Contains(B("zzz")) && !all.IsEmpty);
        Assert.True(LexRange.TryParse(B("+"), B("-"), out var none));
        Assert.True(none.IsEmpty);
        Assert.True(LexRange.TryParse(B("(a"), B("[a"), out var empty));
        Assert.True(empty.IsEmpty);
        Assert.True(LexRange.TryParse(B("[a"), B("(b"), out var ab));
        Assert.True(ab.Contains(B("a")) && ab.Contains(B("az")) && !ab.Contains(B("b")));
    }

    /// <summary>One million members: inserts, ranks, rank lookups and removals must each stay O(log n). A quadratic
    /// step (a linear walk per operation) would take hours here; the bound is generous for a shared machine.</summary>
    [Fact]
    public void A_million_members_stay_logarithmic()
    {
        const int n = 1_000_000;
        var set = new RedisSortedSet();
        var rng = new Random(7);
        var members = new byte[n][];
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            members[i] = B("member:" + i);
            set.Add(members[i], rng.Next(n));
        }
        for (var i = 0; i < n; i += 10)
        {
            var node = set.Find(members[i])!;
            var rank = set.RankOf(node);
            Assert.Same(node, set.ByRank(rank));
        }
        var items = new List<ZItem>();
        ZSet.RangeByRank(set, n / 2, n / 2 + 9, reverse: false, items);
        Assert.Equal(10, items.Count);
        for (var i = 0; i < n; i += 2) Assert.True(set.Remove(members[i]));
        Assert.Equal(n / 2, set.Count);
        watch.Stop();
        // About 7 s here, and 2+ minutes on a 2-core machine loaded 30-deep: the bound only has to catch a step that is
        // linear per operation (quadratic in all), which would take hours on a million members.
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(6), $"1M-member operations took {watch.Elapsed}");
        // The order is intact after all that.
        double previous = double.NegativeInfinity;
        var count = 0;
        for (var node = set.First; node != null; node = node.Next, count++)
        {
            Assert.True(node.Score >= previous);
            previous = node.Score;
        }
        Assert.Equal(n / 2, count);
    }

    /// <summary>
    /// Moves (UpdateScore, which walks to the old and the new place at once), adds and removals on a big skip list,
    /// checked against a sorted model: the order, the backward links and, through RankOf and ByRank for every member,
    /// the spans on every level the walks use. Scores from a small range make ties, so members decide the order.
    /// </summary>
    [Theory]
    [InlineData(11, 40)]
    [InlineData(12, 100_000)]
    [InlineData(13, 3)]
    public void Moves_keep_order_ranks_and_spans(int seed, int scoreRange)
    {
        var rng = new Random(seed);
        var set = new RedisSortedSet();
        var scores = new Dictionary<string, double>();
        var members = Enumerable.Range(0, 3000).Select(i => "m" + (i * 7919 % 3000)).ToArray();
        var order = Comparer<(double Score, string Member)>.Create((a, b) =>
        {
            var c = a.Score.CompareTo(b.Score);
            return c != 0 ? c : B(a.Member).AsSpan().SequenceCompareTo(B(b.Member));
        });
        for (var step = 0; step < 40_000; step++)
        {
            var member = members[rng.Next(members.Length)];
            var node = set.Find(B(member));
            Assert.Equal(scores.ContainsKey(member), node != null);
            var op = rng.Next(10);
            if (node == null)
            {
                if (op < 7)
                {
                    var score = rng.Next(scoreRange);
                    set.Add(B(member), score);
                    scores[member] = score;
                }
            }
            else if (op == 0)
            {
                Assert.True(set.Remove(B(member)));
                scores.Remove(member);
            }
            else
            {
                // A far move, a near one (often in place), or onto a neighbour's score (a tie).
                var score = op switch
                {
                    < 5 => rng.Next(scoreRange),
                    < 8 => node.Score + (rng.NextDouble() - 0.5),
                    _ => (rng.Next(2) == 0 ? node.Backward : node.Next)?.Score ?? node.Score + 1,
                };
                if (score == node.Score) continue;
                set.UpdateScore(node, score);
                scores[member] = score;
            }
            if (step % 2000 != 1999) continue;
            var expected = scores.Select(kv => (kv.Value, kv.Key)).Order(order).ToList();
            Assert.Equal(expected.Count, set.Count);
            var rank = 0;
            RedisSortedSet.Node? previous = null;
            for (var n = set.First; n != null; previous = n, n = n.Next, rank++)
            {
                Assert.Equal(expected[rank], (n.Score, S(n.Member)));
                Assert.Same(previous, n.Backward);
                Assert.Equal(rank, set.RankOf(n));
                Assert.Same(n, set.ByRank(rank));
            }
            Assert.Equal(expected.Count, rank);
            Assert.Same(previous, set.Last);
            Assert.Null(set.ByRank(rank));
        }
    }

    [Fact]
    public void Copies_share_nothing()
    {
        object big = ZSet.Create(0, 0, 0, 64);
        ZSet.Add(ref big, 1, B("a"), ZAddFlags.None, 0, 64, out _);
        var copy = ZSet.Copy(big);
        ZSet.Add(ref big, 2, B("b"), ZAddFlags.None, 0, 64, out _);
        Assert.Equal(1, ZSet.Length(copy));
        object small = ZSet.Create(0, 0, 128, 64);
        ZSet.Add(ref small, 1, B("a"), ZAddFlags.None, 128, 64, out _);
        Assert.NotSame(small, ZSet.Copy(small));
    }
}
