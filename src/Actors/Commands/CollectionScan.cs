using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// What HSCAN, SSCAN and ZSCAN share of Redis's scanGenericCommand: the options after the cursor, and the walk of a
/// hashtable-encoded value one bucket at a time. (A compact value — listpack, intset — is returned whole with cursor
/// 0 by each family, as Redis does.)
/// </summary>
internal static class CollectionScan
{
    /// <summary>COUNT n (an integer >= 1) and MATCH pattern, in any order and repeated (the last one wins); anything
    /// else is a syntax error. <paramref name="pattern"/> is null when it matches everything.</summary>
    public static bool TryParseOptions(ExecContext c, int start, out long count, out byte[]? pattern)
    {
        count = 10;
        pattern = null;
        for (var i = start; i < c.Argc; i += 2)
        {
            var remaining = c.Argc - i;
            if (c.ArgIs(i, "count") && remaining >= 2)
            {
                if (!RedisNumbers.TryParseLong(c.Args[i + 1], out count))
                {
                    c.Reply.Error(Errors.NotInteger);
                    return false;
                }
                if (count < 1)
                {
                    c.Reply.Error(Errors.Syntax);
                    return false;
                }
            }
            else if (c.ArgIs(i, "match") && remaining >= 2)
            {
                pattern = GlobPattern.MatchesEverything(c.Args[i + 1]) ? null : c.Args[i + 1].ToArray();
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return false;
            }
        }
        return true;
    }

    /// <summary>Scans buckets from <paramref name="cursor"/> until COUNT members are collected, COUNT*10 buckets
    /// were visited (maxiterations) or the scan is complete; returns the next cursor.</summary>
    public static ulong Collect<T>(MemberTable<T> table, ulong cursor, long count, List<(byte[] Member, T Value)> output)
    {
        var budget = count > long.MaxValue / 10 ? long.MaxValue : count * 10;
        do cursor = table.ScanStep(cursor, output);
        while (cursor != 0 && budget-- > 0 && output.Count < count);
        return cursor;
    }

    /// <summary>The empty scan reply of a missing key (shared.emptyscan).</summary>
    public static void WriteEmpty(RespWriter reply)
    {
        reply.ArrayHeader(2);
        reply.Bulk("0"u8);
        reply.ArrayHeader(0);
    }
}
