using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// Stream IDs given as command arguments, parsed as Redis 7.0's t_stream.c does (streamGenericParseIDOrReply,
/// streamParseIntervalIDOrReply), quirks included: the text ends at a NUL byte, longer than 127 bytes is invalid,
/// and each number is read by string2ull, which falls back to strtoull (so " 5", "+5", "007" and "-0" are accepted,
/// and " -1" wraps to 18446744073709551615).
/// </summary>
public static class StreamIdArgs
{
    public const string InvalidId = "ERR Invalid stream ID specified as stream command argument";
    public const string InvalidIntervalStart = "ERR invalid start ID for the interval";
    public const string InvalidIntervalEnd = "ERR invalid end ID for the interval";

    /// <summary>
    /// "-" (0-0) and "+" (max-max) unless <paramref name="strict"/>, "ms-seq", or "ms" with <paramref name="missingSeq"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> arg, ulong missingSeq, bool strict, out StreamId id) =>
        TryParse(arg, missingSeq, strict, allowSeqWildcard: false, out id, out _);

    /// <summary>
    /// XADD's form: also "ms-*", for which <paramref name="seqGiven"/> is false (and the sequence 0) so that the
    /// caller picks the sequence. Strict: "-" and "+" are invalid.
    /// </summary>
    public static bool TryParseWithSeqWildcard(ReadOnlySpan<byte> arg, out StreamId id, out bool seqGiven) =>
        TryParse(arg, 0, strict: true, allowSeqWildcard: true, out id, out seqGiven);

    /// <summary><see cref="TryParse(ReadOnlySpan{byte}, ulong, bool, out StreamId)"/>, replying Redis's error when invalid.</summary>
    public static bool TryParseOrReply(ExecContext c, ReadOnlySpan<byte> arg, ulong missingSeq, bool strict, out StreamId id)
    {
        if (TryParse(arg, missingSeq, strict, out id)) return true;
        c.Reply.Error(InvalidId);
        return false;
    }

    /// <summary>
    /// The start of an XRANGE-like interval (XRANGE, XREVRANGE's second, XPENDING): a missing sequence is 0, and
    /// "(id" is exclusive, so the next ID (error at the maximum ID).
    /// </summary>
    public static bool TryParseIntervalStartOrReply(ExecContext c, ReadOnlySpan<byte> arg, out StreamId id)
    {
        if (!TryParseInterval(c, arg, 0, out id, out var exclusive)) return false;
        if (exclusive && !id.TryIncrement(out id))
        {
            c.Reply.Error(InvalidIntervalStart);
            return false;
        }
        return true;
    }

    /// <summary>The end of an interval: a missing sequence is the maximum, "(id" the previous ID (error at 0-0).</summary>
    public static bool TryParseIntervalEndOrReply(ExecContext c, ReadOnlySpan<byte> arg, out StreamId id)
    {
        if (!TryParseInterval(c, arg, ulong.MaxValue, out id, out var exclusive)) return false;
        if (exclusive && !id.TryDecrement(out id))
        {
            c.Reply.Error(InvalidIntervalEnd);
            return false;
        }
        return true;
    }

    /// <summary>streamParseIntervalIDOrReply: "(" before an ID of more than nothing makes it exclusive, and the rest
    /// is parsed strictly (no "-"/"+").</summary>
    private static bool TryParseInterval(ExecContext c, ReadOnlySpan<byte> arg, ulong missingSeq, out StreamId id, out bool exclusive)
    {
        exclusive = arg.Length > 1 && arg[0] == '(';
        return TryParseOrReply(c, exclusive ? arg[1..] : arg, missingSeq, strict: exclusive, out id);
    }

    private static bool TryParse(ReadOnlySpan<byte> arg, ulong missingSeq, bool strict, bool allowSeqWildcard,
        out StreamId id, out bool seqGiven)
    {
        id = default;
        seqGiven = true;
        if (arg.Length > 127) return false;
        arg = CString.Of(arg);
        if (arg.Length == 1 && (arg[0] == '-' || arg[0] == '+'))
        {
            if (strict) return false;
            id = arg[0] == '-' ? StreamId.Min : StreamId.Max;
            return true;
        }
        var dash = arg.IndexOf((byte)'-');
        var msText = dash >= 0 ? arg[..dash] : arg;
        if (!TryParseUnsigned(msText, out var ms)) return false;
        ulong seq;
        if (dash < 0) seq = missingSeq;
        else if (allowSeqWildcard && arg.Length - dash == 2 && arg[dash + 1] == '*')
        {
            seq = 0;
            seqGiven = false;
        }
        else if (!TryParseUnsigned(arg[(dash + 1)..], out seq)) return false;
        id = new StreamId(ms, seq);
        return true;
    }

    /// <summary>
    /// Redis's string2ull: string2ll when that succeeds (negative is an error), else C's strtoull in base 10, which
    /// skips leading white space, takes one sign ("-" negates modulo 2^64) and must consume the whole text without
    /// overflowing.
    /// </summary>
    public static bool TryParseUnsigned(ReadOnlySpan<byte> s, out ulong value)
    {
        if (RedisNumbers.TryParseLong(s, out var signed))
        {
            value = (ulong)signed;
            return signed >= 0;
        }
        value = 0;
        var i = 0;
        while (i < s.Length && CString.IsSpace(s[i])) i++;
        var negative = false;
        if (i < s.Length && s[i] is (byte)'+' or (byte)'-') negative = s[i++] == '-';
        var digitsStart = i;
        ulong v = 0;
        for (; i < s.Length; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d > 9) return false;
            if (v > (ulong.MaxValue - d) / 10) return false; // ERANGE
            v = v * 10 + d;
        }
        if (i == digitsStart) return false; // no digits: nothing converted
        value = negative ? unchecked(0 - v) : v;
        return true;
    }
}
