namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>
/// Introspection family: SLOWLOG, LATENCY, MEMORY. Replies carrying ids, clocks, durations, client ports or memory
/// figures are compared by shape (see ReplyRules); everything else byte for byte. Scripts that change slowlog or latency
/// settings put the defaults back at their end. MONITOR is covered by MonitorTests.
/// </summary>
public static class IntrospectionScripts
{
    public const string Family = "introspection";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "slowlog", """
            CONFIG SET slowlog-log-slower-than 0
            SLOWLOG RESET
            SLOWLOG LEN
            SET k v
            CLIENT SETNAME slowclient
            GET k
            SET big bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
            # 35 arguments: the 32nd says how many more there were
            MSET a0 0 a1 1 a2 2 a3 3 a4 4 a5 5 a6 6 a7 7 a8 8 a9 9 a10 10 a11 11 a12 12 a13 13 a14 14 a15 15 a16 16
            SET q "a\"b\\c\n\x00\xff"
            SLOWLOG GET 3
            SLOWLOG GET 0
            SLOWLOG GET -1
            SLOWLOG get
            SLOWLOG GET -2
            SLOWLOG GET abc
            SLOWLOG GET 1 2
            SLOWLOG LEN
            SLOWLOG LEN extra
            SLOWLOG RESET extra
            SLOWLOG HELP
            SLOWLOG help extra
            SLOWLOG nosuch
            SLOWLOG
            CONFIG SET slowlog-max-len 2
            SET x y
            SLOWLOG LEN
            SLOWLOG GET
            CONFIG SET slowlog-log-slower-than -1
            SLOWLOG RESET
            GET k
            SLOWLOG LEN
            SLOWLOG GET
            CONFIG SET slowlog-max-len 128
            CONFIG SET slowlog-log-slower-than 10000
            """);

        yield return new(Family, "latency", """
            LATENCY HELP
            LATENCY help extra
            LATENCY nosuch
            LATENCY
            LATENCY LATEST
            LATENCY LATEST extra
            LATENCY HISTORY command
            LATENCY HISTORY
            LATENCY RESET
            LATENCY RESET command fast-command
            LATENCY GRAPH command
            LATENCY GRAPH
            LATENCY DOCTOR
            LATENCY DOCTOR extra
            CONFIG SET latency-monitor-threshold 1000000
            LATENCY DOCTOR
            LATENCY LATEST
            CONFIG SET latency-monitor-threshold 0
            CONFIG RESETSTAT
            SET k v
            GET k
            GET k
            LATENCY HISTOGRAM set get
            LATENCY HISTOGRAM GET nosuch config|resetstat
            LATENCY HISTOGRAM nosuch
            LATENCY HISTOGRAM config
            LATENCY HISTOGRAM
            """);

        // Lists: a quicklist's estimate depends on how its elements pack into 8 KB listpack nodes.
        var hundred = new string('x', 100);
        var thirty = new string('7', 30);
        yield return new(Family, "memory-lists", $"""
            RPUSH l1 a b c d e f g
            RPUSH l2 1 200 -5000 70000 3000000000 -1 ""
            RPUSH l3 {string.Join(' ', Enumerable.Repeat(hundred, 300))}
            RPUSH l4 {string.Join(' ', Enumerable.Repeat(thirty, 400))}
            LPUSH l5 {new string('y', 9000)} z
            MEMORY USAGE l1
            MEMORY USAGE l2
            MEMORY USAGE l3
            MEMORY USAGE l3 SAMPLES 0
            MEMORY USAGE l3 SAMPLES 1
            MEMORY USAGE l4
            MEMORY USAGE l5
            """);

        yield return new(Family, "memory", """
            SET k v
            SET n 123
            SET e xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
            SET r xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
            SET big yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
            SET longkeyname_longkeyname_longkeyname_x v
            MEMORY USAGE k
            MEMORY USAGE n
            MEMORY USAGE e
            MEMORY USAGE r
            MEMORY USAGE big
            MEMORY USAGE longkeyname_longkeyname_longkeyname_x
            MEMORY USAGE nokey
            MEMORY USAGE k SAMPLES 5
            MEMORY USAGE k samples 0
            MEMORY USAGE k SAMPLES
            MEMORY USAGE k SAMPLES -1
            MEMORY USAGE k SAMPLES x
            MEMORY USAGE k FOO
            MEMORY USAGE k SAMPLES 0 extra
            MEMORY USAGE nokey SAMPLES x
            MEMORY USAGE
            MEMORY HELP
            MEMORY help extra
            MEMORY DOCTOR
            MEMORY MALLOC-STATS
            MEMORY PURGE
            MEMORY STATS
            MEMORY STATS extra
            MEMORY nosuch
            MEMORY
            """);

        yield return new(Family, "command-info-docs", """
            COMMAND INFO slowlog latency monitor memory
            COMMAND INFO slowlog|get slowlog|len slowlog|reset slowlog|help
            COMMAND INFO latency|help latency|reset latency|latest latency|graph latency|histogram latency|doctor latency|history
            COMMAND INFO memory|purge memory|doctor memory|help memory|malloc-stats memory|stats memory|usage
            COMMAND DOCS slowlog latency monitor memory
            COMMAND DOCS slowlog|get latency|reset latency|graph latency|histogram memory|usage
            COMMAND GETKEYS memory usage k
            COMMAND GETKEYS memory usage k SAMPLES 5
            """);
    }
}
