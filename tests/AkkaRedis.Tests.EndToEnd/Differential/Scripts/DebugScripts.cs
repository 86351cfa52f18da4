namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>
/// DEBUG (both shared servers run with enable-debug-command yes): PROTOCOL of every type, DIGEST and DIGEST-VALUE
/// over every string encoding and lists (small, multi-node, with TTLs, in two databases), OBJECT's fields, POPULATE,
/// and the small subcommands' replies and errors. The enable-debug-command gate has its own servers
/// (EndToEnd/DebugGateTests).
/// </summary>
public static class DebugScripts
{
    public const string Family = "debug";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "protocol", """
            DEBUG PROTOCOL string
            DEBUG PROTOCOL integer
            DEBUG PROTOCOL double
            DEBUG PROTOCOL bignum
            DEBUG PROTOCOL null
            DEBUG PROTOCOL array
            DEBUG PROTOCOL set
            DEBUG PROTOCOL map
            DEBUG PROTOCOL attrib
            [push] DEBUG PROTOCOL push
            DEBUG PROTOCOL verbatim
            DEBUG PROTOCOL true
            DEBUG PROTOCOL false
            debug protocol STRING
            DEBUG PROTOCOL foo
            DEBUG PROTOCOL
            DEBUG PROTOCOL string extra
            """);

        var big = string.Join(' ', Enumerable.Range(1, 1000).Select(i => $"element-{i}"));
        var nums = string.Join(' ', Enumerable.Range(1, 300));
        var x50 = new string('x', 50);
        var y9000 = new string('y', 9000);
        var z5000 = new string('z', 5000);
        yield return new(Family, "digest", $"""
            DEBUG DIGEST
            DEBUG DIGEST-VALUE
            DEBUG DIGEST-VALUE nokey
            SET s hello
            DEBUG DIGEST
            SET i 12345
            SET small 7
            SET neg -123456789012
            SET e ""
            SET r {x50}
            APPEND a hello
            SET f 3.14
            SET bin "a\x00b\xff"
            DEBUG DIGEST-VALUE s i small neg e r a f bin nokey
            DEBUG DIGEST
            RPUSH l a b c
            LPUSH l z
            RPUSH nums {nums}
            RPUSH big {big}
            RPUSH huge {y9000} a {z5000} b
            DEBUG DIGEST-VALUE l nums big huge
            DEBUG DIGEST
            SET t v EX 1000
            RPUSH lt 1 2
            EXPIRE lt 1000
            DEBUG DIGEST-VALUE t lt
            DEBUG DIGEST
            PERSIST t
            DEBUG DIGEST-VALUE t
            LSET l 0 y
            DEBUG DIGEST-VALUE l
            SELECT 1
            DEBUG DIGEST-VALUE s
            SET s hello
            DEBUG DIGEST-VALUE s
            DEBUG DIGEST
            SELECT 0
            DEL s
            DEBUG DIGEST
            DEBUG DIGEST extra
            """);

        yield return new(Family, "object", $"""
            DEBUG OBJECT nokey
            SET s hello
            SET small 7
            SET i 12345
            SET neg -123456789012
            SET e ""
            SET r {x50}
            APPEND a hello
            RPUSH l a b c
            RPUSH nums {nums}
            RPUSH huge {y9000} a {z5000} b
            DEBUG OBJECT s
            DEBUG OBJECT small
            DEBUG OBJECT i
            DEBUG OBJECT neg
            DEBUG OBJECT e
            DEBUG OBJECT r
            DEBUG OBJECT a
            DEBUG OBJECT l
            DEBUG OBJECT nums
            DEBUG OBJECT huge
            DEBUG OBJECT
            DEBUG OBJECT s extra
            DEBUG LISTPACK l
            DEBUG LISTPACK s
            DEBUG LISTPACK nokey
            DEBUG QUICKLIST l
            DEBUG QUICKLIST l 1
            DEBUG QUICKLIST s
            DEBUG QUICKLIST nokey
            DEBUG QUICKLIST l 1 2
            """);

        yield return new(Family, "populate", """
            SET key:3 mine
            DEBUG POPULATE 50
            DBSIZE
            GET key:0
            GET key:3
            GET key:49
            DEBUG POPULATE 3 p 10
            GET p:0
            GET p:2
            DEBUG POPULATE 2 q 3
            GET q:1
            DEBUG POPULATE 1 z 0
            GET z:0
            DEBUG POPULATE 0
            DBSIZE
            DEBUG POPULATE -1
            DEBUG POPULATE x
            DEBUG POPULATE 1 w -1
            DEBUG POPULATE 1 w x
            DEBUG POPULATE 1 w 1 2
            DEBUG POPULATE
            """);

        yield return new(Family, "subcommands", """
            DEBUG HELP
            debug help
            DEBUG HELP extra
            DEBUG
            DEBUG NOSUCH
            DEBUG JMAP
            DEBUG STRINGMATCH-LEN
            DEBUG ERROR hello
            DEBUG ERROR "-FOO bar"
            DEBUG ERROR "a\nb"
            DEBUG ERROR ""
            DEBUG ERROR
            DEBUG SLEEP 0
            DEBUG SLEEP 0.01
            DEBUG SLEEP
            DEBUG SET-ACTIVE-EXPIRE 1
            DEBUG SET-ACTIVE-EXPIRE
            DEBUG CHANGE-REPL-ID
            DEBUG CHANGE-REPL-ID x
            DEBUG QUICKLIST-PACKED-THRESHOLD 1k
            DEBUG QUICKLIST-PACKED-THRESHOLD 4095mb
            DEBUG QUICKLIST-PACKED-THRESHOLD 4gb
            DEBUG QUICKLIST-PACKED-THRESHOLD -1
            DEBUG QUICKLIST-PACKED-THRESHOLD abc
            DEBUG QUICKLIST-PACKED-THRESHOLD 0
            DEBUG QUICKLIST-PACKED-THRESHOLD
            DEBUG REPLYBUFFER PEAK-RESET-TIME never
            DEBUG REPLYBUFFER PEAK-RESET-TIME 100
            DEBUG REPLYBUFFER PEAK-RESET-TIME abc
            DEBUG REPLYBUFFER PEAK-RESET-TIME reset
            DEBUG REPLYBUFFER RESIZING 0
            DEBUG REPLYBUFFER RESIZING 1
            DEBUG REPLYBUFFER FOO 1
            DEBUG REPLYBUFFER
            DEBUG STRUCTSIZE
            DEBUG DROP-CLUSTER-PACKET-FILTER -1
            DEBUG DROP-CLUSTER-PACKET-FILTER x
            DEBUG SET-SKIP-CHECKSUM-VALIDATION 0
            DEBUG AOF-FLUSH-SLEEP 0
            DEBUG LOG hello
            """);
    }
}
