using System.Text;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// An argument as C sees it. Redis hands an argument's sds to C functions (printf's %s, strtod, strtoul, strchr,
/// strcasecmp) that stop at the first NUL byte, and skip white space as isspace() defines it: replies and parsing
/// follow them, quirks included.
/// </summary>
public static class CString
{
    /// <summary>The bytes up to the first NUL.</summary>
    public static ReadOnlySpan<byte> Of(ReadOnlySpan<byte> s)
    {
        var nul = s.IndexOf((byte)0);
        return nul < 0 ? s : s[..nul];
    }

    /// <summary>printf's "%.Ns": at most <paramref name="max"/> bytes, none from the first NUL on, one char per byte.</summary>
    public static string Text(ReadOnlySpan<byte> s, int max = int.MaxValue) =>
        Encoding.Latin1.GetString(Of(s[..Math.Min(s.Length, Math.Max(0, max))]));

    /// <summary>C's isspace in the "C" locale.</summary>
    public static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    /// <summary>What strtod/strtoul skip before the number: the leading isspace() bytes.</summary>
    public static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> s)
    {
        var i = 0;
        while (i < s.Length && IsSpace(s[i])) i++;
        return s[i..];
    }
}
