namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>
/// Wrong arities for every command of the families in scope (arities as Redis 7.0.15 declares them): one argument
/// too few for every command, one too many for fixed-arity ones, in upper and lower case. A wrong arity must be
/// refused before the command runs, so these never change the data.
/// </summary>
public static class ArityScripts
{
    public const string Family = "arity";

    /// <summary>Command (or "container|sub") → Redis arity (negative: at least that many).</summary>
    public static readonly (string Name, int Arity)[] Commands =
    [
        ("ping", -1), ("echo", 2), ("select", 2), ("hello", -1), ("reset", 1), ("quit", -1), ("client", -2),
        ("client|setname", 3), ("client|getname", 2), ("client|reply", 3), ("client|no-evict", 3), ("client|id", 2),
        ("client|info", 2), ("client|list", -2), ("client|help", 2),
        ("append", 3), ("decr", 2), ("decrby", 3), ("get", 2), ("getdel", 2), ("getex", -2), ("getrange", 4),
        ("getset", 3), ("incr", 2), ("incrby", 3), ("incrbyfloat", 3), ("lcs", -3), ("mget", -2), ("mset", -3),
        ("msetnx", -3), ("psetex", 4), ("set", -3), ("setex", 4), ("setnx", 3), ("setrange", 4), ("strlen", 2),
        ("substr", 4),
        ("copy", -3), ("del", -2), ("exists", -2), ("expire", -3), ("pexpire", -3), ("expireat", -3),
        ("pexpireat", -3), ("expiretime", 2), ("pexpiretime", 2), ("keys", 2), ("move", 3), ("object", -2),
        ("object|encoding", 3), ("object|refcount", 3), ("object|idletime", 3), ("object|freq", 3), ("object|help", 2),
        ("persist", 2), ("pttl", 2), ("ttl", 2), ("randomkey", 1), ("rename", 3), ("renamenx", 3), ("scan", -2),
        ("touch", -2), ("type", 2), ("unlink", -2), ("dbsize", 1), ("flushdb", -1), ("flushall", -1), ("swapdb", 3),
        ("time", 1), ("config", -2), ("config|get", -3), ("config|set", -4), ("config|help", 2), ("command", -1),
        ("command|info", -2), ("command|docs", -2), ("command|getkeys", -4), ("command|count", 2),
        ("command|help", 2), ("info", -1),
        ("lpush", -3), ("rpush", -3), ("lpushx", -3), ("rpushx", -3), ("lpop", -2), ("rpop", -2), ("llen", 2),
        ("lrange", 4), ("lindex", 3), ("lset", 4), ("linsert", 5), ("lrem", 4), ("ltrim", 4), ("lpos", -3),
        ("lmove", 5), ("rpoplpush", 3), ("lmpop", -4),
    ];

    public static IEnumerable<DiffScript> All()
    {
        var groups = new Dictionary<string, List<string[]>>();
        foreach (var (name, arity) in Commands)
        {
            var parts = name.Split('|');
            var group = parts[0] switch
            {
                "ping" or "echo" or "select" or "hello" or "reset" or "quit" or "client" => "connection",
                "time" or "config" or "command" or "info" => "server",
                "append" or "decr" or "decrby" or "get" or "getdel" or "getex" or "getrange" or "getset" or "incr" or "incrby"
                    or "incrbyfloat" or "lcs" or "mget" or "mset" or "msetnx" or "psetex" or "set" or "setex" or "setnx"
                    or "setrange" or "strlen" or "substr" => "strings",
                "lpush" or "rpush" or "lpushx" or "rpushx" or "lpop" or "rpop" or "llen" or "lrange" or "lindex" or "lset"
                    or "linsert" or "lrem" or "ltrim" or "lpos" or "lmove" or "rpoplpush" or "lmpop" => "lists",
                _ => "keys",
            };
            if (!groups.TryGetValue(group, out var list)) groups[group] = list = [];
            list.AddRange(WrongArities(parts, arity));
        }
        foreach (var (group, commands) in groups) yield return DiffScript.FromCommands(Family, group, commands);
    }

    private static IEnumerable<string[]> WrongArities(string[] nameParts, int arity)
    {
        var min = Math.Abs(arity);
        var counts = new List<int>();
        // One too few (a container's own name alone is never "too few" for its subcommands: that is the container's case).
        if (min - 1 >= nameParts.Length) counts.Add(min - 1);
        if (min - 2 >= nameParts.Length) counts.Add(min - 2);
        if (arity > 0) counts.Add(arity + 1);
        if (arity > 0) counts.Add(arity + 3);
        foreach (var count in counts)
        {
            foreach (var upper in new[] { true, false })
            {
                var args = new string[count];
                for (var i = 0; i < count; i++)
                    args[i] = i < nameParts.Length ? (upper ? nameParts[i].ToUpperInvariant() : nameParts[i]) : "x" + i;
                yield return args;
            }
        }
    }
}
