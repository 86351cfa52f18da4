using System.Text;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Storage;

public sealed class GlobPatternTests
{
    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    private static bool M(string pattern, string text, bool noCase = false) => GlobPattern.Match(B(pattern), B(text), noCase);

    [Theory]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("a", "", false)]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "abd", false)]
    [InlineData("abc", "ab", false)]
    [InlineData("ab", "abc", false)]
    [InlineData("h?llo", "hello", true)]
    [InlineData("h?llo", "hllo", false)]
    [InlineData("h*llo", "hllo", true)]
    [InlineData("h*llo", "heeeello", true)]
    [InlineData("h*llo", "heeeelo", false)]
    [InlineData("h[ae]llo", "hallo", true)]
    [InlineData("h[ae]llo", "hillo", false)]
    [InlineData("h[^e]llo", "hallo", true)]
    [InlineData("h[^e]llo", "hello", false)]
    [InlineData("h[a-b]llo", "hbllo", true)]
    [InlineData("h[a-b]llo", "hcllo", false)]
    [InlineData("h[b-a]llo", "hallo", true)]
    [InlineData("*", "anything", true)]
    [InlineData("a*", "a", true)]
    [InlineData("*a", "a", true)]
    [InlineData("*a*", "bab", true)]
    [InlineData("*a*b", "xaxxbxb", true)]
    [InlineData("*a*b", "xaxxbxc", false)]
    [InlineData("a**", "a", true)]
    [InlineData("***a", "ba", true)]
    [InlineData("\\*", "*", true)]
    [InlineData("\\*", "a", false)]
    [InlineData("\\?", "?", true)]
    [InlineData("\\a", "a", true)]
    [InlineData("a\\", "a\\", true)]
    [InlineData("a\\", "a", false)]
    [InlineData("[\\]]", "]", true)]
    [InlineData("[\\-]", "-", true)]
    [InlineData("[a-]", "a", true)]
    [InlineData("[a-]", "]", true)]
    [InlineData("[-b]", "b", true)]
    [InlineData("[-b]", "-", true)]
    [InlineData("[]a]", "a", false)]
    [InlineData("[]", "]", false)]
    [InlineData("[a-b-c]", "b", true)]
    [InlineData("[a-b-c]", "-", true)]
    [InlineData("[a-b-c]", "c", true)]
    [InlineData("user:[0-9]*", "user:42", true)]
    [InlineData("user:[0-9]*", "user:x42", false)]
    public void Matches_like_redis_stringmatchlen(string pattern, string text, bool expected) =>
        Assert.Equal(expected, M(pattern, text));

    [Fact]
    public void Unterminated_classes_end_at_the_end_of_the_pattern()
    {
        Assert.False(M("[", "a"));
        Assert.True(M("[a", "a"));
        Assert.False(M("[a", "b"));
        Assert.False(M("*[", "a"));
        // "[^" is a negated empty class: it matches any single byte.
        Assert.True(M("[^", "a"));
        Assert.True(M("[^", "\u00ff"));
        Assert.False(M("[^", "ab"));
        Assert.True(M("x[^", "xq"));
    }

    [Fact]
    public void A_star_needs_at_least_the_rest_of_the_pattern_and_two_stars_do_not_match_the_empty_string()
    {
        // stringmatchlen never enters its loop for an empty string: only an empty pattern matches it.
        // (KEYS and SCAN special-case the pattern "*" before calling it.)
        Assert.False(M("*", ""));
        Assert.False(M("**", ""));
        Assert.True(M("", ""));
        Assert.True(GlobPattern.MatchesEverything(B("*")));
        Assert.False(GlobPattern.MatchesEverything(B("**")));
    }

    [Fact]
    public void Byte_ranges_compare_high_bytes_as_signed_chars()
    {
        // [a-\xff] is the range -1..97 in C: it holds \xff and 'a' but not 'b'.
        Assert.True(M("[a-\u00ff]", "\u00ff"));
        Assert.True(M("[a-\u00ff]", "a"));
        Assert.True(M("[a-\u00ff]", "0"));
        Assert.False(M("[a-\u00ff]", "b"));
        Assert.True(M("[\u00ff-a]", "\u00ff"));
        Assert.True(M("[\u0080-\u00ff]", "\u00c0"));
        Assert.False(M("[\u0080-\u00ff]", "a"));
    }

    [Fact]
    public void Binary_bytes_and_nul_are_ordinary_characters()
    {
        Assert.True(GlobPattern.Match([0, (byte)'*'], [0, 1, 2]));
        Assert.False(GlobPattern.Match([0, (byte)'*'], [1, 0]));
        Assert.True(GlobPattern.Match([(byte)'?', 0], [0xff, 0]));
    }

    [Fact]
    public void No_case_folds_ascii_letters_only()
    {
        Assert.True(M("HeLLo", "hello", noCase: true));
        Assert.False(M("HeLLo", "hello"));
        Assert.True(M("h[A-C]llo", "hbllo", noCase: true));
        Assert.True(M("h[a-c]llo", "hBllo", noCase: true));
        Assert.True(M("h[E]llo", "hello", noCase: true));
        Assert.False(M("h[^E]llo", "hello", noCase: true));
        Assert.True(M("maxmemory*", "MAXMEMORY-POLICY", noCase: true));
        Assert.False(M("\u00e9", "\u00c9", noCase: true));
    }

    [Fact]
    public void Nesting_deeper_than_1000_stars_never_matches()
    {
        var key = new string('a', 2000);
        Assert.True(M(string.Concat(Enumerable.Repeat("*a", 1000)), key));
        Assert.False(M(string.Concat(Enumerable.Repeat("*a", 1001)), key));
        // Consecutive stars collapse: they do not nest.
        Assert.True(M(new string('*', 5000) + "a", key));
    }

    [Fact]
    public void Pathological_patterns_finish_quickly()
    {
        // Without Redis's skipLongerMatches this is exponential.
        var key = new string('a', 60);
        var pattern = string.Concat(Enumerable.Repeat("*a", 30)) + "*b";
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(M(pattern, key));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10)); // microseconds here; exponential would be hours
    }

    [Fact]
    public void Agrees_with_redis_server_on_a_fuzzed_corpus()
    {
        var failures = new List<string>();
        foreach (var (pattern, matches) in FuzzCases)
        {
            for (var i = 0; i < FuzzKeys.Length; i++)
            {
                // As KEYS: the pattern "*" is a shortcut for every key.
                var ours = GlobPattern.MatchesEverything(B(pattern)) || M(pattern, FuzzKeys[i]);
                if (ours != matches.Contains(i)) failures.Add($"pattern {pattern} key {FuzzKeys[i]}: expected {!ours}");
            }
        }
        Assert.Empty(failures);
    }

    // Generated from redis-server 7.0.15: every key SET, then KEYS <pattern> for each pattern.
    private static readonly string[] FuzzKeys = ["", "-", "--", "-\\", "A", "AB", "AB\\", "A\\a", "A]A^", "Ab", "B", "BAB", "\\\\\\b", "\\]\\", "\\aBb", "\\bBb", "]", "]^-b", "]^^", "]^^]", "]b", "^", "^-\\", "^bA^", "^ba", "^\u00ff", "a", "aBa\u00ff", "a^", "a^]", "ab", "abBa", "ab\u00ff]", "b", "b^", "\u00ff", "\u00ff-A\\", "\u00ffAb", "\u00ff]]A", "\u00ffb"];

    /// <summary>Pattern, then the indexes in FuzzKeys of the keys redis-server 7.0.15 KEYS returned for it.</summary>
    private static readonly (string Pattern, int[] Matches)[] FuzzCases =
    [
        ("", [0]),
        ("*", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39]),
        ("**", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39]),
        ("**[\u00ffa-z]?", [24, 27, 28, 30, 32, 34, 39]),
        ("**]**-", []),
        ("*---[\u00ff", []),
        ("*?", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39]),
        ("*?*", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39]),
        ("*?Bb", [14, 15]),
        ("*?^-", []),
        ("*AB", [5, 11]),
        ("*A]-][", []),
        ("*Ab", [9, 37]),
        ("*[", []),
        ("*[A-a]*", [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 34, 36, 37, 38]),
        ("*[A-a][\u00ff][^]a-z]", []),
        ("*[[", []),
        ("*[\\]\\\\b*", [3, 6, 9, 12, 13, 14, 15, 16, 17, 19, 20, 22, 29, 30, 32, 33, 36, 37, 39]),
        ("*[^A]**", [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39]),
        ("*[^^a-z]", [1, 2, 3, 4, 5, 6, 10, 11, 13, 16, 19, 22, 25, 27, 29, 32, 35, 36, 38]),
        ("*[^b\u00ff]", [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 16, 18, 19, 21, 22, 23, 24, 26, 28, 29, 31, 32, 34, 36, 38]),
        ("*[b\u00ff]\\a", [24]),
        ("*\\*", []),
        ("*\\Ba**", [27, 31]),
        ("*\\[?", []),
        ("*\\b", [9, 12, 14, 15, 17, 20, 30, 33, 37, 39]),
        ("*\\b[Bb][^a]", [15]),
        ("*][^]a-z][^A\u00ff]", []),
        ("*]\\", [13]),
        ("*]b*\u00ff", []),
        ("*^?", [18, 19, 25, 29]),
        ("*^\\^", [18]),
        ("*b", [9, 12, 14, 15, 17, 20, 30, 33, 37, 39]),
        ("*bA?", [23]),
        ("*ba]", []),
        ("*bb??a", []),
        ("-", [1]),
        ("-*", [1, 2, 3]),
        ("-**", [1, 2, 3]),
        ("-*?^", []),
        ("--", [2]),
        ("--*-^", []),
        ("-?*", [2, 3]),
        ("-?-*^", []),
        ("-?A", []),
        ("-?^^^", []),
        ("-?\u00ffb?-", []),
        ("-A-", []),
        ("-A\u00ff\\", []),
        ("-[", []),
        ("-[*", []),
        ("-[\\", [3]),
        ("-\\[[[\\", []),
        ("-\\a\u00ff\\\u00ff", []),
        ("-][^\\", []),
        ("-^-*", []),
        ("-^?]**", []),
        ("-^b-", []),
        ("-b^?b", []),
        ("-\u00ff]-A-", []),
        ("?", [1, 4, 10, 16, 21, 26, 33, 35]),
        ("?*", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39]),
        ("?***\u00ff^", []),
        ("?-\u00ff", []),
        ("??*", [2, 3, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 17, 18, 19, 20, 22, 23, 24, 25, 27, 28, 29, 30, 31, 32, 34, 36, 37, 38, 39]),
        ("??B", [11]),
        ("??B\\b", [14, 15]),
        ("??[b]", [37]),
        ("??a\\\u00ff", [27]),
        ("?A\\b", [37]),
        ("?B\\", [6]),
        ("?[A-a]", [3, 5, 28, 34]),
        ("?[A-a]*", [3, 5, 6, 7, 8, 11, 12, 13, 14, 17, 18, 19, 27, 28, 29, 34, 37, 38]),
        ("?[^B\u00ff]?", [7, 11, 13, 18, 22, 24, 29, 37]),
        ("?[^^\u00ff]", [2, 3, 5, 9, 20, 30, 39]),
        ("?[^ba-z]", [2, 3, 5, 25, 28, 34]),
        ("?[\u00ffa-z]", [9, 20, 25, 30, 39]),
        ("?\\\\Aa", []),
        ("?\\]]A", [38]),
        ("?\\a", []),
        ("?\\b*", [9, 15, 20, 23, 24, 30, 31, 32, 39]),
        ("?]Aab", []),
        ("?^", [28, 34]),
        ("?^?*\\[", []),
        ("?^\\-\\b", [17]),
        ("?^\\^\\]", [19]),
        ("?^a-AA", []),
        ("?a?", []),
        ("?a\\\u00ff\u00ff", []),
        ("?b", [9, 20, 30, 39]),
        ("?b*", [9, 15, 20, 23, 24, 30, 31, 32, 39]),
        ("?b?*", [15, 23, 24, 31, 32]),
        ("?b\\*b?", []),
        ("?\u00ff\\\u00ff^", []),
        ("A", [4]),
        ("A*[A-a]*", [5, 6, 7, 8]),
        ("A*b\\?-", []),
        ("A-", []),
        ("A--", []),
        ("A-b[", []),
        ("A?A]\u00ff?", []),
        ("A?[a?", [7]),
        ("A?]A", []),
        ("AA?", []),
        ("AAA^\\b", []),
        ("AB[\\]*", []),
        ("A[", []),
        ("A[?\u00ff", []),
        ("A[A-a]?", [6, 7]),
        ("A\\", []),
        ("A\\a", []),
        ("A]", []),
        ("A]**", [8]),
        ("A]b?a\u00ff", []),
        ("Aaa\u00ff", []),
        ("A\u00ff?", []),
        ("B", [10]),
        ("BA*", [11]),
        ("B[^A\u00ff]B", []),
        ("[", []),
        ("[-a-z][A-a]", [3, 28, 34]),
        ("[-\u00ff][-\u00ff]", [2]),
        ("[?*", []),
        ("[?^A-", [1, 4, 21]),
        ("[A-\\", [4, 10]),
        ("[A-a]*", [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32]),
        ("[A-a]*]?", [13]),
        ("[A-a]?", [5, 9, 20, 25, 28, 30]),
        ("[A-a][a\u00ff]B[ba-z]", [14]),
        ("[A-a]\\^", [28]),
        ("[A-a]bBa*", [31]),
        ("[A]", [4]),
        ("[Aa-z]\\[ab]", []),
        ("[A\u00ff]*", [4, 5, 6, 7, 8, 9, 35, 36, 37, 38, 39]),
        ("[A\u00ff]B*", [5, 6]),
        ("[B]", [10]),
        ("[[b", [33]),
        ("[\\-", [1]),
        ("[\\a-z]??[^b\u00ff]", [31, 32]),
        ("[]]?^*", []),
        ("[]][^^a-z]^", []),
        ("[]a-z]*", []),
        ("[]a-z]b", []),
        ("[]a\u00ff]-", []),
        ("[^?", [1, 4, 10, 16, 21, 26, 33, 35]),
        ("[^A", [1, 10, 16, 21, 26, 33, 35]),
        ("[^Ab]?*", [2, 3, 11, 12, 13, 14, 15, 17, 18, 19, 20, 22, 23, 24, 25, 27, 28, 29, 30, 31, 32, 36, 37, 38, 39]),
        ("[^Ab]?[A-a]", [11, 13, 18, 22, 24, 29]),
        ("[^Bb]", [1, 4, 16, 21, 26, 35]),
        ("[^]\u00ff]?[-][^b]", []),
        ("[^^]", [1, 4, 10, 16, 26, 33, 35]),
        ("[^^]b[A-a]", []),
        ("[^^b]?[A]^", [8]),
        ("[^^b][\u00ff]", []),
        ("[^^b]b[A\u00ff]**", [32]),
        ("[^b]*A?*", [8, 11, 23, 36, 37]),
        ("[^ba-z]", [1, 4, 10, 16, 21, 35]),
        ("[a[-^", [16, 21, 26]),
        ("[a[[]b", [30]),
        ("[a]", [26]),
        ("[a][b]\\\u00ff]", [32]),
        ("[aa", [26]),
        ("[aa-z][^^b]", []),
        ("[\u00ff]?", [39]),
        ("[\u00ff\u00ff]\\]]**", [38]),
        ("\\", []),
        ("\\*?b", []),
        ("\\*[\\]*", []),
        ("\\*\\*", []),
        ("\\*\\?", []),
        ("\\?*b", []),
        ("\\?-b", []),
        ("\\A", [4]),
        ("\\A*\\*", []),
        ("\\A?", [5, 9]),
        ("\\A?\\a", [7]),
        ("\\A\u00ff", []),
        ("\\B", [10]),
        ("\\[", []),
        ("\\[A-a]*?", []),
        ("\\[A-a]\\", []),
        ("\\[\\]\\[A-a]", []),
        ("\\[^\\][\\]*", []),
        ("\\[^\\b]*[b]", []),
        ("\\[^b\u00ff]?*", []),
        ("\\\\*\\B**", [14, 15]),
        ("\\\\*\\b*", [12, 14, 15]),
        ("\\\\b?\\b*", [15]),
        ("\\]?-**", [17]),
        ("\\][^b]^\\]", [19]),
        ("\\^*", [21, 22, 23, 24, 25]),
        ("\\^[^b]\\A[^^\u00ff]", []),
        ("\\^b", []),
        ("\\^\u00ff", [25]),
        ("\\^\u00ff[A-", []),
        ("\\a", [26]),
        ("\\a*", [26, 27, 28, 29, 30, 31, 32]),
        ("\\a[A-a][B]*", []),
        ("\\a\\\\]", []),
        ("\\a\\^*", [28, 29]),
        ("\\a^\u00ff", []),
        ("\\b", [33]),
        ("\\b[", []),
        ("\\\u00ff", [35]),
        ("\\\u00ff\\A**", [37]),
        ("]", [16]),
        ("]*", [16, 17, 18, 19, 20]),
        ("]*[-\u00ff][^ba-z]", []),
        ("]-?**[", []),
        ("]-?][\u00ff", []),
        ("]-\u00ff?\\", []),
        ("]?", [20]),
        ("]Aa[", []),
        ("][", []),
        ("]]]", []),
        ("]^]bAA", []),
        ("]^b", []),
        ("]a\\b", []),
        ("]b", [20]),
        ("]b*", [20]),
        ("]b^", []),
        ("]\u00ff", []),
        ("^", [21]),
        ("^-*", [22]),
        ("^-\\", [22]),
        ("^-ab", []),
        ("^-a\u00ffa\u00ff", []),
        ("^?", [25]),
        ("^A\u00ff", []),
        ("^[^b][ab]", []),
        ("^[b", []),
        ("^[b?", []),
        ("^[bb]a", [24]),
        ("^\\bA\\^*", [23]),
        ("^]a", []),
        ("^^?", []),
        ("^b", []),
        ("^b[^a]", []),
        ("^ba", [24]),
        ("a", [26]),
        ("a*", [26, 27, 28, 29, 30, 31, 32]),
        ("a*?", [27, 28, 29, 30, 31, 32]),
        ("a*\\B?*", [27, 31]),
        ("a-*a", []),
        ("a?*", [27, 28, 29, 30, 31, 32]),
        ("a?[", []),
        ("aA", []),
        ("a[B]a?*", [27]),
        ("a[^b]", [28]),
        ("a[b\u00ff]", [30]),
        ("a[\u00ff-", []),
        ("a][", []),
        ("a]a?", []),
        ("a^", [28]),
        ("a^*", [28, 29]),
        ("a^?", [29]),
        ("a^A\\", []),
        ("ab", [30]),
        ("ab*\\", []),
        ("ab-b[", []),
        ("ab?b", []),
        ("ab[\u00ff]]", [32]),
        ("a\u00ffb", []),
        ("b", [33]),
        ("b*", [33, 34]),
        ("b*\u00ff^?", []),
        ("b-*?b^", []),
        ("b--", []),
        ("b?^\u00ffba", []),
        ("bA", []),
        ("bA-?", []),
        ("b\\?-", []),
        ("b\\a\\", []),
        ("b]", []),
        ("b^", [34]),
        ("b^a[-]", []),
        ("bb-]", []),
        ("bb^", []),
        ("\u00ff", [35]),
        ("\u00ff*", [35, 36, 37, 38, 39]),
        ("\u00ff*^?", []),
        ("\u00ff*baa", []),
        ("\u00ff-?b[*", []),
        ("\u00ff?", [39]),
        ("\u00ff?b", [37]),
        ("\u00ff?\u00ffA*?", []),
        ("\u00ffA\\", []),
        ("\u00ffAb\\\\\u00ff", []),
        ("\u00ff[Aa-z]b", [37]),
        ("\u00ff[b", [39]),
        ("\u00ff\\-", []),
        ("\u00ff\\Ab", [37]),
        ("\u00ff]][A-a]*", [38]),
        ("\u00ff]a", []),
        ("\u00ff]\u00ff^-", []),
        ("\u00ff^]", []),
        ("\u00ffa^\u00ff-", []),
        ("\u00ffb", [39]),
        ("\u00ffb]*^A", []),
        ("\u00ff\u00ff[A?", []),
    ];
}
