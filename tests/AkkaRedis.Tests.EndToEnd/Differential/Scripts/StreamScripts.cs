namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>The streams without consumer groups (t_stream.c): XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XREAD, XSETID.
/// Replies and write effects compared with redis-server 7.0. Entries use explicit IDs (or "ms-*", or "*" after an
/// XSETID far in the future, which are deterministic); the few plain "*" IDs are only counted (XLEN), their replies
/// compared under ReplyRules' XADD rule. Node layouts are compared through "~" trims and MEMORY USAGE with small
/// stream-node-max-entries / stream-node-max-bytes (restored at the end of each script).</summary>
public static class StreamScripts
{
    public const string Family = "streams";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "xadd-ids", """
            XADD s 1-1 a 1
            XADD s 1-1 a 1
            XADD s 1-0 a 1
            XADD s 1-2 a 2 b 3
            XADD s 1-* a x
            XADD s 5-* a x
            XADD s 5-* a y
            XADD s 3-* a x
            XADD s 5 f v
            XADD s 0-0 a 1
            XADD s 0 a 1
            XADD s 0-* a 1
            XADD s - a 1
            XADD s + a 1
            XADD s abc a 1
            XADD s 1-x a 1
            XADD s 5-5-5 a 1
            XADD s 6-1 a
            XADD s 6-1 a 1 b
            XADD s 6-1
            XADD s
            XADD s NOMKSTREAM
            XADD s NOMKSTREAM 7-1 a 1
            XADD n NOMKSTREAM 7-1 a 1
            EXISTS n
            XADD n NOMKSTREAM * a 1
            XADD z 0-* a 1
            XADD z 0-* a 1
            XADD e 18446744073709551615-18446744073709551615 a 1
            XADD e 18446744073709551615-* a 1
            XADD e * a 1
            XADD f 18446744073709551615-18446744073709551614 a 1
            XADD f 18446744073709551615-* a 1
            XADD g 7-18446744073709551615 a 1
            XADD g 7-* a 1
            XADD g 8-* a 1
            XADD s " 9-1" a 1
            XADD s +10-1 a 1
            XADD s 11-007 a 1
            XADD s 12 a "" "" b
            XADD s 13 12345 -5 99999999999 9223372036854775808 1.5 01
            XRANGE s - +
            XLEN s
            XLEN n
            XLEN g
            TYPE s
            OBJECT ENCODING s
            """);
        yield return new(Family, "xadd-options", """
            XADD s MAXLEN 1 MINID 2 1-1 a b
            XADD s MINID 2 MAXLEN 1 1-1 a b
            XADD s LIMIT 5 1-1 a b
            XADD s MAXLEN 1 LIMIT 5 1-1 a b
            XADD s MAXLEN = 1 LIMIT 5 1-1 a b
            XADD s MAXLEN ~ 1 LIMIT -1 1-1 a b
            XADD s MAXLEN ~ 1 LIMIT x 1-1 a b
            XADD s MAXLEN -1 1-1 a b
            XADD s MAXLEN x 1-1 a b
            XADD s MAXLEN ~ x 1-1 a b
            XADD s MINID x 1-1 a b
            XADD s MINID - 1-1 a b
            XADD s MAXLEN 1-1 a b
            EXISTS s
            XADD s MAXLEN 2 1-1 a b
            XADD s MAXLEN 2 2-1 a b
            XADD s maxlen = 2 3-1 a b
            XADD s MAXLEN ~ 2 4-1 a b
            XADD s MINID 3 5-1 a b
            XADD s minid = 4 6-1 a b
            XADD s MINID ~ 6 LIMIT 0 7-1 a b
            XADD s nomkstream MAXLEN 0 8-1 a b
            XLEN s
            XRANGE s - +
            XADD s LIMIT 0 MAXLEN 1 9-1 a b
            XRANGE s - +
            """);
        yield return new(Family, "auto-ids", """
            XADD a * f v
            XADD a * f v g w
            XLEN a
            XSETID a 99999999999999-5
            XADD a * f v
            XADD a * f v
            XADD a 99999999999999-* f v
            XRANGE a 99999999999999 +
            XSETID a 99999999999999-18446744073709551615
            XADD a * f v
            XRANGE a 99999999999999 +
            """);
        yield return new(Family, "ranges", """
            XADD s 1-1 a 1
            XADD s 1-2 a 2 b 2
            XADD s 2-0 b 3
            XADD s 3-5 a 4
            XADD s 18446744073709551615-0 a 5
            XRANGE s - +
            XREVRANGE s + -
            XRANGE s - + COUNT 2
            XREVRANGE s + - COUNT 2
            XRANGE s - + COUNT 0
            XRANGE s - + COUNT -3
            XRANGE s - + COUNT 1 COUNT 3
            XRANGE s - + COUNT
            XRANGE s - + COUNT x
            XRANGE s - + LIMIT 1
            XRANGE s 1 1
            XRANGE s 1 2
            XRANGE s (1-1 +
            XRANGE s - (3-5
            XRANGE s (1 (3
            XREVRANGE s (3-5 (1-1
            XRANGE s ( +
            XRANGE s (- +
            XRANGE s - (+
            XRANGE s (18446744073709551615-18446744073709551615 +
            XRANGE s - (0-0
            XRANGE s 18446744073709551615 +
            XRANGE s 3 2
            XREVRANGE s 2 3
            XRANGE s x +
            XRANGE s - x
            XRANGE s -1 +
            XREVRANGE s + x
            XRANGE nokey - +
            XRANGE nokey - + COUNT 0
            XREVRANGE nokey + - COUNT 0
            XRANGE nokey x +
            XRANGE s
            XREVRANGE s +
            """);
        yield return new(Family, "xdel", """
            XADD s 1-1 a 1
            XADD s 1-2 a 2
            XADD s 1-3 a 3
            XDEL s 1-2
            XDEL s 1-2
            XRANGE s - +
            XLEN s
            XDEL s 1-1 1-3 9-9
            XLEN s
            EXISTS s
            XRANGE s - +
            XADD s 1-3 a 4
            XADD s 2-0 a 4
            XDEL s 2-0 x
            XDEL s x
            XDEL nokey x
            XDEL nokey 1-1
            XDEL s
            XLEN s
            XREVRANGE s + -
            """);
        yield return new(Family, "xtrim", """
            XADD s 1-1 a 1
            XADD s 2-1 a 2
            XADD s 3-1 a 3
            XADD s 4-1 a 4
            XTRIM s MAXLEN 3
            XTRIM s MAXLEN 3
            XTRIM s MINID 3
            XRANGE s - +
            XTRIM s MINID = 3-1
            XTRIM s MAXLEN ~ 0
            XLEN s
            EXISTS s
            XTRIM s MAXLEN ~ 0
            XTRIM s
            XTRIM s MAXLEN
            XTRIM s foo
            XTRIM s foo bar
            XTRIM s MAXLEN -1
            XTRIM s MAXLEN 1 LIMIT 5
            XTRIM s MAXLEN ~ 1 LIMIT -1
            XTRIM s MAXLEN 1 MINID 2
            XTRIM s LIMIT 5 MAXLEN 1
            XTRIM s LIMIT 5
            XTRIM s LIMIT 0 MAXLEN 1
            XTRIM s MAXLEN 1 extra
            XTRIM s MINID x
            XTRIM s MAXLEN ~
            XTRIM nokey MAXLEN 0
            XTRIM nokey MAXLEN x
            """);
        yield return new(Family, "nodes-and-approximate-trims", """
            CONFIG SET stream-node-max-entries 4
            XADD s 1-1 a 1 b 1
            XADD s 1-2 a 2 b 2
            XADD s 1-3 c 3
            XADD s 2-1 a 4 b 4
            XADD s 2-2 a 5 b 5
            XADD s 2-3 a 6 b 6
            XADD s 3-1 a 7 b 7
            XADD s 3-2 a 8 b 8
            XADD s 3-3 a 9 b 9
            XADD s 4-1 a 10 b 10
            XADD s 4-2 a 11
            XADD s 4-3 a 12 b 12
            XADD s 5-1 a 13 b 13
            XADD s 5-2 a 14 b 14
            MEMORY USAGE s
            MEMORY USAGE s SAMPLES 0
            DEBUG DIGEST-VALUE s
            XTRIM s MAXLEN ~ 13
            XTRIM s MAXLEN ~ 10
            XLEN s
            XTRIM s MAXLEN ~ 2 LIMIT 3
            XTRIM s MAXLEN ~ 2 LIMIT 4
            XLEN s
            XRANGE s - + COUNT 1
            XDEL s 2-1 3-3 4-2
            XTRIM s MINID ~ 4-2
            XRANGE s - +
            XTRIM s MINID 4-3
            XRANGE s - +
            XREVRANGE s + -
            XRANGE s (3 (5
            MEMORY USAGE s
            XADD s MAXLEN ~ 3 6-1 a 1 b 1
            XLEN s
            XDEL s 5-1 5-2 6-1
            XRANGE s - +
            XREVRANGE s + - COUNT 2
            XADD s 7-1 a 1 b 1
            MEMORY USAGE s
            DEBUG DIGEST-VALUE s
            XADD t 1-1 f 1
            XADD t 1-2 f 2
            XADD t 1-3 f 3
            XDEL t 1-1 1-2 1-3
            XLEN t
            EXISTS t
            XADD t 1-4 g 4
            XRANGE t - +
            CONFIG SET stream-node-max-entries 100
            CONFIG SET stream-node-max-bytes 60
            XADD b 1-1 field value
            XADD b 1-2 field value
            XADD b 1-3 field value
            XADD b 1-4 otherfield othervalue
            XADD b 1-5 field value
            XADD b 1-6 field valuevaluevaluevaluevaluevaluevaluevaluevaluevaluevaluevalue
            XADD b 1-7 field value
            MEMORY USAGE b
            MEMORY USAGE b SAMPLES 0
            XTRIM b MAXLEN ~ 3
            XLEN b
            XRANGE b - +
            CONFIG SET stream-node-max-bytes 0
            CONFIG SET stream-node-max-entries 0
            XADD u 1-1 a 1
            XADD u 1-2 a 2
            MEMORY USAGE u
            CONFIG SET stream-node-max-bytes 4096
            CONFIG SET stream-node-max-entries 100
            """);
        yield return new(Family, "xread", """
            XADD s 1-1 a 1
            XADD s 1-2 a 2
            XADD t 5-1 b 1
            XREAD STREAMS s 0
            XREAD STREAMS s 1-1
            XREAD STREAMS s 1-2
            XREAD STREAMS s $
            XREAD COUNT 1 STREAMS s t 0 0
            XREAD COUNT 0 STREAMS s t 0 0
            XREAD COUNT -1 STREAMS s t 0 0
            XREAD STREAMS s nokey t 0 0 5-0
            XREAD STREAMS nokey 0
            XREAD STREAMS nokey $
            XREAD BLOCK 100 STREAMS s 0
            XREAD BLOCK 0 COUNT 1 STREAMS s 1-1
            XDEL s 1-2
            XREAD STREAMS s 1-1
            XREAD STREAMS s 1
            XREAD streams s (1-1
            XREAD STREAMS s -
            XREAD STREAMS s +
            XREAD STREAMS s >
            XREAD STREAMS s x
            XREAD STREAMS s t 0
            XREAD STREAMS
            XREAD STREAMS s
            XREAD COUNT x STREAMS s 0
            XREAD COUNT STREAMS s 0
            XREAD BLOCK x STREAMS s 0
            XREAD BLOCK -1 STREAMS s 0
            XREAD GROUP g c STREAMS s 0
            XREAD NOACK STREAMS s 0
            XREAD FOO STREAMS s 0
            XREAD COUNT 1 s 0
            SET str x
            XREAD STREAMS s str 0 0
            XREAD STREAMS str s x 0
            """);
        yield return new(Family, "xsetid", """
            XSETID s 1-1
            XADD s 5-5 a 1
            XADD s 5-6 a 1
            XSETID s 1-1
            XSETID s 5-5
            XSETID s 5-6
            XSETID s 9-9 ENTRIESADDED 1
            XSETID s 9-9 ENTRIESADDED -1
            XSETID s 9-9 ENTRIESADDED x
            XSETID s 9-9 MAXDELETEDID 10-0
            XSETID s 9-9 MAXDELETEDID x
            XSETID s 9-9 MAXDELETEDID 3-0 ENTRIESADDED 10
            XSETID s 9-9 FOO
            XSETID s 9-9 ENTRIESADDED
            XSETID s x
            XSETID s -
            XSETID s
            XADD s 9-9 a 1
            XADD s 9-* a 1
            XDEL s 9-10
            XSETID s 5-6
            XDEL s 5-6 5-5
            XSETID s 1-0
            XLEN s
            XADD s 2-0 a 1
            XSETID s 18446744073709551615-18446744073709551615
            XADD s 18446744073709551615-* a 1
            XADD s * a 1
            XLEN s
            XSETID nokey 1-1
            XSETID nokey x
            SET str x
            XSETID str 1-1
            """);
        yield return new(Family, "wrongtype", """
            SET str x
            RPUSH list a
            XADD str 1-1 a 1
            XADD list * a 1
            XLEN str
            XRANGE str - +
            XREVRANGE str + -
            XDEL str 1-1
            XTRIM str MAXLEN 1
            XREAD STREAMS str 0
            XADD s 1-1 a 1
            GET s
            LPUSH s a
            HSET s f v
            SADD s m
            ZADD s 1 m
            INCR s
            APPEND s x
            LRANGE s 0 -1
            TYPE s
            """);
        yield return new(Family, "large-stream", LargeStream());
        yield return new(Family, "keyspace", """
            XADD s 1-1 name alice age 30
            XADD s 1-2 name bob age 25
            XADD {t}a 1-1 a 1
            TYPE s
            OBJECT ENCODING s
            [scanall] SCAN 0 TYPE stream
            [scanall] SCAN 0 TYPE string
            COPY s {t}b
            XRANGE {t}b - +
            XADD {t}b 2-1 c 3
            XLEN s
            XLEN {t}b
            DEBUG DIGEST-VALUE s {t}b
            DEBUG DIGEST
            RENAME s r
            XRANGE r - +
            EXISTS s
            MOVE r 1
            EXISTS r
            SELECT 1
            XRANGE r - +
            MEMORY USAGE r
            SELECT 0
            DEL {t}a
            UNLINK {t}b
            DBSIZE
            """);
    }

    /// <summary>A stream of a few thousand entries (many nodes, fields that change now and then, values of every
    /// listpack encoding): MEMORY USAGE (sampled and whole), the digest and "~" trims must match Redis's.</summary>
    private static string LargeStream()
    {
        var lines = new List<string>();
        string[] values = ["v", "1", "-1", "300", "-5000", "70000", "9999999999", "9223372036854775808", "01", new string('x', 70), ""];
        for (var i = 1; i <= 3000; i++)
        {
            var fields = i % 97 == 0 ? "other" : "field";
            lines.Add($"XADD s {1_700_000_000_000L + i / 7}-{i % 7} {fields} \"{values[i % values.Length]}\" n {i}");
        }
        lines.AddRange(["XLEN s", "MEMORY USAGE s", "MEMORY USAGE s SAMPLES 0", "MEMORY USAGE s SAMPLES 1", "DEBUG DIGEST-VALUE s",
            "XTRIM s MAXLEN ~ 1234", "XLEN s", "MEMORY USAGE s SAMPLES 0", "XDEL s 1700000000200-0 1700000000400-3",
            "XRANGE s - + COUNT 3", "XREVRANGE s + - COUNT 3", "DEBUG DIGEST-VALUE s"]);
        return string.Join("\n", lines);
    }

    /// <summary>Scripts for the write-effects differential (<see cref="EffectScripts"/>).</summary>
    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield return new("xadd", """
            XADD a 1-1 f v
            xadd a 1-* f v
            XADD a 2-* f v
            XADD a 0-0 f v
            XADD a 1-1 f v
            XADD a NOMKSTREAM 3-1 f v
            XADD b NOMKSTREAM 3-1 f v
            XADD b NOMKSTREAM * f v
            XADD a MAXLEN 2 4-1 f v
            XADD a maxlen = 2 5-1 f v
            XADD a MINID 5 6-1 f v
            XADD a MAXLEN 1 LIMIT 5 7-1 f v
            XADD a 7
            XADD a * f v
            XADD a MAXLEN 1 * f v
            """);
        yield return new("xadd-approximate-trims", """
            CONFIG SET stream-node-max-entries 2
            XADD c 1-1 f v
            XADD c 1-2 f v
            XADD c 1-3 f v
            XADD c 1-4 f v
            XADD c MAXLEN ~ 3 1-5 f v
            XADD c MAXLEN ~ 1 LIMIT 2 1-6 f v
            XADD c maxlen ~ 0 1-7 f v
            XADD c MINID ~ 1-6 1-* f v
            XADD c MINID ~ 0 2-1 f v
            XADD c MINID ~ 18446744073709551615 2-2 f v
            XLEN c
            XADD c MAXLEN ~ 1 * f v
            """, "CONFIG SET stream-node-max-entries 100");
        yield return new("xtrim", """
            CONFIG SET stream-node-max-entries 2
            XADD d 1-1 f v
            XADD d 1-2 f v
            XADD d 1-3 f v
            XADD d 1-4 f v
            XADD d 1-5 f v
            XTRIM d MAXLEN 4
            XTRIM d MAXLEN 4
            XTRIM d MAXLEN ~ 1
            XTRIM d MAXLEN ~ 1
            XTRIM d MINID = 1-5
            XADD d 2-1 f v
            XADD d 2-2 f v
            XTRIM d MINID ~ 2-2
            XTRIM d MINID ~ 3
            XTRIM d MAXLEN 1 LIMIT 1
            XTRIM missing MAXLEN 0
            XTRIM d MAXLEN x
            """, "CONFIG SET stream-node-max-entries 100");
        yield return new("xdel", """
            XADD a 1-1 f v
            XADD a 1-2 f v
            XDEL a 1-1 9-9
            XDEL a 9-9
            XDEL a x
            XDEL missing 1-1
            XDEL a 1-2
            XLEN a
            """);
        yield return new("xsetid", """
            XADD a 1-1 f v
            XSETID a 5-5
            XSETID a 5-5
            XSETID a 6-0 ENTRIESADDED 10 MAXDELETEDID 2-0
            XSETID a 0-1
            XSETID missing 1-1
            XSETID a x
            """);
    }
}
