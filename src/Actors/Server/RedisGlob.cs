namespace AkkaRedis.Actors.Server;

/// <summary>Redis's glob-style matching (util.c stringmatchlen): * ? [abc] [^a-z] and backslash escapes.</summary>
public static class RedisGlob
{
    public static bool Match(string pattern, string text, bool nocase)
    {
        var skipLongerMatches = false;
        return Match(pattern.AsSpan(), text.AsSpan(), nocase, ref skipLongerMatches, 0);
    }

    private static bool Match(ReadOnlySpan<char> p, ReadOnlySpan<char> s, bool nocase, ref bool skipLongerMatches, int nesting)
    {
        // Like Redis, give up on pathological patterns instead of recursing without bound.
        if (nesting > 1000) return false;
        while (p.Length > 0 && s.Length > 0)
        {
            switch (p[0])
            {
                case '*':
                    while (p.Length > 1 && p[1] == '*') p = p[1..];
                    if (p.Length == 1) return true;
                    while (s.Length > 0)
                    {
                        if (Match(p[1..], s, nocase, ref skipLongerMatches, nesting + 1)) return true;
                        if (skipLongerMatches) return false;
                        s = s[1..];
                    }
                    // The rest of the pattern matched nowhere in the rest of the text: a longer match for an
                    // earlier '*' cannot help either.
                    skipLongerMatches = true;
                    return false;
                case '?':
                    s = s[1..];
                    break;
                case '[':
                {
                    p = p[1..];
                    var not = p.Length > 0 && p[0] == '^';
                    if (not) p = p[1..];
                    var match = false;
                    while (true)
                    {
                        if (p.Length >= 2 && p[0] == '\\')
                        {
                            p = p[1..];
                            if (p[0] == s[0]) match = true;
                        }
                        else if (p.Length == 0)
                        {
                            // Unterminated class: Redis steps back onto the last character so the loop below
                            // consumes it as the closing one.
                            break;
                        }
                        else if (p[0] == ']')
                        {
                            break;
                        }
                        else if (p.Length >= 3 && p[1] == '-')
                        {
                            int start = p[0], end = p[2], c = s[0];
                            if (start > end) (start, end) = (end, start);
                            if (nocase)
                            {
                                start = char.ToLowerInvariant((char)start);
                                end = char.ToLowerInvariant((char)end);
                                c = char.ToLowerInvariant((char)c);
                            }
                            p = p[2..];
                            if (c >= start && c <= end) match = true;
                        }
                        else if (Same(p[0], s[0], nocase))
                        {
                            match = true;
                        }
                        p = p[1..];
                    }
                    if (not) match = !match;
                    if (!match) return false;
                    s = s[1..];
                    if (p.Length == 0)
                    {
                        // Unterminated class consumed the whole pattern.
                        return s.Length == 0;
                    }
                    break;
                }
                case '\\':
                    if (p.Length >= 2) p = p[1..];
                    if (!Same(p[0], s[0], nocase)) return false;
                    s = s[1..];
                    break;
                default:
                    if (!Same(p[0], s[0], nocase)) return false;
                    s = s[1..];
                    break;
            }
            p = p[1..];
            if (s.Length == 0)
            {
                while (p.Length > 0 && p[0] == '*') p = p[1..];
                break;
            }
        }
        return p.Length == 0 && s.Length == 0;
    }

    private static bool Same(char a, char b, bool nocase) =>
        a == b || (nocase && char.ToLowerInvariant(a) == char.ToLowerInvariant(b));
}
