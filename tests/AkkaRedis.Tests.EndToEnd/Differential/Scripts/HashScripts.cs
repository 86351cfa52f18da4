namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>The hash family (t_hash.c): replies and write effects compared with redis-server 7.0. Listpack hashes
/// answer in insertion order, so their HGETALL/HKEYS/HVALS/HSCAN replies are compared byte for byte; a hashtable's
/// order is redis-server's dict order (seeded per process), so hashtable cases read it through order-free commands
/// (HLEN, HMGET, HEXISTS, a one-field HSCAN MATCH) and DEBUG DIGEST-VALUE, which xors the pairs.</summary>
public static class HashScripts
{
    public const string Family = "hashes";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "set-get", """
            HSET h a 1 b 2 c 3
            HSET h a 1
            HSET h a 10 d 4
            HSET h a 11 a 12 e 5
            HGETALL h
            HKEYS h
            HVALS h
            HLEN h
            HMSET h f 6 a 13
            HGET h a
            HGET h nofield
            HGET missing a
            HMGET h a nofield f
            HMGET missing a b
            HEXISTS h a
            HEXISTS h nofield
            HEXISTS missing a
            HSTRLEN h a
            HSTRLEN h nofield
            HSTRLEN missing a
            HSET h "" "" "\x00\xff" "x y" 007 -0
            HGETALL h
            HSTRLEN h 007
            HGET h ""
            HGETALL missing
            HKEYS missing
            HVALS missing
            HLEN missing
            TYPE h
            OBJECT ENCODING h
            DEBUG DIGEST-VALUE h
            DEBUG DIGEST-VALUE missing
            MEMORY USAGE h
            """);

        yield return new(Family, "arity-and-wrongtype", """
            HSET h a
            HSET h a 1 b
            HMSET h a
            HMSET h a 1 b
            HSET
            HSETNX h a
            HGET h
            HMGET h
            HDEL h
            HINCRBY h a
            HINCRBYFLOAT h a
            HRANDFIELD
            HSCAN h
            EXISTS h
            SET s x
            HSET s a 1
            HMSET s a 1
            HSETNX s a 1
            HGET s a
            HMGET s a
            HDEL s a
            HEXISTS s a
            HLEN s
            HSTRLEN s a
            HGETALL s
            HKEYS s
            HVALS s
            HINCRBY s a 1
            HINCRBYFLOAT s a 1
            HRANDFIELD s
            HRANDFIELD s 2
            HRANDFIELD s 0
            HSCAN s 0
            HSCAN s 0 COUNT 0
            HSET h a 1
            GET h
            LPUSH h x
            INCR h
            APPEND h x
            GET s
            """);

        yield return new(Family, "setnx-del", """
            HSETNX h a 1
            HSETNX h a 2
            HSETNX h b 3
            HGETALL h
            HDEL h a nofield
            HDEL h nofield
            HDEL missing a
            HGETALL h
            HSET h c 1 d 2 e 3
            HDEL h d d d
            HGETALL h
            HDEL h b c e x y
            EXISTS h
            HSET h a 1
            HDEL h a
            EXISTS h
            HSETNX n "" ""
            HGETALL n
            """);

        yield return new(Family, "incr", """
            HINCRBY h a 1
            HINCRBY h a -11
            HINCRBY h a x
            HINCRBY h a 1.5
            HINCRBY h a ""
            HINCRBY missing a x
            EXISTS missing
            HSET h big 9223372036854775807 small -9223372036854775808 s abc sp " 1" f 1.5
            HINCRBY h big 1
            HINCRBY h big 0
            HINCRBY h big -1
            HINCRBY h small -1
            HINCRBY h small 9223372036854775807
            HINCRBY h s 1
            HINCRBY h sp 1
            HINCRBY h f 1
            HINCRBYFLOAT h f 1.25
            HINCRBYFLOAT h f -2.75
            HINCRBYFLOAT h f 0
            HINCRBYFLOAT h new 5.0e3
            HINCRBYFLOAT h new2 0x10
            HINCRBYFLOAT h s 1
            HINCRBYFLOAT h sp 1
            HINCRBYFLOAT h f x
            HINCRBYFLOAT h f ""
            HINCRBYFLOAT h f inf
            HINCRBYFLOAT h f -inf
            HINCRBYFLOAT h f nan
            HINCRBYFLOAT h f 1e308
            HINCRBYFLOAT h f 1e308
            HINCRBYFLOAT h a 10.5
            HINCRBYFLOAT h a 0.1
            HINCRBYFLOAT h big 1
            HINCRBYFLOAT missing2 a 1
            HGET h a
            HGET h f
            HLEN h
            OBJECT ENCODING h
            """);

        yield return new(Family, "randfield", """
            HRANDFIELD missing
            HRANDFIELD missing 0
            HRANDFIELD missing 5
            HRANDFIELD missing -5 WITHVALUES
            HRANDFIELD missing x
            HSET h a 1 b 2 c 3
            HRANDFIELD h 0
            HRANDFIELD h 3
            HRANDFIELD h 100
            HRANDFIELD h 3 WITHVALUES
            HRANDFIELD h 100 withvalues
            HRANDFIELD h 0 WITHVALUES
            HRANDFIELD h x
            HRANDFIELD h 1.5
            HRANDFIELD h 1 WITHVALUE
            HRANDFIELD h 1 WITHVALUES x
            HRANDFIELD h -9223372036854775808
            HRANDFIELD h 9223372036854775807 WITHVALUES
            HRANDFIELD h 4611686018427387904 WITHVALUES
            HRANDFIELD h 4611686018427387903 WITHVALUES
            HRANDFIELD h 9223372036854775807
            HRANDFIELD h -4611686018427387905 WITHVALUES
            HSET one only v
            HRANDFIELD one
            HRANDFIELD one -3
            HRANDFIELD one -2 WITHVALUES
            HRANDFIELD one 1 WITHVALUES
            """);

        yield return new(Family, "scan", """
            HSCAN missing 0
            HSCAN missing x
            HSCAN missing 0 COUNT 0
            HSCAN missing 0 FOO
            HSET h a 1 b 2 ab 3 c 4
            HSCAN h 0
            HSCAN h 0 MATCH a*
            HSCAN h 0 match * COUNT 1
            HSCAN h 0 MATCH nomatch
            HSCAN h 0 COUNT 0
            HSCAN h 0 COUNT -1
            HSCAN h 0 COUNT x
            HSCAN h 0 MATCH
            HSCAN h 0 TYPE string
            HSCAN h 0 FOO bar
            HSCAN h x
            HSCAN h -1
            HSCAN h 18446744073709551616
            HSCAN h 12
            """);

        // Thresholds: hash-max-listpack-entries counts fields after an insert; hash-max-listpack-value is checked
        // on every argument before HSET/HMSET/HSETNX insert, and on the field and value of HINCRBY(FLOAT).
        yield return new(Family, "encodings", """
            CONFIG SET hash-max-listpack-entries 4
            CONFIG SET hash-max-listpack-value 8
            HSET h a 1 b 2 c 3 d 4
            OBJECT ENCODING h
            HSET h a 5
            OBJECT ENCODING h
            HSET h e 5
            OBJECT ENCODING h
            HLEN h
            HMGET h a b c d e
            DEBUG DIGEST-VALUE h
            HDEL h a b c d
            OBJECT ENCODING h
            HSCAN h 0
            HSET v f 12345678
            OBJECT ENCODING v
            HSET v g 123456789
            OBJECT ENCODING v
            HSET w 123456789 x
            OBJECT ENCODING w
            HSET x f 1
            HSET x f 1 g 123456789
            OBJECT ENCODING x
            HSETNX y f 123456789
            OBJECT ENCODING y
            HSETNX z f 1
            HSETNX z f 123456789
            OBJECT ENCODING z
            HINCRBY i 123456789 1
            OBJECT ENCODING i
            HINCRBY j f 99999999
            OBJECT ENCODING j
            HINCRBY j f 1
            OBJECT ENCODING j
            HINCRBYFLOAT k f 0.1234567
            OBJECT ENCODING k
            HINCRBYFLOAT k f 0.12345678
            OBJECT ENCODING k
            HGET k f
            HSET l a 1 b 2 c 3 d 4 e 5
            OBJECT ENCODING l
            COPY l l2
            OBJECT ENCODING l2
            DEBUG DIGEST-VALUE l2
            HSET m a 1
            COPY m m2
            OBJECT ENCODING m2
            HGETALL m2
            HSET m2 b 2
            HGETALL m
            HGETALL m2
            RENAME l l3
            OBJECT ENCODING l3
            HLEN l3
            CONFIG SET hash-max-listpack-entries 0
            HSET n a 1
            OBJECT ENCODING n
            CONFIG SET hash-max-listpack-entries 512
            CONFIG SET hash-max-listpack-value 64
            """);

        yield return new(Family, "big-values", """
            HSET h f aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
            OBJECT ENCODING h
            HSET h g aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
            OBJECT ENCODING h
            HSTRLEN h g
            HSCAN h 0 MATCH g
            HSCAN h 0 MATCH f COUNT 100
            HEXISTS h g
            HDEL h f
            HRANDFIELD h
            HRANDFIELD h 1
            HRANDFIELD h -2
            HRANDFIELD h 5 WITHVALUES
            HKEYS h
            HDEL h g
            EXISTS h
            TYPE h
            """);

        yield return new(Family, "keyspace", """
            HSET h a 1 b 2
            LPUSH l x
            SET s v
            TYPE h
            [scanall] SCAN 0 TYPE hash
            [scanall] SCAN 0 TYPE HASH COUNT 100
            COPY h h2
            HGETALL h2
            DEBUG DIGEST-VALUE h h2
            MOVE h2 1
            SELECT 1
            HGETALL h2
            SELECT 0
            RENAME h h3
            HGETALL h3
            EXPIRE h3 100
            DEBUG DIGEST-VALUE h3
            HSET h3 c 3
            TTL h3
            HDEL h3 a b c
            TTL h3
            DEL h2 h3
            UNLINK l s
            DBSIZE
            """);

        // SORT's BY and GET patterns read hash fields ("key->field"): listpack and hashtable hashes, missing
        // fields and keys, a pattern key of another type, and keys on one slot or across shards.
        yield return new(Family, "sort-by-hash-field", """
            RPUSH {t}l 3 1 2 4
            HSET {t}w_1 f 30 g x
            HSET {t}w_2 f 10 g z
            HSET {t}w_3 f 20 g y
            HSET {t}o_1 name one
            HSET {t}o_3 name three
            SORT {t}l BY {t}w_*->f
            SORT {t}l BY {t}w_*->f GET {t}o_*->name GET # GET {t}w_*->g
            SORT {t}l BY {t}w_*->g ALPHA
            SORT {t}l BY {t}w_*->g
            SORT {t}l BY {t}w_*->nofield
            SORT {t}l GET {t}w_*->f
            SORT {t}l BY {t}w_*->f DESC LIMIT 0 2 GET {t}o_*->name
            SORT {t}l BY {t}w_*->f STORE {t}dst
            LRANGE {t}dst 0 -1
            SET {t}w_2 notahash
            SORT {t}l BY {t}w_*->f
            SORT {t}l GET {t}w_*->f
            CONFIG SET hash-max-listpack-entries 1
            HSET {t}w_4 f 5 g w
            OBJECT ENCODING {t}w_4
            SORT {t}l BY {t}w_*->f GET {t}w_*->g
            CONFIG SET hash-max-listpack-entries 512
            RPUSH l 2 1
            HSET w_1 f 2
            HSET w_2 f 1
            SORT l BY w_*->f GET w_*->f
            """);
    }

    /// <summary>Scripts for the write-effects differential (<see cref="EffectScripts"/>).</summary>
    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield return new("hset-hmset", """
            HSET h a 1 b 2
            HSET h a 1
            hset h a 2 c 3
            HMSET h a 1
            hmset h d 4 e 5
            HSET h a
            SET s x
            HSET s a 1
            HMSET s a 1
            """);
        yield return new("hsetnx", """
            HSETNX h a 1
            HSETNX h a 2
            hsetnx h b 2
            SET s x
            HSETNX s a 1
            """);
        yield return new("hdel", """
            HSET h a 1 b 2 c 3
            HDEL h nofield
            HDEL missing a
            HDEL h a nofield
            hdel h b c x
            EXISTS h
            SET s x
            HDEL s a
            """);
        yield return new("hincrby", """
            HINCRBY h a 5
            HINCRBY h a -2
            HINCRBY h a x
            HSET h s abc
            HINCRBY h s 1
            HINCRBY h a 9223372036854775807
            SET s x
            HINCRBY s a 1
            """);
        yield return new("hincrbyfloat", """
            HINCRBYFLOAT h a 1.5
            HINCRBYFLOAT h a 0.1
            hincrbyfloat h b 5.0e3
            HINCRBYFLOAT h a x
            HINCRBYFLOAT h a inf
            HSET h s abc
            HINCRBYFLOAT h s 1
            SET s x
            HINCRBYFLOAT s a 1
            """);
    }
}
