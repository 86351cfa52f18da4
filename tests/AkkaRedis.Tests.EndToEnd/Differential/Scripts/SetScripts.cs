namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>
/// The set family (t_set.c): replies and write effects compared with redis-server 7.0, in RESP2 and RESP3 (where the
/// member lists are <c>~</c> sets). Hashtable-encoded sets reply in dict order, so those replies are compared as
/// member sets (ReplyRules); SPOP and SRANDMEMBER appear only where their result is determined (count >= size, a
/// one-member set, errors). Keys a, b, c, d fall on the four shards of the 4-shard server; {t}-tagged keys share one.
/// </summary>
public static class SetScripts
{
    public const string Family = "sets";

    /// <summary>Placeholders for 1..512 (set-max-intset-entries' default) and 1..513 integers.</summary>
    private const string Ints512 = "INTS512", Ints513 = "INTS513";

    private static DiffScript Script(string name, string text) =>
        new(Family, name, text.Replace(Ints512, Integers(512)).Replace(Ints513, Integers(513)));

    private static string Integers(int n) => string.Join(' ', Enumerable.Range(1, n));

    public static IEnumerable<DiffScript> All()
    {
        yield return Script("add-remove-card-ismember", """
            SADD s a b c
            SADD s a d
            sadd s A
            SCARD s
            SISMEMBER s a
            SISMEMBER s zz
            SMISMEMBER s a zz b
            SMEMBERS s
            SREM s a zz
            SREM s zz
            SCARD s
            SREM s b c d A
            EXISTS s
            SCARD missing
            SISMEMBER missing a
            SMISMEMBER missing a b
            SMEMBERS missing
            SREM missing a
            SADD bin "\x00\xff" "" "a b"
            SISMEMBER bin ""
            SISMEMBER bin "\x00\xff"
            SMEMBERS bin
            TYPE bin
            SADD s
            SREM s
            SMISMEMBER s
            SISMEMBER s
            SCARD s x
            """);

        yield return Script("wrongtype", """
            SET str x
            RPUSH list a
            SADD s a
            SADD str a
            SREM str a
            SCARD list
            SISMEMBER str a
            SMISMEMBER str a
            SMEMBERS list
            SPOP str
            SPOP str 2
            SRANDMEMBER str
            SRANDMEMBER str 2
            SMOVE str s a
            SMOVE s str a
            SMOVE missing str a
            SINTER s str
            SINTER missing str
            SINTER str missing
            SINTERCARD 2 missing str
            SUNION s str
            SDIFF missing str
            SINTERSTORE d s str
            SUNIONSTORE d missing str
            SDIFFSTORE d str s
            SSCAN str 0
            SSCAN str x
            SUNIONSTORE str s
            TYPE str
            SMEMBERS str
            GET str
            LPUSH s x
            GET s
            """);

        yield return Script("intset-encoding", """
            SADD s 3 1 2
            OBJECT ENCODING s
            SMEMBERS s
            SADD s -32768 32767
            SMEMBERS s
            SADD s 32768
            SADD s -2147483649
            SMEMBERS s
            SISMEMBER s 32768
            SISMEMBER s 9223372036854775807
            SISMEMBER s 01
            SISMEMBER s +1
            SISMEMBER s " 1"
            SADD s 01
            OBJECT ENCODING s
            SREM s 01
            OBJECT ENCODING s
            SADD n -0
            OBJECT ENCODING n
            SADD n 9223372036854775807 -9223372036854775808
            OBJECT ENCODING n
            SADD n 9223372036854775808
            OBJECT ENCODING n
            SADD i 1
            OBJECT ENCODING i
            SADD i x
            OBJECT ENCODING i
            SREM i x
            OBJECT ENCODING i
            SADD h x
            OBJECT ENCODING h
            SADD h 1
            SREM h x
            OBJECT ENCODING h
            SCARD h
            """);

        yield return Script("intset-threshold", """
            SADD s INTS512
            OBJECT ENCODING s
            SCARD s
            SADD s 512
            OBJECT ENCODING s
            SADD s 513
            OBJECT ENCODING s
            SCARD s
            SREM s 513 512 511
            OBJECT ENCODING s
            MEMORY USAGE s
            DEBUG DIGEST-VALUE s
            SADD t INTS513
            OBJECT ENCODING t
            MEMORY USAGE t
            SADD u 1 2 3
            SADD u INTS513
            OBJECT ENCODING u
            SINTERSTORE d t u
            OBJECT ENCODING d
            SDIFFSTORE d t s
            OBJECT ENCODING d
            SMEMBERS d
            SUNIONSTORE d s
            OBJECT ENCODING d
            SCARD d
            DEBUG DIGEST
            """);

        yield return Script("big-hashtable", """
            SADD s m:1 m:2 m:3 m:4 m:5 m:6 m:7 m:8 m:9 m:10 m:11 m:12 m:13 m:14 m:15 m:16 m:17 m:18 m:19 m:20 m:21 m:22 m:23 m:24 m:25 m:26 m:27 m:28 m:29 m:30 m:31 m:32 m:33 m:34 m:35 m:36 m:37 m:38 m:39 m:40 m:41 m:42 m:43 m:44 m:45 m:46 m:47 m:48 m:49 m:50 m:51 m:52 m:53 m:54 m:55 m:56 m:57 m:58 m:59 m:60 m:61 m:62 m:63 m:64 m:65 m:66 m:67 m:68 m:69 m:70
            SCARD s
            OBJECT ENCODING s
            SISMEMBER s m:70
            SISMEMBER s m:71
            SMEMBERS s
            SREM s m:1 m:2 m:3
            SCARD s
            SADD s m:1 a-member-that-is-longer-than-sixty-four-bytes-so-it-would-not-fit-a-small-form-xxxx
            SCARD s
            SISMEMBER s a-member-that-is-longer-than-sixty-four-bytes-so-it-would-not-fit-a-small-form-xxxx
            SINTERCARD 1 s
            SINTERCARD 1 s LIMIT 5
            DEBUG DIGEST-VALUE s
            COPY s s2
            DEBUG DIGEST-VALUE s2
            SREM s2 m:4
            SCARD s
            SCARD s2
            SADD l x
            SADD l a-member-that-is-longer-than-sixty-four-bytes-so-it-would-not-fit-a-small-form-xxxx
            SMEMBERS l
            MEMORY USAGE l
            """);

        yield return Script("memory-debug-copy", """
            SADD s a b c
            MEMORY USAGE s
            MEMORY USAGE s SAMPLES 0
            SADD i 1 2 3
            MEMORY USAGE i
            SADD i 100000
            MEMORY USAGE i
            SADD i 10000000000
            MEMORY USAGE i
            SADD h 1 2 3 x
            MEMORY USAGE h
            SADD g 1 2 3 4 x
            DEBUG OBJECT s
            DEBUG OBJECT i
            DEBUG DIGEST-VALUE s i h g missing
            DEBUG DIGEST
            COPY s c
            SMEMBERS c
            OBJECT ENCODING c
            COPY i ci
            OBJECT ENCODING ci
            SADD ci 5
            SCARD i
            SCARD ci
            EXPIRE s 1000
            COPY s c2
            TTL c2
            DEBUG DIGEST-VALUE s
            RENAME i a
            SMEMBERS a
            MOVE a 1
            SELECT 1
            SMEMBERS a
            OBJECT ENCODING a
            TYPE a
            SELECT 0
            DEL h g
            UNLINK s
            EXISTS s h g
            TYPE c
            """);

        yield return Script("scan-type", """
            SADD s1 a
            SADD s2 1
            SET str x
            RPUSH l a
            [scanall] SCAN 0 TYPE set
            [scanall] SCAN 0 TYPE SET
            [scanall] SCAN 0 TYPE string
            """);

        yield return Script("spop", """
            SADD s a
            SPOP s
            EXISTS s
            SPOP s
            SPOP missing
            SADD s a b c
            SPOP s 0
            SPOP s 3
            EXISTS s
            SADD s 1 2 3
            SPOP s 10
            SPOP s 1 2
            SPOP s -1
            SPOP s x
            SPOP missing -1
            SPOP missing 0
            SPOP missing 5
            SADD s 5
            SPOP s 9223372036854775807
            SPOP s 9223372036854775808
            SADD s x
            EXPIRE s 100
            SADD s y z
            SPOP s 3
            TTL s
            """);

        yield return Script("srandmember", """
            SADD s a
            SRANDMEMBER s
            SRANDMEMBER s 1
            SRANDMEMBER s -3
            SRANDMEMBER s 0
            SRANDMEMBER s 5
            SADD i 3 1 2
            SRANDMEMBER i 3
            SRANDMEMBER i 100
            SRANDMEMBER missing
            SRANDMEMBER missing 3
            SRANDMEMBER missing -3
            SRANDMEMBER missing x
            SRANDMEMBER s x
            SRANDMEMBER s 1 2
            SRANDMEMBER s -9223372036854775808
            SRANDMEMBER s 9223372036854775808
            SRANDMEMBER s 9223372036854775807
            """);

        yield return Script("smove-across-shards", """
            SADD a x y 1
            SMOVE a b x
            SMEMBERS b
            OBJECT ENCODING b
            SMOVE a b 1
            SMEMBERS b
            SMOVE a c 1
            SMOVE a a y
            SMOVE a a zz
            SMOVE a d y
            EXISTS a
            OBJECT ENCODING d
            SMOVE missing d y
            SMOVE d missing y
            SMEMBERS missing
            SADD {t}i 1
            SADD {t}j 2
            SMOVE {t}i {t}j 1
            SMEMBERS {t}j
            OBJECT ENCODING {t}j
            SMOVE {t}j {t}k x
            SET str v
            SMOVE {t}j str 2
            SMOVE d str y
            """);

        yield return Script("algebra-across-shards", """
            SADD a 1 2 3 4 x
            SADD b 3 4 5 y x
            SADD c 4 x 9
            SINTER a b c
            SINTER a b
            SINTER a
            SINTER a missing b
            SINTER missing
            SUNION a b c
            SUNION a missing
            SUNION missing d
            SDIFF a b
            SDIFF a b c
            SDIFF a missing
            SDIFF missing a
            SDIFF a a
            SINTERCARD 3 a b c
            SINTERCARD 2 a b
            SINTERCARD 2 a b LIMIT 1
            SINTERCARD 2 a b limit 0
            SINTERCARD 2 a b LIMIT 100
            SINTERCARD 2 a missing
            SINTERCARD 1 a LIMIT 2 LIMIT 3
            SINTERSTORE d a b
            SMEMBERS d
            OBJECT ENCODING d
            SUNIONSTORE d a b c
            SCARD d
            SDIFFSTORE d a b c
            SMEMBERS d
            OBJECT ENCODING d
            SINTERSTORE d a missing
            EXISTS d
            SINTERSTORE d a missing
            SDIFFSTORE d a a
            SUNIONSTORE d missing
            SUNIONSTORE a a b
            SCARD a
            SINTERSTORE b b
            SCARD b
            SADD i 5 3 1
            SADD j 2 3 4
            SUNION i j
            SDIFF i j
            SINTER i j
            SUNIONSTORE d i j
            OBJECT ENCODING d
            SMEMBERS d
            SET d string
            EXPIRE d 100
            SUNIONSTORE d i
            TTL d
            TYPE d
            """);

        yield return Script("sintercard-errors", """
            SADD s a b
            SINTERCARD 0 s
            SINTERCARD -1 s
            SINTERCARD x s
            SINTERCARD 3 s
            SINTERCARD 2147483648 s
            SINTERCARD 1 s LIMIT
            SINTERCARD 1 s LIMIT -1
            SINTERCARD 1 s LIMIT x
            SINTERCARD 1 s LIMIT 9223372036854775808
            SINTERCARD 1 s foo 1
            SINTERCARD 1 s s
            SINTERCARD 2 s
            SINTERCARD 1
            SINTERCARD
            """);

        yield return Script("sort-sets", """
            SADD i 30 -7 5 100000 2
            SORT i
            SORT i DESC LIMIT 1 2
            SORT i BY nosort
            SORT_RO i BY nosort LIMIT 0 3
            SADD s banana apple cherry 10 9
            SORT s ALPHA
            SORT s ALPHA DESC
            SORT s
            SORT s BY nosort STORE dst
            LRANGE dst 0 -1
            SORT i BY nosort STORE dst
            LRANGE dst 0 -1
            SET w_apple 3
            SET w_banana 1
            SET w_cherry 2
            SORT s BY w_* GET # GET w_*
            """);

        yield return Script("sscan", """
            SADD i 5 1 3
            SSCAN i 0
            SSCAN i 0 COUNT 1
            SSCAN i 0 MATCH 1*
            SSCAN i 0 match * count 2
            SADD s a b c ab
            SSCAN s 0
            SSCAN s 0 MATCH a*
            SSCAN s 0 MATCH a* COUNT 100
            SSCAN missing 0
            SSCAN missing 0 COUNT 0
            SSCAN missing x
            SSCAN s x
            SSCAN s 18446744073709551616
            SSCAN s 0 COUNT 0
            SSCAN s 0 COUNT -1
            SSCAN s 0 COUNT x
            SSCAN s 0 MATCH
            SSCAN s 0 TYPE set
            SSCAN s 0 foo bar
            SSCAN s 0 COUNT 9223372036854775808
            """);
    }

    /// <summary>Scripts for the write-effects differential (<see cref="EffectScripts"/>).</summary>
    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield return new("sadd-srem", """
            SADD a x y
            SADD a x
            sadd a Z
            SREM a missing
            SREM a x missing
            srem a y Z
            SREM missing x
            SET str v
            SADD str x
            SREM str x
            """);
        yield return new("spop-each-path", """
            SADD a x
            SPOP a
            SPOP a
            SADD a 1 2 3
            SPOP a 0
            SPOP a 3
            SADD b x y
            SPOP b 5
            SPOP missing 2
            SPOP missing
            SPOP b -1
            """);
        yield return new("spop-unlink", """
            CONFIG SET lazyfree-lazy-server-del yes
            SADD a x y
            SPOP a 2
            CONFIG SET lazyfree-lazy-server-del no
            SADD a x y
            SPOP a 2
            """, "CONFIG SET lazyfree-lazy-server-del no");
        yield return new("smove-across-shards", """
            SADD a x y
            SMOVE a b x
            SMOVE a b x
            SMOVE a a y
            smove a c y
            SMOVE missing c y
            SADD {t}x 1
            SMOVE {t}x {t}y 1
            SET str v
            SMOVE c str y
            """);
        yield return new("store-across-shards", """
            SADD a 1 2 x
            SADD b 2 x y
            SINTERSTORE c a b
            SINTERSTORE c a missing
            SINTERSTORE c a missing
            SUNIONSTORE d a b
            sunionstore d missing
            sunionstore d missing
            SDIFFSTORE c a b
            SDIFFSTORE c a a
            SDIFFSTORE c a a
            SET str v
            SUNIONSTORE c a str
            SUNIONSTORE str a
            SINTERSTORE {t}d {t}e {t}f
            """);
    }
}
