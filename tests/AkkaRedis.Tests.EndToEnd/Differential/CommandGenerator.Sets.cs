using System.Globalization;

namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's commands of the set family (t_set.c). Sets share the key space with strings and lists
// (WRONGTYPE both ways). Members come from a pool of nine, integers and strings mixed, so sets switch from intset
// to hashtable on the way, and no set ever holds ten members: SSCAN with its default COUNT (10) then returns a
// hashtable set whole in one call on redis-server too, and SPOP/SRANDMEMBER counts of 10 or more return the whole
// set. Random draws (SPOP without a count, SRANDMEMBER without one or negative, counts below the size) are left out:
// their replies and effects depend on each server's random numbers.
public sealed partial class CommandGenerator
{
    private static readonly string[] SetMembers = ["a", "b", "1", "2", "-1", "10", "", "x y", "9223372036854775807"];
    private static readonly string[] SpopCounts = ["10", "100", "0", "-1", "abc", "9223372036854775807"];
    private static readonly string[] SrandmemberCounts = ["10", "100", "0", "abc", "-9223372036854775808", "9223372036854775807"];

    partial void BuildSets()
    {
        Add("sadd", 8, () => [Cmd("SADD"), Key(), .. SetMemberList(1, 4)]);
        Add("srem", 4, () => [Cmd("SREM"), Key(), .. SetMemberList(1, 3)]);
        Add("scard", 2, () => [Cmd("SCARD"), Key()]);
        Add("sismember", 2, () => [Cmd("SISMEMBER"), Key(), Pick(SetMembers)]);
        Add("smismember", 2, () => [Cmd("SMISMEMBER"), Key(), .. SetMemberList(1, 3)]);
        Add("smembers", 3, () => [Cmd("SMEMBERS"), Key()]);
        Add("spop", 2, () => [Cmd("SPOP"), Key(), Pick(SpopCounts)]);
        Add("srandmember", 2, () => [Cmd("SRANDMEMBER"), Key(), Pick(SrandmemberCounts)]);
        Add("smove", 3, () => [Cmd("SMOVE"), Key(), Key(), Pick(SetMembers)]);
        Add("sinter", 2, () => [Cmd("SINTER"), .. KeyList(1, 3)]);
        Add("sintercard", 2, SInterCard);
        Add("sinterstore", 2, () => [Cmd("SINTERSTORE"), Key(), .. KeyList(1, 3)]);
        Add("sunion", 2, () => [Cmd("SUNION"), .. KeyList(1, 3)]);
        Add("sunionstore", 2, () => [Cmd("SUNIONSTORE"), Key(), .. KeyList(1, 3)]);
        Add("sdiff", 2, () => [Cmd("SDIFF"), .. KeyList(1, 3)]);
        Add("sdiffstore", 2, () => [Cmd("SDIFFSTORE"), Key(), .. KeyList(1, 3)]);
        Add("sscan", 2, SScan);
    }

    private List<string> SetMemberList(int min, int max)
    {
        var n = min + _rng.Next(max - min + 1);
        var members = new List<string>(n);
        for (var i = 0; i < n; i++) members.Add(Pick(SetMembers));
        return members;
    }

    private List<string> SInterCard()
    {
        var keys = KeyList(1, 3);
        var numKeys = _rng.Next(12) switch
        {
            0 => "0",
            1 => "abc",
            2 => (keys.Count + 1).ToString(CultureInfo.InvariantCulture),
            _ => keys.Count.ToString(CultureInfo.InvariantCulture),
        };
        List<string> args = [Cmd("SINTERCARD"), numKeys, .. keys];
        if (_rng.Next(2) == 0) args.AddRange([Word(Pick(["LIMIT", "LIMIT", "FOO"])), Pick(["0", "1", "2", "-1", "abc"])]);
        return args;
    }

    private List<string> SScan()
    {
        List<string> args = [Cmd("SSCAN"), Key(), Pick(["0", "0", "0", "abc"])];
        if (_rng.Next(2) == 0) args.AddRange([Word("MATCH"), Pick(["*", "a*", "1*", "?", "[ab]", "nomatch"])]);
        if (_rng.Next(3) == 0) args.AddRange([Word("COUNT"), Pick(["10", "20", "100", "0", "-1", "abc"])]);
        return args;
    }
}
