using System.Globalization;
using System.Text;

namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>The bitmap commands on strings (bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO.
/// Every command with its argument errors in Redis's order of checks, int-encoded and embstr strings turned raw,
/// offsets at the proto-max-bulk-len limit, BITOP over keys on different shards, and a seeded BITFIELD fuzz. Replies
/// and write effects compared with redis-server 7.0.</summary>
public static class BitmapScripts
{
    public const string Family = "bitmaps";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "setbit-getbit", """
            SETBIT b 7 1
            SETBIT b 7 1
            SETBIT b 7 0
            SETBIT b 100 1
            GET b
            STRLEN b
            GETBIT b 100
            GETBIT b 101
            GETBIT b 99999999
            GETBIT missing 5
            SETBIT b -1 1
            SETBIT b 4294967296 1
            SETBIT b 4294967295 x
            SETBIT b 1 2
            SETBIT b 1 -1
            SETBIT b 1 01
            SETBIT b x 1
            SETBIT b #3 1
            SETBIT b 1.5 1
            SETBIT b "" 1
            GETBIT b -1
            GETBIT b 4294967296
            GETBIT b 4294967295
            GETBIT b x
            GETBIT b 9223372036854775807
            SETBIT new 0 0
            GET new
            OBJECT ENCODING new
            TYPE new
            setbit new 3 1
            GET new
            RPUSH l a
            SETBIT l 0 1
            GETBIT l 0
            SETBIT l x 1
            GETBIT l x
            """);

        yield return new(Family, "encodings", """
            SET i 123
            GETBIT i 2
            GETBIT i 7
            GETBIT i 23
            GETBIT i 24
            OBJECT ENCODING i
            BITCOUNT i
            BITPOS i 1
            SETBIT i 2 1
            OBJECT ENCODING i
            GET i
            SET i -5
            SETBIT i 2 1
            OBJECT ENCODING i
            GET i
            SET e hello
            SETBIT e 0 0
            OBJECT ENCODING e
            GET e
            SET e2 hello
            BITFIELD e2 GET u8 0
            OBJECT ENCODING e2
            BITFIELD e2 SET u8 0 104
            OBJECT ENCODING e2
            SET i2 42
            BITFIELD i2 GET u8 0 GET i4 4
            OBJECT ENCODING i2
            BITFIELD i2 INCRBY u8 8 1
            OBJECT ENCODING i2
            GET i2
            SET i3 7
            BITFIELD i3 OVERFLOW FAIL INCRBY u8 0 1000
            OBJECT ENCODING i3
            SET big "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            SETBIT big 0 0
            OBJECT ENCODING big
            BITOP OR dest i
            OBJECT ENCODING dest
            GET dest
            SET k v EX 1000
            SETBIT k 0 1
            TTL k
            BITOP NOT k i
            TTL k
            """);

        yield return new(Family, "bitcount", """
            SET s foobar
            BITCOUNT s
            BITCOUNT s 0 0
            BITCOUNT s 1 1
            BITCOUNT s 1 1 BYTE
            BITCOUNT s 5 30 BIT
            BITCOUNT s 5 30 bit
            BITCOUNT s -1 -1
            BITCOUNT s -3 -1 BIT
            BITCOUNT s -100 100
            BITCOUNT s 100 1000
            BITCOUNT s 3 1
            BITCOUNT s -1 -5
            BITCOUNT s -1 -5 bad
            BITCOUNT s 0 -1 BIT
            BITCOUNT s 0 47 BIT
            BITCOUNT s 0 48 BIT
            BITCOUNT s 7 7 BIT
            BITCOUNT s 9 9 BIT
            BITCOUNT s 9 10 BIT
            BITCOUNT s 0
            BITCOUNT s 0 1 BIT extra
            BITCOUNT s 0 1 bad
            BITCOUNT s x 1
            BITCOUNT s 1 x
            BITCOUNT s 9223372036854775807 -9223372036854775808
            BITCOUNT s -9223372036854775808 9223372036854775807 BIT
            BITCOUNT missing
            BITCOUNT missing 0
            BITCOUNT missing x y z
            SET empty ""
            BITCOUNT empty
            BITCOUNT empty 0 -1
            BITCOUNT empty 0 -1 BIT
            RPUSH l a
            BITCOUNT l
            BITCOUNT l 0
            SET n 1234567
            BITCOUNT n
            BITCOUNT n 2 5 BIT
            """);

        yield return new(Family, "bitpos", """
            SET ones "\xff\xff\xff"
            BITPOS ones 0
            BITPOS ones 1
            BITPOS ones 0 0
            BITPOS ones 0 1
            BITPOS ones 0 0 -1
            BITPOS ones 0 0 -1 BYTE
            BITPOS ones 0 0 -1 BIT
            BITPOS ones 0 0 BIT
            BITPOS ones 0 3
            BITPOS ones 0 1 2 bit
            BITPOS ones 1 1 2 bit
            BITPOS ones 1 9 22 bit
            SET zeros "\x00\x00\x00"
            BITPOS zeros 1
            BITPOS zeros 0
            BITPOS zeros 1 1
            BITPOS zeros 1 0 -1 BIT
            BITPOS zeros 0 5 5 BIT
            SET p "\x00\x01\x80\xf0"
            BITPOS p 1
            BITPOS p 1 2
            BITPOS p 1 9 16 BIT
            BITPOS p 1 16 23 BIT
            BITPOS p 1 17 23 BIT
            BITPOS p 0 24 27 BIT
            BITPOS p 0 24 31 BIT
            BITPOS p 0 28 BIT
            BITPOS p 0 -4 BIT
            BITPOS p 0 -1 -1
            BITPOS p 1 -1 -1
            BITPOS p 1 3 1
            BITPOS p 1 -100 -50
            BITPOS p 1 100
            BITPOS p 0 100
            BITPOS p 1 0 100 BIT
            BITPOS p 2
            BITPOS p -1
            BITPOS p x
            BITPOS p 1 x
            BITPOS p 1 0 x
            BITPOS p 1 0 1 bad
            BITPOS p 1 x 1 bad
            BITPOS p 1 0 x bad
            BITPOS p 1 0 1 bit extra
            BITPOS missing 0
            BITPOS missing 1
            BITPOS missing 1 x
            BITPOS missing 2
            SET empty ""
            BITPOS empty 0
            BITPOS empty 1
            BITPOS empty 0 0
            BITPOS empty 0 0 -1 BIT
            RPUSH l a
            BITPOS l 1
            BITPOS l 2
            SET n 99
            BITPOS n 0
            BITPOS n 1 1
            """);

        yield return new(Family, "bitpos-long-runs", $"""
            SET z "{Hex(new string('\0', 300) + "\x01")}"
            BITPOS z 1
            BITPOS z 1 0 299
            BITPOS z 0
            BITPOS z 1 5 -1 BIT
            SET f "{Hex(new string('\xff', 300) + "\x7f")}"
            BITPOS f 0
            BITPOS f 0 0 299
            BITPOS f 0 0 2399 BIT
            BITPOS f 0 7
            BITPOS f 1 2400 BIT
            BITCOUNT f
            BITCOUNT f 13 2404 BIT
            SET g "{Hex(new string('\xff', 300))}"
            BITPOS g 0
            BITPOS g 0 10
            BITPOS g 0 10 -1
            BITPOS g 0 100 BIT
            BITPOS g 0 100 -1 BIT
            """);

        yield return new(Family, "bitop", """
            SET {t}a "\xff\x0f\xf0"
            SET {t}b "\x0f\x0f"
            SET {t}i 12
            BITOP AND {t}d {t}a {t}b
            GET {t}d
            BITOP OR {t}d {t}a {t}b
            GET {t}d
            BITOP XOR {t}d {t}a {t}b {t}i
            GET {t}d
            BITOP NOT {t}d {t}a
            GET {t}d
            bitop not {t}d {t}b
            GET {t}d
            BITOP AND {t}d {t}a {t}missing
            GET {t}d
            BITOP OR {t}d {t}missing {t}a
            GET {t}d
            BITOP AND {t}d {t}missing
            EXISTS {t}d
            BITOP AND {t}d {t}missing {t}missing2
            BITOP NOT {t}d {t}a {t}b
            BITOP NOT {t}d
            BITOP foo {t}d {t}a
            BITOP "and\x00x" {t}d {t}a
            BITOP AND {t}d
            RPUSH {t}l x
            BITOP AND {t}d {t}a {t}l
            BITOP AND {t}l {t}a
            TYPE {t}l
            GET {t}l
            BITOP AND {t}a {t}a {t}b
            GET {t}a
            SET {t}e ""
            BITOP OR {t}d {t}e
            EXISTS {t}d
            BITOP OR {t}d {t}e {t}b
            GET {t}d
            """);

        yield return new(Family, "bitop-shards", """
            SET a "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x20\x21\x22\x23"
            SET b "\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0"
            SETBIT c 300 1
            BITOP AND d a b c
            GET d
            BITOP OR d a b c
            GET d
            BITOP XOR d a b c
            GET d
            BITOP NOT d a
            GET d
            BITOP AND a a b
            GET a
            BITOP OR k1 a b c d k1
            STRLEN k1
            BITCOUNT k1
            """);

        yield return new(Family, "bitfield", """
            BITFIELD bf SET u8 0 255 GET u8 0 INCRBY u8 0 1 OVERFLOW SAT INCRBY u8 0 300 OVERFLOW FAIL INCRBY u8 0 1 GET i8 0
            BITFIELD bf GET u63 0 GET i64 0 GET i1 0 GET u1 7
            BITFIELD bf GET u64 0
            BITFIELD bf GET i65 0
            BITFIELD bf GET i0 0
            BITFIELD bf GET u0 0
            BITFIELD bf GET x8 0
            BITFIELD bf GET U8 0
            BITFIELD bf GET "" 0
            BITFIELD bf GET u 0
            BITFIELD bf GET u-8 0
            BITFIELD bf GET u08 0
            BITFIELD bf GET u8 -1
            BITFIELD bf GET u8 #-1
            BITFIELD bf GET u8 ##1
            BITFIELD bf GET u8 #
            BITFIELD bf GET u8 x
            BITFIELD bf GET u8 #1 SET i16 #2 -5 GET i16 #2 GET u8 #5
            BITFIELD bf OVERFLOW bad
            BITFIELD bf OVERFLOW
            BITFIELD bf OVERFLOW wrap
            BITFIELD bf
            BITFIELD bf foo
            BITFIELD bf GET u8
            BITFIELD bf SET u8 0
            BITFIELD bf INCRBY u8 0
            BITFIELD bf GET u8 0 foo
            BITFIELD bf SET u8 0 x
            BITFIELD bf INCRBY u8 0 1.5
            BITFIELD bf SET u8 0 99999999999999999999
            BITFIELD bf get u8 0 set u8 0 1 incrby u8 0 1 overflow SAT overflow fail incrby u4 0 100
            BITFIELD bf SET u8 0 -1 OVERFLOW SAT SET u8 8 -1 SET i8 16 200 OVERFLOW WRAP SET i8 24 200
            BITFIELD bf OVERFLOW SAT SET i24 0 -9223372036854775808 GET i24 0 SET i24 0 -4611686018427387905 GET i24 0
            BITFIELD bf GET u8 #4294967295
            BITFIELD bf GET u8 #536870911
            BITFIELD bf GET u8 4294967295
            BITFIELD bf GET u8 4294967296
            BITFIELD bf GET i64 #9223372036854775807
            BITFIELD bf GET u2 #4611686018427387904
            BITFIELD bf SET u8 4294967296 1
            BITFIELD bf GET u8 100000
            BITFIELD bf SET i64 3 -9223372036854775808 GET i64 3 INCRBY i64 3 -1 OVERFLOW SAT INCRBY i64 3 -9223372036854775808
            BITFIELD bf OVERFLOW FAIL INCRBY i64 3 9223372036854775807 INCRBY i64 3 9223372036854775807 INCRBY i64 3 1
            BITFIELD bf INCRBY u63 0 9223372036854775807 INCRBY u63 0 1 OVERFLOW SAT INCRBY u63 0 -9223372036854775808
            GET bf
            STRLEN bf
            BITFIELD nope GET u8 0 GET i16 100
            EXISTS nope
            BITFIELD nope2 OVERFLOW FAIL INCRBY u8 0 1000
            EXISTS nope2
            GET nope2
            BITFIELD nope3 OVERFLOW FAIL SET u2 #5 9 SET u4 0 16
            STRLEN nope3
            RPUSH l a
            BITFIELD l GET u8 0
            BITFIELD l SET u8 0 1
            BITFIELD l GET u8 x
            BITFIELD l foo
            """);

        yield return new(Family, "bitfield-ro", """
            SET s "\x12\x34\x56"
            BITFIELD_RO s GET u8 0 GET i12 4 GET u16 #1 GET i64 0
            BITFIELD_RO s
            BITFIELD_RO s GET u8 0 SET u8 0 1
            BITFIELD_RO s INCRBY u8 0 1
            BITFIELD_RO s OVERFLOW SAT GET u8 0
            BITFIELD_RO s OVERFLOW SAT
            BITFIELD_RO s OVERFLOW bad
            BITFIELD_RO s GET x8 0
            BITFIELD_RO s foo
            BITFIELD_RO missing GET u8 0
            BITFIELD_RO missing SET u8 0 1
            EXISTS missing
            RPUSH l a
            BITFIELD_RO l GET u8 0
            BITFIELD_RO l SET u8 0 1
            SET n 255
            BITFIELD_RO n GET u8 0 GET u8 8 GET u8 16 GET u8 24
            """);

        yield return new(Family, "command-getkeys", """
            COMMAND GETKEYSANDFLAGS BITFIELD k GET u8 0
            COMMAND GETKEYSANDFLAGS BITFIELD k GET u8 0 OVERFLOW SAT GET u8 1
            COMMAND GETKEYSANDFLAGS BITFIELD k SET u8 0 1
            COMMAND GETKEYSANDFLAGS BITFIELD k GET u8 0 INCRBY u8 0 1
            COMMAND GETKEYSANDFLAGS BITFIELD k foo
            COMMAND GETKEYSANDFLAGS BITFIELD k
            COMMAND GETKEYSANDFLAGS BITFIELD k GET u8
            COMMAND GETKEYSANDFLAGS BITFIELD_RO k GET u8 0
            COMMAND GETKEYSANDFLAGS BITOP AND d a b c
            COMMAND GETKEYS BITOP NOT d a
            COMMAND GETKEYSANDFLAGS SETBIT k 1 1
            COMMAND GETKEYSANDFLAGS BITPOS k 1
            """);

        yield return new(Family, "type-copy-rename-digest", """
            SETBIT b 1000 1
            TYPE b
            OBJECT ENCODING b
            DEBUG DIGEST-VALUE b
            COPY b b2
            GETBIT b2 1000
            SETBIT b2 1000 0
            GETBIT b 1000
            RENAME b2 b3
            BITCOUNT b3
            MEMORY USAGE b
            DEBUG DIGEST
            """);

        yield return new(Family, "bitfield-fuzz", BitfieldFuzz(seed: 10, lines: 150));
        yield return new(Family, "bitfield-fuzz-2", BitfieldFuzz(seed: 11, lines: 150));
    }

    /// <summary>A string of raw bytes as a script argument (every byte as \xHH).</summary>
    private static string Hex(string bytes)
    {
        var sb = new StringBuilder(bytes.Length * 4);
        foreach (var ch in bytes) sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)ch:x2}");
        return sb.ToString();
    }

    /// <summary>
    /// Seeded BITFIELD lines over two small keys: SET/INCRBY/GET of every width (signed and unsigned) at unaligned
    /// offsets (and #n ones), edge values and increments, OVERFLOW WRAP/SAT/FAIL switching between them, with a GET of
    /// the whole string now and then: the overflow arithmetic compared with redis-server's.
    /// </summary>
    private static string BitfieldFuzz(int seed, int lines)
    {
        var rng = new Random(seed);
        string[] values =
        [
            "0", "1", "-1", "2", "-2", "7", "-8", "100", "-100", "127", "-128", "255", "256", "65535", "-32768",
            "9223372036854775807", "-9223372036854775808", "4611686018427387904", "-4611686018427387905", "12345678901",
        ];
        string[] modes = ["WRAP", "SAT", "FAIL", "wrap", "sat", "fail"];
        var sb = new StringBuilder();
        for (var n = 0; n < lines; n++)
        {
            var key = rng.Next(2) == 0 ? "f1" : "f2";
            if (rng.Next(10) == 0)
            {
                sb.Append("GET ").Append(key).Append('\n');
                continue;
            }
            sb.Append(rng.Next(4) == 0 ? "BITFIELD_RO " : "BITFIELD ").Append(key);
            var ops = 1 + rng.Next(4);
            for (var o = 0; o < ops; o++)
            {
                if (rng.Next(3) == 0) sb.Append(" OVERFLOW ").Append(modes[rng.Next(modes.Length)]);
                var signed = rng.Next(2) == 0;
                var bits = 1 + rng.Next(signed ? 64 : 63);
                var offset = rng.Next(5) == 0 ? $"#{rng.Next(4)}" : rng.Next(0, 70).ToString(CultureInfo.InvariantCulture);
                var type = (signed ? "i" : "u") + bits.ToString(CultureInfo.InvariantCulture);
                var value = rng.Next(3) == 0 ? values[rng.Next(values.Length)] : rng.Next(-300, 300).ToString(CultureInfo.InvariantCulture);
                sb.Append(rng.Next(3) switch
                {
                    0 => $" GET {type} {offset}",
                    1 => $" SET {type} {offset} {value}",
                    _ => $" INCRBY {type} {offset} {value}",
                });
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Scripts for the write-effects differential (<see cref="EffectScripts"/>): keys a, b, c, d lie on the
    /// four shards.</summary>
    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield return new("setbit", """
            SETBIT a 7 1
            SETBIT a 7 1
            setbit a 7 0
            SETBIT a 100 0
            SETBIT b 0 0
            SETBIT b 0 0
            SETBIT c -1 1
            SETBIT c 0 2
            RPUSH l x
            SETBIT l 0 1
            SET i 12
            SETBIT i 0 0
            SET d 1 EX 1000
            SETBIT d 1 1
            """);
        yield return new("bitop", """
            SET a "\x0f\xff"
            SET b "\xf0"
            BITOP AND c a b
            BITOP OR d a b c
            bitop xor d a b
            BITOP NOT d a
            BITOP AND d missing1 missing2
            BITOP AND d missing1 missing2
            BITOP OR c missing1
            SET e ""
            BITOP OR b e
            EXISTS b
            BITOP foo d a
            BITOP NOT d a b
            RPUSH l x
            BITOP AND d a l
            SET d 1 EX 1000
            BITOP OR d a
            """);
        yield return new("bitop-lazy-expiry", """
            DEBUG SET-ACTIVE-EXPIRE 0
            SET a "\x01"
            SET b 1 PX 1
            SET c 1 PX 1
            @wait 20
            BITOP OR c a b
            SET d 1 PX 1
            @wait 20
            BITOP AND d missing
            SET d 1 PX 1
            @wait 20
            BITOP OR a d
            """, "DEBUG SET-ACTIVE-EXPIRE 1");
        yield return new("bitfield", """
            BITFIELD a GET u8 0
            BITFIELD a SET u8 0 255
            BITFIELD a SET u8 0 255
            BITFIELD a INCRBY u8 0 0
            BITFIELD a GET u8 0 INCRBY u8 0 1 GET u8 0
            BITFIELD a OVERFLOW FAIL INCRBY u8 0 1000
            BITFIELD b OVERFLOW FAIL INCRBY u8 0 1000
            EXISTS b
            BITFIELD c OVERFLOW SAT INCRBY u8 8 1000 OVERFLOW FAIL INCRBY u8 0 -1
            bitfield d set i8 0 0
            BITFIELD d SET i8 0 0
            BITFIELD d foo
            BITFIELD d GET x8 0
            RPUSH l x
            BITFIELD l SET u8 0 1
            SET i 7
            BITFIELD i GET u8 0
            BITFIELD i SET u8 0 55
            BITFIELD_RO a GET u8 0
            BITFIELD_RO a SET u8 0 1
            """);
    }
}
