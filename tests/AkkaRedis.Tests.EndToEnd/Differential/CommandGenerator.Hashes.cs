namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's commands of the hash family (t_hash.c). Hashes share the key space with strings and
// lists, so WRONGTYPE crosses types both ways. Every field and value drawn here is at most 45 bytes and hashes stay
// well under 512 fields, so every hash stays a listpack and its replies are in insertion order on both servers
// (a hashtable's order is redis-server's seeded dict order). HRANDFIELD is drawn only where its reply is determined:
// a count of 0, or at least the hash's size (the whole hash), or an argument error.
public sealed partial class CommandGenerator
{
    private static readonly string[] HashFields = ["a", "b", "c", "f1", "f2", "", "1", "x y", "123"];

    /// <summary>HINCRBYFLOAT increments whose results stay short (1e308 would make a 309-digit value, a hashtable).</summary>
    private static readonly string[] HashFloatIncrements = ["0", "1", "-1", "0.5", "1.5", "-2.25", "1e3", "1e-3", "abc", "inf", "nan", "", " 1", ".5"];

    partial void BuildHashes()
    {
        Add("hset", 10, () => [Cmd("HSET"), Key(), .. FieldValues(_rng.Next(10) == 0)]);
        Add("hmset", 3, () => [Cmd("HMSET"), Key(), .. FieldValues(_rng.Next(10) == 0)]);
        Add("hsetnx", 3, () => [Cmd("HSETNX"), Key(), Field(), Pick(Values)]);
        Add("hget", 6, () => [Cmd("HGET"), Key(), Field()]);
        Add("hmget", 3, () => [Cmd("HMGET"), Key(), .. Fields(1, 4)]);
        Add("hdel", 4, () => [Cmd("HDEL"), Key(), .. Fields(1, 3)]);
        Add("hexists", 2, () => [Cmd("HEXISTS"), Key(), Field()]);
        Add("hlen", 2, () => [Cmd("HLEN"), Key()]);
        Add("hstrlen", 2, () => [Cmd("HSTRLEN"), Key(), Field()]);
        Add("hgetall", 3, () => [Cmd("HGETALL"), Key()]);
        Add("hkeys", 2, () => [Cmd("HKEYS"), Key()]);
        Add("hvals", 2, () => [Cmd("HVALS"), Key()]);
        Add("hincrby", 4, () => [Cmd("HINCRBY"), Key(), Field(), Pick(Integers)]);
        Add("hincrbyfloat", 3, () => [Cmd("HINCRBYFLOAT"), Key(), Field(), Pick(HashFloatIncrements)]);
        Add("hrandfield", 2, () => _rng.Next(4) switch
        {
            0 => [Cmd("HRANDFIELD"), Key(), "0"],
            1 => [Cmd("HRANDFIELD"), Key(), Pick(["100", "1000"]), Word("WITHVALUES")],
            2 => [Cmd("HRANDFIELD"), Key(), Pick(["abc", "1.5", "-9223372036854775808"])],
            _ => [Cmd("HRANDFIELD"), Key(), "100"],
        });
        Add("hscan", 2, () => _rng.Next(3) switch
        {
            0 => [Cmd("HSCAN"), Key(), "0"],
            1 => [Cmd("HSCAN"), Key(), "0", Word("MATCH"), Pick(["*", "a*", "f?", "[ab]", "nomatch"])],
            _ => [Cmd("HSCAN"), Key(), Pick(["0", "x", "-1"]), Word("COUNT"), Pick(Counts)],
        });
    }

    private string Field() => Pick(HashFields);

    private List<string> Fields(int min, int max)
    {
        var n = _rng.Next(min, max + 1);
        var result = new List<string>(n);
        for (var i = 0; i < n; i++) result.Add(Field());
        return result;
    }

    /// <summary>One to three field/value pairs; with <paramref name="odd"/> a dangling field (the arity error).</summary>
    private List<string> FieldValues(bool odd)
    {
        var result = new List<string>();
        var n = _rng.Next(1, 4);
        for (var i = 0; i < n; i++)
        {
            result.Add(Field());
            result.Add(Pick(Values));
        }
        if (odd) result.Add(Field());
        return result;
    }
}
