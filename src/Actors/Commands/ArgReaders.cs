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
}
