namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>String family; "wrongtype" runs every string command against a list.</summary>
public static class StringScripts
{
    public const string Family = "strings";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "set-get-basic", """
            GET missing
            SET k v
            GET k
            SET k v2
            GET k
            SET "" empty-key
            GET ""
            SET k ""
            GET k
            STRLEN k
            SET bin "\x00\x01\xff\r\n\x00"
            GET bin
            SET "key with spaces" "value with spaces"
            GET "key with spaces"
            set lower case
            GET lower
            GET k extra
            GET
            SET k
            SET
            """);

        yield return new(Family, "set-expire-options", """
            SET k v EX 100
            TTL k
            PTTL k
            SET k v PX 100000
            PTTL k
            TTL k
            SET k v EXAT 4102444800
            EXPIRETIME k
            PEXPIRETIME k
            SET k v PXAT 4102444800123
            PEXPIRETIME k
            EXPIRETIME k
            SET k v
            TTL k
            SET k v EX 100
            SET k v2 KEEPTTL
            TTL k
            GET k
            SET k v3 keepttl
            TTL k
            SET k v4
            TTL k
            SET k v ex 200
            TTL k
            SET k v Px 300000
            PTTL k
            SET k v exat 4102444801
            EXPIRETIME k
            SET k v EXAT 1
            GET k
            EXISTS k
            SET k v PXAT 1
            GET k
            SET k v EX 1 PX 1
            SET k v PXAT 1000
            EXISTS k
            """);

        yield return new(Family, "set-nx-xx-get", """
            SET k v NX
            SET k v2 NX
            GET k
            SET k v3 XX
            GET k
            SET n v XX
            GET n
            EXISTS n
            SET k v NX XX
            SET k v XX NX
            SET k new GET
            SET k newer XX GET
            SET k2 x GET
            GET k2
            SET k3 x NX GET
            SET k3 y NX GET
            SET k3 z XX GET
            SET missing x XX GET
            SET k v GET EX 100
            TTL k
            SET k v EX 100 GET KEEPTTL
            SET k v GET GET
            SET k v nx nx
            SET k v xx xx
            SET k w Get
            sEt k w gEt nX
            SET k v NX EX 100
            """);

        yield return new(Family, "set-syntax-errors", """
            SET k v EX 0
            SET k v EX -1
            SET k v EX abc
            SET k v EX 1.5
            SET k v EX ""
            SET k v EX " 1"
            SET k v PX 0
            SET k v PX -100
            SET k v EXAT 0
            SET k v PXAT 0
            SET k v EXAT -1
            SET k v EX 9223372036854775807
            SET k v PX 9223372036854775807
            SET k v EXAT 9223372036854775807
            SET k v PXAT 9223372036854775807
            SET k v EX 9223372036854775808
            SET k v EX 10 PX 100
            SET k v PX 100 EX 10
            SET k v EX 10 EX 10
            SET k v EX 10 EXAT 4102444800
            SET k v PXAT 4102444800000 EXAT 4102444800
            SET k v EX
            SET k v PX
            SET k v EXAT
            SET k v KEEPTTL EX 10
            SET k v EX 10 KEEPTTL
            SET k v PX 10 KEEPTTL
            SET k v KEEPTTL KEEPTTL
            SET k v FOO
            SET k v NX FOO
            SET k v GET FOO
            SET k v 10
            SET k v EX10
            EXISTS k
            """);

        yield return new(Family, "setnx-setex-psetex", """
            SETNX a 1
            SETNX a 2
            GET a
            SETNX
            SETNX a
            SETNX a b c
            SETEX b 100 v
            TTL b
            GET b
            SETEX b 0 v
            SETEX b -5 v
            SETEX b abc v
            SETEX b 1.5 v
            SETEX b 9223372036854775807 v
            SETEX b 9223372036854775806 v
            SETEX b 100
            SETEX b 100 v extra
            PSETEX c 100000 v
            PTTL c
            GET c
            PSETEX c 0 v
            PSETEX c -1 v
            PSETEX c abc v
            PSETEX c 9223372036854775807 v
            PSETEX c 100
            SETEX a 200 replaced
            GET a
            TTL a
            """);

        yield return new(Family, "getdel-getset-getex", """
            SET a 1
            GETDEL a
            GETDEL a
            GET a
            GETDEL
            GETDEL a b
            GETSET a x
            GETSET a y
            GET a
            SET t v EX 100
            GETSET t z
            TTL t
            GETSET
            GETSET a
            GETEX a
            GETEX a EX 100
            TTL a
            GETEX a PX 200000
            PTTL a
            GETEX a EXAT 4102444800
            EXPIRETIME a
            GETEX a PXAT 4102444800123
            PEXPIRETIME a
            GETEX a PERSIST
            TTL a
            GETEX a persist
            GETEX missing EX 10
            GETEX missing PERSIST
            GETEX a EX 0
            GETEX a EX -1
            GETEX a PX 0
            GETEX a EXAT 0
            GETEX a EX abc
            GETEX a EX 9223372036854775807
            GETEX a PX 9223372036854775807
            GETEX a EX 10 PX 10
            GETEX a PERSIST EX 10
            GETEX a EX 10 PERSIST
            GETEX a FOO
            GETEX a EX
            GETEX a KEEPTTL
            GETEX
            GET a
            GETEX a EXAT 1
            GET a
            EXISTS a
            """);

        yield return new(Family, "append-strlen", """
            APPEND s hello
            APPEND s " world"
            GET s
            STRLEN s
            STRLEN missing
            APPEND e ""
            EXISTS e
            GET e
            STRLEN e
            SET i 12345
            OBJECT ENCODING i
            APPEND i 6
            GET i
            OBJECT ENCODING i
            STRLEN i
            SET i -99
            STRLEN i
            APPEND
            APPEND s
            APPEND s a b
            STRLEN
            STRLEN a b
            APPEND bin "\x00\xff"
            STRLEN bin
            """);

        yield return new(Family, "getrange-substr", """
            SET s "hello world"
            GETRANGE s 0 4
            GETRANGE s -5 -1
            GETRANGE s 5 2
            GETRANGE s 0 -1
            GETRANGE s 0 0
            GETRANGE s -1 -1
            GETRANGE s 100 200
            GETRANGE s -100 2
            GETRANGE s -100 -50
            GETRANGE s 3 -100
            GETRANGE s 0 9223372036854775807
            GETRANGE s -9223372036854775808 -1
            GETRANGE s -9223372036854775808 9223372036854775807
            GETRANGE missing 0 -1
            GETRANGE missing 0 10
            GETRANGE s a b
            GETRANGE s 0 b
            GETRANGE s 1.5 2
            GETRANGE s 0 9223372036854775808
            GETRANGE s 0
            GETRANGE s 0 1 2
            SUBSTR s 0 4
            SUBSTR s -3 -1
            SUBSTR s 0
            SET i 1234567
            GETRANGE i 2 4
            GETRANGE i -2 -1
            SET e ""
            GETRANGE e 0 -1
            GETRANGE e 0 0
            """);

        yield return new(Family, "setrange", """
            SET s "hello world"
            SETRANGE s 6 Redis
            GET s
            SETRANGE s 20 x
            GET s
            STRLEN s
            SETRANGE m 5 abc
            GET m
            SETRANGE s 0 ""
            SETRANGE empty 0 ""
            EXISTS empty
            SETRANGE empty 10 ""
            EXISTS empty
            SETRANGE m -1 x
            SETRANGE m abc x
            SETRANGE m 1.5 x
            SETRANGE m 536870912 x
            SETRANGE m 536870911 ""
            SETRANGE m 9223372036854775807 x
            SETRANGE new 536870912 x
            EXISTS new
            SET i 12345
            SETRANGE i 0 9
            GET i
            OBJECT ENCODING i
            SETRANGE i 5 6
            GET i
            SETRANGE
            SETRANGE m 0
            SETRANGE m 0 a b
            """);

        yield return new(Family, "incr-decr", """
            INCR c
            INCR c
            INCRBY c 10
            DECR c
            DECRBY c 5
            INCRBY c -10
            DECRBY c -3
            GET c
            OBJECT ENCODING c
            INCRBY c 0
            DECR newkey
            DECRBY newkey2 7
            INCRBY newkey3 -7
            SET c 9223372036854775806
            INCR c
            INCR c
            GET c
            INCRBY c 1
            INCRBY c -1
            SET c -9223372036854775807
            DECR c
            DECR c
            GET c
            DECRBY c 1
            SET c 1
            DECRBY c -9223372036854775808
            INCRBY c -9223372036854775808
            INCRBY c 9223372036854775807
            SET c -1
            INCRBY c -9223372036854775808
            DECRBY c 9223372036854775807
            SET c 0
            DECRBY c -9223372036854775807
            INCRBY c 9223372036854775808
            INCRBY c -9223372036854775809
            """);

        yield return new(Family, "incr-not-integer", """
            SET c abc
            INCR c
            SET c " 1"
            INCR c
            SET c "1 "
            INCR c
            SET c 01
            INCR c
            SET c +1
            INCR c
            SET c -0
            INCR c
            SET c ""
            INCR c
            SET c 1e3
            INCR c
            SET c 1.0
            INCR c
            SET c 9223372036854775808
            INCR c
            SET c -9223372036854775809
            DECR c
            SET c 12345678901234567890123
            INCR c
            SET c "\x001"
            INCR c
            SET c 0x10
            INCR c
            SET c 5
            INCRBY c abc
            INCRBY c 1.5
            INCRBY c ""
            INCRBY c " 1"
            DECRBY c 01
            DECRBY c +1
            GET c
            SET c 0
            INCR c
            SET c -0001
            INCR c
            SET c 10
            OBJECT ENCODING c
            INCR c
            OBJECT ENCODING c
            INCR
            INCR c extra
            INCRBY c
            INCRBY c 1 2
            DECR
            DECRBY c
            """);

        // Values exactly representable in binary, so that this script does not depend on long double precision.
        yield return new(Family, "incrbyfloat", """
            INCRBYFLOAT f 1.5
            INCRBYFLOAT f 0.25
            INCRBYFLOAT f -5
            INCRBYFLOAT f 1e2
            INCRBYFLOAT f 5.0e3
            INCRBYFLOAT f -5.0E3
            INCRBYFLOAT f 0
            GET f
            SET f 3.0
            INCRBYFLOAT f 0
            SET f 10
            INCRBYFLOAT f 0.5
            INCRBYFLOAT f 2.5e-1
            SET f 5.0e3
            INCRBYFLOAT f 200
            SET f 1
            INCRBYFLOAT f -1
            INCRBYFLOAT f -0.0
            INCRBYFLOAT f 3
            OBJECT ENCODING f
            INCRBYFLOAT f inf
            INCRBYFLOAT f -inf
            INCRBYFLOAT f +inf
            INCRBYFLOAT f nan
            INCRBYFLOAT f abc
            INCRBYFLOAT f ""
            INCRBYFLOAT f " 1"
            INCRBYFLOAT f "1 "
            INCRBYFLOAT f 1,5
            INCRBYFLOAT f 0x10
            INCRBYFLOAT f 1e
            INCRBYFLOAT f .5
            INCRBYFLOAT f 5.
            INCRBYFLOAT f +3
            INCRBYFLOAT f -.5
            SET f abc
            INCRBYFLOAT f 1
            SET f " 1"
            INCRBYFLOAT f 1
            SET f inf
            INCRBYFLOAT f 1
            INCRBYFLOAT
            INCRBYFLOAT f
            INCRBYFLOAT f 1 2
            """);

        // Redis computes INCRBYFLOAT in long double (80-bit on x86-64) and prints it with %.17Lf, trailing zeros
        // removed; a plain double implementation prints 0.30000000000000004 here.
        yield return new(Family, "incrbyfloat-long-double", """
            SET f 0.1
            INCRBYFLOAT f 0.2
            INCRBYFLOAT f -0.3
            SET f 1.1
            INCRBYFLOAT f 2.2
            SET f 10.5
            INCRBYFLOAT f 0.1
            INCRBYFLOAT f 0.1
            INCRBYFLOAT f 0.1
            SET f 1.7976931348623157e308
            INCRBYFLOAT f 1.7976931348623157e308
            SET f 123456789012345678
            INCRBYFLOAT f 1
            SET f 0
            INCRBYFLOAT f 0.000000000000000001
            INCRBYFLOAT f 1e-20
            SET f 3.14159265358979323846264338327950288
            INCRBYFLOAT f 0
            INCRBYFLOAT g 1.5
            INCRBYFLOAT g 0.1
            INCRBYFLOAT g 1e2
            INCRBYFLOAT g 5.0e3
            INCRBYFLOAT g -5.0e3
            SET g 10
            INCRBYFLOAT g 0.1
            INCRBYFLOAT g 1.0e-5
            SET g 1e400
            INCRBYFLOAT g 1
            INCRBYFLOAT h 1e400
            """);

        yield return new(Family, "mget-mset-msetnx", """
            MSET a 1 b 2 c 3
            MGET a b c d
            MGET d
            MSET a 1 b
            MSET a
            MSET
            MGET
            MSETNX a 1 x 2
            MGET a x
            MSETNX x 1 y 2
            MGET x y
            MSETNX x 3 x 4
            MSETNX z 1 z 2
            GET z
            MSETNX x
            MSETNX x 1 y
            MSET {t}a 1 {t}b 2 k1 3 k2 4 k3 5 k4 6 k5 7 k6 8
            MGET {t}a {t}b k1 k2 k3 k4 k5 k6 missing {t}missing
            MSET a 1 a 2
            GET a
            SET e v EX 100
            MSET e v2
            TTL e
            MSETNX {t}new 1 k1 9
            GET {t}new
            MSETNX {t}new2 1 k7 9
            MGET {t}new2 k7
            mset lower 1
            MGET lower LOWER
            """);

        yield return new(Family, "ttl-kept-or-dropped", """
            SET c 5 EX 1000
            INCR c
            TTL c
            INCRBY c 10
            DECR c
            DECRBY c 2
            TTL c
            INCRBYFLOAT c 0.5
            TTL c
            APPEND c x
            TTL c
            SETRANGE c 0 y
            TTL c
            GETRANGE c 0 -1
            GETEX c
            TTL c
            GETSET c z
            TTL c
            SET c v EX 1000
            SET c w
            TTL c
            SET c v EX 1000
            MSET c w
            TTL c
            SETEX c 2000 v
            SETNX c other
            TTL c
            SET c v XX
            TTL c
            GET c
            """);

        yield return new(Family, "encodings", """
            SET a 1
            OBJECT ENCODING a
            APPEND a 2
            OBJECT ENCODING a
            INCR a
            OBJECT ENCODING a
            SET b hello
            OBJECT ENCODING b
            APPEND b " world"
            OBJECT ENCODING b
            SET c 123456789012345678901234567890123456789012345678901234567890
            OBJECT ENCODING c
            SETRANGE c 0 x
            OBJECT ENCODING c
            SET d 3.5
            INCRBYFLOAT d 1
            OBJECT ENCODING d
            GET d
            INCRBYFLOAT d 0.5
            OBJECT ENCODING d
            GET d
            GETSET d 42
            OBJECT ENCODING d
            SETNX e 7
            OBJECT ENCODING e
            MSET f 8 g 9x
            OBJECT ENCODING f
            OBJECT ENCODING g
            SETEX h 100 12
            OBJECT ENCODING h
            GETDEL h
            SET i " 12"
            OBJECT ENCODING i
            SET j -9223372036854775808
            OBJECT ENCODING j
            DECR j
            OBJECT ENCODING j
            """);

        yield return new(Family, "wrongtype", """
            RPUSH l a b
            RPUSH {t}l a
            SET {t}s 10
            GET l
            GETDEL l
            GETEX l
            GETEX l PERSIST
            GETEX l EX 0
            GETRANGE l 0 -1
            GETRANGE l x 1
            SUBSTR l 0 1
            GETSET l v
            SET l v GET
            SET l v NX GET
            SET l v XX GET
            SET l v NX
            SETNX l v
            APPEND l x
            STRLEN l
            SETRANGE l 0 x
            SETRANGE l -1 x
            SETRANGE l 0 ""
            INCR l
            DECR l
            INCRBY l 5
            INCRBY l x
            DECRBY l 5
            INCRBYFLOAT l 1.5
            INCRBYFLOAT l x
            LCS l {t}s
            LCS {t}l {t}s
            LCS {t}s {t}l LEN
            MGET l missing {t}s {t}l
            MSETNX {t}l v {t}new v
            EXISTS {t}new
            LRANGE l 0 -1
            SET l plain
            GET l
            SETEX {t}l 100 v
            TYPE {t}l
            RPUSH {t}l a
            PSETEX {t}l 100000 v
            TYPE {t}l
            RPUSH {t}l a
            MSET {t}l v {t}s w
            GET {t}l
            """);

        yield return new(Family, "lcs", """
            MSET key1 ohmytext key2 mynewtext
            LCS key1 key2
            LCS key1 key2 LEN
            LCS key1 key2 IDX
            LCS key1 key2 IDX MINMATCHLEN 4
            LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN
            LCS key1 key2 IDX WITHMATCHLEN
            LCS key1 key2 WITHMATCHLEN IDX
            LCS key1 key2 idx minmatchlen 2 withmatchlen
            LCS key1 key2 LEN IDX
            LCS key1 key2 IDX LEN
            LCS key1 key2 MINMATCHLEN abc
            LCS key1 key2 MINMATCHLEN -1
            LCS key1 key2 IDX MINMATCHLEN -1
            LCS key1 key2 MINMATCHLEN 9223372036854775807
            LCS key1 key2 IDX MINMATCHLEN 100
            LCS key1 key2 MINMATCHLEN
            LCS key1 key2 FOO
            LCS key1 key2 WITHMATCHLEN
            LCS key1 key2 LEN WITHMATCHLEN
            LCS key1 key1
            LCS key1 key1 IDX WITHMATCHLEN
            LCS key1 missing
            LCS missing key1 LEN
            LCS missing missing2
            LCS missing missing2 IDX
            LCS missing missing2 IDX WITHMATCHLEN
            MSET e1 "" e2 abc
            LCS e1 e2
            LCS e1 e2 IDX
            MSET r1 "GTCGTTCGGAATGCCGTTGCTCTGTAAA" r2 "ACCGGTCGAGTGCGCGGAAGCCGGCCGAA"
            LCS r1 r2
            LCS r1 r2 LEN
            LCS r1 r2 IDX
            LCS r1 r2 IDX MINMATCHLEN 3 WITHMATCHLEN
            MSET n1 12345 n2 2345
            LCS n1 n2 IDX
            MSET {x}a abcabcabc {x}b bcacbacba
            LCS {x}a {x}b IDX WITHMATCHLEN
            LCS key1
            LCS
            """);
    }
}
