using System.Text;

namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>The HyperLogLog (hyperloglog.c): PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST. Replies and write effects
/// compared with redis-server 7.0: the HLL bytes themselves through GET, the sparse opcodes through PFDEBUG DECODE,
/// sparse-to-dense promotion, corrupted HLLs written with SET/SETRANGE, and both WRONGTYPE errors. Keys a, b, c, d
/// fall on the four shards, so multi-key PFCOUNT and PFMERGE span shards.</summary>
public static class HyperLogLogScripts
{
    public const string Family = "hyperloglog";

    /// <summary>An HLL header: "HYLL", the encoding byte, 3 unused, the cached cardinality (valid, 0).</summary>
    private const string Sparse = @"HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00";

    /// <summary>Dense registers all at 63: the estimate overflows llroundl (Redis caches 0x8000000000000000, whose top
    /// bit is the "invalid" bit, so every PFCOUNT recomputes it).</summary>
    private static readonly string AllRegistersAt63 = string.Concat(Enumerable.Repeat(@"\xff", 12288));

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "add-count", """
            PFADD h a b c
            GET h
            TYPE h
            OBJECT ENCODING h
            STRLEN h
            PFCOUNT h
            GET h
            PFCOUNT h
            PFADD h a
            PFADD h
            PFADD h d
            GET h
            PFCOUNT h
            PFADD fresh
            GET fresh
            PFCOUNT fresh
            PFCOUNT missing
            PFADD bin "" "\x00\xff" "a b"
            PFDEBUG DECODE bin
            PFCOUNT bin
            pfadd h A B C
            PfCount h
            PFADD
            PFCOUNT
            EXISTS missing
            """);

        yield return new(Family, "merge-and-multi-count", """
            PFADD a 1 2 3 4 5
            PFADD b 4 5 6 7
            PFADD c x y z
            PFCOUNT a b
            PFCOUNT a b c d
            PFCOUNT d missing
            PFCOUNT a a
            PFMERGE d a b
            GET d
            PFCOUNT d
            PFDEBUG ENCODING d
            PFMERGE d
            GET d
            PFMERGE a c
            GET a
            PFMERGE newdest
            GET newdest
            PFMERGE e missing1 missing2
            GET e
            PFDEBUG TODENSE c
            PFMERGE b c
            PFDEBUG ENCODING b
            GET b
            PFMERGE f a
            PFDEBUG ENCODING f
            PFCOUNT a b c d e f
            PFMERGE
            """);

        // With the default hll-sparse-max-bytes (3000): redis-server turns this one dense at the 1684th element.
        var sb = new StringBuilder();
        for (var i = 0; i < 1683; i++) sb.Append("PFADD p e").Append(i).Append('\n');
        sb.Append("""
            STRLEN p
            PFDEBUG ENCODING p
            GET p
            PFCOUNT p
            PFADD p e1683
            STRLEN p
            PFDEBUG ENCODING p
            GET p
            PFCOUNT p
            PFADD q
            """);
        for (var i = 0; i < 3000; i += 250) sb.Append("\nPFADD q").Append(string.Concat(Enumerable.Range(i, 250).Select(j => $" x{j}")));
        sb.Append("""

            PFDEBUG ENCODING q
            GET q
            PFCOUNT q
            """);
        yield return new(Family, "promotion-at-the-default-size", sb.ToString());

        yield return new(Family, "promotion-small-limit", """
            CONFIG SET hll-sparse-max-bytes 40
            PFADD s a b c d e
            PFDEBUG DECODE s
            STRLEN s
            PFADD s f g h
            PFDEBUG ENCODING s
            STRLEN s
            PFADD m1 a
            PFADD m2 b c d e f g h i j k l
            PFMERGE m1 m2
            PFDEBUG ENCODING m1
            GET m1
            CONFIG SET hll-sparse-max-bytes 0
            PFADD z a
            PFDEBUG ENCODING z
            PFADD z0
            PFDEBUG ENCODING z0
            GET z0
            CONFIG SET hll-sparse-max-bytes 3000
            """);

        yield return new(Family, "corrupted", $$"""
            SET noops "{{Sparse}}"
            PFCOUNT noops
            PFADD noops a
            PFMERGE x noops
            PFCOUNT noops missing
            PFDEBUG GETREG noops
            PFDEBUG TODENSE noops
            PFDEBUG DECODE noops
            PFDEBUG ENCODING noops
            SET short "{{Sparse}}\x7f\xfe"
            PFCOUNT short
            PFADD short a
            SET long "{{Sparse}}\x7f\xff\x00"
            PFCOUNT long
            PFADD long a
            GET long
            SET overflow "{{Sparse}}\x7f\xfc\x83"
            PFCOUNT overflow
            PFMERGE overflow
            PFDEBUG DECODE overflow
            SET valpast "{{Sparse}}\x7f\xff\x80"
            PFCOUNT valpast missing
            PFMERGE x valpast
            PFDEBUG TODENSE valpast
            PFDEBUG GETREG valpast
            PFADD valpast a b c d e f g h
            GET valpast
            SET half "{{Sparse}}\x00\x7f"
            PFDEBUG DECODE half
            PFCOUNT half
            PFADD half a b c d e f g h i j
            GET half
            SET partial "{{Sparse}}\x3f\x3f"
            PFADD partial a b c d e f g h i j k l m n o p
            GET partial
            PFCOUNT partial
            SET cached "HYLL\x01\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x7f"
            PFCOUNT cached
            PFCOUNT cached cached
            PFADD d a b c
            PFDEBUG TODENSE d
            SETRANGE d 100 "\xff\xff\xff"
            PFCOUNT d
            PFDEBUG GETREG d
            APPEND d x
            PFCOUNT d
            PFADD d a
            SET all63 "HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80{{AllRegistersAt63}}"
            PFCOUNT all63
            GET all63
            PFCOUNT all63
            SETRANGE all63 12303 "\x00"
            PFCOUNT all63
            """);

        yield return new(Family, "wrongtype", """
            RPUSH l a
            PFADD l a
            PFCOUNT l
            PFCOUNT l missing
            PFMERGE l
            PFMERGE x l
            PFDEBUG ENCODING l
            SET s hello
            PFADD s a
            PFCOUNT s
            PFCOUNT missing s
            PFMERGE s
            PFMERGE x s
            PFDEBUG ENCODING s
            SET i 12345
            PFADD i a
            PFCOUNT i
            SET magic "HYLX\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"
            PFADD magic a
            SET enc "HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"
            PFCOUNT enc
            SET sixteen "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
            PFCOUNT sixteen
            SET dense "HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"
            PFCOUNT dense
            PFADD h a
            GET h
            EXISTS x
            """);

        yield return new(Family, "embstr-hll-turns-raw", """
            PFADD h a b
            GET h
            SET copy "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80`\xf3\x80\xa2\x80\x7f\x41"
            OBJECT ENCODING copy
            PFDEBUG DECODE copy
            OBJECT ENCODING copy
            SET copy2 "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80`\xf3\x80\xa2\x80\x7f\x41"
            PFCOUNT copy2
            OBJECT ENCODING copy2
            GET copy2
            SET copy3 "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80`\xf3\x80\xa2\x80\x7f\x41"
            PFADD copy3 a
            OBJECT ENCODING copy3
            SET copy4 "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80`\xf3\x80\xa2\x80\x7f\x41"
            PFMERGE copy4
            OBJECT ENCODING copy4
            SET bad "HYLL\x02"
            PFCOUNT bad
            OBJECT ENCODING bad
            """);

        yield return new(Family, "pfdebug", """
            PFADD h a b c
            PFDEBUG ENCODING h
            PFDEBUG DECODE h
            pfdebug decode h
            PFDEBUG GETREG h
            PFDEBUG ENCODING h
            PFDEBUG DECODE h
            PFDEBUG TODENSE h
            PFADD s x
            PFDEBUG TODENSE s
            PFDEBUG TODENSE s
            GET s
            PFDEBUG NOSUCH s
            PFDEBUG nosuch missing
            PFDEBUG GETREG missing
            PFDEBUG GETREG
            PFDEBUG GETREG h extra
            PFDEBUG
            RPUSH l a
            PFDEBUG ENCODING l
            """);

        yield return new(Family, "pfselftest", """
            PFSELFTEST
            PFSELFTEST extra
            """);

        yield return new(Family, "keyspace-commands", """
            PFADD a x y z
            PFADD b q
            PFDEBUG TODENSE b
            COPY a c
            GET c
            RENAME b d
            PFCOUNT d
            DEBUG DIGEST-VALUE a d
            TYPE d
            OBJECT ENCODING d
            MOVE a 1
            SELECT 1
            PFCOUNT a
            GET a
            """);
    }

    /// <summary>Scripts for the write-effects differential (<see cref="EffectScripts"/>).</summary>
    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield return new("pfadd", """
            PFADD a x y
            PFADD a x
            PFADD a
            PFADD b
            pfadd c "" z
            SET s hello
            PFADD s x
            """);
        yield return new("pfcount-writes-its-cache", """
            PFADD a x y
            PFCOUNT a
            PFCOUNT a
            PFADD a z
            PFCOUNT a b
            PFCOUNT a
            PFCOUNT missing
            PFADD {t}1 q
            PFADD {t}2 r
            PFCOUNT {t}1 {t}2
            SET bad "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"
            PFCOUNT bad
            """);
        yield return new("pfmerge", """
            PFADD a x y
            PFADD b z
            PFMERGE c a b
            PFMERGE c
            PFMERGE d
            PFMERGE {t}1 {t}2
            SET s hello
            PFMERGE c s
            """);
        yield return new("pfdebug", """
            PFADD a x y
            PFDEBUG ENCODING a
            PFDEBUG DECODE a
            PFDEBUG TODENSE a
            PFDEBUG TODENSE a
            PFADD b z
            PFDEBUG GETREG b
            PFDEBUG GETREG b
            PFDEBUG TODENSE missing
            """);
    }
}
