namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's commands of streams without consumer groups. Streams share the key space with the other
// families (WRONGTYPE both ways). IDs are explicit or "ms-*" (never "*", which reads the clock), drawn from a small
// set so that adds collide with the top item, ranges and XDEL hit existing entries, and trims cross nodes.
public sealed partial class CommandGenerator
{
    private static readonly string[] StreamIds =
    [
        "1-1", "1-2", "2", "2-0", "2-5", "3-*", "5-*", "5-1", "7", "10-3", "0-1", "0-0", "1-*",
        "18446744073709551615-18446744073709551615", "18446744073709551615-*", "abc", "-", "+", "1-x",
    ];

    private static readonly string[] StreamRangeIds = ["-", "+", "0", "1", "1-1", "(1-1", "2", "(2", "5-1", "(10-3", "10", "x", "("];
    private static readonly string[] StreamFields = ["f", "g", "name", "1", ""];

    partial void BuildStreams()
    {
        Add("xadd", 12, () => [Cmd("XADD"), Key(), .. StreamAddOptions(), Pick(StreamIds), .. StreamFieldValues()]);
        Add("xlen", 3, () => [Cmd("XLEN"), Key()]);
        Add("xrange", 4, () => [Cmd("XRANGE"), Key(), Pick(StreamRangeIds), Pick(StreamRangeIds), .. StreamCount()]);
        Add("xrevrange", 3, () => [Cmd("XREVRANGE"), Key(), Pick(StreamRangeIds), Pick(StreamRangeIds), .. StreamCount()]);
        Add("xdel", 3, () => [Cmd("XDEL"), Key(), .. Enumerable.Range(0, _rng.Next(1, 4)).Select(_ => Pick(StreamIds))]);
        Add("xtrim", 3, () => [Cmd("XTRIM"), Key(), .. StreamTrim()]);
        Add("xsetid", 2, () => _rng.Next(3) switch
        {
            0 => [Cmd("XSETID"), Key(), Pick(StreamIds)],
            1 => [Cmd("XSETID"), Key(), Pick(StreamIds), Word("ENTRIESADDED"), Pick(["0", "5", "100", "-1", "abc"])],
            _ => [Cmd("XSETID"), Key(), Pick(StreamIds), Word("MAXDELETEDID"), Pick(StreamIds)],
        });
        Add("xread", 3, () =>
        {
            var n = _rng.Next(1, 3);
            var args = new List<string> { Cmd("XREAD") };
            if (_rng.Next(3) == 0) args.AddRange([Word("COUNT"), Pick(Counts)]);
            args.Add(Word("STREAMS"));
            for (var i = 0; i < n; i++) args.Add(Key());
            for (var i = 0; i < n; i++) args.Add(Pick(["0", "1-1", "2", "$", "5-1", "abc"]));
            if (_rng.Next(20) == 0) args.RemoveAt(args.Count - 1); // unbalanced
            return args;
        });
    }

    private List<string> StreamFieldValues()
    {
        var result = new List<string>();
        var n = _rng.Next(15) == 0 ? 0 : _rng.Next(1, 3);
        for (var i = 0; i < n; i++)
        {
            result.Add(Pick(StreamFields));
            result.Add(Pick(Values));
        }
        if (_rng.Next(15) == 0) result.Add(Pick(StreamFields));
        return result;
    }

    private List<string> StreamAddOptions()
    {
        var result = new List<string>();
        if (_rng.Next(6) == 0) result.Add(Word("NOMKSTREAM"));
        if (_rng.Next(3) == 0) result.AddRange(StreamTrim());
        return result;
    }

    /// <summary>MAXLEN or MINID with "=", "~" or nothing, and sometimes LIMIT (valid or not).</summary>
    private List<string> StreamTrim()
    {
        var result = new List<string>();
        var byMinId = _rng.Next(3) == 0;
        result.Add(Word(byMinId ? "MINID" : "MAXLEN"));
        var mode = _rng.Next(3);
        if (mode == 1) result.Add("~");
        else if (mode == 2) result.Add("=");
        result.Add(byMinId ? Pick(["0", "1-2", "2", "5-1", "10", "x"]) : Pick(["0", "1", "2", "3", "10", "-1", "x"]));
        if (_rng.Next(5) == 0) result.AddRange([Word("LIMIT"), Pick(["0", "1", "3", "100", "-1", "x"])]);
        return result;
    }

    private List<string> StreamCount() =>
        _rng.Next(3) == 0 ? [Word("COUNT"), Pick(Counts)] : [];
}
