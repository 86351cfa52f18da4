using AkkaRedis.Actors.Storage;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>String commands.</summary>
public static class StringCommands
{
    public static void Register(CommandTable t)
    {
        t.Add(new("get", 2, F("readonly fast"), 1, 1, 1, A("string"))
        {
            Handler = Get, Group = "string", Summary = "Get the value of a key", Complexity = "O(1)", KeySpecFlags = ["RO access"],
        });
        t.Add(new("set", -3, F("write denyoom"), 1, 1, 1, A("string"))
        {
            Handler = Set, Group = "string", Summary = "Set the string value of a key", Complexity = "O(1)", KeySpecFlags = ["RW access update variable_flags"],
        });
    }

    private static void Get(ExecContext c)
    {
        var key = c.Args[1];
        var obj = c.Db(key).Lookup(key, c.Now);
        if (obj == null) c.Reply.NullBulk();
        else if (obj.Type != RedisType.String) c.Reply.Error(Errors.WrongType);
        else c.Reply.Bulk(obj.Bytes);
    }

    private static void Set(ExecContext c)
    {
        var key = c.Args[1];
        c.Db(key).Set(RedisObject.NewString(key, c.Args[2]), c.Now);
        c.Reply.Ok();
    }
}
