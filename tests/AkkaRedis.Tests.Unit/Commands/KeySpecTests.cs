using System.Text;
using AkkaRedis.Actors.Commands;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>Key positions found from key specs, as Redis's getKeysUsingKeySpecs (db.c) finds them; the expected
/// positions are redis-server 7.0.15's COMMAND GETKEYS replies for the real commands these specs are Redis's for.</summary>
public sealed class KeySpecTests
{
    private static byte[][] Args(string line) => line.Split(' ').Select(Encoding.ASCII.GetBytes).ToArray();

    private static List<int> Keys(CommandDef def, string line)
    {
        var keys = new List<int>();
        def.GetKeys(Args(line), keys);
        return keys;
    }

    private static CommandDef Declared(CommandDef def)
    {
        new CommandTable().Add(def);
        return def;
    }

    [Fact]
    public void Keyword_search_with_a_limit_finds_half_the_rest()
    {
        // XREAD: keyword STREAMS from 1, range -1 step 1 limit 2 (the keys are the first half after STREAMS).
        var xread = Declared(new("xread", -4, F("readonly blocking"), 0, 0, 0, A("stream"))
        {
            KeySpecFlags = ["RO access"], KeySpecSearch = ["keyword STREAMS 1 range -1 1 2"],
        });
        Assert.Equal([4, 5], Keys(xread, "XREAD COUNT 2 STREAMS a b 0 0"));
        Assert.Equal([2], Keys(xread, "XREAD streams streams a 0"));
        Assert.Empty(Keys(xread, "XREAD COUNT 2 a b"));
        Assert.Contains("movablekeys", Actors.Session.CommandIntrospection.FlagWords(xread));
    }

    [Fact]
    public void Keyword_search_from_the_end_goes_backwards()
    {
        // MIGRATE's second spec: keyword KEYS searched from -2 backwards, range -1.
        var migrate = Declared(new("migrate", -6, F("write"), 3, 3, 1, A("keyspace"))
        {
            KeySpecFlags = ["RW access delete", "RW access delete incomplete"],
            KeySpecSearch = ["", "keyword KEYS -2 range -1 1 0"],
        });
        Assert.Equal([3, 7, 8], Keys(migrate, "MIGRATE host 6379 k 0 5000 KEYS a b"));
        Assert.Equal([3], Keys(migrate, "MIGRATE host 6379 k 0 5000"));
    }

    [Fact]
    public void Keynum_reads_the_count_and_a_bad_count_falls_back_to_the_key_finder()
    {
        var zunionstore = Declared(new("zunionstore", -4, F("write denyoom"), 1, 1, 1, A("sortedset"))
        {
            KeySpecFlags = ["OW update", "RO access"], KeySpecSearch = ["", "index 2 keynum 0 1 1"],
        });
        Assert.Equal([1, 3, 4], Keys(zunionstore, "ZUNIONSTORE d 2 a b WEIGHTS 1 2"));
        // numkeys not a number, zero, or past the arguments: no keys at all (Redis drops the first spec's too).
        Assert.Empty(Keys(zunionstore, "ZUNIONSTORE d x a b"));
        Assert.Empty(Keys(zunionstore, "ZUNIONSTORE d 0 a"));
        Assert.Empty(Keys(zunionstore, "ZUNIONSTORE d 3 a b"));

        var withFinder = Declared(new("zunionstore", -4, F("write denyoom"), 1, 1, 1, A("sortedset"))
        {
            KeySpecFlags = ["OW update", "RO access"], KeySpecSearch = ["", "index 2 keynum 0 1 1"],
            KeyFinder = (_, keys) => keys.Add(1),
        });
        var specIndexes = new List<int>();
        var found = new List<int>();
        withFinder.GetKeys(Args("ZUNIONSTORE d x a"), found, specIndexes);
        Assert.Equal([1], found);
        Assert.Equal([-1], specIndexes);
    }

    [Fact]
    public void Fake_keys_are_skipped_and_spec_indexes_reported()
    {
        var def = Declared(new("lmove", 5, F("write denyoom"), 1, 2, 1, A("list"))
        {
            KeySpecFlags = ["RW access delete", "RW insert"],
        });
        var keys = new List<int>();
        var specs = new List<int>();
        def.GetKeys(Args("LMOVE s d LEFT RIGHT"), keys, specs);
        Assert.Equal([1, 2], keys);
        Assert.Equal([0, 1], specs);
        Assert.DoesNotContain("movablekeys", Actors.Session.CommandIntrospection.FlagWords(def));

        var publishLike = Declared(new("spublish", 3, F("pubsub"), 1, 1, 1, A(""))
        {
            KeySpecFlags = ["not_key"],
        });
        Assert.Empty(Keys(publishLike, "SPUBLISH ch msg"));
        Assert.False(publishLike.HasKeys);
    }
}
