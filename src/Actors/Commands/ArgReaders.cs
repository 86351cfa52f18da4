using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

/// <summary>Redis's getLongFromObjectOrReply family for handlers (<c>using static</c>): read an argument, or reply
/// with Redis's error for it and return false.</summary>
public static class ArgReaders
{
    /// <summary>getLongFromObjectOrReply: an integer (string2ll rules), else "value is not an integer or out of range".</summary>
    public static bool TryGetLong(ExecContext c, ReadOnlySpan<byte> arg, out long value)
    {
        if (RedisNumbers.TryParseLong(arg, out value)) return true;
        c.Reply.Error(Errors.NotInteger);
        return false;
    }

    /// <summary>getRangeLongFromObjectOrReply with a message: an integer in [<paramref name="min"/>, long.MaxValue];
    /// Redis answers <paramref name="error"/> both when it is not an integer and when it is out of range.</summary>
    public static bool TryGetAtLeast(ExecContext c, ReadOnlySpan<byte> arg, long min, string error, out long value)
    {
        if (RedisNumbers.TryParseLong(arg, out value) && value >= min) return true;
        c.Reply.Error(error);
        return false;
    }

    /// <summary>The options after LMPOP's/ZMPOP's LEFT|RIGHT or MIN|MAX: an optional COUNT n (n >= 1, once), nothing
    /// else (the loop lmpopGenericCommand and zmpopGenericCommand share); 1 when absent.</summary>
    public static bool TryGetMpopCount(ExecContext c, int start, out long count)
    {
        count = -1;
        for (var j = start; j < c.Argc; j++)
        {
            var moreArgs = c.Argc - 1 - j > 0;
            if (count == -1 && c.ArgIs(j, "count") && moreArgs)
            {
                j++;
                if (!TryGetAtLeast(c, c.Args[j], 1, "ERR count should be greater than 0", out count)) return false;
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return false;
            }
        }
        if (count == -1) count = 1;
        return true;
    }
}
