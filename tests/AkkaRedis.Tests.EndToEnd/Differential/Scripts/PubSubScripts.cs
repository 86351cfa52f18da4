namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>Pub/Sub (pubsub.c): SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, PUBSUB, SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH; RESP2 subscribed mode, RESP3 pushes. Replies compared with redis-server 7.0.15; several connections per script ([c2]..[c9], see
/// <see cref="DiffScript"/>).</summary>
/// <remarks>Redis answers UNSUBSCRIBE without arguments and PUBSUB CHANNELS in its dict's hash order, and delivers
/// to several matching patterns in that order too: the scripts keep those to one channel or one match each.</remarks>
public static class PubSubScripts
{
    public const string Family = "pubsub";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "subscribe-publish", """
            [c2] SUBSCRIBE ch1 ch2 ch1
            [c2] [read]
            [c2] [read]
            PUBLISH ch1 hello
            [c2] [read]
            PUBLISH ch2 ""
            [c2] [read]
            PUBLISH nobody x
            PUBSUB NUMSUB ch1 ch2 nobody
            PUBSUB NUMSUB
            PUBSUB CHANNELS ch1
            PUBSUB CHANNELS nomatch*
            PUBSUB NUMPAT
            [c2] UNSUBSCRIBE ch1
            PUBLISH ch1 gone
            PUBLISH ch2 "still here"
            [c2] [read]
            [c2] UNSUBSCRIBE
            [c2] UNSUBSCRIBE
            [c2] PING
            PUBSUB NUMSUB ch1 ch2
            """);
        yield return new(Family, "several-subscribers", """
            [c2] SUBSCRIBE x
            [c3] SUBSCRIBE x
            [c3] PSUBSCRIBE x*
            PUBLISH x m1
            [c2] [read]
            [c3] [read]
            [c3] [read]
            PUBLISH xy m2
            [c3] [read]
            PUBSUB NUMSUB x xy
            PUBSUB NUMPAT
            [c4] PSUBSCRIBE x*
            PUBSUB NUMPAT
            PUBLISH xz m3
            [c3] [read]
            [c4] [read]
            [c3] PUNSUBSCRIBE x*
            PUBSUB NUMPAT
            [c4] PUNSUBSCRIBE
            PUBSUB NUMPAT
            [c3] UNSUBSCRIBE x
            PUBLISH x m4
            [c2] [read]
            """);
        yield return new(Family, "messages-in-order", """
            [c2] SUBSCRIBE seq
            PUBLISH seq 1
            PUBLISH seq 2
            [c3] PUBLISH seq 3
            PUBLISH seq 4
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            """);
        yield return new(Family, "patterns", """
            [c2] PSUBSCRIBE news.* h?llo
            [c2] [read]
            [c3] PSUBSCRIBE h[ae]y "lit\\*" "[^a]b" "x[a-c]y"
            [c3] [read]
            [c3] [read]
            [c3] [read]
            PUBLISH news.sport goal
            [c2] [read]
            PUBLISH news. empty-suffix
            [c2] [read]
            PUBLISH news nothing
            PUBLISH hallo h
            [c2] [read]
            PUBLISH hey e
            [c3] [read]
            PUBLISH hoy none
            PUBLISH lit* star
            [c3] [read]
            PUBLISH litx none
            PUBLISH bb notclass
            [c3] [read]
            PUBLISH ab none
            PUBLISH xby range
            [c3] [read]
            PUBLISH xdy none
            PUBSUB NUMPAT
            [c2] PUNSUBSCRIBE h?llo nothere
            [c2] [read]
            [c2] PUNSUBSCRIBE
            [c2] PUNSUBSCRIBE
            PUBSUB NUMPAT
            """);
        yield return new(Family, "unsubscribe-when-none", """
            UNSUBSCRIBE
            PUNSUBSCRIBE
            SUNSUBSCRIBE
            UNSUBSCRIBE a b
            [read]
            PUNSUBSCRIBE a*
            SUNSUBSCRIBE a
            PING
            GET k
            """);
        yield return new(Family, "subscribed-mode", """
            [c2] SUBSCRIBE ch
            [c2] GET k
            [c2] SET k v
            [c2] PING
            [c2] PING hello
            [c2] PING a b
            [c2] ECHO x
            [c2] CLIENT ID
            [c2] PUBSUB NUMSUB ch
            [c2] SUBSCRIBE
            [c2] NOSUCHCOMMAND
            [c2] PSUBSCRIBE p*
            [c2] UNSUBSCRIBE ch
            [c2] GET k
            [c2] PUNSUBSCRIBE
            [c2] GET k
            [c2] SSUBSCRIBE s
            [c2] GET k
            [c2] SUNSUBSCRIBE s
            [c2] GET k
            """);
        yield return new(Family, "shard-channels", """
            [c2] SSUBSCRIBE s1 {s}2 s1
            [c2] [read]
            [c2] [read]
            SPUBLISH s1 m
            [c2] [read]
            SPUBLISH {s}2 m2
            [c2] [read]
            SPUBLISH s1x m
            PUBLISH s1 notshard
            PUBSUB SHARDCHANNELS s1
            PUBSUB SHARDCHANNELS nomatch
            PUBSUB SHARDNUMSUB s1 {s}2 none
            PUBSUB SHARDNUMSUB
            PUBSUB NUMSUB s1
            PUBSUB CHANNELS s1
            [c2] SUBSCRIBE s1
            PUBLISH s1 plain
            [c2] [read]
            [c2] SUNSUBSCRIBE s1
            [c2] SUNSUBSCRIBE
            [c2] SUNSUBSCRIBE
            [c2] UNSUBSCRIBE
            PUBSUB SHARDNUMSUB s1
            """);
        yield return new(Family, "errors", """
            PUBSUB
            PUBSUB foo
            PUBSUB HELP
            PUBSUB HELP x
            PUBSUB NUMPAT x
            PUBSUB CHANNELS a b
            PUBSUB SHARDCHANNELS a b
            PUBLISH ch
            PUBLISH ch a b
            SPUBLISH ch
            SUBSCRIBE
            PSUBSCRIBE
            SSUBSCRIBE
            """);
        yield return new(Family, "reset", """
            [c2] SUBSCRIBE a
            [c2] PSUBSCRIBE b*
            [c2] SSUBSCRIBE c
            PUBSUB NUMPAT
            PUBSUB NUMSUB a
            [c2] RESET
            PUBSUB NUMPAT
            PUBSUB NUMSUB a
            PUBSUB SHARDNUMSUB c
            PUBLISH a x
            [c2] GET k
            """);
        yield return new(Family, "pushes-between-replies", """
            [c2] SUBSCRIBE ch
            [c2] SET k v
            PUBLISH ch one
            [c2] [read]
            [c2] GET k
            [c2] [push] PUBLISH ch self
            PUBLISH ch two
            [c2] [read]
            [c2] CLIENT INFO
            [c2] UNSUBSCRIBE ch
            [c2] CLIENT INFO
            """);
    }

    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield break;
    }
}
