namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <remarks>
/// Every script: the keys of the wrong type and the starting values first (notify-keyspace-events still off, so they
/// publish nothing), then the observer <c>[c2] PSUBSCRIBE __key*@*__:*</c>, the classes under test, and the family's
/// commands on c1, each write followed by one <c>[c2] [read]</c> per message Redis publishes for it (keyspace before
/// keyevent, events in Redis's order). The no-op and error forms have no [read]: the <c>[c2] PING</c> at the end would
/// read a stray message instead of its pong. Keys without a hash tag fall on several shards, so SMOVE, the STORE forms
/// and SORT STORE also run across shards. SPOP with a count smaller than the set is left out (its reply is random);
/// its event is the same "spop" as the whole-set case.
/// </remarks>
public static partial class NotificationScripts
{
    /// <summary>Sets, sorted sets, SORT, streams and consumer groups, geo.</summary>
    private static partial IEnumerable<DiffScript> PartB()
    {
        yield return Script("sets", """
            SET str v
            [c2] PSUBSCRIBE __key*@*__:*
            CONFIG SET notify-keyspace-events KEA
            SADD s a b c
            [c2] [read]
            [c2] [read]
            SADD s a b c
            SADD str a
            SREM s x y
            SREM nosuch a
            SREM str a
            SREM s a b x
            [c2] [read]
            [c2] [read]
            SREM s c x
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            SADD p only
            [c2] [read]
            [c2] [read]
            SPOP p
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            SPOP p
            SPOP str
            SPOP nosuch 3
            SADD p 1 2 3
            [c2] [read]
            [c2] [read]
            SPOP p 0
            SPOP p -1
            SPOP p 1 2
            SPOP p 3
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return Script("smove", """
            SET str v
            SADD {t}a 1 2
            SADD {t}b 2
            [c2] PSUBSCRIBE __key*@*__:*
            CONFIG SET notify-keyspace-events KEA
            SMOVE {t}a {t}b 2
            [c2] [read]
            [c2] [read]
            SMOVE {t}a {t}b 1
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            SMOVE {t}a {t}b 1
            SMOVE {t}b {t}b 1
            SMOVE {t}b {t}b x
            SMOVE {t}b str 1
            SMOVE str {t}b 1
            SMOVE {t}b other x
            SMOVE {t}b other 1
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            SMOVE {t}b other 2
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return Script("set-store", """
            SET str v
            SADD u1 a b
            SADD u2 b c
            [c2] PSUBSCRIBE __key*@*__:*
            CONFIG SET notify-keyspace-events KEA
            SINTERSTORE d u1 u2
            [c2] [read]
            [c2] [read]
            SUNIONSTORE d u1 u2
            [c2] [read]
            [c2] [read]
            SDIFFSTORE d u1 u2
            [c2] [read]
            [c2] [read]
            SINTERSTORE d u1 nosuch
            [c2] [read]
            [c2] [read]
            SINTERSTORE d u1 nosuch
            SDIFFSTORE d u1 u1
            SUNIONSTORE d nosuch
            SINTERSTORE d u1 str
            SUNIONSTORE d u1 str
            SDIFFSTORE d str u1
            SUNIONSTORE d u2
            [c2] [read]
            [c2] [read]
            SDIFFSTORE d u1 u1
            [c2] [read]
            [c2] [read]
            SINTER u1 u2
            SINTERCARD 2 u1 u2
            SUNION u1 u2
            SMEMBERS u1
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return Script("zadd", """
            SET str v
            [c2] PSUBSCRIBE __key*@*__:*
            CONFIG SET notify-keyspace-events KEA
            ZADD z 1 a 2 b
            [c2] [read]
            [c2] [read]
            ZADD z 1 a
            ZADD z XX 1 c
            ZADD z NX 5 a
            ZADD z GT 0 a
            ZADD nz XX 1 a
            ZADD z CH 3 a
            [c2] [read]
            [c2] [read]
            ZADD z INCR 2 a
            [c2] [read]
            [c2] [read]
            ZADD z INCR NX 2 a
            ZINCRBY z 0 a
            ZINCRBY z 1 d
            [c2] [read]
            [c2] [read]
            ZADD z 1 a 2
            ZADD z nan a
            ZADD z NX XX 1 a
            ZADD str 1 a
            ZINCRBY str 1 a
            ZADD z inf e
            [c2] [read]
            [c2] [read]
            ZINCRBY z -inf e
            ZREM z nosuch
            ZREM nz a
            ZREM str a
            ZREM z a nosuch
            [c2] [read]
            [c2] [read]
            ZREM z b d e
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return Script("zremrange-zpop", """
            SET str v
            ZADD r 1 a 2 b 3 c 4 d 5 e
            ZADD lex 0 a 0 b 0 c 0 d
            ZADD q 1 a 2 b 3 c
            ZADD {t}q 1 a 2 b
            [c2] PSUBSCRIBE __key*@*__:*
            CONFIG SET notify-keyspace-events KEA
            ZREMRANGEBYRANK r 10 20
            ZREMRANGEBYRANK r 0 0
            [c2] [read]
            [c2] [read]
            ZREMRANGEBYSCORE r 100 200
            ZREMRANGEBYSCORE r 2 2
            [c2] [read]
            [c2] [read]
            ZREMRANGEBYSCORE r a b
            ZREMRANGEBYRANK str 0 1
            ZREMRANGEBYSCORE nz 0 1
            ZREMRANGEBYSCORE r -inf +inf
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            ZREMRANGEBYLEX lex [x [z
            ZREMRANGEBYLEX lex [b [c
            [c2] [read]
            [c2] [read]
            ZREMRANGEBYLEX lex a b
            ZREMRANGEBYLEX lex - +
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            ZPOPMIN q
            [c2] [read]
            [c2] [read]
            ZPOPMAX q 0
            ZPOPMAX nz
            ZPOPMAX q -1
            ZPOPMIN str
            ZPOPMAX q 5
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            ZMPOP 2 {t}nz {t}q MIN COUNT 1
            [c2] [read]
            [c2] [read]
            ZMPOP 1 {t}q MAX COUNT 10
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            ZMPOP 1 {t}q MAX
            ZMPOP 1 str MAX
            ZMPOP 1 {t}q MAX COUNT 0
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return Script("zset-store", """
            SET str v
            ZADD s1 1 a 2 b
            ZADD s2 2 b 3 c
            [c2] PSUBSCRIBE __key*@*__:*
            CONFIG SET notify-keyspace-events KEA
            ZRANGESTORE dst s1 0 -1
            [c2] [read]
            [c2] [read]
            ZRANGESTORE dst s1 5 10
            [c2] [read]
            [c2] [read]
            ZRANGESTORE dst nz 0 -1
            ZRANGESTORE dst s1 0 -1 BYSCORE
            ZRANGESTORE dst str 0 -1
            ZRANGESTORE dst s1 (1 +inf BYSCORE
            [c2] [read]
            [c2] [read]
            ZUNIONSTORE dst 2 s1 s2
            [c2] [read]
            [c2] [read]
            ZINTERSTORE dst 2 s1 s2
            [c2] [read]
            [c2] [read]
            ZDIFFSTORE dst 2 s1 s2
            [c2] [read]
            [c2] [read]
            ZINTERSTORE dst 2 s1 nz
            [c2] [read]
            [c2] [read]
            ZDIFFSTORE dst 1 nz
            ZUNIONSTORE dst 1 str
            ZUNIONSTORE dst 0 s1
            ZINTERSTORE dst 1 s1 WEIGHTS x
            ZUNION 2 s1 s2
            ZRANGE s1 0 -1
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return Script("sort-store", """
            SET str v
            RPUSH l 3 1 2
            SET d x
            [c2] PSUBSCRIBE __key*@*__:*
            CONFIG SET notify-keyspace-events KEl
            SORT l STORE d
            [c2] [read]
            [c2] [read]
            SORT l
            SORT_RO l
            SORT nl STORE d
            CONFIG SET notify-keyspace-events KEg
            SORT l STORE d
            SORT nl STORE d
            [c2] [read]
            [c2] [read]
            SORT nl STORE d
            SORT l STORE d LIMIT x
            SORT str STORE d
            CONFIG SET notify-keyspace-events KEA
            SORT l BY nosort LIMIT 0 2 STORE d
            [c2] [read]
            [c2] [read]
            SORT l LIMIT 5 5 STORE d
            [c2] [read]
            [c2] [read]
            SADD {t}s 2 1
            [c2] [read]
            [c2] [read]
            SORT {t}s DESC STORE {t}d
            [c2] [read]
            [c2] [read]
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return Script("streams", """
            SET str v
            [c2] PSUBSCRIBE __key*@*__:*
            CONFIG SET notify-keyspace-events KEt
            XADD x 1-1 f v
            [c2] [read]
            [c2] [read]
            XADD x 1-1 f v
            XADD x NOMKSTREAM 2-1 f v
            [c2] [read]
            [c2] [read]
            XADD nx NOMKSTREAM 1-1 f v
            XADD x MAXLEN 2 3-1 f v
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            XADD x MAXLEN 5 4-1 f v
            [c2] [read]
            [c2] [read]
            XADD x MAXLEN ~ 1 5-1 f v
            [c2] [read]
            [c2] [read]
            XADD str 1-1 f v
            XADD x 6-1 f
            XADD x MAXLEN -1 6-1 f v
            XTRIM x MAXLEN 10
            XTRIM x MAXLEN 1
            [c2] [read]
            [c2] [read]
            XTRIM nx MAXLEN 0
            XTRIM str MAXLEN 0
            XTRIM x MAXLEN x
            XTRIM x MINID 9-9
            [c2] [read]
            [c2] [read]
            XDEL x 1-1
            XADD x 10-1 f v
            [c2] [read]
            [c2] [read]
            XDEL x 10-1 11-1
            [c2] [read]
            [c2] [read]
            XDEL nx 1-1
            XDEL x abc
            XADD x 12-1 f v
            [c2] [read]
            [c2] [read]
            XSETID x 20-1
            [c2] [read]
            [c2] [read]
            XSETID x 1-1
            XSETID nx 1-1
            XSETID str 1-1
            XLEN x
            XRANGE x - +
            XREAD STREAMS x 0
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return Script("stream-groups", """
            SET str v
            XADD s 1-1 f v
            XADD s 2-1 f v
            [c2] PSUBSCRIBE __key*@*__:*
            CONFIG SET notify-keyspace-events KEA
            XGROUP CREATE s g 0
            [c2] [read]
            [c2] [read]
            XGROUP CREATE s g 0
            XGROUP CREATE ns g 0
            XGROUP CREATE str g 0
            XGROUP CREATE ns g $ MKSTREAM
            [c2] [read]
            [c2] [read]
            XGROUP SETID s g 0
            [c2] [read]
            [c2] [read]
            XGROUP SETID s nog 0
            XGROUP CREATECONSUMER s g c1
            [c2] [read]
            [c2] [read]
            XGROUP CREATECONSUMER s g c1
            XGROUP CREATECONSUMER s nog c1
            XREADGROUP GROUP g c2 COUNT 1 STREAMS s >
            [c2] [read]
            [c2] [read]
            XREADGROUP GROUP g c2 STREAMS s >
            XREADGROUP GROUP g c3 STREAMS s >
            XREADGROUP GROUP g c3 STREAMS s 0
            [c2] [read]
            [c2] [read]
            XREADGROUP GROUP nog c3 STREAMS s 0
            XACK s g 1-1
            XACK s g 1-1
            XCLAIM s g c4 0 2-1
            [c2] [read]
            [c2] [read]
            XCLAIM s g c5 3600000 2-1
            XCLAIM s g c4 0 2-1 JUSTID
            XAUTOCLAIM s g c6 0 0
            [c2] [read]
            [c2] [read]
            XAUTOCLAIM s g c7 3600000 0
            XGROUP DELCONSUMER s g c6
            [c2] [read]
            [c2] [read]
            XGROUP DELCONSUMER s g nobody
            XGROUP DESTROY s g
            [c2] [read]
            [c2] [read]
            XGROUP DESTROY s g
            XGROUP DESTROY ns nog
            XINFO STREAM s
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return Script("geo", """
            SET str v
            [c2] PSUBSCRIBE __key*@*__:*
            CONFIG SET notify-keyspace-events KEA
            GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
            [c2] [read]
            [c2] [read]
            GEOADD g 13.361389 38.115556 Palermo
            GEOADD g XX 1 1 Nowhere
            GEOADD ng XX 1 1 Nowhere
            GEOADD g NX 14 38 Palermo
            GEOADD g CH 14 38 Palermo
            [c2] [read]
            [c2] [read]
            GEOADD g 200 100 x
            GEOADD str 1 1 a
            GEOSEARCHSTORE dst g FROMLONLAT 15 37 BYRADIUS 200 km
            [c2] [read]
            [c2] [read]
            GEOSEARCHSTORE dst g FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST
            [c2] [read]
            [c2] [read]
            GEOSEARCHSTORE dst g FROMLONLAT 0 0 BYRADIUS 1 km
            [c2] [read]
            [c2] [read]
            GEOSEARCHSTORE dst g FROMLONLAT 0 0 BYRADIUS 1 km
            GEOSEARCHSTORE dst ng FROMLONLAT 0 0 BYRADIUS 1 km
            GEOSEARCHSTORE dst g FROMMEMBER nobody BYRADIUS 1 km
            GEOSEARCHSTORE dst str FROMLONLAT 0 0 BYRADIUS 1 km
            GEORADIUS g 15 37 200 km STORE dst
            [c2] [read]
            [c2] [read]
            GEORADIUSBYMEMBER g Palermo 200 km STOREDIST dst
            [c2] [read]
            [c2] [read]
            GEORADIUS ng 15 37 200 km STORE dst
            [c2] [read]
            [c2] [read]
            GEORADIUS g 15 37 200 km STORE dst WITHDIST
            GEORADIUS_RO g 15 37 200 km
            GEOSEARCH g FROMLONLAT 15 37 BYRADIUS 200 km ASC
            GEODIST g Palermo Catania
            ZREM g Palermo
            [c2] [read]
            [c2] [read]
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return Script("collection-classes", """
            SET str v
            [c2] PSUBSCRIBE __key*@*__:*
            [c3] SUBSCRIBE __keyevent@0__:sadd __keyspace@1__:s
            [c3] [read]
            CONFIG SET notify-keyspace-events Ks
            CONFIG GET notify-keyspace-events
            SADD s a
            [c2] [read]
            SREM s a
            [c2] [read]
            ZADD z 1 a
            XADD x 1-1 f v
            CONFIG SET notify-keyspace-events Eg
            SADD s a
            SREM s a
            [c2] [read]
            ZPOPMIN z
            [c2] [read]
            CONFIG SET notify-keyspace-events Ez
            ZADD z 1 a
            [c2] [read]
            SADD s a
            CONFIG SET notify-keyspace-events Et
            XADD x 2-1 f v
            [c2] [read]
            XGROUP CREATE x g 0
            [c2] [read]
            ZADD z 2 b
            CONFIG SET notify-keyspace-events A
            CONFIG GET notify-keyspace-events
            SADD s b
            ZADD z 3 c
            XADD x 3-1 f v
            GEOADD geo 1 1 m
            CONFIG SET notify-keyspace-events Kl
            SORT z ALPHA STORE d
            [c2] [read]
            CONFIG SET notify-keyspace-events Ex
            SADD s c
            SREM s c
            CONFIG SET notify-keyspace-events szKtgE
            CONFIG GET notify-keyspace-events
            SELECT 1
            SADD s x
            [c2] [read]
            [c2] [read]
            [c3] [read]
            SELECT 0
            SADD s x
            [c2] [read]
            [c2] [read]
            [c3] [read]
            [c2] PING
            [c3] PING
            CONFIG SET notify-keyspace-events ""
            CONFIG GET notify-keyspace-events
            """);
    }

    private static DiffScript Script(string name, string body) => new(Family, name, body);
}
