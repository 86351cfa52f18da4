namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

public static partial class NotificationScripts
{
    /// <summary>
    /// Strings, keys, expiry, bitmaps, HyperLogLog, lists, hashes; the generic classes <c>new</c> (dbAdd) and
    /// <c>keymiss</c> (read lookups); the class filter and CONFIG GET's canonical form. Connection 2 subscribes to
    /// every keyspace and keyevent channel; after each command one <c>[c2] [read]</c> per message redis-server 7.0.15
    /// published for it (both channels under K and E: keyspace first), so a missing event is a timeout and an extra
    /// one is read instead of the final PING's reply. Every command's no-op and error forms are there too (no event).
    /// Each script sets notify-keyspace-events back to "" (the servers are shared by every test).
    /// </summary>
    private static partial IEnumerable<DiffScript> PartA()
    {
        yield return new(Family, "strings-set", """
            CONFIG SET notify-keyspace-events KEA
            [c2] PSUBSCRIBE __key*@*__:*
            SET k v
            [c2] [read]
            [c2] [read]
            SET k v2
            [c2] [read]
            [c2] [read]
            SET k v EX 100
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            SET k v PX 100000 KEEPTTL
            SET k v KEEPTTL
            [c2] [read]
            [c2] [read]
            SET k v2 XX GET
            [c2] [read]
            [c2] [read]
            SET k v NX
            SET k v NX GET
            SET other v XX
            SET k v EX 0
            SET k v EX abc
            SET k v EXAT 99999999999
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            SET k v PXAT 99999999999999
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            SETNX k v
            SETNX n v
            [c2] [read]
            [c2] [read]
            SETEX k 100 v
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            SETEX k 0 v
            PSETEX p 100000 v
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            GETSET k v3
            [c2] [read]
            [c2] [read]
            GETSET missing v
            [c2] [read]
            [c2] [read]
            HSET h f v
            [c2] [read]
            [c2] [read]
            SET h v
            [c2] [read]
            [c2] [read]
            GETSET h v
            [c2] [read]
            [c2] [read]
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "strings-getex-getdel", """
            CONFIG SET notify-keyspace-events KEA
            [c2] PSUBSCRIBE __key*@*__:*
            SET k v
            [c2] [read]
            [c2] [read]
            GETEX k
            GETEX k EX 100
            [c2] [read]
            [c2] [read]
            GETEX k PX 100000
            [c2] [read]
            [c2] [read]
            GETEX k EXAT 99999999999
            [c2] [read]
            [c2] [read]
            GETEX k PERSIST
            [c2] [read]
            [c2] [read]
            GETEX k PERSIST
            GETEX k PXAT 1
            [c2] [read]
            [c2] [read]
            GETEX k PXAT 1
            SET k v
            [c2] [read]
            [c2] [read]
            GETEX k EXAT 1
            [c2] [read]
            [c2] [read]
            GETEX k EX 0
            GETDEL k
            SET k v
            [c2] [read]
            [c2] [read]
            GETDEL k
            [c2] [read]
            [c2] [read]
            GETDEL k
            LPUSH l a
            [c2] [read]
            [c2] [read]
            GETDEL l
            GETEX l PERSIST
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "strings-mset-counters", """
            CONFIG SET notify-keyspace-events KEA
            [c2] PSUBSCRIBE __key*@*__:*
            MSET a 1 b 2 {a}c 3
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            MSET a 1 b
            MSETNX a 1 x 2
            MSETNX x 1 y 2
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            INCR n
            [c2] [read]
            [c2] [read]
            INCR n
            [c2] [read]
            [c2] [read]
            DECR n
            [c2] [read]
            [c2] [read]
            INCRBY n 10
            [c2] [read]
            [c2] [read]
            DECRBY n 3
            [c2] [read]
            [c2] [read]
            INCRBY n x
            DECRBY n -9223372036854775808
            SET big 9223372036854775807
            [c2] [read]
            [c2] [read]
            INCR big
            SET str abc
            [c2] [read]
            [c2] [read]
            INCR str
            INCRBYFLOAT f 1.5
            [c2] [read]
            [c2] [read]
            INCRBYFLOAT f 1e400
            [c2] [read]
            [c2] [read]
            INCRBYFLOAT str 1
            INCRBYFLOAT n 0.5
            [c2] [read]
            [c2] [read]
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "strings-append-setrange", """
            CONFIG SET notify-keyspace-events KEA
            [c2] PSUBSCRIBE __key*@*__:*
            APPEND a hello
            [c2] [read]
            [c2] [read]
            APPEND a " world"
            [c2] [read]
            [c2] [read]
            APPEND a ""
            [c2] [read]
            [c2] [read]
            SETRANGE a 0 J
            [c2] [read]
            [c2] [read]
            SETRANGE a 3 ""
            SETRANGE missing 5 ""
            SETRANGE r 3 xyz
            [c2] [read]
            [c2] [read]
            SETRANGE r -1 x
            SETRANGE r 536870912 x
            LPUSH l x
            [c2] [read]
            [c2] [read]
            APPEND l x
            SETRANGE l 0 x
            GETRANGE a 0 3
            STRLEN a
            GET a
            MGET a r missing
            LCS a r
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "keys-del-expire-persist", """
            CONFIG SET notify-keyspace-events KEA
            [c2] PSUBSCRIBE __key*@*__:*
            MSET a 1 b 2 c 3 d 4
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            DEL a missing b
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            DEL missing
            UNLINK c missing
            [c2] [read]
            [c2] [read]
            EXPIRE d 100
            [c2] [read]
            [c2] [read]
            PEXPIRE d 100000
            [c2] [read]
            [c2] [read]
            EXPIREAT d 99999999999
            [c2] [read]
            [c2] [read]
            PEXPIREAT d 99999999999999
            [c2] [read]
            [c2] [read]
            EXPIRE d 100 NX
            EXPIRE d 50 GT
            EXPIRE d 50 LT
            [c2] [read]
            [c2] [read]
            EXPIRE d 50 XX
            [c2] [read]
            [c2] [read]
            EXPIRE missing 100
            EXPIRE d abc
            EXPIRE d 100 NX XX
            PERSIST d
            [c2] [read]
            [c2] [read]
            PERSIST d
            PERSIST missing
            EXPIRE d 0
            [c2] [read]
            [c2] [read]
            SET e 1
            [c2] [read]
            [c2] [read]
            PEXPIRE e -5
            [c2] [read]
            [c2] [read]
            SET f 1
            [c2] [read]
            [c2] [read]
            EXPIREAT f 1
            [c2] [read]
            [c2] [read]
            SET g 1
            [c2] [read]
            [c2] [read]
            PEXPIREAT g 1 NX
            [c2] [read]
            [c2] [read]
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "keys-rename-move-copy", """
            CONFIG SET notify-keyspace-events KEA
            [c2] PSUBSCRIBE __key*@*__:*
            SET a 1
            [c2] [read]
            [c2] [read]
            RENAME a b
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            RENAME b b
            RENAME missing x
            SET c 3
            [c2] [read]
            [c2] [read]
            RENAME b c
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            RENAMENX c b
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            SET d 4
            [c2] [read]
            [c2] [read]
            RENAMENX c d
            SET {t}x 1 EX 100
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            RENAME {t}x {t}y
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            MOVE {t}y 1
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            MOVE {t}y 1
            MOVE missing 1
            MOVE d 0
            MOVE d 16
            SELECT 1
            SET d 9
            [c2] [read]
            [c2] [read]
            MOVE d 0
            MOVE d 2
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            SELECT 0
            COPY b e
            [c2] [read]
            [c2] [read]
            COPY b e
            COPY b e REPLACE
            [c2] [read]
            [c2] [read]
            COPY b e DB 1
            [c2] [read]
            [c2] [read]
            COPY b missing2 DB 3 REPLACE
            [c2] [read]
            [c2] [read]
            COPY missing x
            COPY b b
            COPY b f DB 16
            SELECT 3
            DEL missing2
            [c2] [read]
            [c2] [read]
            SELECT 0
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "keys-reads-no-events", """
            CONFIG SET notify-keyspace-events KEA
            [c2] PSUBSCRIBE __key*@*__:*
            SET a 1
            [c2] [read]
            [c2] [read]
            GET a
            EXISTS a missing
            TYPE a
            TTL a
            PTTL missing
            TOUCH a missing
            OBJECT ENCODING a
            DBSIZE
            KEYS *
            RANDOMKEY
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "expired-lazy", """
            CONFIG SET notify-keyspace-events KEA
            [c2] PSUBSCRIBE __key*@*__:*
            DEBUG SET-ACTIVE-EXPIRE 0
            SET a 1 PXAT 1
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            GET a
            [c2] [read]
            [c2] [read]
            SET b 1 PXAT 1
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            LPUSH b x
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            SET c 1 PXAT 1
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            SET c 2
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            SET d 1 PXAT 1
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            EXISTS d
            [c2] [read]
            [c2] [read]
            SET e 1 PXAT 1
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            DEL e
            [c2] [read]
            [c2] [read]
            SET f 1 PXAT 1
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            RENAME f g
            [c2] [read]
            [c2] [read]
            SET h 1 PXAT 1
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            SET i 1
            [c2] [read]
            [c2] [read]
            RENAME i h
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            DEBUG SET-ACTIVE-EXPIRE 1
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "expired-active", """
            CONFIG SET notify-keyspace-events Ex
            [c2] PSUBSCRIBE __key*@*__:*
            SET a 1 PX 1
            [c2] [read]
            SET b 1 PX 1
            [c2] [read]
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "keymiss", """
            CONFIG SET notify-keyspace-events Em
            [c2] PSUBSCRIBE __key*@*__:*
            GET a
            [c2] [read]
            MGET a b
            [c2] [read]
            [c2] [read]
            EXISTS a b
            [c2] [read]
            [c2] [read]
            TYPE a
            [c2] [read]
            TTL a
            [c2] [read]
            PTTL a
            [c2] [read]
            EXPIRETIME a
            [c2] [read]
            TOUCH a
            [c2] [read]
            OBJECT ENCODING a
            OBJECT FREQ a
            STRLEN a
            [c2] [read]
            GETRANGE a 0 1
            [c2] [read]
            GETDEL a
            [c2] [read]
            GETEX a
            [c2] [read]
            SET a 1
            GET a
            DEL b
            SET b 1 XX
            EXPIRE b 10
            INCR c
            APPEND d x
            LRANGE l 0 -1
            [c2] [read]
            LLEN l
            [c2] [read]
            LPOP l
            RPOPLPUSH l m
            LINDEX l 0
            [c2] [read]
            HGET h f
            [c2] [read]
            HGETALL h
            [c2] [read]
            HLEN h
            [c2] [read]
            HDEL h f
            COPY x y
            [c2] [read]
            RENAME x y
            BITCOUNT bm
            [c2] [read]
            GETBIT bm 0
            [c2] [read]
            SETBIT bm 0 1
            BITOP AND dest x y
            [c2] [read]
            [c2] [read]
            PFCOUNT hll
            [c2] [read]
            PFCOUNT hll1 hll2
            [c2] [read]
            [c2] [read]
            PFMERGE hll3 hll4
            [c2] [read]
            [c2] [read]
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "new-keys", """
            CONFIG SET notify-keyspace-events KEn
            [c2] PSUBSCRIBE __key*@*__:*
            SET a 1
            [c2] [read]
            [c2] [read]
            SET a 2
            SET b 1 NX
            [c2] [read]
            [c2] [read]
            INCR c
            [c2] [read]
            [c2] [read]
            INCRBYFLOAT cf 1
            [c2] [read]
            [c2] [read]
            APPEND d x
            [c2] [read]
            [c2] [read]
            SETRANGE e 0 ""
            SETRANGE e 2 x
            [c2] [read]
            [c2] [read]
            SETBIT f 7 1
            [c2] [read]
            [c2] [read]
            BITFIELD g OVERFLOW FAIL INCRBY u2 0 5
            [c2] [read]
            [c2] [read]
            BITFIELD g2 GET u8 0
            BITOP OR h a
            [c2] [read]
            [c2] [read]
            PFADD i
            [c2] [read]
            [c2] [read]
            PFMERGE j i
            [c2] [read]
            [c2] [read]
            LPUSH l x
            [c2] [read]
            [c2] [read]
            LPUSHX m x
            RPOPLPUSH l l2
            [c2] [read]
            [c2] [read]
            HSET hh f v
            [c2] [read]
            [c2] [read]
            HINCRBY hi f 1
            [c2] [read]
            [c2] [read]
            HINCRBYFLOAT hf f 1
            [c2] [read]
            [c2] [read]
            RENAME a l2
            [c2] [read]
            [c2] [read]
            COPY b d REPLACE
            [c2] [read]
            [c2] [read]
            COPY b bb
            [c2] [read]
            [c2] [read]
            MOVE bb 1
            [c2] [read]
            [c2] [read]
            MSET m1 1 m2 2 a 3
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            GETSET gs 1
            [c2] [read]
            [c2] [read]
            DEBUG POPULATE 2 pop
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            DEBUG POPULATE 2 pop
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "classes", """
            CONFIG SET notify-keyspace-events Kl
            CONFIG GET notify-keyspace-events
            [c2] PSUBSCRIBE __key*@*__:*
            SET s 1
            LPUSH l a b
            [c2] [read]
            DEL l
            CONFIG SET notify-keyspace-events Eg$
            CONFIG GET notify-keyspace-events
            SET s 1
            [c2] [read]
            EXPIRE s 100
            [c2] [read]
            RPUSH l a
            DEL s l
            [c2] [read]
            [c2] [read]
            HSET h f v
            CONFIG SET notify-keyspace-events A
            CONFIG GET notify-keyspace-events
            SET s 1
            DEL s
            CONFIG SET notify-keyspace-events Eh
            HSET h f v
            [c2] [read]
            HDEL h f
            [c2] [read]
            SET s 1
            CONFIG SET notify-keyspace-events Kx
            SET x 1 PXAT 1
            [c2] [read]
            GET x
            CONFIG SET notify-keyspace-events KEAnm
            CONFIG GET notify-keyspace-events
            CONFIG SET notify-keyspace-events gKA$
            CONFIG GET notify-keyspace-events
            CONFIG SET notify-keyspace-events g$lshzxetdnKEm
            CONFIG GET notify-keyspace-events
            CONFIG SET notify-keyspace-events "KE n"
            CONFIG SET notify-keyspace-events z
            CONFIG GET notify-keyspace-events
            SET s 1
            CONFIG SET notify-keyspace-events ""
            CONFIG GET notify-keyspace-events
            SET s 2
            [c2] PING
            """);
        yield return new(Family, "bitmaps", """
            CONFIG SET notify-keyspace-events KEA
            [c2] PSUBSCRIBE __key*@*__:*
            SETBIT b 7 1
            [c2] [read]
            [c2] [read]
            SETBIT b 7 1
            SETBIT b 7 0
            [c2] [read]
            [c2] [read]
            SETBIT b 100 0
            [c2] [read]
            [c2] [read]
            SETBIT b 3 0
            SETBIT b -1 1
            SETBIT b 1 2
            GETBIT b 7
            BITCOUNT b
            BITPOS b 1
            BITFIELD bf SET u8 0 255
            [c2] [read]
            [c2] [read]
            BITFIELD bf SET u8 0 255
            BITFIELD bf INCRBY u8 0 1
            [c2] [read]
            [c2] [read]
            BITFIELD bf OVERFLOW FAIL INCRBY u8 0 1000
            BITFIELD bf GET u8 0
            BITFIELD bf OVERFLOW FAIL INCRBY u8 100 1000
            BITFIELD bf SET u8 0 x
            BITFIELD_RO bf GET u8 0
            SET s1 ab
            [c2] [read]
            [c2] [read]
            SET s2 cd
            [c2] [read]
            [c2] [read]
            BITOP AND d s1 s2
            [c2] [read]
            [c2] [read]
            BITOP OR d s1 missing
            [c2] [read]
            [c2] [read]
            BITOP XOR d missing1 missing2
            [c2] [read]
            [c2] [read]
            BITOP XOR d missing1 missing2
            BITOP NOT d s1 s2
            LPUSH l x
            [c2] [read]
            [c2] [read]
            BITOP AND d s1 l
            SETBIT l 0 1
            BITFIELD l SET u8 0 1
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "hyperloglog", """
            CONFIG SET notify-keyspace-events KEA
            [c2] PSUBSCRIBE __key*@*__:*
            PFADD h a b c
            [c2] [read]
            [c2] [read]
            PFADD h a
            PFADD h
            PFADD h d
            [c2] [read]
            [c2] [read]
            PFADD e
            [c2] [read]
            [c2] [read]
            PFCOUNT h
            PFCOUNT h
            PFCOUNT h e
            PFMERGE m h e
            [c2] [read]
            [c2] [read]
            PFMERGE m
            [c2] [read]
            [c2] [read]
            PFMERGE {h}x h
            [c2] [read]
            [c2] [read]
            SET s notanhll
            [c2] [read]
            [c2] [read]
            PFADD s a
            PFMERGE s h
            PFMERGE z s
            PFDEBUG TODENSE h
            PFDEBUG TODENSE h
            PFDEBUG GETREG missing
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "lists-push-pop", """
            CONFIG SET notify-keyspace-events KEA
            [c2] PSUBSCRIBE __key*@*__:*
            LPUSH l a b
            [c2] [read]
            [c2] [read]
            RPUSH l c
            [c2] [read]
            [c2] [read]
            LPUSHX l d
            [c2] [read]
            [c2] [read]
            RPUSHX l e
            [c2] [read]
            [c2] [read]
            LPUSHX missing d
            RPUSHX missing e
            LPOP l
            [c2] [read]
            [c2] [read]
            RPOP l
            [c2] [read]
            [c2] [read]
            LPOP l 2
            [c2] [read]
            [c2] [read]
            RPOP l 0
            LPOP l -1
            RPOP l 5
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            LPOP l
            RPOP missing
            LPOP missing 2
            RPUSH l a
            [c2] [read]
            [c2] [read]
            RPOP l
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            SET s x
            [c2] [read]
            [c2] [read]
            LPUSH s x
            LPOP s
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "lists-edit", """
            CONFIG SET notify-keyspace-events KEA
            [c2] PSUBSCRIBE __key*@*__:*
            RPUSH l a b c a b c
            [c2] [read]
            [c2] [read]
            LSET l 0 x
            [c2] [read]
            [c2] [read]
            LSET l 100 x
            LSET missing 0 x
            LSET l x y
            LINSERT l BEFORE b y
            [c2] [read]
            [c2] [read]
            LINSERT l AFTER zz y
            LINSERT missing AFTER b y
            LINSERT l SIDEWAYS b y
            LREM l 0 nothing
            LREM l 1 b
            [c2] [read]
            [c2] [read]
            LREM l -1 c
            [c2] [read]
            [c2] [read]
            LREM l x y
            LTRIM l 0 -1
            [c2] [read]
            [c2] [read]
            LTRIM l 1 2
            [c2] [read]
            [c2] [read]
            LTRIM missing 0 1
            LTRIM l 5 1
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            RPUSH l a a
            [c2] [read]
            [c2] [read]
            LREM l 0 a
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            LRANGE l 0 -1
            LINDEX l 0
            LLEN l
            LPOS l a
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "lists-move-mpop", """
            CONFIG SET notify-keyspace-events KEA
            [c2] PSUBSCRIBE __key*@*__:*
            RPUSH {l}src a b c
            [c2] [read]
            [c2] [read]
            LMOVE {l}src {l}dst LEFT RIGHT
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            LMOVE {l}src {l}dst RIGHT LEFT
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            RPOPLPUSH {l}src {l}src
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            RPOPLPUSH {l}src {l}dst
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            RPOPLPUSH {l}src {l}dst
            LMOVE missing {l}dst LEFT LEFT
            LMOVE {l}dst {l}dst LEFT RIGHT
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            LMOVE {l}dst other LEFT UP
            SET s x
            [c2] [read]
            [c2] [read]
            LMOVE {l}dst s LEFT LEFT
            RPUSH one x
            [c2] [read]
            [c2] [read]
            RPOPLPUSH one one
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            LMOVE one two RIGHT LEFT
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            LMPOP 2 missing {l}dst LEFT
            [c2] [read]
            [c2] [read]
            LMPOP 2 missing {l}dst RIGHT COUNT 10
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            LMPOP 1 missing LEFT
            LMPOP 0 x LEFT
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "hashes", """
            CONFIG SET notify-keyspace-events KEA
            [c2] PSUBSCRIBE __key*@*__:*
            HSET h f v
            [c2] [read]
            [c2] [read]
            HSET h f v g w
            [c2] [read]
            [c2] [read]
            HMSET h a 1
            [c2] [read]
            [c2] [read]
            HSET h a
            HSETNX h a 2
            HSETNX h b 2
            [c2] [read]
            [c2] [read]
            HSETNX n f v
            [c2] [read]
            [c2] [read]
            HDEL h nothing
            HDEL h f nothing g
            [c2] [read]
            [c2] [read]
            HINCRBY h a 5
            [c2] [read]
            [c2] [read]
            HINCRBY h b x
            HINCRBY h f2 1
            [c2] [read]
            [c2] [read]
            HSET h str abc
            [c2] [read]
            [c2] [read]
            HINCRBY h str 1
            HINCRBYFLOAT h a 1.5
            [c2] [read]
            [c2] [read]
            HINCRBYFLOAT h fl 2
            [c2] [read]
            [c2] [read]
            HINCRBYFLOAT h str 1
            HINCRBYFLOAT h a inf
            HGET h a
            HGETALL n
            HDEL n f
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            HDEL h a b f2 str fl
            [c2] [read]
            [c2] [read]
            [c2] [read]
            [c2] [read]
            SET s x
            [c2] [read]
            [c2] [read]
            HSET s f v
            HDEL s f
            HINCRBY s f 1
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
    }
}
