namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>List family (Redis 7.0 without the blocking commands): every command, its argument errors in Redis's
/// order of checks, WRONGTYPE both ways, empty lists disappearing, and keys on different shards.</summary>
public static class ListScripts
{
    public const string Family = "lists";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "push-pop", """
            LPUSH l a
            LPUSH l b c
            RPUSH l x y z
            LRANGE l 0 -1
            LLEN l
            LPUSHX l h
            RPUSHX l t1 t2
            LPUSHX missing a
            RPUSHX missing a b
            EXISTS missing
            LPOP l
            RPOP l
            LPOP l 2
            RPOP l 2
            LRANGE l 0 -1
            LPOP l 0
            RPOP l 100
            EXISTS l
            LPOP l
            RPOP l
            LPOP l 1
            RPOP l 0
            LPOP l -1
            RPOP l x
            LPOP l 1 2
            RPUSH l a b c
            LPOP l -1
            LPOP l notanumber
            LPOP l 9223372036854775807
            LLEN l
            LLEN missing
            RPUSH bin "\x00\xff" "" "a b"
            LRANGE bin 0 -1
            TYPE bin
            OBJECT ENCODING bin
            """);

        yield return new(Family, "ranges", """
            RPUSH l 0 1 2 3 4 5 6 7 8 9
            LRANGE l 0 0
            LRANGE l 0 -1
            LRANGE l -3 -1
            LRANGE l -100 100
            LRANGE l 5 2
            LRANGE l 10 20
            LRANGE l -1 -2
            LRANGE l 9223372036854775807 -9223372036854775808
            LRANGE l x 1
            LRANGE l 1 x
            LRANGE missing 0 -1
            LRANGE missing x 1
            LINDEX l 0
            LINDEX l -1
            LINDEX l 9
            LINDEX l 10
            LINDEX l -11
            LINDEX l x
            LINDEX missing 0
            LINDEX missing x
            LTRIM l 1 -2
            LRANGE l 0 -1
            LTRIM l -3 100
            LRANGE l 0 -1
            LTRIM l x 1
            LTRIM missing 0 1
            LTRIM missing x 1
            LTRIM l 5 1
            EXISTS l
            RPUSH l a b c
            LTRIM l 0 0
            LRANGE l 0 -1
            LTRIM l 100 200
            EXISTS l
            """);

        yield return new(Family, "set-insert-remove", """
            LSET missing 0 x
            LSET missing x x
            RPUSH l a b c a b c a
            LSET l 0 A
            LSET l -1 Z
            LSET l 7 x
            LSET l -8 x
            LSET l x y
            LRANGE l 0 -1
            LINSERT l BEFORE b B
            LINSERT l after c C
            LINSERT l before nope x
            LINSERT l middle b x
            LINSERT missing before a b
            LINSERT missing middle a b
            LINSERT l before Z last
            LINSERT l after A first
            LRANGE l 0 -1
            LREM l 1 a
            LREM l -1 b
            LRANGE l 0 -1
            LREM l 0 c
            LRANGE l 0 -1
            LREM l 0 nope
            LREM l x a
            LREM missing 0 a
            LREM missing x a
            RPUSH r x y x y x y x
            LREM r -2 x
            LRANGE r 0 -1
            LREM r 2 y
            LRANGE r 0 -1
            LREM r 0 x
            LREM r 0 y
            EXISTS r
            """);

        yield return new(Family, "lpos", """
            RPUSH l a b c 1 2 3 c c
            LPOS l c
            LPOS l c RANK 2
            LPOS l c RANK -1
            LPOS l c RANK -3
            LPOS l c RANK 4
            LPOS l c COUNT 0
            LPOS l c COUNT 2
            LPOS l c COUNT 2 RANK 2
            LPOS l c COUNT 0 RANK -1
            LPOS l c MAXLEN 3
            LPOS l c MAXLEN 2
            LPOS l c COUNT 0 MAXLEN 7
            LPOS l c RANK -1 MAXLEN 1
            LPOS l nope
            LPOS l nope COUNT 0
            LPOS missing a
            LPOS missing a COUNT 1
            LPOS missing a RANK 0
            LPOS l c RANK 0
            LPOS l c RANK x
            LPOS l c RANK -9223372036854775808
            LPOS l c RANK 9223372036854775807
            LPOS l c COUNT -1
            LPOS l c MAXLEN -1
            LPOS l c COUNT x
            LPOS l c COUNT
            LPOS l c FOO 1
            lpos l c rank 1 count 1 maxlen 0
            """);

        yield return new(Family, "lmove-rpoplpush", """
            RPUSH {t}src a b c
            LMOVE {t}src {t}dst LEFT RIGHT
            LMOVE {t}src {t}dst RIGHT LEFT
            LRANGE {t}src 0 -1
            LRANGE {t}dst 0 -1
            LMOVE {t}src {t}src LEFT RIGHT
            LRANGE {t}src 0 -1
            LMOVE {t}src {t}dst left left
            EXISTS {t}src
            LMOVE {t}src {t}dst LEFT RIGHT
            LMOVE {t}dst {t}dst MIDDLE RIGHT
            LMOVE {t}dst {t}dst LEFT MIDDLE
            LMOVE {t}nope {t}dst UP DOWN
            RPOPLPUSH {t}dst {t}other
            RPOPLPUSH {t}dst {t}dst
            LRANGE {t}dst 0 -1
            LRANGE {t}other 0 -1
            RPUSH one x
            RPOPLPUSH one one
            LRANGE one 0 -1
            LMOVE one one RIGHT RIGHT
            LRANGE one 0 -1
            RPUSH src1 a b c
            RPOPLPUSH src1 dst1
            LMOVE src1 dst2 LEFT LEFT
            LRANGE dst1 0 -1
            LRANGE dst2 0 -1
            RPOPLPUSH missing1 missing2
            EXISTS missing2
            """);

        yield return new(Family, "lmpop", """
            LMPOP 1 missing LEFT
            RPUSH {t}b 1 2 3
            RPUSH {t}c x y z
            LMPOP 2 {t}a {t}b LEFT
            LMPOP 2 {t}a {t}b RIGHT COUNT 10
            LMPOP 3 {t}a {t}b {t}c right count 2
            LMPOP 3 {t}a {t}b {t}c LEFT COUNT 1
            LMPOP 1 {t}c LEFT COUNT 1
            EXISTS {t}c
            LMPOP 0 {t}a LEFT
            LMPOP -1 {t}a LEFT
            LMPOP x {t}a LEFT
            LMPOP 5 {t}a LEFT
            LMPOP 2 {t}a LEFT
            LMPOP 1 {t}a MIDDLE
            LMPOP 1 {t}a LEFT COUNT 0
            LMPOP 1 {t}a LEFT COUNT -1
            LMPOP 1 {t}a LEFT COUNT x
            LMPOP 1 {t}a LEFT COUNT
            LMPOP 1 {t}a LEFT COUNT 1 COUNT 2
            LMPOP 1 {t}a LEFT FOO
            RPUSH p1 a b
            RPUSH p2 c d
            LMPOP 2 nope p2 LEFT COUNT 5
            LMPOP 3 nope p1 p2 RIGHT
            """);

        yield return new(Family, "wrongtype", """
            SET s v
            LPUSH s a
            RPUSH s a
            LPUSHX s a
            RPUSHX s a
            LPOP s
            RPOP s 2
            LLEN s
            LRANGE s 0 -1
            LRANGE s x 1
            LINDEX s 0
            LINDEX s x
            LSET s 0 x
            LSET s x x
            LINSERT s BEFORE a b
            LINSERT s MIDDLE a b
            LREM s 0 a
            LREM s x a
            LTRIM s 0 1
            LPOS s a
            LPOS s a RANK 0
            LMOVE s {t}d LEFT RIGHT
            RPUSH {t}l a
            SET {t}s v
            LMOVE {t}l {t}s LEFT RIGHT
            LRANGE {t}l 0 -1
            RPOPLPUSH {t}s {t}l
            LMPOP 2 missing s LEFT
            GET s
            """);

        yield return new(Family, "keys-of-lists", """
            RPUSH l a b c
            TYPE l
            OBJECT ENCODING l
            COPY l l2
            RPUSH l2 d
            LRANGE l 0 -1
            LRANGE l2 0 -1
            COPY l l2
            COPY l l2 REPLACE
            LRANGE l2 0 -1
            RENAME l l3
            LRANGE l3 0 -1
            EXPIRE l3 1000
            TTL l3
            RPUSH l3 x
            TTL l3
            LPOP l3 5
            EXISTS l3
            RPUSH l3 y
            TTL l3
            MOVE l3 1
            SELECT 1
            LRANGE l3 0 -1
            SELECT 0
            [scanall] SCAN 0 TYPE list COUNT 100
            [scanall] SCAN 0 TYPE string COUNT 100
            DEL l2
            DBSIZE
            """);

        yield return new(Family, "command-info", """
            COMMAND INFO lpush rpush lpushx rpushx lpop rpop llen lrange lindex lset linsert lrem ltrim lpos lmove rpoplpush lmpop
            COMMAND DOCS lpush rpush lpushx rpushx lpop rpop llen lrange lindex
            COMMAND DOCS lset linsert lrem ltrim lpos lmove rpoplpush lmpop
            COMMAND GETKEYS lmpop 2 a b LEFT
            COMMAND GETKEYS lmove a b LEFT RIGHT
            COMMAND GETKEYS lmpop 0 a LEFT
            COMMAND GETKEYS lmpop 3 a LEFT
            """);
    }
}
