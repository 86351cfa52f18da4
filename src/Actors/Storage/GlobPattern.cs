namespace AkkaRedis.Actors.Storage;

/// <summary>
/// Redis's glob-style matcher (util.c stringmatchlen), reproduced quirk for quirk because KEYS, SCAN MATCH and
/// (later) PSUBSCRIBE, CONFIG GET and ACL patterns must select exactly the names Redis selects:
/// <c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[^abc]</c>, <c>[a-z]</c> (reversed ranges allowed), <c>\x</c> escapes.
/// </summary>
/// <remarks>
/// Redis reads the pattern as a NUL-terminated C string of signed chars, which shows in corner cases:
/// an unterminated class ("[a") ends at the end of the pattern, "[^" alone matches any one byte, byte ranges
/// compare bytes &gt;= 0x80 as negative numbers, and "**" does not match the empty string. Recursion on '*'
/// stops at a nesting depth of 1000, as Redis 7.0.15 does against abusive patterns.
/// </remarks>
public static class GlobPattern
{
    private const int MaxNesting = 1000;

    public static bool Match(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool noCase = false)
    {
        var skipLongerMatches = false;
        return Match(pattern, text, noCase, ref skipLongerMatches, 0);
    }

    /// <summary>The same match over names held as strings (CONFIG GET parameters, COMMAND LIST FILTERBY PATTERN): each
    /// char is taken as one byte, as those names are ASCII.</summary>
    public static bool Match(string pattern, string text, bool noCase = false)
    {
        var p = pattern.Length <= 256 ? stackalloc byte[pattern.Length] : new byte[pattern.Length];
        var t = text.Length <= 256 ? stackalloc byte[text.Length] : new byte[text.Length];
        System.Text.Encoding.Latin1.GetBytes(pattern, p);
        System.Text.Encoding.Latin1.GetBytes(text, t);
        return Match(p, t, noCase);
    }

    /// <summary>True when the pattern is exactly "*" (KEYS and SCAN skip matching then).</summary>
    public static bool MatchesEverything(ReadOnlySpan<byte> pattern) => pattern.Length == 1 && pattern[0] == '*';

    // The pattern's byte at i, or 0 past its end: Redis reads the string's NUL terminator there.
    private static byte At(ReadOnlySpan<byte> p, int i) => i < p.Length ? p[i] : (byte)0;

    private static int Lower(int c) => c >= 'A' && c <= 'Z' ? c + 32 : c;

    private static bool SameByte(byte a, byte b, bool noCase) => noCase ? Lower(a) == Lower(b) : a == b;

    private static bool Match(ReadOnlySpan<byte> p, ReadOnlySpan<byte> s, bool noCase, ref bool skipLongerMatches, int nesting)
    {
        if (nesting > MaxNesting) return false;
        // Redis moves (pattern, patternLen) and (string, stringLen) in lockstep: an index into each is enough.
        var pi = 0;
        var si = 0;
        while (pi < p.Length && si < s.Length)
        {
            switch (p[pi])
            {
                case (byte)'*':
                    while (pi < p.Length && At(p, pi + 1) == '*') pi++;
                    if (p.Length - pi == 1) return true;
                    while (si < s.Length)
                    {
                        if (Match(p[(pi + 1)..], s[si..], noCase, ref skipLongerMatches, nesting + 1)) return true;
                        // The rest of the pattern matched nowhere in a longer suffix: an earlier '*' taking more
                        // cannot help either, so every enclosing level gives up at once.
                        if (skipLongerMatches) return false;
                        si++;
                    }
                    skipLongerMatches = true;
                    return false;
                case (byte)'?':
                    si++;
                    break;
                case (byte)'[':
                {
                    pi++;
                    var negate = At(p, pi) == '^';
                    if (negate) pi++;
                    var match = false;
                    while (true)
                    {
                        var remaining = p.Length - pi;
                        var c = At(p, pi);
                        if (c == '\\' && remaining >= 2)
                        {
                            pi++;
                            if (p[pi] == s[si]) match = true;
                        }
                        else if (c == ']')
                        {
                            break;
                        }
                        else if (remaining == 0)
                        {
                            // Unterminated class: step back so the outer loop ends at the pattern's end.
                            pi--;
                            break;
                        }
                        else if (remaining >= 3 && p[pi + 1] == '-')
                        {
                            // C chars are signed: bytes >= 0x80 sort below every ASCII byte.
                            int start = (sbyte)p[pi];
                            int end = (sbyte)p[pi + 2];
                            int ch = (sbyte)s[si];
                            if (start > end) (start, end) = (end, start);
                            if (noCase)
                            {
                                start = Lower(start);
                                end = Lower(end);
                                ch = Lower(ch);
                            }
                            pi += 2;
                            if (ch >= start && ch <= end) match = true;
                        }
                        else if (SameByte(c, s[si], noCase))
                        {
                            match = true;
                        }
                        pi++;
                    }
                    if (negate) match = !match;
                    if (!match) return false;
                    si++;
                    break;
                }
                case (byte)'\\':
                    if (p.Length - pi >= 2) pi++;
                    if (!SameByte(p[pi], s[si], noCase)) return false;
                    si++;
                    break;
                default:
                    if (!SameByte(p[pi], s[si], noCase)) return false;
                    si++;
                    break;
            }
            pi++;
            if (si == s.Length)
            {
                while (At(p, pi) == '*') pi++;
                break;
            }
        }
        return pi == p.Length && si == s.Length;
    }
}
