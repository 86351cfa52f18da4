namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>
/// SORT and SORT_RO (sort.c) on lists, with BY/GET patterns over string keys: replies and write effects compared with
/// redis-server 7.0. Keys a, b, c, d lie on the four shards of the 4-shard server, so patterns read keys of other
/// shards than the sorted one. (Sets, sorted sets and hash-field patterns come with their families.) Ties under ALPHA
/// BY with LIMIT are avoided: redis-server's pqsort is not stable there (see SortCommands.Comparer).
/// </summary>
public static class SortScripts
{
    public const string Family = "sort";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "numeric-alpha-desc", """
            RPUSH l 3 1 2 10 -5 1.5 010 1e1 0x10 " 7" "" inf -inf
            SORT l
            SORT l DESC
            SORT l ASC
            SORT l desc asc
            SORT l ALPHA
            SORT l alpha DESC
            SORT_RO l
            SORT_RO l ALPHA DESC
            SORT missing
            SORT missing DESC ALPHA
            SORT_RO missing
            RPUSH same 2 2.0 02 1 1 +1
            SORT same
            SORT same DESC
            RPUSH bin "b" "B" "a\x00b" "a\x00a" "a" "\xff" "\xc3\xa9" "A" "a\x00"
            SORT bin ALPHA
            SORT bin ALPHA DESC
            SORT bin ALPHA LIMIT 1 3
            """);

        yield return new(Family, "scores", """
            RPUSH ok 1.5e3 .5 5. "\t5" "+5" -0 infinity INF 0x1p3 0e-400 2.2250738585072014e-308 "12\x00abc"
            SORT ok
            SORT ok DESC
            RPUSH nan nan 1
            SORT nan
            SORT nan ALPHA
            RPUSH trail "12 " 1
            SORT trail
            RPUSH spaces "   " 1
            SORT spaces
            RPUSH word abc 1
            SORT word
            SORT word LIMIT 0 1
            SORT word BY nosort
            SORT word STORE dst
            EXISTS dst
            RPUSH dot . 1
            SORT dot
            RPUSH exp 1e 1
            SORT exp
            RPUSH hex 0x 1
            SORT hex
            """);

        // Values strtod refuses with ERANGE: each last in its script, as a later SORT in redis-server may fail on
        // good numbers too (it does not clear errno first; see SortCommands.TryParseScore).
        yield return new(Family, "score-overflow", """
            RPUSH big 1e400 1
            SORT big
            """);
        yield return new(Family, "score-underflow", """
            RPUSH small 1e-400 1
            SORT small
            """);
        yield return new(Family, "score-subnormal", """
            RPUSH sub 1e-310 1
            SORT sub
            """);

        yield return new(Family, "limit", """
            RPUSH l 5 3 9 1 7 2
            SORT l LIMIT 0 2
            SORT l LIMIT 2 2
            SORT l LIMIT 4 10
            SORT l LIMIT 6 1
            SORT l LIMIT 100 1
            SORT l LIMIT -1 3
            SORT l LIMIT 1 -1
            SORT l LIMIT 1 -5
            SORT l LIMIT 0 0
            SORT l LIMIT 9223372036854775807 9223372036854775807
            SORT l LIMIT -9223372036854775808 -9223372036854775808
            SORT l LIMIT 0 9223372036854775807 DESC
            SORT l LIMIT 1 2 LIMIT 3 1
            SORT l LIMIT 1 2 ALPHA DESC
            SORT l LIMIT x 1
            SORT l LIMIT 1 x
            SORT l LIMIT 1
            SORT l LIMIT 1.5 1
            SORT missing LIMIT 0 1
            SORT missing LIMIT 5 5
            SORT missing LIMIT -1 -1
            """);

        yield return new(Family, "nosort", """
            RPUSH l c a b 3 1 2
            SORT l BY nosort
            SORT l BY nosort DESC
            SORT l BY nosort ALPHA
            SORT l BY nosort LIMIT 1 2
            SORT l BY nosort DESC LIMIT 1 2
            SORT l BY nosort LIMIT 4 10
            SORT l BY nosort DESC LIMIT 4 10
            SORT l BY nosort LIMIT 6 1
            SORT l BY nosort DESC LIMIT 100 1
            SORT l BY nosort LIMIT -3 2
            SORT l BY nosort LIMIT 0 0
            SORT l BY constant GET #
            SORT l BY nosort BY w_*
            SORT l BY w_* BY nosort
            SORT l BY "" DESC
            SORT l BY nosort STORE dst
            LRANGE dst 0 -1
            SORT l BY nosort DESC LIMIT 1 3 STORE dst
            LRANGE dst 0 -1
            SORT missing BY nosort
            SORT missing BY nosort DESC LIMIT 1 1
            """);

        yield return new(Family, "by-get-patterns", """
            RPUSH a 3 1 2 10
            MSET w_3 30 w_1 10 w_2 20 w_10 5 o_1 one o_2 two o_3 three
            SET b_10 x
            SORT a BY w_*
            SORT a BY w_* DESC
            SORT a BY w_* GET o_*
            SORT a BY w_* GET o_* GET # GET nokey GET w_*
            SORT a GET # GET o_*
            SORT a BY w_* LIMIT 1 2 GET o_*
            SORT a BY w_* DESC LIMIT 0 3 GET # GET o_*
            SORT a BY o_* ALPHA
            SORT a BY o_* ALPHA DESC GET o_*
            SORT a BY o_*
            SORT a BY missing_*
            SORT a BY missing_* DESC
            SORT a BY missing_* ALPHA
            SORT a BY missing_* ALPHA DESC
            SORT a BY w_*_suffix
            SORT a BY *
            SORT a BY ** GET **
            SORT a GET b_*
            SORT a GET *
            SORT a GET o_*->field
            SORT a BY w_*-> GET o_*->
            SORT a GET
            SORT a BY
            SORT a GET # STORE
            SORT_RO a BY w_* GET o_* GET #
            SET c x
            SORT a BY c*
            RPUSH d list
            SORT a GET d
            SORT a GET d*
            """);

        yield return new(Family, "pattern-values", """
            RPUSH l x y z
            SET wx 1.5
            SET wy abc
            SET wz 2
            SORT l BY w*
            SORT l BY w* ALPHA
            SET wy ""
            SORT l BY w*
            SET wy 12abc
            SORT l BY w* ALPHA
            RPUSH wy list
            SORT l BY w* GET w*
            DEL wy
            RPUSH wy list
            SORT l BY w*
            SORT l BY w* ALPHA
            SORT l BY w* GET w* GET #
            SET wx 10
            SET wz 9
            SORT l BY w* GET w*
            SORT l BY w* ALPHA GET w*
            """);

        yield return new(Family, "hash-tagged-patterns", """
            RPUSH {t}l 2 1 3
            MSET {t}w_1 3 {t}w_2 2 {t}w_3 1 {t}o_1 a {t}o_2 b {t}o_3 c
            SORT {t}l BY {t}w_* GET {t}o_*
            SORT {t}l BY {t}w_* GET {t}o_* STORE {t}dst
            LRANGE {t}dst 0 -1
            SORT {t}l BY {t}w_* GET {t}o_* STORE other
            LRANGE other 0 -1
            SORT {t}l BY *{t}w GET *{t}o
            MSET 1{t}w 1 2{t}w 3 3{t}w 2
            SORT {t}l BY *{t}w
            SORT {t}l BY {*}w
            """);

        yield return new(Family, "store", """
            RPUSH src 3 1 2
            SORT src STORE dst
            LRANGE dst 0 -1
            TYPE dst
            OBJECT ENCODING dst
            SET str x
            SORT src DESC STORE str
            LRANGE str 0 -1
            SET ttl x EX 1000
            SORT src STORE ttl
            TTL ttl
            SORT src STORE a STORE b
            EXISTS a
            LRANGE b 0 -1
            SORT src LIMIT 5 1 STORE b
            EXISTS b
            SORT src LIMIT 5 1 STORE neverthere
            EXISTS neverthere
            SORT missing STORE dst
            EXISTS dst
            SORT src STORE src
            LRANGE src 0 -1
            SORT src GET nokey GET # STORE dst
            LRANGE dst 0 -1
            SORT src ALPHA STORE dst LIMIT 0 2
            LRANGE dst 0 -1
            RPUSH bin "a\x00b" "a\x00a" "a"
            SORT bin ALPHA STORE dst
            LRANGE dst 0 -1
            SORT bin ALPHA DESC STORE dst
            LRANGE dst 0 -1
            SORT_RO src STORE dst
            SORT_RO src LIMIT 0 1 store
            """);

        yield return new(Family, "errors-and-types", """
            SET s x
            SORT s
            SORT s LIMIT 0 1
            SORT_RO s
            SORT s STORE dst
            EXISTS dst
            SORT s foo
            SORT s LIMIT x 1
            RPUSH l 1
            SORT l foo
            SORT l ALPHA foo
            SORT l LIMIT 0
            SORT l STORE
            SORT l BY
            SORT l GET
            SORT l LIMIT 0 1 LIMIT x 0
            SORT
            SORT_RO
            sort l alpha
            SoRt_Ro l LiMiT 0 1 DeSc
            """);

        yield return new(Family, "introspection", """
            COMMAND INFO sort sort_ro
            COMMAND DOCS sort sort_ro
            COMMAND GETKEYS sort l
            COMMAND GETKEYS sort l BY w_* GET o_* STORE dst
            COMMAND GETKEYS sort l STORE a STORE b
            COMMAND GETKEYS sort l LIMIT store x STORE y
            COMMAND GETKEYS sort l GET store STORE
            COMMAND GETKEYS sort l store
            COMMAND GETKEYS sort_ro l BY w_* GET o_*
            COMMAND GETKEYSANDFLAGS sort l STORE a
            COMMAND GETKEYSANDFLAGS sort_ro l
            """);
    }

    /// <summary>Scripts for the write-effects differential (<see cref="EffectScripts"/>): SORT ... STORE propagates as
    /// sent when it changed the destination (written, or deleted by an empty result), nothing otherwise; SORT without
    /// STORE and SORT_RO propagate nothing but the DELs of expired keys they met, patterns included.</summary>
    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield return new("sort-store", """
            RPUSH a 3 1 2
            MSET w_1 3 w_2 2 w_3 1 o_1 x
            SORT a
            SORT a BY w_* GET o_*
            SORT_RO a DESC
            SORT a STORE b
            SORT a BY w_* GET o_* GET # STORE c
            sort a desc limit 0 2 store d
            SORT a LIMIT 9 1 STORE b
            SORT a LIMIT 9 1 STORE b
            SORT missing STORE c
            SORT missing STORE nothere
            SET s x
            SORT s STORE d
            SORT a STORE d foo
            RPUSH bad x 1
            SORT bad STORE d
            SORT a STORE a
            """);
        yield return new("sort-expired-pattern-keys", """
            DEBUG SET-ACTIVE-EXPIRE 0
            RPUSH a 1 2
            SET w_1 5 PXAT 1
            SET o_2 x PXAT 1
            SORT a BY w_* GET o_*
            SET b 1 PXAT 1
            SORT b STORE c
            SET c x PXAT 1
            SORT missing STORE c
            SET d x PXAT 1
            SORT a STORE d
            """, "DEBUG SET-ACTIVE-EXPIRE 1");
    }
}
