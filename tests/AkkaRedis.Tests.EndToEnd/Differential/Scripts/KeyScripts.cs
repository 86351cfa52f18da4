namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>
/// Keyspace family. Keys of one script spread over several shards on purpose (k1..k8, {t}-tagged ones on one slot).
/// "non-string-values" runs the generic commands on lists (the lists family checks list commands on strings).
/// </summary>
public static class KeyScripts
{
    public const string Family = "keys";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "del-exists-unlink-type", """
            MSET a 1 b 2 c 3 {t}x 4 {t}y 5
            EXISTS a b c d
            EXISTS a a a
            EXISTS d
            EXISTS {t}x {t}y {t}z
            DEL a b missing
            EXISTS a b
            DEL a
            UNLINK c missing
            UNLINK c
            DEL {t}x {t}y
            DBSIZE
            SET s v
            TYPE s
            TYPE missing
            type s
            DEL
            EXISTS
            UNLINK
            TYPE
            TYPE a b
            MSET k1 1 k2 2 k3 3 k4 4 k5 5 k6 6 k7 7 k8 8
            DEL k1 k2 k3 k4 k5 k6 k7 k8 k9
            DBSIZE
            """);

        yield return new(Family, "expire-ttl-persist", """
            SET k v
            TTL k
            PTTL k
            EXPIRETIME k
            PEXPIRETIME k
            TTL missing
            PTTL missing
            EXPIRETIME missing
            PEXPIRETIME missing
            EXPIRE k 100
            TTL k
            PTTL k
            EXPIRE missing 100
            PEXPIRE k 200000
            PTTL k
            TTL k
            PEXPIRE missing 100
            EXPIREAT k 4102444800
            EXPIRETIME k
            PEXPIRETIME k
            EXPIREAT missing 4102444800
            PEXPIREAT k 4102444800123
            PEXPIRETIME k
            EXPIRETIME k
            PEXPIREAT missing 4102444800123
            PERSIST k
            PERSIST k
            TTL k
            PERSIST missing
            expire k 300
            TTL k
            SET k v2
            TTL k
            """);

        yield return new(Family, "expire-errors", """
            SET k v
            EXPIRE k abc
            EXPIRE k 1.5
            EXPIRE k ""
            EXPIRE k " 100"
            EXPIRE k 9223372036854775807
            EXPIRE k 9223372036854775806
            EXPIRE k -9223372036854775808
            EXPIRE k 9223372036854775808
            PEXPIRE k 9223372036854775807
            PEXPIRE k -9223372036854775808
            EXPIREAT k 9223372036854775807
            EXPIREAT k -9223372036854775808
            PEXPIREAT k 9223372036854775807
            PEXPIREAT k -9223372036854775808
            EXPIRE k 100 FOO
            EXPIRE k 100 NX FOO
            EXPIRE k 100 NX XX
            EXPIRE k 100 XX NX
            EXPIRE k 100 GT LT
            EXPIRE k 100 LT GT
            EXPIRE k 100 NX GT
            EXPIRE k 100 NX LT
            EXPIRE k 100 NX NX
            EXPIRE k 100 GT GT
            PEXPIRE k 100 NX XX
            EXPIREAT k 100 GT LT
            PEXPIREAT k 100 FOO
            EXPIRE k abc NX XX
            EXPIRE k
            EXPIRE
            PEXPIRE k
            EXPIREAT k
            PEXPIREAT k
            EXPIRETIME
            EXPIRETIME k k
            PEXPIRETIME
            TTL
            TTL k k
            PTTL
            PERSIST
            PERSIST k k
            TTL k
            """);

        // Relative GT/LT use values far apart (never equal), so the outcome does not depend on the clock.
        yield return new(Family, "expire-nx-xx-gt-lt", """
            SET k v
            EXPIRE k 100 XX
            EXPIRE k 100 GT
            TTL k
            EXPIRE k 100 LT
            TTL k
            EXPIRE k 1000 NX
            TTL k
            EXPIRE k 1000 GT
            TTL k
            EXPIRE k 500 GT
            TTL k
            EXPIRE k 500 LT
            TTL k
            EXPIRE k 50000 LT
            TTL k
            EXPIRE k 700 XX
            TTL k
            EXPIRE k 2000 xx gt
            TTL k
            EXPIRE k 3000 GT XX
            TTL k
            EXPIRE k 10 LT XX
            TTL k
            PERSIST k
            EXPIRE k 100 NX
            TTL k
            EXPIRE missing 100 NX
            EXPIRE missing 100 XX
            EXPIRE missing 100 GT
            EXPIRE missing 100 LT
            SET a v
            PEXPIRE a 100000 NX
            PEXPIRE a 100000 NX
            PEXPIRE a 200000000 GT
            PEXPIRE a 1000 LT
            PTTL a
            SET b v
            EXPIREAT b 4102444800 NX
            EXPIREAT b 4102444900 GT
            EXPIRETIME b
            EXPIREAT b 4102444700 GT
            EXPIREAT b 4102444700 LT
            EXPIRETIME b
            EXPIREAT b 4102444700 LT
            EXPIREAT b 4102444700 GT
            EXPIREAT b 4102444700 XX
            EXPIRETIME b
            PEXPIREAT b 4102444700001 GT
            PEXPIRETIME b
            PEXPIREAT b 4102444700001 NX
            PERSIST b
            PEXPIREAT b 4102444700001 GT
            PEXPIREAT b 4102444700001 LT
            PEXPIRETIME b
            """);

        yield return new(Family, "expire-in-the-past-deletes", """
            SET k v
            EXPIRE k -1
            EXISTS k
            SET k v
            EXPIRE k 0
            GET k
            SET k v
            PEXPIRE k 0
            EXISTS k
            SET k v
            PEXPIRE k -100
            EXISTS k
            SET k v
            EXPIREAT k 1
            GET k
            SET k v
            PEXPIREAT k 0
            GET k
            SET k v
            EXPIREAT k -5
            EXISTS k
            SET k v
            EXPIREAT k 100 GT
            EXISTS k
            EXPIREAT k 100 XX
            EXISTS k
            EXPIRE k -1 NX
            EXISTS k
            SET k v EX 100
            EXPIRE k -1 NX
            EXISTS k
            EXPIRE k -1 LT
            EXISTS k
            SET k v EX 100
            EXPIRE k 0 GT
            EXISTS k
            EXPIRE k 0 XX
            EXISTS k
            DBSIZE
            """);

        yield return new(Family, "copy", """
            SET a 1
            COPY a b
            GET b
            COPY a b
            SET a 2
            COPY a b REPLACE
            GET b
            COPY a b replace
            COPY missing c
            EXISTS c
            COPY missing b REPLACE
            GET b
            COPY a a
            COPY a a REPLACE
            COPY a c DB 1
            SELECT 1
            GET c
            SELECT 0
            EXISTS c
            COPY a c DB 1
            COPY a c DB 1 REPLACE
            COPY a c REPLACE DB 1
            COPY a a DB 1
            COPY a a DB 0
            COPY a c DB 16
            COPY a c DB -1
            COPY a c DB abc
            COPY a c DB
            COPY a c FOO
            COPY a c REPLACE FOO
            COPY a c DB 1 DB 2
            SET t v EX 100
            COPY t t2
            TTL t2
            SET i 42
            COPY i i2
            OBJECT ENCODING i2
            GET i2
            COPY {t}a {t}b
            SET {t}a x
            COPY {t}a {t}b
            MGET {t}a {t}b
            MSET k1 v1 k2 v2 k3 v3 k4 v4
            COPY k1 k5
            COPY k2 k6
            COPY k3 k7
            COPY k4 k8
            MGET k5 k6 k7 k8
            COPY
            COPY a
            """);

        yield return new(Family, "move-swapdb", """
            SET a 1
            MOVE a 1
            EXISTS a
            SELECT 1
            GET a
            SELECT 0
            MOVE a 1
            SET a x
            MOVE a 1
            GET a
            MOVE a 0
            MOVE a 16
            MOVE a -1
            MOVE a abc
            MOVE missing 1
            MOVE missing 16
            MOVE
            MOVE a
            MOVE a 1 2
            SET t v EX 100
            MOVE t 2
            SELECT 2
            TTL t
            SELECT 0
            DBSIZE
            SWAPDB 0 1
            GET a
            DBSIZE
            SELECT 1
            GET a
            DBSIZE
            SELECT 0
            SWAPDB 0 0
            GET a
            SWAPDB 0 16
            SWAPDB 16 0
            SWAPDB a 0
            SWAPDB 0 b
            SWAPDB -1 0
            SWAPDB 0 -1
            SWAPDB 1.5 0
            SWAPDB
            SWAPDB 0
            SWAPDB 0 1 2
            SWAPDB 2 0
            TTL t
            DBSIZE
            """);

        yield return new(Family, "rename-renamenx", """
            SET a 1
            RENAME a b
            GET a
            GET b
            RENAME missing x
            RENAME missing missing
            RENAME b b
            GET b
            SET c 3
            RENAMENX b c
            RENAMENX b d
            GET d
            EXISTS b
            RENAMENX d d
            RENAMENX missing x
            RENAMENX missing missing
            SET t v EX 100
            RENAME t t2
            TTL t2
            SET t3 x
            RENAME t2 t3
            TTL t3
            GET t3
            SET {t}a 1
            RENAME {t}a {t}b
            MGET {t}a {t}b
            MSET k1 v1 k2 v2 k3 v3 k4 v4
            RENAME k1 k5
            RENAME k2 k6
            RENAMENX k3 k7
            RENAMENX k4 k5
            MGET k1 k2 k3 k4 k5 k6 k7
            SET i 12345
            RENAME i i2
            OBJECT ENCODING i2
            RENAME
            RENAME a
            RENAME a b c
            RENAMENX
            RENAMENX a
            """);

        yield return new(Family, "keys-scan", """
            MSET k1 1 k2 2 k3 3 key:a a key:b b other o "" empty "a*b" x "a?c" y "h\x00llo" z
            KEYS *
            KEYS k?
            KEYS k*
            KEYS key:*
            KEYS [ko]*
            KEYS *[^0-9]
            KEYS k[1-2]
            KEYS k[!1]
            KEYS "a\\*b"
            KEYS "a\\?c"
            KEYS nomatch*
            KEYS ""
            KEYS "h*o"
            KEYS "[a"
            KEYS "\\"
            keys K*
            KEYS
            KEYS a b
            [scanall] SCAN 0
            [scanall] SCAN 0 COUNT 1
            [scanall] SCAN 0 COUNT 1000
            [scanall] SCAN 0 MATCH k* COUNT 2
            [scanall] SCAN 0 MATCH key:*
            [scanall] SCAN 0 MATCH nomatch*
            [scanall] SCAN 0 TYPE string
            [scanall] SCAN 0 TYPE STRING
            [scanall] SCAN 0 TYPE list
            [scanall] SCAN 0 TYPE nosuchtype
            [scanall] SCAN 0 match k* count 5 type string
            [scanall] SCAN 0 COUNT 3 MATCH *e*
            SCAN abc
            SCAN -1x
            SCAN 0 COUNT 0
            SCAN 0 COUNT -1
            SCAN 0 COUNT abc
            SCAN 0 COUNT
            SCAN 0 FOO
            SCAN 0 MATCH
            SCAN 0 TYPE
            SCAN 0 MATCH a FOO
            SCAN
            DBSIZE
            SELECT 1
            KEYS *
            [scanall] SCAN 0
            DBSIZE
            """);

        yield return new(Family, "randomkey-dbsize-flush", """
            RANDOMKEY
            DBSIZE
            SET only one
            RANDOMKEY
            MSET a 1 b 2 c 3
            RANDOMKEY
            DBSIZE
            SELECT 1
            SET x 1
            DBSIZE
            SELECT 0
            FLUSHDB
            DBSIZE
            RANDOMKEY
            SELECT 1
            DBSIZE
            SET y 2
            FLUSHDB SYNC
            DBSIZE
            SET y 2
            FLUSHDB ASYNC
            DBSIZE
            SET y 2
            flushdb async
            FLUSHDB FOO
            FLUSHDB SYNC ASYNC
            FLUSHDB a b
            SELECT 0
            MSET a 1 b 2
            SELECT 3
            SET c 3
            FLUSHALL
            DBSIZE
            SELECT 0
            DBSIZE
            SET a 1
            FLUSHALL SYNC
            SET a 1
            FLUSHALL ASYNC
            DBSIZE
            FLUSHALL FOO
            FLUSHALL SYNC x
            RANDOMKEY x
            DBSIZE x
            """);

        yield return new(Family, "touch-object", """
            SET s v
            TOUCH s
            TOUCH s missing s
            TOUCH missing
            TOUCH
            OBJECT ENCODING s
            OBJECT ENCODING missing
            SET i 123
            OBJECT ENCODING i
            SET e 12345678901234567890123456789012345678901234
            OBJECT ENCODING e
            SET r 123456789012345678901234567890123456789012345
            OBJECT ENCODING r
            SET big 9223372036854775807
            OBJECT ENCODING big
            SET small -9223372036854775808
            OBJECT ENCODING small
            SET toolong 123456789012345678901
            OBJECT ENCODING toolong
            SET lead 0123
            OBJECT ENCODING lead
            SET minuszero -0
            OBJECT ENCODING minuszero
            SET f 1.5
            OBJECT ENCODING f
            SET sp " 1"
            OBJECT ENCODING sp
            OBJECT REFCOUNT i
            SET zero 0
            OBJECT REFCOUNT zero
            SET max 9999
            OBJECT REFCOUNT max
            SET n 10000
            OBJECT ENCODING n
            OBJECT REFCOUNT n
            SET neg -1
            OBJECT REFCOUNT neg
            OBJECT REFCOUNT s
            OBJECT REFCOUNT missing
            OBJECT IDLETIME s
            OBJECT IDLETIME missing
            OBJECT FREQ s
            OBJECT FREQ missing
            object encoding s
            OBJECT HELP
            OBJECT help
            OBJECT FOO
            OBJECT FOO s
            OBJECT
            OBJECT ENCODING
            OBJECT ENCODING s extra
            OBJECT REFCOUNT
            OBJECT IDLETIME
            OBJECT FREQ
            OBJECT HELP extra
            """);

        yield return new(Family, "non-string-values", """
            RPUSH k1 a b c
            SET k2 v
            TYPE k1
            TYPE k2
            OBJECT ENCODING k1
            OBJECT REFCOUNT k1
            OBJECT FREQ k1
            EXISTS k1 k2 k1
            TOUCH k1 k2
            COPY k1 k3
            LRANGE k3 0 -1
            COPY k2 k1
            COPY k2 k1 REPLACE
            TYPE k1
            GET k1
            RPUSH k4 x
            RENAME k4 k2
            TYPE k2
            LRANGE k2 0 -1
            RENAMENX k3 k2
            RENAMENX k3 k5
            LRANGE k5 0 -1
            EXPIRE k5 100
            PERSIST k5
            TTL k5
            PEXPIREAT k5 4102444800000
            PEXPIRETIME k5
            MOVE k5 2
            EXISTS k5
            SELECT 2
            TYPE k5
            LLEN k5
            SWAPDB 0 2
            LLEN k5
            SELECT 0
            LLEN k5
            KEYS *
            [scanall] SCAN 0 TYPE list
            [scanall] SCAN 0 TYPE LIST MATCH k*
            DEL k5 k2 nope
            UNLINK k1
            DBSIZE
            RPUSH {t}a x
            RPUSH {t}b y
            FLUSHDB
            DBSIZE
            """);

        yield return new(Family, "cross-shard-multikey", """
            MSET k1 a k2 b k3 c k4 d k5 e k6 f k7 g k8 h
            MGET k1 k2 k3 k4 k5 k6 k7 k8
            EXISTS k1 k2 k3 k4 k5 k6 k7 k8 k9
            TOUCH k1 k3 k5 k7 k9
            DEL k1 k3 k5 k7
            MGET k1 k2 k3 k4 k5 k6 k7 k8
            RENAME k2 k1
            RENAME k4 k3
            RENAMENX k6 k5
            RENAMENX k8 k1
            MGET k1 k2 k3 k4 k5 k6 k7 k8
            COPY k1 k9
            MSETNX k10 x k1 y
            MSETNX k10 x k11 y k12 z
            MGET k10 k11 k12
            UNLINK k1 k2 k3 k4 k5 k6 k7 k8 k9 k10 k11 k12
            DBSIZE
            """);
    }
}
