using AkkaRedis.Actors.Session;
using AkkaRedis.Actors.Commands;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>The string commands' declarations against redis-server 7.0.15's COMMAND INFO / COMMAND DOCS.</summary>
public sealed class StringsDeclarationTests
{
    private static readonly CommandTable Table = AkkaRedis.Actors.Session.Families.CreateTable();

    // name, arity, flags, first key, last key, step, ACL categories, key-spec flags, tips: as COMMAND INFO lists them.
    [Theory]
    [InlineData("append", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "RW insert", "")]
    [InlineData("decr", 2, "write denyoom fast", 1, 1, 1, "@write @string @fast", "RW access update", "")]
    [InlineData("decrby", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "RW access update", "")]
    [InlineData("get", 2, "readonly fast", 1, 1, 1, "@read @string @fast", "RO access", "")]
    [InlineData("getdel", 2, "write fast", 1, 1, 1, "@write @string @fast", "RW access delete", "")]
    [InlineData("getex", -2, "write fast", 1, 1, 1, "@write @string @fast", "RW access update", "")]
    [InlineData("getrange", 4, "readonly", 1, 1, 1, "@read @string @slow", "RO access", "")]
    [InlineData("getset", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "RW access update", "")]
    [InlineData("incr", 2, "write denyoom fast", 1, 1, 1, "@write @string @fast", "RW access update", "")]
    [InlineData("incrby", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "RW access update", "")]
    [InlineData("incrbyfloat", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "RW access update", "")]
    [InlineData("lcs", -3, "readonly", 1, 2, 1, "@read @string @slow", "RO access", "")]
    [InlineData("mget", -2, "readonly fast", 1, -1, 1, "@read @string @fast", "RO access", "request_policy:multi_shard")]
    [InlineData("mset", -3, "write denyoom", 1, -1, 2, "@write @string @slow", "OW update", "request_policy:multi_shard response_policy:all_succeeded")]
    [InlineData("msetnx", -3, "write denyoom", 1, -1, 2, "@write @string @slow", "OW insert", "request_policy:multi_shard response_policy:agg_min")]
    [InlineData("psetex", 4, "write denyoom", 1, 1, 1, "@write @string @slow", "OW update", "")]
    [InlineData("set", -3, "write denyoom", 1, 1, 1, "@write @string @slow", "RW access update variable_flags", "")]
    [InlineData("setex", 4, "write denyoom", 1, 1, 1, "@write @string @slow", "OW update", "")]
    [InlineData("setnx", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "OW insert", "")]
    [InlineData("setrange", 4, "write denyoom", 1, 1, 1, "@write @string @slow", "RW update", "")]
    [InlineData("strlen", 2, "readonly fast", 1, 1, 1, "@read @string @fast", "RO", "")]
    [InlineData("substr", 4, "readonly", 1, 1, 1, "@read @string @slow", "RO access", "")]
    public void Matches_command_info(string name, int arity, string flags, int first, int last, int step, string acl, string keySpec, string tips)
    {
        var def = Table.Find(name);
        Assert.NotNull(def);
        Assert.Equal(name, def.Name);
        Assert.Equal(arity, def.Arity);
        Assert.Equal(Declare.F(flags), def.Flags);
        Assert.Equal(first, def.FirstKey);
        Assert.Equal(last, def.LastKey);
        Assert.Equal(step, def.Step);
        Assert.Equal(acl, AclText(def.Acl));
        Assert.Equal([keySpec], def.KeySpecFlags);
        Assert.Equal(tips, string.Join(' ', def.Reference!.Tips.Items.Select(t => t.String)));
        Assert.NotNull(def.Handler);
    }

    [Theory]
    [InlineData("append", "Append a value to a key", "2.0.0")]
    [InlineData("decr", "Decrement the integer value of a key by one", "1.0.0")]
    [InlineData("decrby", "Decrement the integer value of a key by the given number", "1.0.0")]
    [InlineData("get", "Get the value of a key", "1.0.0")]
    [InlineData("getdel", "Get the value of a key and delete the key", "6.2.0")]
    [InlineData("getex", "Get the value of a key and optionally set its expiration", "6.2.0")]
    [InlineData("getrange", "Get a substring of the string stored at a key", "2.4.0")]
    [InlineData("getset", "Set the string value of a key and return its old value", "1.0.0")]
    [InlineData("incr", "Increment the integer value of a key by one", "1.0.0")]
    [InlineData("incrby", "Increment the integer value of a key by the given amount", "1.0.0")]
    [InlineData("incrbyfloat", "Increment the float value of a key by the given amount", "2.6.0")]
    [InlineData("lcs", "Find longest common substring", "7.0.0")]
    [InlineData("mget", "Get the values of all the given keys", "1.0.0")]
    [InlineData("mset", "Set multiple keys to multiple values", "1.0.1")]
    [InlineData("msetnx", "Set multiple keys to multiple values, only if none of the keys exist", "1.0.1")]
    [InlineData("psetex", "Set the value and expiration in milliseconds of a key", "2.6.0")]
    [InlineData("set", "Set the string value of a key", "1.0.0")]
    [InlineData("setex", "Set the value and expiration of a key", "2.0.0")]
    [InlineData("setnx", "Set the value of a key, only if the key does not exist", "1.0.0")]
    [InlineData("setrange", "Overwrite part of a string at key starting at the specified offset", "2.2.0")]
    [InlineData("strlen", "Get the length of the value stored in a key", "2.2.0")]
    [InlineData("substr", "Get a substring of the string stored at a key", "1.0.0")]
    public void Matches_command_docs(string name, string summary, string since)
    {
        var def = Table.Find(name)!;
        var docs = def.Reference!.Docs;
        Assert.Equal(summary, docs.Field("summary")!.String);
        Assert.Equal(since, docs.Field("since")!.String);
        Assert.Equal("string", docs.Field("group")!.String);
    }

    [Fact]
    public void Key_positions()
    {
        var keys = new List<int>();
        Table.Find("mset")!.GetKeys((byte[][])[[], [], [], [], [], [], []], keys);
        Assert.Equal([1, 3, 5], keys);
        keys.Clear();
        Table.Find("mget")!.GetKeys((byte[][])[[], [], [], []], keys);
        Assert.Equal([1, 2, 3], keys);
        keys.Clear();
        Table.Find("lcs")!.GetKeys((byte[][])[[], [], [], [], []], keys);
        Assert.Equal([1, 2], keys);
        keys.Clear();
        Table.Find("set")!.GetKeys((byte[][])[[], [], [], [], []], keys);
        Assert.Equal([1], keys);
    }

    private static string AclText(AclCategories acl)
    {
        var names = new List<string>();
        foreach (var value in Enum.GetValues<AclCategories>())
        {
            if (value == AclCategories.None || (acl & value) == 0) continue;
            names.Add("@" + value switch
            {
                AclCategories.SortedSet => "sortedset",
                AclCategories.HyperLogLog => "hyperloglog",
                _ => value.ToString().ToLowerInvariant(),
            });
        }
        return string.Join(' ', names);
    }
}
