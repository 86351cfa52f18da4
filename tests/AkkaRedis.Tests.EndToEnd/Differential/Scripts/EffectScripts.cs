namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>
/// Scripts for the write-effects differential (<see cref="EffectsDifferentialTests"/>): every write command in the
/// cases that propagate differently (changed or not, rewritten, refused, erroring), compared with what redis-server
/// sends its replicas. Keys a, b, c, d fall on the four shards of the 4-shard server (so multi-key commands span
/// shards); {t}-tagged keys share one slot. Absolute times in the future are 2100-01-01 (4102444800), in the past 1.
/// Lines run on one connection each, replies compared as in the other scripts. A line <c>@wait N</c> waits until N ms have passed on the clock (a TTL running out, never a synchronisation).
/// </summary>
public static class EffectScripts
{
    /// <param name="Cleanup">Commands that restore the shared servers' settings after the script (each must answer
    /// +OK), run on fresh connections to both servers even when the script failed.</param>
    public sealed record Script(string Name, string Text, params string[] Cleanup)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Script> All()
    {
        // ---- strings
        yield return new("set-plain", """
            SET a 1
            SET a 2
            set a 3
            SeT b "hello world"
            SET c ""
            """);
        yield return new("set-nx-xx-get", """
            SET a 1 NX
            SET a 2 NX
            SET b 1 XX
            SET a 3 XX
            SET a 4 GET
            SET a 5 NX GET
            SET missing 5 XX GET
            SET a 6 XX GET
            SET newkey 1 NX GET
            RPUSH l x
            SET l v GET
            SET l v NX
            """);
        yield return new("set-expire-rewrites", """
            SET a 1 EX 100
            SET a 1 PX 100000
            set a 1 ex 100
            SET a 1 EXAT 4102444800
            SET a 1 PXAT 4102444800000
            SET a 1 pxat 4102444800000 GET
            SET a 2 EX 100 GET
            SET a 3 PX 5000000 XX GET
            SET a 4 EX 100 NX
            SET b 4 EX 100 NX
            SET b 5 KEEPTTL
            SET b 6 KEEPTTL GET
            SET b 7 keepttl XX
            SET c 1 EX 0
            SET c 1 EX abc
            SET c 1 EX 10 PX 10
            SET c 1 KEEPTTL EX 10
            """);
        yield return new("set-past-absolute", """
            DEBUG SET-ACTIVE-EXPIRE 0
            SET a 1 EXAT 1
            GET a
            SET b 1 PXAT 1
            EXISTS b
            SET c 1 PXAT 1 GET
            EXISTS c
            """, ActiveExpiryOn);
        yield return new("setnx-setex-psetex", """
            SETNX a 1
            SETNX a 2
            SETEX b 100 v
            setex b 200 w
            PSETEX c 100000 v
            SETEX d 0 v
            PSETEX d -5 v
            SETEX d abc v
            """);
        yield return new("getset-getdel", """
            GETSET a 1
            GETSET a 2
            getset a 3
            GETDEL a
            GETDEL a
            RPUSH l x
            GETSET l v
            GETDEL l
            """);
        yield return new("getex", """
            SET a v
            GETEX a
            GETEX a EX 100
            GETEX a PX 100000
            getex a ex 100
            GETEX a EXAT 4102444800
            GETEX a PXAT 4102444800000
            GETEX a PERSIST
            GETEX a PERSIST
            GETEX missing EX 100
            GETEX missing PERSIST
            GETEX a EX 0
            GETEX a EX 100 PERSIST
            GETEX a EXAT 1
            EXISTS a
            SET b v
            GETEX b PXAT 1
            """);
        yield return new("incr-decr-append-setrange", """
            INCR a
            incr a
            INCRBY a 10
            DECR a
            DECRBY a 5
            INCRBY a abc
            SET s abc
            INCR s
            SET max 9223372036854775807
            INCR max
            APPEND b x
            APPEND b yz
            APPEND c ""
            EXISTS c
            SETRANGE d 0 ""
            SETRANGE d 2 xy
            SETRANGE d 0 ""
            SETRANGE d 10 ""
            SETRANGE d -1 x
            """);
        yield return new("incrbyfloat", """
            INCRBYFLOAT a 1.5
            incrbyfloat a 2.5
            INCRBYFLOAT a 1e3
            SET b 10 EX 100
            INCRBYFLOAT b 0.1
            INCRBYFLOAT b abc
            SET c 1.0
            INCRBYFLOAT c 0
            INCRBYFLOAT c 5.0e3
            """);
        yield return new("mset-msetnx-across-shards", """
            MSET a 1 b 2 c 3 d 4
            mset a 1
            MSET {t}x 1 {t}y 2
            MSETNX a 1 e 2
            MSETNX e 1 f 2 b2 3
            MSETNX {t}z 1
            MSET a 1 b
            """);

        // ---- keys
        yield return new("del-unlink", """
            MSET a 1 b 2 c 3 d 4
            DEL a
            DEL a
            DEL b missing c
            del missing1 missing2
            UNLINK d
            UNLINK d
            MSET a 1 b 2 c 3 d 4
            UNLINK a b c d e
            """);
        yield return new("copy", """
            SET a 1
            COPY a b
            COPY a b
            COPY a b REPLACE
            copy a b replace
            COPY a c DB 1
            COPY a c DB 1
            COPY missing e
            COPY a a
            SET t 1 EX 100
            COPY t d
            RPUSH l x y
            COPY l {t}l DB 2 REPLACE
            COPY a b DB 16
            """);
        yield return new("expire-relative", """
            SET a 1
            EXPIRE a 100
            expire a 200
            PEXPIRE a 100000
            EXPIRE missing 100
            SET b 1
            EXPIRE b 100 XX
            EXPIRE b 100 NX
            EXPIRE b 200 NX
            EXPIRE b 50 XX
            EXPIRE b 500 GT
            EXPIRE b 100 GT
            EXPIRE b 10 LT
            EXPIRE b 1000 LT
            SET c 1
            EXPIRE c 100 GT
            EXPIRE c 100 LT
            EXPIRE c 100 NX XX
            EXPIRE c abc
            EXPIRE c 0
            EXISTS c
            SET d 1
            PEXPIRE d -1
            SET e 1
            EXPIRE e -100 NX
            """);
        yield return new("expire-absolute", """
            SET a 1
            EXPIREAT a 4102444800
            PEXPIREAT a 4102444800000
            pexpireat a 4102444800001 gt
            PEXPIREAT a 4102444800000 GT
            EXPIREAT a 4102444700 LT
            EXPIREAT a 4102444800 XX
            SET b 1
            EXPIREAT b 4102444800 NX
            EXPIREAT b 4102444800 NX
            EXPIREAT b 1
            SET c 1
            PEXPIREAT c 1
            SET d 1
            PEXPIREAT d 1 XX
            PEXPIREAT d 1 NX
            EXISTS d
            EXPIREAT missing 4102444800
            """);
        yield return new("persist", """
            SET a 1
            PERSIST a
            PERSIST missing
            EXPIRE a 100
            PERSIST a
            persist a
            SET b 1 PX 100000
            persist b
            """);
        yield return new("move", """
            SET a 1
            MOVE a 1
            MOVE a 1
            SET a 2
            MOVE a 1
            move missing 1
            MOVE a 0
            MOVE a 16
            SELECT 1
            MOVE a 0
            """);
        yield return new("rename-across-shards", """
            SET a 1
            RENAME a b
            RENAME b b
            RENAMENX b b
            RENAME missing c
            SET c 1
            RENAMENX b c
            RENAMENX b d
            rename d a
            SET {t}x 1 EX 100
            RENAME {t}x {t}y
            RENAMENX {t}y {t}z
            """);
        yield return new("select-changes", """
            SET a 0
            SELECT 1
            SET a 1
            SET b 1
            SELECT 0
            SELECT 2
            SELECT 0
            SET c 0
            SELECT 15
            DEL a
            SET a 15
            SELECT 16
            SET b 15
            """);
        yield return new("swapdb", """
            SET a 0
            SWAPDB 0 1
            swapdb 1 0
            SWAPDB 0 0
            SWAPDB 2 3
            SWAPDB 0 16
            SELECT 1
            SWAPDB 1 0
            SET b 1
            """);
        yield return new("flushdb-flushall", """
            FLUSHDB
            FLUSHALL
            SET a 1
            FLUSHDB
            flushdb async
            SET a 1
            FLUSHDB SYNC
            SET b 1
            FLUSHALL
            FLUSHALL ASYNC
            SELECT 3
            SET c 1
            FLUSHALL sync
            FLUSHDB FOO
            """);

        // ---- lists
        yield return new("push", """
            LPUSH a x
            RPUSH a y z
            lpush a 1 2 3
            LPUSHX a w
            LPUSHX missing w
            RPUSHX missing w
            RPUSHX a w v
            SET s 1
            LPUSH s x
            LPUSHX s x
            """);
        yield return new("pop", """
            RPUSH a 1 2 3 4 5
            LPOP a
            RPOP a
            LPOP a 2
            lpop a 0
            RPOP a 10
            LPOP a
            LPOP missing
            RPOP missing 2
            RPUSH b 1
            LPOP b -1
            """);
        yield return new("lrem-ltrim-lset-linsert", """
            RPUSH a x y x z x
            LREM a 0 nomatch
            LREM a 1 x
            lrem a -1 x
            LREM a 0 x
            LREM missing 0 x
            LTRIM a 0 -1
            LTRIM a 0 100
            RPUSH a 1 2 3 4
            LTRIM a 1 -2
            ltrim a 5 10
            EXISTS a
            LTRIM missing 0 1
            RPUSH b a b c
            LSET b 0 A
            LSET b 5 X
            LSET missing 0 X
            LINSERT b BEFORE b B
            linsert b after nomatch X
            LINSERT missing BEFORE a b
            """);
        yield return new("lmove-rpoplpush-across-shards", """
            RPUSH a 1 2 3
            LMOVE a b LEFT RIGHT
            lmove a b right left
            LMOVE a a LEFT RIGHT
            RPOPLPUSH a c
            RPOPLPUSH a c
            LMOVE missing b LEFT LEFT
            RPOPLPUSH missing b
            RPUSH {t}x 1
            RPOPLPUSH {t}x {t}y
            """);
        yield return new("lmpop", """
            RPUSH a 1 2 3 4 5
            LMPOP 2 missing a LEFT
            LMPOP 1 a RIGHT COUNT 2
            lmpop 1 a left count 10
            LMPOP 2 a b LEFT
            RPUSH c 1 2
            LMPOP 1 c RIGHT COUNT 1
            LMPOP 1 c LEFT COUNT 0
            """);

        // ---- expiry by access, active expiry off (keys that have expired stay until accessed, so the DEL comes
        // exactly where the access is on both servers): a DEL before, and in one MULTI with, the command's own effect
        yield return new("lazy-expiry", """
            DEBUG SET-ACTIVE-EXPIRE 0
            SET a 1 PX 1
            @wait 20
            GET a
            SET x 1
            SET b 1 PX 1
            @wait 20
            LPUSH b y
            SET c 1 PX 1
            SET d 1
            @wait 20
            DEL c d
            SET {t}a 1 PX 1
            @wait 20
            RENAME {t}a {t}b
            INCR {t}a
            SET a 1 PX 1
            SET b 1 PX 1
            @wait 20
            MGET a b c
            SET a 1 PX 1
            @wait 20
            EXISTS a
            SET a 1 PX 1
            @wait 20
            SET a 2 NX
            SET b 1 PX 1
            @wait 20
            EXPIRE b 100
            SET c 1 PX 1
            SET d 1
            @wait 20
            RENAME d c
            SELECT 1
            SET a 1 PX 1
            SET b 1 PX 1
            SELECT 0
            SET a 0
            SET b 0
            @wait 20
            MOVE a 1
            COPY b b DB 1
            SET c 1 PX 1
            SET d 1
            @wait 20
            MSET c 2 d 2
            SET c 1 PX 1
            @wait 20
            FLUSHALL
            """, ActiveExpiryOn);
        yield return new("lazy-expiry-unlink", """
            DEBUG SET-ACTIVE-EXPIRE 0
            CONFIG SET lazyfree-lazy-expire yes
            SET a 1 PX 1
            @wait 20
            GET a
            SET b 1 PX 1
            @wait 20
            LPUSH b y
            SET c 1 PXAT 1
            DEL c d
            SET e 1
            EXPIRE e 0
            SET e 1
            GETEX e EXAT 1
            SET e 1
            PEXPIREAT e 1 XX
            CONFIG SET lazyfree-lazy-expire no
            SET a 1 PXAT 1
            TYPE a
            """, ["CONFIG SET lazyfree-lazy-expire no", .. ActiveExpiryOn]);
    }

    private static readonly string[] ActiveExpiryOn = ["DEBUG SET-ACTIVE-EXPIRE 1"];
}
