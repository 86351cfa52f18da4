namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's commands of stream consumer groups. Streams share the key space with the other
// families (WRONGTYPE both ways). Deterministic by construction: explicit entry IDs, min-idle times of 0 or far
// beyond a run (what is claimed or listed never depends on the clock), BLOCK only with a 1 ms timeout on a read that
// finds nothing (redis-server waits 1 ms, AkkaRedis answers at once: both a null). Idle, delivery and seen times in
// replies are masked by ReplyRules; XCLAIM's TIME in effects is compared within EffectsDiff's tolerance.
public sealed partial class CommandGenerator
{
    private static readonly string[] GroupNames = ["g1", "g2", "g1", ""];
    private static readonly string[] ConsumerNames = ["c1", "c2", "c3", "c1"];
    private static readonly string[] GroupIds = ["0", "0-0", "$", "$", "1-1", "3", "5-2", "-", "+", "abc", "(1", "18446744073709551615-18446744073709551615"];
    // Entries come from the stream family's XADD (CommandGenerator.Streams.cs, explicit IDs like these).
    private static readonly string[] PelIds = ["1-1", "1-2", "2-0", "2-5", "5-1", "10-3", "9-9", "1", "abc", "-"];
    private static readonly string[] PelRangeStarts = ["-", "0", "1-1", "(2-0", "3", "(18446744073709551615-18446744073709551615", "abc"];
    private static readonly string[] PelRangeEnds = ["+", "+", "4", "(3-0", "2-1", "(0-0", "abc"];
    private static readonly string[] MinIdles = ["0", "0", "100000000", "-5", "abc"];

    partial void BuildStreamGroups()
    {
        Add("xgroup|create", 4, () =>
        {
            List<string> args = [Cmd("XGROUP"), Word("CREATE"), Key(), Pick(GroupNames), Pick(GroupIds)];
            if (_rng.Next(2) == 0) args.Add(Word("MKSTREAM"));
            if (_rng.Next(4) == 0) args.AddRange([Word("ENTRIESREAD"), Pick(["0", "2", "-1", "-2", "abc"])]);
            return args;
        });
        Add("xgroup|setid", 2, () =>
        {
            List<string> args = [Cmd("XGROUP"), Word("SETID"), Key(), Pick(GroupNames), Pick(GroupIds)];
            if (_rng.Next(3) == 0) args.AddRange([Word("ENTRIESREAD"), Pick(["0", "3", "-1", "abc"])]);
            return args;
        });
        Add("xgroup|destroy", 1, () => [Cmd("XGROUP"), Word("DESTROY"), Key(), Pick(GroupNames)]);
        Add("xgroup|createconsumer", 2, () => [Cmd("XGROUP"), Word("CREATECONSUMER"), Key(), Pick(GroupNames), Pick(ConsumerNames)]);
        Add("xgroup|delconsumer", 1, () => [Cmd("XGROUP"), Word("DELCONSUMER"), Key(), Pick(GroupNames), Pick(ConsumerNames)]);
        Add("xgroup|help", 1, () => [Cmd("XGROUP"), Word("HELP")]);
        Add("xreadgroup", 6, XReadGroup);
        Add("xack", 3, () => [Cmd("XACK"), Key(), Pick(GroupNames), .. Enumerable.Range(0, _rng.Next(1, 4)).Select(_ => Pick(PelIds))]);
        Add("xpending", 3, () =>
        {
            List<string> args = [Cmd("XPENDING"), Key(), Pick(GroupNames)];
            if (_rng.Next(3) == 0) return args;
            if (_rng.Next(3) == 0) args.AddRange([Word("IDLE"), Pick(MinIdles)]);
            args.AddRange([Pick(PelRangeStarts), Pick(PelRangeEnds), Pick(Counts)]);
            if (_rng.Next(2) == 0) args.Add(Pick(ConsumerNames));
            return args;
        });
        Add("xclaim", 3, () =>
        {
            List<string> args = [Cmd("XCLAIM"), Key(), Pick(GroupNames), Pick(ConsumerNames), Pick(MinIdles), .. Enumerable.Range(0, _rng.Next(1, 4)).Select(_ => Pick(PelIds))];
            foreach (var option in new[] { "JUSTID", "FORCE" })
                if (_rng.Next(3) == 0) args.Add(Word(option));
            if (_rng.Next(4) == 0) args.AddRange([Word("RETRYCOUNT"), Pick(["0", "5", "abc"])]);
            if (_rng.Next(4) == 0) args.AddRange([Word("TIME"), Pick(["1000", "-1", "abc"])]);
            if (_rng.Next(4) == 0) args.AddRange([Word("IDLE"), Pick(["0", "1000", "abc"])]);
            if (_rng.Next(4) == 0) args.AddRange([Word("LASTID"), Pick(PelIds)]);
            return args;
        });
        Add("xautoclaim", 3, () =>
        {
            List<string> args = [Cmd("XAUTOCLAIM"), Key(), Pick(GroupNames), Pick(ConsumerNames), Pick(MinIdles), Pick(PelRangeStarts)];
            if (_rng.Next(2) == 0) args.AddRange([Word("COUNT"), Pick(["1", "2", "10", "0", "-1", "abc"])]);
            if (_rng.Next(3) == 0) args.Add(Word("JUSTID"));
            return args;
        });
        Add("xinfo|stream", 2, () => _rng.Next(3) switch
        {
            0 => [Cmd("XINFO"), Word("STREAM"), Key()],
            1 => [Cmd("XINFO"), Word("STREAM"), Key(), Word("FULL")],
            _ => [Cmd("XINFO"), Word("STREAM"), Key(), Word("FULL"), Word("COUNT"), Pick(Counts)],
        });
        Add("xinfo|groups", 2, () => [Cmd("XINFO"), Word("GROUPS"), Key()]);
        Add("xinfo|consumers", 2, () => [Cmd("XINFO"), Word("CONSUMERS"), Key(), Pick(GroupNames)]);
        Add("xinfo|help", 1, () => [Cmd("XINFO"), Word("HELP")]);
    }

    private List<string> XReadGroup()
    {
        List<string> args = [Cmd("XREADGROUP"), Word("GROUP"), Pick(GroupNames), Pick(ConsumerNames)];
        if (_rng.Next(2) == 0) args.AddRange([Word("COUNT"), Pick(Counts)]);
        if (_rng.Next(3) == 0) args.Add(Word("NOACK"));
        var ids = Enumerable.Range(0, _rng.Next(1, 3)).Select(_ => Pick([">", ">", ">", "0", "1-1", "$"])).ToList();
        // BLOCK only where nothing can block: history IDs are always served at once.
        if (_rng.Next(6) == 0 && !ids.Contains(">")) args.AddRange([Word("BLOCK"), "1"]);
        args.Add(Word("STREAMS"));
        args.AddRange(ids.Select(_ => Key()));
        args.AddRange(ids);
        return args;
    }
}
