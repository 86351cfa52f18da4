namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>The sorted-set family (t_zset.c): replies and write effects compared with redis-server 7.0. Every script
/// runs in RESP2 and RESP3 (doubles, nested WITHSCORES pairs). Skip-list sets are only read through ordered replies
/// (their ZSCAN order and MEMORY USAGE depend on each server's hash table and random levels).</summary>
public static class ZSetScripts
{
    public const string Family = "sorted-sets";

    /// <summary>ZADD arguments for <paramref name="n"/> members m0.. with scores 0..</summary>
    private static string Pairs(int n, int from = 0) => string.Join(' ', Enumerable.Range(from, n).Select(i => $"{i} m{i}"));

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "zadd-options", """
            ZADD z 1 a 2 b 3 c
            ZADD z 1 a
            ZADD z CH 5 a 2 b 9 new
            ZADD z NX 100 a 7 nx
            ZADD z XX 100 a 7 xxnew
            ZADD z XX CH 101 a 101 a
            ZADD z GT 50 a
            ZADD z GT CH 500 a
            ZADD z LT CH 1 a 3 b
            ZADD z LT 99 a
            ZADD z gt lt 1 a
            ZADD z NX GT 1 a
            ZADD z nx lt 1 a
            ZADD z NX XX 1 a
            ZADD z XX NX GT 1 a
            ZADD z INCR 1 a 2 b
            ZADD z INCR 10 a
            ZADD z INCR -10.5 a
            ZADD z INCR NX 1 a
            ZADD z INCR XX 1 nosuch
            ZADD z INCR GT -1 a
            ZADD z INCR LT -1 a
            ZADD z INCR GT 0 a
            ZADD z INCR 0 a
            ZADD z 1
            ZADD z 1 a 2
            ZADD z
            ZADD z CH
            ZADD z abc a
            ZADD z 1 a abc b
            ZADD z nan a
            ZADD z "" a
            ZADD z " 1" a
            ZADD z 0x10 hex
            ZADD z 1e400 a
            ZADD z 1e-400 a
            ZADD z -1e-400 a
            ZADD z 1e-310 denormal
            ZADD z 0e-400 zero 0.0000e5 zero2
            ZINCRBY z 1e-400 a
            ZUNION 1 z WEIGHTS 1e-400
            ZADD z inf pinf -inf ninf +inf pinf2
            ZADD z INCR -inf pinf
            ZADD z INCR inf ninf
            ZADD z -0 negzero
            ZADD z 1.5 f 0.1 g 1e20 e 3.0 three 12345678901234567 bigint
            ZSCORE z negzero
            ZADD z INCR -0 negzero
            ZINCRBY z -0 a
            ZRANGE z 0 -1 WITHSCORES
            ZCARD z
            ZADD nosuch XX 1 a
            EXISTS nosuch
            ZADD nosuch XX INCR 1 a
            ZINCRBY z 1 a
            ZINCRBY z -1.5 brand-new
            ZINCRBY z abc a
            ZINCRBY z inf pinf
            ZINCRBY z -inf pinf
            ZINCRBY z nx a
            ZINCRBY missing 3 m
            ZSCORE z a
            ZSCORE z nosuch
            ZSCORE missing a
            ZMSCORE z a nosuch g negzero e
            ZMSCORE missing a b
            SET s v
            ZADD s 1 a
            ZINCRBY s 1 a
            ZADD s XX 1 a
            ZADD s NX XX 1 a
            ZADD s abc a
            ZSCORE s a
            ZMSCORE s a
            ZCARD s
            ZCARD missing
            RPUSH l a
            ZCARD l
            TYPE z
            OBJECT ENCODING z
            """);

        yield return new(Family, "zrem-rank-count", """
            ZADD z 1 a 2 b 2 bb 3 c 4 d -1 neg
            ZRANK z a
            ZRANK z neg
            ZREVRANK z a
            ZREVRANK z neg
            ZRANK z nosuch
            ZRANK missing a
            ZREVRANK missing a
            ZCOUNT z -inf +inf
            ZCOUNT z (1 3
            ZCOUNT z 1 (3
            ZCOUNT z (2 (2
            ZCOUNT z 2 2
            ZCOUNT z 3 1
            ZCOUNT z "" ""
            ZCOUNT z " 1" "  2"
            ZCOUNT z "1 " 2
            ZCOUNT z ( (
            ZCOUNT z abc 1
            ZCOUNT z 1 nan
            ZCOUNT z -1e400 1e400
            ZCOUNT z 0x1 0x3
            ZCOUNT missing 0 1
            ZCOUNT missing a b
            ZREM z a nosuch b
            ZREM z nosuch
            ZREM missing a
            ZRANGE z 0 -1 WITHSCORES
            ZREM z bb c d neg
            EXISTS z
            ZADD lex 0 a 0 b 0 c 0 d 0 e 0 "" 0 aa 0 "\xff"
            ZLEXCOUNT lex - +
            ZLEXCOUNT lex + -
            ZLEXCOUNT lex [a [c
            ZLEXCOUNT lex (a [c
            ZLEXCOUNT lex (a (c
            ZLEXCOUNT lex [c [a
            ZLEXCOUNT lex [b (b
            ZLEXCOUNT lex [b [b
            ZLEXCOUNT lex - [
            ZLEXCOUNT lex [ +
            ZLEXCOUNT lex a [c
            ZLEXCOUNT lex [a c
            ZLEXCOUNT lex "" +
            ZLEXCOUNT lex -a +
            ZLEXCOUNT lex - +b
            ZLEXCOUNT missing - +
            ZLEXCOUNT missing a b
            SET s v
            ZRANK s a
            ZCOUNT s 0 1
            ZCOUNT s a 1
            ZLEXCOUNT s - +
            ZLEXCOUNT s a b
            ZREM s a
            """);

        yield return new(Family, "zrange-by-rank", """
            ZADD z 1 a 2 b 3 c 4 d 5 e 1.5 f
            ZRANGE z 0 -1
            ZRANGE z 0 -1 WITHSCORES
            ZRANGE z 0 -1 withscores withscores
            ZRANGE z -2 -1 WITHSCORES
            ZRANGE z 2 1
            ZRANGE z 5 100
            ZRANGE z 6 100
            ZRANGE z -100 1
            ZRANGE z -100 -50
            ZRANGE z 0 0 REV
            ZRANGE z 0 1 REV WITHSCORES
            ZRANGE z 0 -1 rev
            ZREVRANGE z 0 -1
            ZREVRANGE z 1 2 WITHSCORES
            ZREVRANGE z 0 -1 REV
            ZREVRANGE z 0 -1 BYSCORE
            ZREVRANGE z 0 -1 LIMIT 0 1
            ZRANGE z 0 -1 LIMIT 0 1
            ZRANGE z 0 -1 LIMIT 0
            ZRANGE z 0 -1 LIMIT a b
            ZRANGE z 0 -1 REV REV
            ZRANGE z 0 -1 BYSCORE BYLEX
            ZRANGE z a 1
            ZRANGE z 0 b
            ZRANGE z 0 9223372036854775807
            ZRANGE z -9223372036854775808 9223372036854775807
            ZRANGE z 0 1 nosuchoption
            ZRANGE missing 0 -1
            ZRANGE missing 0 -1 WITHSCORES
            ZRANGE missing a b
            ZREVRANGE missing 0 1
            SET s v
            ZRANGE s 0 -1
            ZRANGE s a b
            ZREVRANGE s 0 1
            """);

        yield return new(Family, "zrange-by-score", """
            ZADD z -inf ninf 1 a 2 b 2 b2 3 c 4 d 5 e inf pinf
            ZRANGE z -inf +inf BYSCORE
            ZRANGE z -inf +inf BYSCORE WITHSCORES
            ZRANGE z (1 3 BYSCORE WITHSCORES
            ZRANGE z 1 (3 BYSCORE
            ZRANGE z (2 (2 BYSCORE
            ZRANGE z 3 1 BYSCORE
            ZRANGE z +inf -inf BYSCORE REV WITHSCORES
            ZRANGE z 3 1 BYSCORE REV
            ZRANGE z 1 3 BYSCORE REV
            ZRANGE z -inf +inf BYSCORE LIMIT 1 2
            ZRANGE z -inf +inf BYSCORE LIMIT 1 -1
            ZRANGE z -inf +inf BYSCORE LIMIT -1 2
            ZRANGE z -inf +inf BYSCORE LIMIT 0 0
            ZRANGE z -inf +inf BYSCORE LIMIT 8 1
            ZRANGE z -inf +inf BYSCORE LIMIT 7 5
            ZRANGE z +inf -inf BYSCORE REV LIMIT 2 3 WITHSCORES
            ZRANGE z 2 2 BYSCORE LIMIT 1 1
            ZRANGE z a b BYSCORE
            ZRANGE z 1 nan BYSCORE
            ZRANGE z 1 2 BYSCORE LIMIT 1
            ZRANGE z 1 2 BYSCORE LIMIT 1 x
            ZRANGEBYSCORE z -inf +inf
            ZRANGEBYSCORE z (1 (5 WITHSCORES
            ZRANGEBYSCORE z 1 5 LIMIT 1 2 WITHSCORES
            ZRANGEBYSCORE z 1 5 WITHSCORES LIMIT 1 2
            ZRANGEBYSCORE z 1 5 REV
            ZRANGEBYSCORE z 1 5 BYLEX
            ZRANGEBYSCORE z 1 5 LIMIT
            ZRANGEBYSCORE z "" 2
            ZRANGEBYSCORE z " 2" 3
            ZREVRANGEBYSCORE z +inf -inf
            ZREVRANGEBYSCORE z 5 1 WITHSCORES
            ZREVRANGEBYSCORE z (5 (1 LIMIT 1 2
            ZREVRANGEBYSCORE z 1 5
            ZREVRANGEBYSCORE z 5 1 LIMIT 0 -5
            ZREVRANGEBYSCORE z a 1
            ZRANGEBYSCORE missing 0 1
            ZRANGEBYSCORE missing a 1
            SET s v
            ZRANGEBYSCORE s 0 1
            ZREVRANGEBYSCORE s 1 0
            ZRANGE s 0 1 BYSCORE
            """);

        yield return new(Family, "zrange-by-lex", """
            ZADD z 0 a 0 b 0 c 0 d 0 e 0 aa 0 "" 0 "\x00" 0 "\xff\xfe"
            ZRANGE z - + BYLEX
            ZRANGE z [a [c BYLEX
            ZRANGE z (a (c BYLEX
            ZRANGE z [c [a BYLEX
            ZRANGE z + - BYLEX REV
            ZRANGE z [c [a BYLEX REV
            ZRANGE z - + BYLEX LIMIT 2 3
            ZRANGE z - + BYLEX LIMIT 2 -1
            ZRANGE z - + BYLEX LIMIT -2 3
            ZRANGE z + - BYLEX REV LIMIT 1 2
            ZRANGE z - + BYLEX WITHSCORES
            ZRANGE z a + BYLEX
            ZRANGE z [a +a BYLEX
            ZRANGE z "" + BYLEX
            ZRANGE z - - BYLEX
            ZRANGE z + + BYLEX
            ZRANGE z [ + BYLEX
            ZRANGE z ( + BYLEX
            ZRANGEBYLEX z - +
            ZRANGEBYLEX z [aa +
            ZRANGEBYLEX z - (b LIMIT 0 2
            ZRANGEBYLEX z - + WITHSCORES
            ZRANGEBYLEX z - + BYSCORE
            ZRANGEBYLEX z a b
            ZREVRANGEBYLEX z + -
            ZREVRANGEBYLEX z [c (a
            ZREVRANGEBYLEX z (a [c
            ZREVRANGEBYLEX z + - LIMIT 1 3
            ZREVRANGEBYLEX z + - LIMIT 0 0
            ZRANGEBYLEX missing - +
            ZRANGEBYLEX missing a b
            SET s v
            ZRANGEBYLEX s - +
            ZREVRANGEBYLEX s + -
            """);

        yield return new(Family, "zrangestore", """
            ZADD src 1 a 2 b 3 c 4 d 0 e 0 f
            ZRANGESTORE dst src 0 -1
            ZRANGE dst 0 -1 WITHSCORES
            OBJECT ENCODING dst
            ZRANGESTORE dst src 1 2 REV
            ZRANGE dst 0 -1 WITHSCORES
            ZRANGESTORE dst src (1 +inf BYSCORE LIMIT 1 2
            ZRANGE dst 0 -1 WITHSCORES
            ZRANGESTORE dst src [a [c BYLEX
            ZRANGE dst 0 -1 WITHSCORES
            ZRANGESTORE dst src 5 10 BYSCORE
            EXISTS dst
            ZRANGESTORE dst src 5 10 BYSCORE
            ZRANGESTORE dst src 0 -1 WITHSCORES
            ZRANGESTORE dst src 0 -1 LIMIT 0 1
            ZRANGESTORE dst src a b BYSCORE
            ZRANGESTORE dst missing 0 -1
            SET str v
            EXPIRE str 100
            ZRANGESTORE str src 0 0
            TYPE str
            TTL str
            ZRANGESTORE dst str 0 -1
            ZRANGESTORE src src 0 1
            ZRANGE src 0 -1 WITHSCORES
            ZRANGESTORE src src 9 10
            EXISTS src
            """);

        yield return new(Family, "zremrange", """
            ZADD z 1 a 2 b 3 c 4 d 5 e 6 f
            ZREMRANGEBYRANK z 0 0
            ZREMRANGEBYRANK z -1 -1
            ZREMRANGEBYRANK z 5 10
            ZREMRANGEBYRANK z 2 1
            ZREMRANGEBYRANK z a 1
            ZRANGE z 0 -1
            ZREMRANGEBYSCORE z (2 3
            ZREMRANGEBYSCORE z 10 20
            ZREMRANGEBYSCORE z a 1
            ZREMRANGEBYSCORE z 5 1
            ZRANGE z 0 -1 WITHSCORES
            ZADD lex 0 a 0 b 0 c 0 d
            ZREMRANGEBYLEX lex (a [c
            ZREMRANGEBYLEX lex a b
            ZREMRANGEBYLEX lex + -
            ZRANGE lex 0 -1
            ZREMRANGEBYLEX lex - +
            EXISTS lex
            ZREMRANGEBYSCORE z -inf +inf
            EXISTS z
            ZREMRANGEBYRANK missing 0 1
            ZREMRANGEBYSCORE missing 0 1
            ZREMRANGEBYLEX missing - +
            ZREMRANGEBYRANK missing a 1
            SET s v
            ZREMRANGEBYRANK s 0 1
            ZREMRANGEBYSCORE s 0 1
            ZREMRANGEBYLEX s - +
            ZREMRANGEBYLEX s a b
            """);

        yield return new(Family, "pops", """
            ZADD z 1 a 2 b 3 c 4 d 5 e
            ZPOPMIN z
            ZPOPMAX z
            ZPOPMIN z 2
            ZPOPMAX z 0
            ZPOPMIN z -1
            ZPOPMIN z abc
            ZPOPMIN z 1 2
            ZPOPMAX z 10
            EXISTS z
            ZPOPMIN z
            ZPOPMIN z 0
            ZPOPMAX missing 3
            ZADD y 1 a 2 b 3 c
            ZADD x 10 x
            ZMPOP 1 y MIN
            ZMPOP 2 missing y MAX COUNT 5
            ZMPOP 2 missing y MAX COUNT 5
            ZMPOP 3 missing x y min count 1
            ZMPOP 1 x MAX
            ZMPOP 0 x MIN
            ZMPOP -1 x MIN
            ZMPOP a x MIN
            ZMPOP 1 x
            ZMPOP 1 x LEFT
            ZMPOP 2 x MIN
            ZMPOP 1 x MIN COUNT 0
            ZMPOP 1 x MIN COUNT -1
            ZMPOP 1 x MIN COUNT 1 COUNT 1
            ZMPOP 1 x MIN COUNT
            ZMPOP 1 x MIN BOGUS
            SET s v
            ZPOPMIN s
            ZPOPMAX s 0
            ZMPOP 2 missing s MIN
            ZMPOP 2 s x MIN
            """);

        yield return new(Family, "randmember-scan", """
            ZADD z 1 a 2 b 3 c 0.5 d inf e
            ZRANDMEMBER z 5
            ZRANDMEMBER z 100 WITHSCORES
            ZRANDMEMBER z 0
            ZRANDMEMBER z 0 WITHSCORES
            ZRANDMEMBER z -1 nowithscores
            ZRANDMEMBER z 1 WITHSCORES extra
            ZRANDMEMBER z abc
            ZRANDMEMBER z -9223372036854775808
            ZRANDMEMBER z 9223372036854775807 WITHSCORES
            ZRANDMEMBER z -4611686018427387904 WITHSCORES
            ZRANDMEMBER missing
            ZRANDMEMBER missing 5
            ZRANDMEMBER missing 5 WITHSCORES
            ZRANDMEMBER missing abc
            ZADD one 7 only
            ZRANDMEMBER one
            ZRANDMEMBER one 1 WITHSCORES
            ZRANDMEMBER one -3 WITHSCORES
            ZRANDMEMBER one -2
            ZSCAN z 0
            ZSCAN z 0 COUNT 1
            ZSCAN z 0 MATCH [a-c]
            ZSCAN z 0 match * count 100
            ZSCAN z 0 COUNT 0
            ZSCAN z 0 COUNT abc
            ZSCAN z 0 TYPE zset
            ZSCAN z 0 MATCH
            ZSCAN z abc
            ZSCAN z -1
            ZSCAN missing 0
            ZSCAN missing abc
            ZSCAN missing 0 COUNT 0
            SET s v
            ZRANDMEMBER s
            ZRANDMEMBER s 1
            ZRANDMEMBER s abc
            ZSCAN s 0
            ZSCAN s 0 COUNT 0
            """);

        yield return new(Family, "encodings", $$"""
            ZADD big {{Pairs(128)}}
            OBJECT ENCODING big
            MEMORY USAGE big
            DEBUG DIGEST-VALUE big
            ZADD big 0 m0 1.5 m1
            OBJECT ENCODING big
            ZADD big 500 one-more
            OBJECT ENCODING big
            ZRANGE big 100 110 WITHSCORES
            ZRANGE big 120 +inf BYSCORE LIMIT 2 3
            ZREVRANGE big 0 3 WITHSCORES
            ZRANK big m77
            ZREVRANK big m77
            ZCOUNT big (10 100
            ZREMRANGEBYRANK big 0 119
            OBJECT ENCODING big
            ZRANGE big 0 -1 WITHSCORES
            DEBUG DIGEST-VALUE big
            ZADD created {{Pairs(129)}}
            OBJECT ENCODING created
            ZADD long 1 a
            ZADD long 2 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
            OBJECT ENCODING long
            ZADD long 3 yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
            OBJECT ENCODING long
            ZRANGE long 0 -1 WITHSCORES
            ZPOPMIN long 2
            OBJECT ENCODING long
            ZRANGESTORE small big 0 2
            OBJECT ENCODING small
            ZRANGESTORE small long 0 -1
            OBJECT ENCODING small
            ZADD small2 1 a 2 b 3 c
            OBJECT ENCODING small2
            MEMORY USAGE small2
            DEBUG DIGEST-VALUE small2
            ZADD scores 0.1 a -0 b 1e20 c 3 d 4.5 e -inf f inf g 12345678 h 123456789012 i
            MEMORY USAGE scores
            DEBUG DIGEST-VALUE scores
            ZSCAN scores 0
            COPY big bigcopy
            ZRANGE bigcopy 0 -1 WITHSCORES
            OBJECT ENCODING bigcopy
            COPY small2 copy2
            OBJECT ENCODING copy2
            ZADD copy2 4 d
            ZCARD small2
            RENAME big renamed
            ZRANGE renamed 0 1
            TYPE renamed
            DEBUG DIGEST
            """);

        yield return new(Family, "configured-thresholds", """
            CONFIG SET zset-max-listpack-entries 3
            CONFIG SET zset-max-listpack-value 4
            ZADD z 1 a 2 b 3 c
            OBJECT ENCODING z
            ZADD z 4 d
            OBJECT ENCODING z
            ZADD w 1 abcd
            OBJECT ENCODING w
            ZADD w 2 abcde
            OBJECT ENCODING w
            ZADD v 1 a 2 b 3 c 4 d
            OBJECT ENCODING v
            ZADD u 1 abcdefg
            OBJECT ENCODING u
            ZRANGESTORE dst z 0 1
            OBJECT ENCODING dst
            ZRANGESTORE dst z 0 -1
            OBJECT ENCODING dst
            CONFIG SET zset-max-listpack-entries 0
            ZADD t 1 a
            OBJECT ENCODING t
            ZRANGESTORE dst2 z 0 0 BYSCORE
            OBJECT ENCODING dst2
            CONFIG SET zset-max-listpack-entries 128
            CONFIG SET zset-max-listpack-value 64
            """);

        yield return new(Family, "set-operations", """
            ZADD {t}a 1 x 2 y 3 z inf p -inf n
            ZADD {t}b 10 y 20 z 30 w -inf p inf n
            ZADD {t}c 5 z
            ZUNION 2 {t}a {t}b
            ZUNION 2 {t}a {t}b WITHSCORES
            ZUNION 2 {t}a {t}b WEIGHTS 2 0.5 WITHSCORES
            ZUNION 2 {t}a {t}b WEIGHTS 0 1 WITHSCORES
            ZUNION 2 {t}a {t}b AGGREGATE MIN WITHSCORES
            ZUNION 2 {t}a {t}b aggregate max withscores weights -1 1
            ZUNION 3 {t}a {t}b {t}missing WITHSCORES
            ZUNION 1 {t}a WEIGHTS 1 AGGREGATE SUM WITHSCORES WITHSCORES
            ZINTER 2 {t}a {t}b WITHSCORES
            ZINTER 2 {t}a {t}b WEIGHTS 0 0 WITHSCORES
            ZINTER 3 {t}a {t}b {t}c WITHSCORES
            ZINTER 2 {t}a {t}a WITHSCORES AGGREGATE MAX
            ZINTER 2 {t}a {t}missing WITHSCORES
            ZINTERCARD 2 {t}a {t}b
            ZINTERCARD 2 {t}a {t}b LIMIT 1
            ZINTERCARD 2 {t}a {t}b LIMIT 0
            ZINTERCARD 2 {t}a {t}missing
            ZINTERCARD 2 {t}a {t}b LIMIT -1
            ZINTERCARD 2 {t}a {t}b LIMIT abc
            ZINTERCARD 2 {t}a {t}b WITHSCORES
            ZINTERCARD 0 {t}a
            ZDIFF 2 {t}a {t}b WITHSCORES
            ZDIFF 1 {t}a
            ZDIFF 2 {t}missing {t}a
            ZDIFF 2 {t}a {t}b WEIGHTS 1 1
            ZDIFF 2 {t}a {t}b AGGREGATE SUM
            ZDIFF -1 {t}a
            ZUNIONSTORE {t}d 2 {t}a {t}b WEIGHTS 1 2
            ZRANGE {t}d 0 -1 WITHSCORES
            OBJECT ENCODING {t}d
            ZINTERSTORE {t}d 2 {t}a {t}b
            ZRANGE {t}d 0 -1 WITHSCORES
            ZDIFFSTORE {t}d 2 {t}a {t}b
            ZRANGE {t}d 0 -1 WITHSCORES
            ZINTERSTORE {t}d 2 {t}a {t}missing
            EXISTS {t}d
            ZUNIONSTORE {t}d 0 {t}a
            ZUNIONSTORE {t}d 1 {t}a WITHSCORES
            ZUNIONSTORE {t}d 1 {t}a AGGREGATE
            ZUNIONSTORE {t}d 1 {t}a AGGREGATE avg
            ZUNION 2 {t}a
            ZUNION abc {t}a
            ZUNION 9223372036854775807 {t}a
            ZUNION 1 {t}a WEIGHTS x
            ZUNION 1 {t}a WEIGHTS 1 2
            ZINTER 1 {t}a LIMIT 1
            SET {t}s v
            ZUNION 2 {t}a {t}s
            ZUNION 2 {t}s {t}a WEIGHTS x
            ZINTERSTORE {t}d 2 {t}s {t}a
            ZDIFF 2 {t}a {t}s
            ZUNIONSTORE {t}s 1 {t}a
            TYPE {t}s
            ZUNIONSTORE a 2 b c
            ZADD b 1 x
            ZADD c 2 x 3 y
            ZUNIONSTORE a 2 b c
            ZRANGE a 0 -1 WITHSCORES
            ZINTER 2 b c WITHSCORES
            """);

        // Plain sets as inputs: every member scores 1 (times its weight), an intset's members as their decimal text.
        yield return new(Family, "set-inputs", """
            ZADD {t}z 1 a 2 b 3 3 4 x
            SADD {t}ints 3 1 2 -5
            SADD {t}strs a x q 3
            SADD {t}big m1 m2 m3 m4 m5 m6 m7 m8 m9 m10 m11 m12 m13 m14 m15 m16 m17 m18 m19 m20 m21 m22 m23 m24 m25 m26 m27 m28 m29 m30 m31 m32 m33 m34 m35 m36 m37 m38 m39 m40 m41 m42 m43 m44 m45 m46 m47 m48 m49 m50 m51 m52 m53 m54 m55 m56 m57 m58 m59 m60 m61 m62 m63 m64 m65 a
            ZUNION 2 {t}z {t}ints WITHSCORES
            ZUNION 3 {t}z {t}ints {t}strs WEIGHTS 1 2 3 WITHSCORES
            ZINTER 2 {t}z {t}strs WITHSCORES AGGREGATE MAX
            ZINTER 2 {t}strs {t}big WITHSCORES
            ZINTERCARD 2 {t}big {t}z
            ZINTERCARD 3 {t}z {t}strs {t}ints
            ZDIFF 2 {t}z {t}strs WITHSCORES
            ZDIFF 2 {t}ints {t}z WITHSCORES
            ZDIFF 2 {t}strs {t}big
            ZUNIONSTORE {t}d 2 {t}ints {t}strs
            ZRANGE {t}d 0 -1 WITHSCORES
            OBJECT ENCODING {t}d
            ZINTERSTORE {t}d 2 {t}big {t}big WEIGHTS 2 3
            ZCARD {t}d
            ZSCORE {t}d m7
            OBJECT ENCODING {t}d
            ZDIFFSTORE {t}d 1 {t}ints
            ZRANGE {t}d 0 -1 WITHSCORES
            """);

        yield return new(Family, "sort", """
            ZADD z 3 a 1 b 2 c 10 d 5 10 7 2
            OBJECT ENCODING z
            SORT z BY nosort
            OBJECT ENCODING z
            ZADD y 3 a 1 b 2 c 10 d
            SORT_RO y BY nosort DESC LIMIT 1 2
            OBJECT ENCODING y
            SORT z ALPHA
            SORT z ALPHA DESC LIMIT 1 3
            SORT z BY nosort LIMIT 5 2
            SORT z BY nosort LIMIT 10 2
            SORT z BY nosort DESC LIMIT 0 10
            SORT z BY nosort LIMIT -1 -1
            SORT z
            ZADD n 1 3 2 1 3 2.5
            SORT n
            SORT n DESC
            SORT n BY nosort STORE {n}dst
            SORT n LIMIT 1 1 STORE dst
            LRANGE dst 0 -1
            SET w_a 5
            SET w_b 1
            SORT z BY w_* GET # LIMIT 0 3
            """);

        yield return new(Family, "keys-and-types", """
            ZADD z 1 a 2 b
            TYPE z
            [scanall] SCAN 0 TYPE zset
            [scanall] SCAN 0 TYPE ZSET
            EXPIRE z 100
            DEBUG DIGEST-VALUE z
            MOVE z 1
            SELECT 1
            ZRANGE z 0 -1 WITHSCORES
            TTL z
            SELECT 0
            EXISTS z
            ZADD y 1 a
            DEL y
            ZADD y 1 a
            UNLINK y
            EXISTS y
            LPUSH l a
            ZADD l 1 a
            ZRANGESTORE l2 l 0 1
            GET z
            ZADD z 1 a
            GET z
            LPUSH z a
            """);
    }

    /// <summary>Scripts for the write-effects differential (<see cref="EffectScripts"/>).</summary>
    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield return new("zadd", """
            ZADD a 1 x 2 y
            ZADD a 1 x
            ZADD a CH 5 x
            ZADD a NX 9 x
            ZADD a XX 9 nosuch
            ZADD a GT 1 x
            ZADD a INCR 1 x
            ZADD a INCR 0 x
            ZADD a INCR GT -5 x
            ZADD a INCR inf x
            ZADD a INCR -inf x
            ZADD a abc x
            ZADD missing XX 1 x
            SET s v
            ZADD s 1 x
            """);
        yield return new("zincrby", """
            ZINCRBY a 1 x
            ZINCRBY a 0 x
            ZINCRBY a 2.5 x
            ZINCRBY a abc x
            ZINCRBY a inf x
            ZINCRBY a -inf x
            """);
        yield return new("zrem", """
            ZADD a 1 x 2 y 3 z
            ZREM a nosuch
            ZREM a x nosuch
            ZREM a y z
            ZREM a x
            ZREM missing x
            """);
        yield return new("zremrange", """
            ZADD a 1 x 2 y 3 z 4 w
            ZREMRANGEBYRANK a 5 10
            ZREMRANGEBYRANK a 0 0
            ZREMRANGEBYSCORE a 10 20
            ZREMRANGEBYSCORE a (2 3
            ZREMRANGEBYLEX a [z +
            ZREMRANGEBYLEX a - +
            ZREMRANGEBYLEX a - +
            ZREMRANGEBYSCORE missing 0 1
            """);
        yield return new("zpops", """
            ZADD a 1 x 2 y 3 z 4 w
            ZPOPMIN a
            ZPOPMAX a 1
            ZPOPMIN a 0
            ZPOPMIN missing
            ZPOPMAX a 10
            ZPOPMIN a
            """);
        yield return new("zmpop", """
            ZADD a 1 x 2 y 3 z
            ZMPOP 2 missing a MIN
            ZMPOP 1 a MAX COUNT 10
            ZMPOP 1 a MAX COUNT 10
            ZADD {t}b 1 x
            ZMPOP 2 {t}nosuch {t}b min count 3
            """);
        yield return new("set-operation-stores", """
            ZADD {t}a 1 x 2 y
            ZADD {t}b 3 y
            ZUNIONSTORE {t}d 2 {t}a {t}b
            ZINTERSTORE {t}d 2 {t}a {t}b WEIGHTS 2 2
            ZDIFFSTORE {t}d 2 {t}a {t}b
            ZINTERSTORE {t}d 2 {t}a {t}missing
            ZINTERSTORE {t}d 2 {t}a {t}missing
            ZDIFFSTORE {t}e 1 {t}missing
            ZUNIONSTORE {t}d 1 {t}a AGGREGATE bogus
            """);
        yield return new("zrangestore", """
            ZADD {t}src 1 x 2 y 3 z
            ZRANGESTORE {t}dst {t}src 0 1
            ZRANGESTORE {t}dst {t}src 5 6
            ZRANGESTORE {t}dst {t}src 5 6
            ZRANGESTORE {t}dst {t}src (1 +inf BYSCORE
            ZRANGESTORE {t}dst {t}missing 0 -1
            ZRANGESTORE {t}dst {t}src 0 -1 WITHSCORES
            ZRANGESTORE a b 0 -1
            """);
    }
}
