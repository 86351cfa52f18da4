using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Server;

public sealed class RedisGlobTests
{
    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("*", "", false)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("h?llo", "hello", true)]
    [InlineData("h?llo", "hllo", false)]
    [InlineData("h*llo", "hllo", true)]
    [InlineData("h*llo", "heeeello", true)]
    [InlineData("h[ae]llo", "hallo", true)]
    [InlineData("h[ae]llo", "hillo", false)]
    [InlineData("h[^e]llo", "hallo", true)]
    [InlineData("h[^e]llo", "hello", false)]
    [InlineData("h[a-b]llo", "hbllo", true)]
    [InlineData("h[b-a]llo", "hbllo", true)]
    [InlineData("h[a-b]llo", "hcllo", false)]
    [InlineData("h\\*llo", "h*llo", true)]
    [InlineData("h\\*llo", "hello", false)]
    [InlineData("maxmemory*", "maxmemory", true)]
    [InlineData("*memory*", "maxmemory-policy", true)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    [InlineData("abc", "ab", false)]
    [InlineData("ab[", "abc", false)]
    [InlineData("ab[", "ab", false)]
    [InlineData("a**", "a", true)]
    public void Matches_like_redis_stringmatchlen(string pattern, string text, bool expected) =>
        Assert.Equal(expected, GlobPattern.Match(pattern, text, noCase: false));

    [Fact]
    public void Nocase_ignores_case_in_letters_and_ranges()
    {
        Assert.True(GlobPattern.Match("MAX*", "maxmemory", noCase: true));
        Assert.True(GlobPattern.Match("[A-C]x", "bx", noCase: true));
        Assert.False(GlobPattern.Match("MAX*", "maxmemory", noCase: false));
    }

    [Fact]
    public void Pathological_patterns_finish_quickly()
    {
        var pattern = string.Concat(Enumerable.Repeat("a*", 30)) + "b";
        Assert.False(GlobPattern.Match(pattern, new string('a', 60), noCase: false));
    }
}
