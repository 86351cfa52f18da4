namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>
/// DUMP / RESTORE / RESTORE-ASKING (issue 12): DUMP replies byte for byte where Redis's encoding is deterministic
/// (strings with their integer and LZF encodings, intsets, listpack hashes and zsets, quicklists cut into nodes,
/// skip lists), RESTORE of payloads recorded from redis-server 7.0.15 and the value read back, every RESTORE error,
/// TTL / ABSTTL / IDLETIME / FREQ, and (in <see cref="Effects"/>) what RESTORE propagates.
/// </summary>
public static class DumpScripts
{
    public const string Family = "dump";

    /// <summary>A payload as a quoted script argument (\xHH escapes).</summary>
    private static string P(string hex) => "\"" + string.Concat(Convert.FromHexString(hex).Select(b => $"\\x{b:x2}")) + "\"";

    // DUMP payloads recorded from redis-server 7.0.15.
    private static readonly string Str = P("000568656c6c6f0a006372df766534200a");                       // "hello"
    private static readonly string Int = P("00c0d60a00bcf2d2acd2eebeaa");                               // -42
    private static readonly string Lzf = P("00c30b405a0361626361e04b020162630a00238036f9e2d0c780");     // "abc" x 30
    private static readonly string Intset = P("0b180400000004000000d4feffff0100000005000000701101000a00176ed3a25aa0b1ef");
    private static readonly string HashLp = P("1020200000000600846e616d650584616b6b610583616765040701817802dfff02ff0a004d147e98d86f72da");
    private static readonly string ZSetLp = P("1123230000000600836c6f7704842d696e6605836f6e650483312e35048374776f040201ff0a0026ea7071f7925e9f");
    private static readonly string List = P("120102171700000005008161020101816202f2e0930404816302ff0a002830da38c68c1d21");
    private static readonly string Set = P("0203017a017901780a00a2117a196f6ea3e5");                        // x y z, hashtable
    private static readonly string Ver9 = P("000568656c6c6f0900b3808eba31b243bb");                       // RDB 9: accepted
    // Corrupt bodies with valid checksums: "Bad data format".
    private static readonly string BadListpack = P("1201020a1700000005008161020a001aba6cb7629e6dc5");
    private static readonly string BadType = P("630568656c6c6f0a00a39fc909182006b7");
    private static readonly string DupSet = P("0202016101610a0057be762fc2d6523a");
    private static readonly string EmptySet = P("02000a003ace39009b8939e8");
    private static readonly string Truncated = P("1020200000000600846e616d650584616b6b6105836167650407018178020a00771257c76f08a45d");
    private static readonly string Ver11 = P("000568656c6c6f0b000aad620598abc983");
    private static readonly string BadCrc = P("000568656c6c6f0a006372df766534200b");

    /// <remarks>Lists are cut into quicklist nodes when dumped, by the list-max-listpack-size of that moment and as if
    /// built by pushes at the tail (lists are not stored as quicklists here): a list built under another fill, or by
    /// LPUSH/LINSERT, dumps with other node boundaries than redis-server's (the same elements, so RESTORE on either side
    /// gives the same list). The scripts only dump lists built by RPUSH under the current fill.</remarks>
    public static IEnumerable<DiffScript> All()
    {
        var abc = string.Concat(Enumerable.Repeat("abc", 40));
        var words = string.Concat(Enumerable.Range(0, 30).Select(i => $"word{i % 7} "));
        yield return new(Family, "dump-strings", $"""
            SET small hello
            SET i1 7
            SET i2 -300
            SET i4 70000
            SET i8 12345678901
            SET lead 007
            SET empty ""
            SET bin "a\x00b\xff"
            SET lzf {abc}
            SET text "{words}"
            SET twenty aaaaaaaaaaaaaaaaaaaa
            SET twentyone aaaaaaaaaaaaaaaaaaaaa
            APPEND app 12
            INCRBYFLOAT f 1.5
            DUMP small
            DUMP i1
            DUMP i2
            DUMP i4
            DUMP i8
            DUMP lead
            DUMP empty
            DUMP bin
            DUMP lzf
            DUMP text
            DUMP twenty
            DUMP twentyone
            DUMP app
            DUMP f
            DUMP missing
            dump small
            DUMP
            DUMP a b
            CONFIG SET rdbcompression no
            DUMP lzf
            DUMP text
            CONFIG SET rdbcompression yes
            """);

        var many = string.Join(' ', Enumerable.Range(0, 1200).Select(i => i.ToString()));
        var elements = string.Join(' ', Enumerable.Range(0, 1500).Select(i => $"element-{i}"));
        var big = new string('q', 5000);
        var scores = string.Join(' ', Enumerable.Range(0, 200).Select(i => $"{i * 0.5} member-{i}"));
        yield return new(Family, "dump-collections", $"""
            SADD is16 1 -5 300 32767
            SADD is32 1 70000 -70000
            SADD is64 1 7000000000
            SREM is64 7000000000
            HSET h name akka age 7 neg -1 float 1.5 long {new string('v', 64)}
            HSET h age 8
            HDEL h neg
            ZADD z 1 a 2.5 b -3 c 1e20 d inf e -inf f 0.1 g 12345678901 h
            ZADD zbig {scores}
            RPUSH l a 1 b 300000 c {new string('x', 70)}
            RPUSH many {many}
            RPUSH many {elements}
            RPUSH big {big} {big} small {big}
            DUMP is16
            DUMP is32
            DUMP is64
            DUMP h
            DUMP z
            DUMP zbig
            DUMP l
            DUMP many
            DUMP big
            CONFIG SET list-max-listpack-size 5
            RPUSH five a b c d e f g h i j k
            DUMP five
            CONFIG SET list-max-listpack-size -2
            CONFIG SET rdbcompression no
            DUMP many
            CONFIG SET rdbcompression yes
            """);

        yield return new(Family, "restore-recorded", $"""
            RESTORE s 0 {Str}
            RESTORE n 0 {Int}
            RESTORE z 0 {Lzf}
            RESTORE is 0 {Intset}
            RESTORE h 0 {HashLp}
            RESTORE zs 0 {ZSetLp}
            RESTORE l 0 {List}
            RESTORE hs 0 {Set}
            RESTORE v9 0 {Ver9}
            GET s
            GET n
            GET z
            GET v9
            SMEMBERS is
            HGETALL h
            ZRANGE zs 0 -1 WITHSCORES
            LRANGE l 0 -1
            SCARD hs
            SISMEMBER hs y
            OBJECT ENCODING s
            OBJECT ENCODING n
            OBJECT ENCODING z
            OBJECT ENCODING is
            OBJECT ENCODING h
            OBJECT ENCODING zs
            OBJECT ENCODING l
            OBJECT ENCODING hs
            DEBUG DIGEST-VALUE s n z is h zs l hs
            DEBUG DIGEST
            DUMP s
            DUMP z
            DUMP is
            DUMP h
            DUMP zs
            DUMP l
            TTL s
            SADD is 8
            HSET h more fields
            DUMP is
            DUMP h
            """);

        yield return new(Family, "restore-thresholds", $"""
            CONFIG SET hash-max-listpack-entries 1
            CONFIG SET zset-max-listpack-entries 1
            CONFIG SET set-max-intset-entries 2
            RESTORE h 0 {HashLp}
            RESTORE zs 0 {ZSetLp}
            RESTORE is 0 {Intset}
            OBJECT ENCODING h
            OBJECT ENCODING zs
            OBJECT ENCODING is
            CONFIG SET hash-max-listpack-entries 512
            CONFIG SET zset-max-listpack-entries 128
            CONFIG SET set-max-intset-entries 512
            CONFIG SET hash-max-listpack-value 2
            CONFIG SET zset-max-listpack-value 1
            RESTORE h2 0 {HashLp}
            RESTORE zs2 0 {ZSetLp}
            OBJECT ENCODING h2
            OBJECT ENCODING zs2
            CONFIG SET hash-max-listpack-value 64
            CONFIG SET zset-max-listpack-value 64
            """);

        yield return new(Family, "restore-errors", $"""
            SET exists 1
            RESTORE exists 0 {Str}
            RESTORE exists 0 {BadCrc}
            RESTORE k 0 {BadCrc}
            RESTORE k 0 {Ver11}
            RESTORE k 0 short
            RESTORE k 0 ""
            RESTORE k -1 {Str}
            RESTORE k abc {Str}
            RESTORE k 0 {Str} REPLACE junk
            RESTORE k 0 {Str} IDLETIME
            RESTORE k 0 {Str} IDLETIME -1
            RESTORE k 0 {Str} IDLETIME x
            RESTORE k 0 {Str} FREQ 256
            RESTORE k 0 {Str} FREQ -1
            RESTORE k 0 {Str} FREQ x
            RESTORE k 0 {Str} IDLETIME 1 FREQ 1
            RESTORE k 0 {Str} FREQ 1 IDLETIME 1
            RESTORE k 0 {BadListpack}
            RESTORE k 0 {BadType}
            RESTORE k 0 {DupSet}
            RESTORE k 0 {EmptySet}
            RESTORE k 0 {Truncated}
            EXISTS k
            RESTORE exists abc {Str} REPLACE
            RESTORE exists 0 {BadListpack} REPLACE
            GET exists
            RESTORE k 0
            RESTORE k
            DEBUG SET-SKIP-CHECKSUM-VALIDATION 1
            RESTORE k 0 {BadCrc}
            GET k
            DEBUG SET-SKIP-CHECKSUM-VALIDATION 0
            RESTORE k2 0 {BadCrc}
            RESTORE-ASKING k3 0 {Str}
            RESTORE-ASKING k3 0 {Str}
            GET k3
            """);

        yield return new(Family, "restore-ttl", $"""
            RESTORE t 100000 {Str}
            PTTL t
            RESTORE ta 4102444800000 {Str} ABSTTL
            PEXPIRETIME ta
            RESTORE past 1 {Str} ABSTTL
            EXISTS past
            SET old v
            RESTORE old 1 {Str} ABSTTL REPLACE
            EXISTS old
            SET old v
            EXPIRE old 1000
            RESTORE old 0 {Int} REPLACE
            TTL old
            GET old
            RESTORE idle 0 {Str} IDLETIME 1000
            OBJECT IDLETIME idle
            RESTORE idle2 0 {Str} IDLETIME 0 REPLACE ABSTTL
            CONFIG SET maxmemory-policy allkeys-lfu
            RESTORE freq 0 {Str} FREQ 100
            OBJECT FREQ freq
            RESTORE idle3 0 {Str} IDLETIME 5
            CONFIG SET maxmemory-policy noeviction
            """);
    }

    /// <summary>RESTORE's keyspace events: "restore" (generic) for a stored key, "del" for a replaced key whose TTL is
    /// already past, nothing when refused.</summary>
    public static IEnumerable<DiffScript> Notifications()
    {
        yield return new(Family, "restore-events", $"""
            CONFIG SET notify-keyspace-events KEA
            [c2] PSUBSCRIBE __key*@*__:*
            RESTORE a 0 {Str}
            [c2] [read]
            [c2] [read]
            RESTORE a 0 {Str}
            RESTORE a 0 {Int} REPLACE
            [c2] [read]
            [c2] [read]
            RESTORE b 100000 {Str}
            [c2] [read]
            [c2] [read]
            RESTORE a 1 {Str} ABSTTL REPLACE
            [c2] [read]
            [c2] [read]
            RESTORE c 1 {Str} ABSTTL
            RESTORE c 0 {BadType}
            [c2] PING
            CONFIG SET notify-keyspace-events ""
            """);
    }

    /// <summary>What RESTORE propagates: verbatim, a relative TTL rewritten to an absolute one with ABSTTL, DEL for a
    /// replaced key whose TTL is already past, nothing when refused or when nothing was there.</summary>
    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield return new("restore", $"""
            RESTORE a 0 {Str}
            RESTORE a 0 {Str}
            RESTORE a 0 {Int} REPLACE
            RESTORE b 100000 {Str}
            RESTORE c 4102444800000 {Str} ABSTTL
            RESTORE d 0 {HashLp} IDLETIME 10
            RESTORE d 0 {List} REPLACE FREQ 5
            RESTORE a 1 {Str} ABSTTL REPLACE
            RESTORE e 1 {Str} ABSTTL
            RESTORE e 0 {BadCrc}
            RESTORE e 0 {BadType}
            RESTORE e -5 {Str}
            restore-asking f 0 {Str}
            RESTORE-ASKING {"{t}"}g 100000 {Str} replace
            DUMP f
            """);
    }
}
