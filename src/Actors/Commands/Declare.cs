namespace AkkaRedis.Actors.Commands;

/// <summary>Parses the short flag and ACL words used in command declarations ("write denyoom", "string").</summary>
public static class Declare
{
    public static CommandFlags F(string words)
    {
        var flags = CommandFlags.None;
        foreach (var w in words.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            flags |= w switch
            {
                "write" => CommandFlags.Write,
                "readonly" => CommandFlags.ReadOnly,
                "denyoom" => CommandFlags.DenyOom,
                "admin" => CommandFlags.Admin,
                "pubsub" => CommandFlags.PubSub,
                "noscript" => CommandFlags.NoScript,
                "blocking" => CommandFlags.Blocking,
                "loading" => CommandFlags.Loading,
                "stale" => CommandFlags.Stale,
                "skip_monitor" => CommandFlags.SkipMonitor,
                "skip_slowlog" => CommandFlags.SkipSlowlog,
                "asking" => CommandFlags.Asking,
                "fast" => CommandFlags.Fast,
                "no_auth" => CommandFlags.NoAuth,
                "may_replicate" => CommandFlags.MayReplicate,
                "no_mandatory_keys" => CommandFlags.NoMandatoryKeys,
                "no_async_loading" => CommandFlags.NoAsyncLoading,
                "no_multi" => CommandFlags.NoMulti,
                "movablekeys" => CommandFlags.MovableKeys,
                "allow_busy" => CommandFlags.AllowBusy,
                _ => throw new ArgumentException($"unknown command flag '{w}'"),
            };
        return flags;
    }

    public static AclCategories A(string words)
    {
        var acl = AclCategories.None;
        foreach (var w in words.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            acl |= w switch
            {
                "keyspace" => AclCategories.Keyspace,
                "read" => AclCategories.Read,
                "write" => AclCategories.Write,
                "set" => AclCategories.Set,
                "sortedset" => AclCategories.SortedSet,
                "list" => AclCategories.List,
                "hash" => AclCategories.Hash,
                "string" => AclCategories.String,
                "bitmap" => AclCategories.Bitmap,
                "hyperloglog" => AclCategories.HyperLogLog,
                "geo" => AclCategories.Geo,
                "stream" => AclCategories.Stream,
                "pubsub" => AclCategories.PubSub,
                "admin" => AclCategories.Admin,
                "fast" => AclCategories.Fast,
                "slow" => AclCategories.Slow,
                "blocking" => AclCategories.Blocking,
                "dangerous" => AclCategories.Dangerous,
                "connection" => AclCategories.Connection,
                "transaction" => AclCategories.Transaction,
                "scripting" => AclCategories.Scripting,
                _ => throw new ArgumentException($"unknown ACL category '{w}'"),
            };
        return acl;
    }
}
