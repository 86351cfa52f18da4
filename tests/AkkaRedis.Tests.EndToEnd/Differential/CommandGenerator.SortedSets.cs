namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's commands of the sorted-set family (t_zset.c). Zsets share the key space with strings
// and lists (WRONGTYPE both ways); a handful of members keeps them small (listpacks: their ZSCAN and MEMORY USAGE
// are deterministic). ZRANDMEMBER is only drawn with counts at least the set's size (the whole set, in order), 0,
// or bad ones: other counts pick at random.
public sealed partial class CommandGenerator
{
    private static readonly string[] ZMembers = ["a", "b", "c", "d", "1", "", "x y", "m", "aa"];

    private static readonly string[] ZScores =
        ["0", "1", "-1", "2", "2.5", "-0.5", "1e3", "0.1", "inf", "-inf", "+inf", "3", "10", "abc", "nan", "", "1e400", " 1"];

    private static readonly string[] ZScoreBounds =
        ["-inf", "+inf", "inf", "0", "1", "(1", "2", "(2", "2.5", "(3", "10", "-1", "(-inf", "abc", "(", "", "nan", " 1"];

    private static readonly string[] ZLexBounds = ["-", "+", "[a", "(a", "[b", "(c", "[d", "[", "(", "a", "", "+x", "[x y", "(aa"];

    private static readonly string[] ZIndexes = ["0", "1", "-1", "2", "-2", "5", "100", "-100", "abc", "9223372036854775807"];

    partial void BuildSortedSets()
    {
        Add("zadd", 12, ZAdd);
        Add("zincrby", 4, () => [Cmd("ZINCRBY"), Key(), Pick(ZScores), Pick(ZMembers)]);
        Add("zrem", 4, () => [Cmd("ZREM"), Key(), .. Enumerable.Range(0, 1 + _rng.Next(3)).Select(_ => Pick(ZMembers))]);
        Add("zcard", 3, () => [Cmd("ZCARD"), Key()]);
        Add("zscore", 3, () => [Cmd("ZSCORE"), Key(), Pick(ZMembers)]);
        Add("zmscore", 2, () => [Cmd("ZMSCORE"), Key(), .. Enumerable.Range(0, 1 + _rng.Next(3)).Select(_ => Pick(ZMembers))]);
        Add("zcount", 2, () => [Cmd("ZCOUNT"), Key(), Pick(ZScoreBounds), Pick(ZScoreBounds)]);
        Add("zlexcount", 2, () => [Cmd("ZLEXCOUNT"), Key(), Pick(ZLexBounds), Pick(ZLexBounds)]);
        Add("zrank", 2, () => [Cmd("ZRANK"), Key(), Pick(ZMembers)]);
        Add("zrevrank", 2, () => [Cmd("ZREVRANK"), Key(), Pick(ZMembers)]);
        Add("zrange", 8, () => [Cmd("ZRANGE"), .. ZRangeArgs(store: false)]);
        Add("zrangestore", 3, () => [Cmd("ZRANGESTORE"), Key(), .. ZRangeArgs(store: true)]);
        Add("zrangebyscore", 2, () => [Cmd("ZRANGEBYSCORE"), Key(), Pick(ZScoreBounds), Pick(ZScoreBounds), .. ZRangeOptions(true)]);
        Add("zrevrangebyscore", 2, () => [Cmd("ZREVRANGEBYSCORE"), Key(), Pick(ZScoreBounds), Pick(ZScoreBounds), .. ZRangeOptions(true)]);
        Add("zrangebylex", 2, () => [Cmd("ZRANGEBYLEX"), Key(), Pick(ZLexBounds), Pick(ZLexBounds), .. ZRangeOptions(false)]);
        Add("zrevrangebylex", 2, () => [Cmd("ZREVRANGEBYLEX"), Key(), Pick(ZLexBounds), Pick(ZLexBounds), .. ZRangeOptions(false)]);
        Add("zrevrange", 2, () => [Cmd("ZREVRANGE"), Key(), Pick(ZIndexes), Pick(ZIndexes), .. ZRangeOptions(true)]);
        Add("zremrangebyrank", 2, () => [Cmd("ZREMRANGEBYRANK"), Key(), Pick(ZIndexes), Pick(ZIndexes)]);
        Add("zremrangebyscore", 2, () => [Cmd("ZREMRANGEBYSCORE"), Key(), Pick(ZScoreBounds), Pick(ZScoreBounds)]);
        Add("zremrangebylex", 2, () => [Cmd("ZREMRANGEBYLEX"), Key(), Pick(ZLexBounds), Pick(ZLexBounds)]);
        Add("zpopmin", 3, () => _rng.Next(2) == 0 ? [Cmd("ZPOPMIN"), Key()] : [Cmd("ZPOPMIN"), Key(), Pick(Counts)]);
        Add("zpopmax", 3, () => _rng.Next(2) == 0 ? [Cmd("ZPOPMAX"), Key()] : [Cmd("ZPOPMAX"), Key(), Pick(Counts)]);
        Add("zmpop", 3, ZMPop);
        // Always a count and one more argument: the generator's dropped-last-argument mutation must not leave the
        // count-less form (a random member).
        Add("zrandmember", 2, () => [Cmd("ZRANDMEMBER"), Key(), Pick(["100", "1000", "0", "abc", "-9223372036854775808", "9223372036854775807"]),
            Word(Pick(["WITHSCORES", "WITHSCORES", "NOSUCH"]))]);
        Add("zscan", 2, () => _rng.Next(3) switch
        {
            0 => [Cmd("ZSCAN"), Key(), "0"],
            1 => [Cmd("ZSCAN"), Key(), Pick(["0", "abc", "-1"]), Word("MATCH"), Pick(["*", "a*", "?", "[a-c]", "x*"])],
            // No COUNT below the default: a sorted set that became a skip list pages in dict order, Redis's own.
            _ => [Cmd("ZSCAN"), Key(), "0", Word("COUNT"), Pick(["10", "100", "0", "abc"])],
        });
        Add("zunion", 2, () => [Cmd("ZUNION"), .. SetOperationArgs(weights: true, withScores: true)]);
        Add("zinter", 2, () => [Cmd("ZINTER"), .. SetOperationArgs(weights: true, withScores: true)]);
        Add("zdiff", 2, () => [Cmd("ZDIFF"), .. SetOperationArgs(weights: false, withScores: true)]);
        Add("zintercard", 1, () => [Cmd("ZINTERCARD"), .. SetOperationArgs(weights: false, withScores: false),
            .. _rng.Next(2) == 0 ? new[] { Word("LIMIT"), Pick(["0", "1", "2", "-1", "abc"]) } : []]);
        Add("zunionstore", 2, () => [Cmd("ZUNIONSTORE"), Key(), .. SetOperationArgs(weights: true, withScores: false)]);
        Add("zinterstore", 2, () => [Cmd("ZINTERSTORE"), Key(), .. SetOperationArgs(weights: true, withScores: false)]);
        Add("zdiffstore", 2, () => [Cmd("ZDIFFSTORE"), Key(), .. SetOperationArgs(weights: false, withScores: false)]);
    }

    /// <summary>numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]: numkeys sometimes wrong,
    /// options sometimes where the command takes none. (Redis adds inputs smallest first, with qsort: the order of
    /// inputs of equal size is glibc's, here a stable one; a sum of three inexact scores could tell them apart.)</summary>
    private List<string> SetOperationArgs(bool weights, bool withScores)
    {
        var keys = KeyList(1, 3);
        var numKeys = _rng.Next(12) switch
        {
            0 => "0",
            1 => "abc",
            2 => (keys.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => keys.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var args = new List<string> { numKeys };
        args.AddRange(keys);
        if (_rng.Next(weights ? 3 : 12) == 0)
        {
            args.Add(Word("WEIGHTS"));
            for (var i = 0; i < keys.Count; i++) args.Add(Pick(["1", "2", "0", "-1", "0.5", "inf", "abc"]));
        }
        if (_rng.Next(weights ? 3 : 12) == 0) args.AddRange([Word("AGGREGATE"), Word(Pick(["SUM", "MIN", "MAX", "AVG"]))]);
        if (_rng.Next(withScores ? 2 : 12) == 0) args.Add(Word("WITHSCORES"));
        return args;
    }

    private List<string> ZAdd()
    {
        var args = new List<string> { Cmd("ZADD"), Key() };
        // Options in random order and combinations, the incompatible ones included.
        foreach (var option in new[] { "NX", "XX", "GT", "LT", "CH", "INCR" })
            if (_rng.Next(8) == 0) args.Insert(2 + _rng.Next(args.Count - 1), Word(option));
        var pairs = 1 + _rng.Next(_rng.Next(3) == 0 ? 4 : 1);
        for (var i = 0; i < pairs; i++)
        {
            args.Add(_rng.Next(6) == 0 ? Pick(ZScores) : Pick(ZScores[..13]));
            args.Add(Pick(ZMembers));
        }
        return args;
    }

    /// <summary>key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES], bounds fitting the kind
    /// (mostly), options in random order.</summary>
    private List<string> ZRangeArgs(bool store)
    {
        var kind = _rng.Next(3);
        var bounds = kind switch { 1 => ZScoreBounds, 2 => ZLexBounds, _ => ZIndexes };
        var args = new List<string> { Key(), Pick(bounds), Pick(bounds) };
        var options = new List<List<string>>();
        if (kind == 1) options.Add([Word("BYSCORE")]);
        if (kind == 2) options.Add([Word("BYLEX")]);
        if (_rng.Next(3) == 0) options.Add([Word("REV")]);
        if (_rng.Next(kind == 0 ? 10 : 3) == 0) options.Add([Word("LIMIT"), Pick(["0", "1", "-1", "2", "10", "abc"]), Pick(["1", "2", "-1", "0", "abc"])]);
        if (_rng.Next(store ? 10 : 3) == 0) options.Add([Word("WITHSCORES")]);
        if (_rng.Next(20) == 0) options.Add([Word(Pick(["BYSCORE", "BYLEX", "REV", "LIMIT", "NOSUCH"]))]);
        foreach (var o in options.OrderBy(_ => _rng.Next())) args.AddRange(o);
        return args;
    }

    private List<string> ZRangeOptions(bool scores)
    {
        var options = new List<List<string>>();
        if (_rng.Next(3) == 0) options.Add([Word("LIMIT"), Pick(["0", "1", "-1", "2", "abc"]), Pick(["1", "2", "-1", "0", "abc"])]);
        if (_rng.Next(scores ? 2 : 10) == 0) options.Add([Word("WITHSCORES")]);
        if (_rng.Next(20) == 0) options.Add([Word(Pick(["REV", "BYSCORE", "NOSUCH"]))]);
        return options.OrderBy(_ => _rng.Next()).SelectMany(o => o).ToList();
    }

    private List<string> ZMPop()
    {
        var keys = KeyList(1, 3);
        var numKeys = _rng.Next(15) switch
        {
            0 => "0",
            1 => "-1",
            2 => "abc",
            3 => (keys.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => keys.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var args = new List<string> { Cmd("ZMPOP"), numKeys };
        args.AddRange(keys);
        args.Add(Word(Pick(["MIN", "MAX", "MIN", "MAX", "LEFT"])));
        if (_rng.Next(2) == 0) args.AddRange([Word("COUNT"), Pick(Counts)]);
        return args;
    }
}
