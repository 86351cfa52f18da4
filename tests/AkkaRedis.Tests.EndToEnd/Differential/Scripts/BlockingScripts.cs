namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>Blocking commands (blocked.c, t_list.c, t_zset.c, t_stream.c): BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP, XREAD BLOCK, XREADGROUP BLOCK, CLIENT UNBLOCK. Replies compared with redis-server 7.0.15; several connections per script ([c2]..[c9], see
/// <see cref="DiffScript"/>). Keys a, b, c and d fall on the 4 shards of the AkkaRedis under test; short timeouts (0.05 s)
/// only need to run out on both servers. <c>{c2.id}</c> is connection 2's CLIENT ID on each server.</summary>
public static class BlockingScripts
{
    public const string Family = "blocking";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "served-at-once", """
            RPUSH l a b c d
            BLPOP l 0
            BRPOP l 0
            BLPOP missing l 1
            BRPOP missing l 0.5
            LRANGE l 0 -1
            RPUSH l x y z
            BLMOVE l dst LEFT RIGHT 0
            BLMOVE l dst right left 0
            BRPOPLPUSH l dst 0
            LRANGE dst 0 -1
            RPUSH m 1 2 3 4 5
            BLMPOP 0 2 missing m LEFT COUNT 2
            BLMPOP 0 1 m RIGHT
            BLMPOP 0 1 m RIGHT COUNT 10
            EXISTS m
            ZADD z 1 a 2 b 3 c 4 d
            BZPOPMIN z 0
            BZPOPMAX missing z 0
            BZMPOP 0 1 z MIN COUNT 1
            BZMPOP 0 2 missing z MAX COUNT 5
            EXISTS z
            XADD s 1-1 f v
            XREAD BLOCK 0 STREAMS s 0
            XREAD COUNT 1 BLOCK 10 STREAMS s 0-0
            XGROUP CREATE s g 0
            XREADGROUP GROUP g c BLOCK 0 STREAMS s >
            XREADGROUP GROUP g c BLOCK 0 STREAMS s 0
            """);
        yield return new(Family, "argument-errors", """
            SET str x
            BLPOP l -1
            BLPOP l abc
            BLPOP l inf
            BLPOP l -inf
            BLPOP l 1e400
            BLPOP l nan
            BLPOP l ""
            BLPOP l -0.5
            BLPOP l
            BRPOP str 0
            BLPOP missing str 0
            BLMOVE l d UP RIGHT 0
            BLMOVE l d LEFT DOWN -1
            BLMOVE l d LEFT RIGHT -1
            BLMOVE l d LEFT RIGHT x
            BLMOVE str d LEFT RIGHT 0
            BRPOPLPUSH l d -1
            BRPOPLPUSH str d 0
            BLMPOP 0 0 l LEFT
            BLMPOP -1 1 l LEFT
            BLMPOP x 1 l LEFT
            BLMPOP 0 1 l MIDDLE
            BLMPOP 0 1 l LEFT COUNT 0
            BLMPOP 0 1 l LEFT COUNT 1 COUNT 2
            BLMPOP 0 5 l LEFT
            BLMPOP 0 1 str LEFT
            BZPOPMIN z -1
            BZPOPMAX z abc
            BZPOPMIN str 0
            BZMPOP 0 0 z MIN
            BZMPOP 0 1 z UP
            BZMPOP -2 1 z MIN
            BZMPOP 0 1 str MIN
            XREAD BLOCK -1 STREAMS s 0
            XREAD BLOCK 1.5 STREAMS s 0
            XREAD BLOCK abc STREAMS s 0
            XREAD BLOCK 0 STREAMS s
            XREAD BLOCK 0 STREAMS str $
            XREADGROUP GROUP g c BLOCK -1 STREAMS s >
            XREADGROUP GROUP g c BLOCK 0 STREAMS s >
            """);
        yield return new(Family, "timeouts", """
            BLPOP l 0.05
            BRPOP l1 l2 0.05
            BLMOVE l d LEFT RIGHT 0.05
            BRPOPLPUSH l d 0.05
            BLMPOP 0.05 2 l l2 LEFT
            BZPOPMIN z 0.05
            BZPOPMAX z 0.05
            BZMPOP 0.05 1 z MAX COUNT 3
            XREAD BLOCK 50 STREAMS s $
            XGROUP CREATE s g $ MKSTREAM
            XREADGROUP GROUP g c BLOCK 50 STREAMS s >
            BLPOP a b c d 0.05
            EXISTS l d z
            """);
        yield return new(Family, "served-after-blocking", """
            [c2] [send] BLPOP q 0
            [waitblocked] 1
            RPUSH q x y
            [c2] [read]
            [waitblocked] 0
            LRANGE q 0 -1
            [c2] [send] BRPOP q2 q3 0
            [waitblocked] 1
            RPUSH q3 v
            [c2] [read]
            [c2] [send] BLMPOP 0 2 q4 q5 RIGHT COUNT 2
            [waitblocked] 1
            RPUSH q5 1 2 3
            [c2] [read]
            LRANGE q5 0 -1
            [c2] [send] BZPOPMAX z 0
            [waitblocked] 1
            ZADD z 1 a 2 b
            [c2] [read]
            [c2] [send] BZMPOP 0 1 z2 MIN COUNT 5
            [waitblocked] 1
            ZADD z2 3 c 1 a 2 b
            [c2] [read]
            EXISTS z2
            [c2] [send] BLMOVE src dst RIGHT LEFT 0
            [waitblocked] 1
            RPUSH src e1 e2
            [c2] [read]
            LRANGE src 0 -1
            LRANGE dst 0 -1
            [c2] [send] BRPOPLPUSH src2 dst 0
            [waitblocked] 1
            LPUSH src2 e3
            [c2] [read]
            LRANGE dst 0 -1
            """);
        // Inside MULTI a blocking command does not block: it answers as a timed-out one (nil / empty), its EXEC goes on.
        yield return new(Family, "inside-multi", """
            MULTI
            BLPOP q 0
            BRPOP q 0.5
            BLMOVE q d LEFT RIGHT 0
            BRPOPLPUSH q d 0
            BLMPOP 0 1 q LEFT
            BZPOPMIN z 0
            BZPOPMAX z 0
            BZMPOP 0 1 z MIN
            XREAD BLOCK 0 STREAMS s $
            BLPOP q -1
            EXEC
            RPUSH q a
            MULTI
            BLPOP q 0
            BLPOP q 0
            EXEC
            XADD s 1-1 f v
            XGROUP CREATE s g $
            MULTI
            XREADGROUP GROUP g c BLOCK 0 STREAMS s >
            XREAD BLOCK 0 STREAMS s $
            EXEC
            """);
        // Waiters are served only after the EXEC that pushed: three pushes inside one EXEC, then the waiters in order
        // (Redis's handleClientsBlockedOnKeys runs after the whole EXEC), and the EXEC's own replies see no pops.
        yield return new(Family, "served-after-exec", """
            [c2] [send] BLPOP q 0
            [waitblocked] 1
            [c3] [send] BRPOP q 0
            [waitblocked] 2
            MULTI
            RPUSH q a
            RPUSH q b
            RPUSH q c
            LLEN q
            LRANGE q 0 -1
            EXEC
            [c2] [read]
            [c3] [read]
            LRANGE q 0 -1
            [c2] [send] BLMOVE src {src}dst LEFT RIGHT 0
            [waitblocked] 1
            MULTI
            LPUSH src x
            LPUSH src y
            LLEN src
            EXEC
            [c2] [read]
            LRANGE src 0 -1
            LRANGE {src}dst 0 -1
            """);
        yield return new(Family, "fifo", """
            [c2] [send] BLPOP q 0
            [waitblocked] 1
            [c3] [send] BLPOP q 0
            [waitblocked] 2
            [c4] [send] BRPOP other q 0
            [waitblocked] 3
            RPUSH q a b
            [c2] [read]
            [c3] [read]
            [waitblocked] 1
            LLEN q
            RPUSH q c d
            [c4] [read]
            LRANGE q 0 -1
            [c2] [send] BZPOPMIN z 0
            [waitblocked] 1
            [c3] [send] BZPOPMIN z 0
            [waitblocked] 2
            ZADD z 1 a
            [c2] [read]
            ZADD z 2 b 3 c
            [c3] [read]
            ZRANGE z 0 -1
            """);
        yield return new(Family, "served-from-the-key-that-became-ready", """
            [c2] [send] BLPOP q1 q2 q3 0
            [waitblocked] 1
            RPUSH q3 c
            [c2] [read]
            [c2] [send] BLMPOP 0 3 q1 q2 q3 LEFT COUNT 3
            [waitblocked] 1
            RPUSH q2 x y
            [c2] [read]
            """);
        yield return new(Family, "cross-shard-keys", """
            [c2] [send] BLPOP a b c d 0
            [waitblocked] 1
            RPUSH c x
            [c2] [read]
            [waitblocked] 0
            RPUSH d y
            LLEN d
            DEL d
            [c2] [send] BRPOP a b c d 0
            [waitblocked] 1
            [c3] [send] BRPOP d c b a 0
            [waitblocked] 2
            RPUSH b 1
            [c2] [read]
            RPUSH a 2
            [c3] [read]
            [c2] [send] BZPOPMIN a b c d 0
            [waitblocked] 1
            ZADD d 1 m
            [c2] [read]
            [c2] [send] BLMOVE a b LEFT RIGHT 0
            [waitblocked] 1
            DEL a
            RPUSH a moved
            [c2] [read]
            LRANGE b 0 -1
            [c2] [send] BLMOVE c d LEFT LEFT 0
            [waitblocked] 1
            RPUSH c 1 2
            [c2] [read]
            LRANGE c 0 -1
            LRANGE d 0 -1
            [c2] [send] BLPOP a b c d 0.05
            [c2] [read]
            DEL a b c d
            [c2] [send] XREAD BLOCK 0 STREAMS a b c $ $ $
            [waitblocked] 1
            XADD b 1-1 f v
            [c2] [read]
            """);
        yield return new(Family, "type-changes-while-waiting", """
            [c2] [send] BLPOP k 0
            [waitblocked] 1
            SET k s
            [waitblocked] 1
            DEL k
            ZADD k 1 m
            [waitblocked] 1
            DEL k
            LPUSH k x
            [c2] [read]
            [c2] [send] BZPOPMIN k2 0
            [waitblocked] 1
            LPUSH k2 x
            [waitblocked] 1
            DEL k2
            ZADD k2 1 x
            [c2] [read]
            SET dst str
            [c2] [send] BLMOVE src dst LEFT RIGHT 0
            [waitblocked] 1
            LPUSH src x
            [c2] [read]
            LRANGE src 0 -1
            [c2] [send] BLPOP k3 0
            [waitblocked] 1
            RPUSH k3 a
            DEL k3
            RPUSH k3 b
            [c2] [read]
            """);
        yield return new(Family, "xread-dollar", """
            XADD s 1-1 a 1
            [c2] [send] XREAD BLOCK 0 STREAMS s $
            [waitblocked] 1
            XADD s 2-1 b 2
            [c2] [read]
            [c2] [send] XREAD COUNT 1 BLOCK 0 STREAMS other s $ $
            [waitblocked] 1
            XADD s 3-1 c 3
            [c2] [read]
            [c2] [send] XREAD BLOCK 0 STREAMS s $
            [waitblocked] 1
            DEL s
            XADD s 3-1 x 1
            [waitblocked] 1
            XADD s 4-1 y 2
            [c2] [read]
            [c2] [send] XREAD BLOCK 0 STREAMS s2 0
            [waitblocked] 1
            SET s2 str
            [waitblocked] 1
            DEL s2
            XADD s2 1-1 z 1
            [c2] [read]
            [c2] [send] XREAD BLOCK 0 STREAMS s3 s4 $ $
            [c3] [send] XREAD BLOCK 0 STREAMS s4 $
            [waitblocked] 2
            XADD s4 1-1 both 1
            [c2] [read]
            [c3] [read]
            """);
        yield return new(Family, "xreadgroup-blocking", """
            XGROUP CREATE s g $ MKSTREAM
            [c2] [send] XREADGROUP GROUP g alice BLOCK 0 STREAMS s >
            [waitblocked] 1
            XADD s 1-1 a 1
            [c2] [read]
            XPENDING s g
            [c2] [send] XREADGROUP GROUP g bob COUNT 1 NOACK BLOCK 0 STREAMS s >
            [waitblocked] 1
            XADD s 2-1 b 2
            [c2] [read]
            XINFO GROUPS s
            [c2] [send] XREADGROUP GROUP g alice BLOCK 0 STREAMS s >
            [waitblocked] 1
            DEL s
            [c2] [read]
            XGROUP CREATE s g $ MKSTREAM
            [c2] [send] XREADGROUP GROUP g alice BLOCK 0 STREAMS s >
            [waitblocked] 1
            XGROUP DESTROY s g
            [c2] [read]
            XGROUP CREATE s g $
            [c2] [send] XREADGROUP GROUP g alice BLOCK 0 STREAMS s >
            [waitblocked] 1
            SET s str
            [c2] [read]
            """);
        yield return new(Family, "client-unblock", """
            [c2] [send] BLPOP q 0
            [waitblocked] 1
            CLIENT UNBLOCK {c2.id}
            [c2] [read]
            [waitblocked] 0
            CLIENT UNBLOCK {c2.id}
            [c2] [send] BZPOPMIN z 0
            [waitblocked] 1
            CLIENT UNBLOCK {c2.id} ERROR
            [c2] [read]
            [c2] [send] BLPOP a b c d 0
            [waitblocked] 1
            CLIENT UNBLOCK {c2.id} TIMEOUT
            [c2] [read]
            [c2] [send] XREAD BLOCK 0 STREAMS s $
            [waitblocked] 1
            CLIENT UNBLOCK {c2.id} error
            [c2] [read]
            CLIENT UNBLOCK {c2.id} SOMETIMES
            CLIENT UNBLOCK 999999
            CLIENT UNBLOCK abc
            RPUSH q after
            [c2] LPOP q
            """);
        yield return new(Family, "client-kill-while-blocked", """
            [c2] [send] BLPOP q 0
            [waitblocked] 1
            CLIENT KILL ID {c2.id}
            [waitblocked] 0
            RPUSH q x
            LLEN q
            [c3] [send] BLPOP a b c d 0
            [waitblocked] 1
            CLIENT KILL ID {c3.id}
            [waitblocked] 0
            RPUSH a 1
            RPUSH d 2
            LLEN a
            LLEN d
            """);
        yield return new(Family, "keyspace-wide-changes", """
            XGROUP CREATE s g $ MKSTREAM
            [c2] [send] XREADGROUP GROUP g c BLOCK 0 STREAMS s >
            [waitblocked] 1
            FLUSHALL
            [c2] [read]
            [c2] [send] BLPOP q 0
            [waitblocked] 1
            FLUSHDB
            [waitblocked] 1
            SELECT 1
            RPUSH q fromdb1
            SELECT 0
            SWAPDB 0 1
            [c2] [read]
            LRANGE q 0 -1
            SELECT 1
            RPUSH q x
            [c2] [send] BLPOP q 0
            [waitblocked] 1
            MOVE q 0
            [c2] [read]
            SELECT 0
            RPUSH src y
            [c2] [send] BLPOP a 0
            [waitblocked] 1
            RENAME src a
            [c2] [read]
            RPUSH src z
            [c2] [send] BLPOP b 0
            [waitblocked] 1
            COPY src b
            [c2] [read]
            """);
        // The events of a served pop come after the push's, before the pusher's next command (keyevent channel only,
        // so each event is one frame).
        yield return new(Family, "keyspace-events-of-served-pops", """
            [c3] PSUBSCRIBE __keyevent@0__:*
            CONFIG SET notify-keyspace-events El
            [c2] [send] BLPOP q 0
            [waitblocked] 1
            RPUSH q x
            [c2] [read]
            [c3] [read]
            [c3] [read]
            CONFIG SET notify-keyspace-events Elgz
            [c2] [send] BZPOPMIN z 0
            [waitblocked] 1
            ZADD z 1 m
            [c2] [read]
            [c3] [read]
            [c3] [read]
            [c3] [read]
            [c2] [send] BLMOVE src dst LEFT RIGHT 0
            [waitblocked] 1
            RPUSH src e
            [c2] [read]
            [c3] [read]
            [c3] [read]
            [c3] [read]
            [c3] [read]
            [c3] PING
            CONFIG SET notify-keyspace-events ""
            """);
        yield return new(Family, "blocked-connection-runs-nothing-after", """
            [c2] [send] BLPOP q 0
            [c2] [send] PING
            [waitblocked] 1
            RPUSH q x
            [c2] [read]
            [c2] [read]
            """);
    }

    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield return new("blocking-served-at-once", """
            RPUSH l a b c d e f
            BLPOP l 0
            BRPOP missing l 0
            BLMOVE l dst LEFT RIGHT 0
            BLMOVE l dst right left 0
            BRPOPLPUSH l dst 0
            BLMPOP 0 1 l LEFT COUNT 5
            ZADD z 1 a 2 b 3 c 4 d
            BZPOPMIN z 0
            BZPOPMAX z 0
            BZMPOP 0 1 z MIN COUNT 9
            BLPOP l 0.01
            BLPOP l -1
            """);
        yield return new("blocking-served-after-blocking", """
            [c2] [send] BLPOP q 0
            [waitblocked] 1
            RPUSH q x y
            [c2] [read]
            [c2] [send] BLMOVE src dst LEFT RIGHT 0
            [waitblocked] 1
            RPUSH src 1
            [c2] [read]
            [c2] [send] BRPOPLPUSH src2 dst 0
            [waitblocked] 1
            RPUSH src2 2
            [c2] [read]
            [c2] [send] BLMPOP 0 1 m RIGHT COUNT 3
            [waitblocked] 1
            RPUSH m 1 2
            [c2] [read]
            [c2] [send] BZPOPMAX z 0
            [waitblocked] 1
            ZADD z 1 a 2 b
            [c2] [read]
            [c2] [send] BZMPOP 0 1 z2 MIN COUNT 2
            [waitblocked] 1
            ZADD z2 1 a 2 b 3 c
            [c2] [read]
            [c2] [send] BLMOVE a b RIGHT LEFT 0
            [waitblocked] 1
            RPUSH a cross
            [c2] [read]
            """);
    }
}
