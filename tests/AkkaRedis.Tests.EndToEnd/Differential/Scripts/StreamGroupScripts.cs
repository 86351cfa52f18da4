namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>The stream consumer groups (t_stream.c): XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO. Replies and write effects compared with redis-server 7.0.
/// Idle times, delivery times and seen times are masked by <see cref="ReplyRules"/> (each server's clock); min-idle
/// arguments are 0 or far beyond any run, so that what is claimed does not depend on the clock.</summary>
public static class StreamGroupScripts
{
    public const string Family = "stream-groups";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "xgroup", """
            XGROUP CREATE s g 0
            XGROUP CREATE s g 0 MKSTREAM
            XGROUP CREATE s g 0 MKSTREAM
            TYPE s
            XGROUP CREATE s g $
            XGROUP CREATE s g2 $
            XADD s 1-1 a 1
            XADD s 2-1 b 2
            XGROUP CREATE s g3 $ ENTRIESREAD 2
            XGROUP CREATE s g4 1 entriesread -1
            XGROUP CREATE s g5 0 ENTRIESREAD -2
            XGROUP CREATE s g5 0 ENTRIESREAD x
            XGROUP CREATE s g5 0 ENTRIESREAD
            XGROUP CREATE s g5 0 FOO
            XGROUP CREATE s g5 - 
            XGROUP CREATE s g5 +
            XGROUP CREATE s g5 1-1-1
            XGROUP CREATE s g5 (1
            XGROUP CREATE s g5 0 MKSTREAM MKSTREAM MKSTREAM MKSTREAM
            XGROUP CREATE s g5 0 MKSTREAM MKSTREAM MKSTREAM
            XGROUP CREATE s "" 0
            XGROUP CREATE s "\x00z" 0
            XINFO GROUPS s
            XGROUP CREATE missing g 0
            XGROUP CREATECONSUMER s g c1
            XGROUP CREATECONSUMER s g c1
            XGROUP CREATECONSUMER s nogroup c1
            XGROUP CREATECONSUMER missing g c1
            XGROUP CREATECONSUMER s g ""
            XGROUP DELCONSUMER s g c1
            XGROUP DELCONSUMER s g c1
            XGROUP DELCONSUMER s nogroup c1
            XGROUP DELCONSUMER missing g c1
            XGROUP SETID s g 1-1
            XGROUP SETID s g $
            XGROUP SETID s g - ENTRIESREAD 0
            XGROUP SETID s g + ENTRIESREAD 5
            XGROUP SETID s g 1 ENTRIESREAD 5 ENTRIESREAD 6
            XGROUP SETID s g 1 MKSTREAM
            XGROUP SETID s g 1 ENTRIESREAD -3
            XGROUP SETID s g x
            XGROUP SETID s nogroup 0
            XGROUP SETID missing g 0
            XINFO GROUPS s
            XGROUP DESTROY s g2
            XGROUP DESTROY s g2
            XGROUP DESTROY missing g2
            XGROUP HELP
            XGROUP help
            XGROUP HELP extra
            XGROUP NOSUCH
            XGROUP
            XGROUP CREATE s
            XGROUP DESTROY s g extra
            XGROUP CREATECONSUMER s g
            XGROUP DELCONSUMER s g c extra
            XINFO GROUPS s
            """);

        yield return new(Family, "xreadgroup", """
            XADD s 1-1 a 1
            XADD s 2-1 b 2
            XADD s 3-1 c 3
            XGROUP CREATE s g 0
            XREADGROUP GROUP g alice COUNT 1 STREAMS s >
            XREADGROUP GROUP g bob STREAMS s >
            XREADGROUP GROUP g bob STREAMS s >
            XREADGROUP GROUP g alice STREAMS s 0
            XREADGROUP GROUP g bob STREAMS s 0
            XREADGROUP GROUP g bob COUNT 1 STREAMS s 0
            XREADGROUP GROUP g bob COUNT 1 STREAMS s 2-1
            XREADGROUP GROUP g bob STREAMS s 3-1
            XREADGROUP GROUP g carol STREAMS s 0
            XINFO CONSUMERS s g
            XPENDING s g
            XADD s 4-1 d 4
            XREADGROUP GROUP g dave NOACK STREAMS s >
            XPENDING s g
            XINFO GROUPS s
            XGROUP SETID s g 0
            XREADGROUP GROUP g erin COUNT 2 STREAMS s >
            XPENDING s g - + 10
            XREADGROUP GROUP g erin COUNT 0 STREAMS s >
            XREADGROUP GROUP g erin COUNT -3 STREAMS s 0
            XDEL s 1-1
            XREADGROUP GROUP g erin STREAMS s 0
            XREADGROUP GROUP g erin STREAMS s 18446744073709551615-18446744073709551615
            XREADGROUP GROUP g erin BLOCK 10 STREAMS s >
            XREADGROUP GROUP g erin BLOCK 5 COUNT 5 NOACK STREAMS s >
            XREADGROUP GROUP g erin STREAMS s
            XREADGROUP GROUP g erin STREAMS s > s
            XREADGROUP GROUP g erin STREAMS s $
            XREADGROUP GROUP g erin STREAMS s -
            XREADGROUP GROUP g erin STREAMS s +
            XREADGROUP GROUP g erin STREAMS s 1-x
            XREADGROUP GROUP g erin STREAMS missing >
            XREADGROUP GROUP nog erin STREAMS s >
            XREADGROUP GROUP g erin STREAMS s missing > >
            XREADGROUP GROUP g erin BLOCK -1 STREAMS s >
            XREADGROUP GROUP g erin BLOCK x STREAMS s >
            XREADGROUP GROUP g erin COUNT x STREAMS s >
            XREADGROUP GROUP g erin FOO STREAMS s >
            XREADGROUP COUNT 1 NOACK STREAMS s >
            XREADGROUP GROUP g erin COUNT 1 NOACK
            XREADGROUP GROUP g erin STREAMS
            XREADGROUP GROUP g
            xreadgroup group g erin streams s >
            XINFO CONSUMERS s g
            XINFO GROUPS s
            """);

        yield return new(Family, "xreadgroup-several-streams", """
            XADD a 1-1 f a1
            XADD b 1-1 f b1
            XADD c 1-1 f c1
            XADD d 1-1 f d1
            XGROUP CREATE a g 0
            XGROUP CREATE b g 0
            XGROUP CREATE c g $
            XGROUP CREATE d g 0
            XREADGROUP GROUP g x STREAMS a b c d > > > >
            XREADGROUP GROUP g x STREAMS a b c d > > > >
            XREADGROUP GROUP g x STREAMS a b c d 0 > 0 >
            XREADGROUP GROUP g x COUNT 1 STREAMS a b c d 0 0 0 0
            XADD c 2-1 f c2
            XREADGROUP GROUP g y STREAMS d c b a > > > >
            XREADGROUP GROUP g y STREAMS a missing > >
            XPENDING a g
            XPENDING c g
            XREADGROUP GROUP g {t}1 STREAMS {t}s1 {t}s2 > >
            XGROUP CREATE {t}s1 g 0 MKSTREAM
            XGROUP CREATE {t}s2 g 0 MKSTREAM
            XADD {t}s2 5-5 x y
            XREADGROUP GROUP g c STREAMS {t}s1 {t}s2 > >
            XADD {t}s2 6-1 x y
            XADD {t}s2 7-1 x y
            XADD {t}s2 8-1 x y
            XREADGROUP GROUP g c COUNT 1 STREAMS {t}s2 {t}s2 > >
            XREADGROUP GROUP g c STREAMS {t}s2 {t}s2 > >
            XREADGROUP GROUP g c STREAMS {t}s2 {t}s2 0 >
            """);

        yield return new(Family, "xack-xpending", """
            XACK s g 1-1
            XADD s 1-1 a 1
            XADD s 2-1 b 2
            XADD s 3-1 c 3
            XADD s 4-1 d 4
            XACK s g 1-1
            XGROUP CREATE s g 0
            XREADGROUP GROUP g alice COUNT 2 STREAMS s >
            XREADGROUP GROUP g bob STREAMS s >
            XPENDING s g
            XPENDING s g - + 10
            XPENDING s g - + 10 alice
            XPENDING s g - + 10 nobody
            XPENDING s g (1-1 + 10
            XPENDING s g - (4-1 10
            XPENDING s g 2 3 10
            XPENDING s g - + 1
            XPENDING s g - + 0
            XPENDING s g - + -5
            XPENDING s g IDLE 0 - + 10
            XPENDING s g IDLE 0 - + 10 bob
            XPENDING s g IDLE 100000000 - + 10
            XPENDING s g IDLE x - + 10
            XPENDING s g IDLE 0 - +
            XPENDING s g - + x
            XPENDING s g x + 10
            XPENDING s g - x 10
            XPENDING s g (18446744073709551615-18446744073709551615 + 10
            XPENDING s g - (0-0 10
            XPENDING s g - +
            XPENDING s g - + 10 alice extra
            XPENDING s g IDLE 0 - + 10 alice extra
            XPENDING s nog
            XPENDING missing g
            XPENDING missing g - + 10
            XACK s g 1-1 2-1
            XACK s g 1-1 2-1
            XACK s g 3-1 x
            XACK s g - 
            XACK s g 3
            XACK s nog 3-1
            XACK missing g 3-1 x
            XACK s g 4-1 4-1
            XPENDING s g
            XPENDING s g - + 10
            """);

        yield return new(Family, "xclaim", """
            XADD s 1-1 a 1
            XADD s 2-1 b 2
            XADD s 3-1 c 3
            XADD s 4-1 d 4
            XGROUP CREATE s g 0
            XREADGROUP GROUP g alice STREAMS s >
            XCLAIM s g bob 0 1-1
            XCLAIM s g bob 0 1-1 2-1 JUSTID
            XCLAIM s g bob 100000000 3-1
            XINFO CONSUMERS s g
            XCLAIM s g carol 100000000 3-1
            XINFO CONSUMERS s g
            XCLAIM s g carol 0 3-1 RETRYCOUNT 7 TIME 1000
            XPENDING s g - + 10
            XCLAIM s g carol 0 3-1 IDLE 5000 JUSTID
            XCLAIM s g carol 0 3-1 IDLE -5 JUSTID
            XCLAIM s g carol 0 3-1 TIME 99999999999999 JUSTID
            XCLAIM s g carol 0 9-9 FORCE
            XCLAIM s g carol 0 9-9
            XADD s 9-9 z 9
            XCLAIM s g carol 100000000 9-9 FORCE JUSTID
            XCLAIM s g carol 0 4-1 LASTID 100-1 JUSTID
            XCLAIM s g carol 100000000 4-1 LASTID 200-1
            XCLAIM s g carol 100000000 4-1 LASTID 5-1
            XINFO GROUPS s
            XDEL s 1-1 2-1
            XCLAIM s g dave 0 1-1 2 2-1 3-1
            XPENDING s g
            XCLAIM s g dave 0 1-1 FOO
            XCLAIM s g dave 0 1-1 IDLE x
            XCLAIM s g dave 0 1-1 TIME x
            XCLAIM s g dave 0 1-1 RETRYCOUNT x
            XCLAIM s g dave 0 1-1 LASTID x
            XCLAIM s g dave 0 1-1 IDLE
            XCLAIM s g dave x 1-1
            XCLAIM s g dave -5 3-1 JUSTID
            XCLAIM s nog dave 0 1-1
            XCLAIM missing g dave 0 1-1
            XCLAIM s g dave 0 x
            XCLAIM s g dave 0 3-1 justid force Retrycount 2
            XPENDING s g - + 10
            XINFO CONSUMERS s g
            """);

        yield return new(Family, "xautoclaim", """
            XADD s 1-1 a 1
            XADD s 2-1 b 2
            XADD s 3-1 c 3
            XADD s 4-1 d 4
            XADD s 5-1 e 5
            XGROUP CREATE s g 0
            XREADGROUP GROUP g alice STREAMS s >
            XAUTOCLAIM s g bob 0 0 COUNT 2
            XAUTOCLAIM s g bob 0 3-1 COUNT 2 JUSTID
            XAUTOCLAIM s g bob 0 (4-1
            XAUTOCLAIM s g bob 0 - JUSTID
            XAUTOCLAIM s g carol 100000000 0
            XINFO CONSUMERS s g
            XDEL s 2-1 4-1
            XAUTOCLAIM s g carol 0 0 COUNT 1
            XAUTOCLAIM s g carol 0 0 COUNT 1
            XAUTOCLAIM s g carol 0 0 COUNT 1 JUSTID
            XPENDING s g - + 10
            XAUTOCLAIM s g carol 0 0 COUNT 0
            XAUTOCLAIM s g carol 0 0 COUNT -1
            XAUTOCLAIM s g carol 0 0 COUNT x
            XAUTOCLAIM s g carol 0 0 COUNT 1152921504606846975
            XAUTOCLAIM s g carol 0 0 COUNT 1152921504606846976
            XAUTOCLAIM s g carol 0 0 COUNT
            XAUTOCLAIM s g carol 0 0 FOO
            XAUTOCLAIM s g carol x 0
            XAUTOCLAIM s g carol 0 x
            XAUTOCLAIM s g carol 0 (18446744073709551615-18446744073709551615
            XAUTOCLAIM s nog carol 0 0
            XAUTOCLAIM missing g carol 0 0
            XAUTOCLAIM missing g carol 0 0 COUNT 0
            XAUTOCLAIM s g carol -7 0 justid count 100
            XINFO CONSUMERS s g
            """);

        yield return new(Family, "xautoclaim-attempts", """
            XGROUP CREATE s g 0 MKSTREAM
            XADD s 1-1 a 1
            XADD s 2-1 a 1
            XADD s 3-1 a 1
            XADD s 4-1 a 1
            XADD s 5-1 a 1
            XREADGROUP GROUP g alice COUNT 2 STREAMS s >
            XCLAIM s g alice 0 1-1 2-1 TIME 1 JUSTID
            XREADGROUP GROUP g alice STREAMS s >
            XAUTOCLAIM s g bob 100000 0 COUNT 1 JUSTID
            XAUTOCLAIM s g bob 100000 0 COUNT 1 JUSTID
            XAUTOCLAIM s g bob 100000 0 COUNT 1 JUSTID
            XPENDING s g
            """);

        yield return new(Family, "xinfo", """
            XINFO STREAM missing
            XINFO GROUPS missing
            XINFO CONSUMERS missing g
            XADD s 1-1 a 1 b 2
            XADD s 2-1 c 3
            XADD s 3-1 a 4 b 5
            XINFO STREAM s
            XINFO GROUPS s
            XINFO STREAM s FULL
            XGROUP CREATE s g1 0
            XGROUP CREATE s g0 $
            XREADGROUP GROUP g1 alice COUNT 2 STREAMS s >
            XREADGROUP GROUP g1 bob STREAMS s >
            XINFO STREAM s
            XINFO STREAM s FULL
            XINFO STREAM s full count 1
            XINFO STREAM s FULL COUNT 0
            XINFO STREAM s FULL COUNT -1
            XINFO STREAM s FULL COUNT x
            XINFO STREAM s FULL COUNT
            XINFO STREAM s FULL COUNT 1 2
            XINFO STREAM s FULL FOO 1
            XINFO STREAM s FOO
            XINFO GROUPS s
            XINFO CONSUMERS s g1
            XINFO CONSUMERS s g0
            XINFO CONSUMERS s nog
            XINFO HELP
            XINFO help extra
            XINFO NOSUCH s
            XINFO
            XINFO GROUPS s extra
            XGROUP CREATE e g 0 MKSTREAM
            XINFO STREAM e
            XINFO STREAM e FULL
            XINFO GROUPS e
            SET str x
            XINFO STREAM str
            XINFO GROUPS str
            XINFO CONSUMERS str g
            """);

        yield return new(Family, "lag", """
            XGROUP CREATE s g 0 MKSTREAM
            XINFO GROUPS s
            XADD s 1-1 f v
            XADD s 2-1 f v
            XADD s 3-1 f v
            XADD s 4-1 f v
            XADD s 5-1 f v
            XINFO GROUPS s
            XREADGROUP GROUP g c COUNT 2 STREAMS s >
            XINFO GROUPS s
            XDEL s 4-1
            XINFO GROUPS s
            XGROUP CREATE s g2 0
            XGROUP CREATE s g3 3-1
            XGROUP CREATE s g4 $
            XGROUP CREATE s g5 9-9
            XINFO GROUPS s
            XREADGROUP GROUP g c COUNT 1 STREAMS s >
            XREADGROUP GROUP g2 c STREAMS s >
            XINFO GROUPS s
            XDEL s 1-1
            XGROUP CREATE s g6 0
            XGROUP CREATE s g7 2-1
            XINFO GROUPS s
            XSETID s 5-1 ENTRIESADDED 10 MAXDELETEDID 3-0
            XINFO GROUPS s
            XTRIM s MAXLEN 0
            XINFO GROUPS s
            XGROUP SETID s g 0 ENTRIESREAD 3
            XINFO GROUPS s
            XADD s 6-1 f v
            XREADGROUP GROUP g c STREAMS s >
            XINFO GROUPS s
            XINFO STREAM s FULL
            """);

        yield return new(Family, "wrongtype-and-copy", """
            SET str x
            XGROUP CREATE str g 0
            XGROUP CREATE str g 0 MKSTREAM
            XGROUP DESTROY str g
            XGROUP CREATECONSUMER str g c
            XGROUP SETID str g 0
            XREADGROUP GROUP g c STREAMS str >
            XACK str g 1-1
            XPENDING str g
            XCLAIM str g c 0 1-1
            XAUTOCLAIM str g c 0 0
            XGROUP CREATE s g 0 MKSTREAM
            XADD s 1-1 f v
            XREADGROUP GROUP g c STREAMS s >
            GET s
            LPUSH s x
            TYPE s
            OBJECT ENCODING s
            COPY s s2
            XACK s g 1-1
            XPENDING s2 g
            XINFO GROUPS s2
            XREADGROUP GROUP g c STREAMS s2 0
            RENAME s2 s3
            XPENDING s3 g - + 10
            DEL s s3
            EXISTS s s3
            """);
    }

    /// <summary>Scripts for the write-effects differential (<see cref="EffectScripts"/>).</summary>
    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield return new("xgroup-forms", """
            XGROUP CREATE s g 0
            XGROUP CREATE s g 0 MKSTREAM
            XGROUP CREATE s g 0 MKSTREAM
            XADD s 1-1 a 1
            XGROUP CREATE s g2 $ ENTRIESREAD 1
            XGROUP CREATE s g2 $
            XGROUP CREATECONSUMER s g c
            XGROUP CREATECONSUMER s g c
            XGROUP DELCONSUMER s g c
            XGROUP DELCONSUMER s g c
            XGROUP DELCONSUMER s nog c
            XGROUP SETID s g $
            xgroup setid s g 1 entriesread 3
            XGROUP SETID s nog 0
            XGROUP DESTROY s g2
            XGROUP DESTROY s g2
            XGROUP DESTROY missing g2
            """);
        yield return new("xreadgroup-effects", """
            XADD s 1-1 a 1
            XADD s 2-1 b 2
            XADD s 3-1 c 3
            XGROUP CREATE s g 0
            XREADGROUP GROUP g alice COUNT 1 STREAMS s >
            XREADGROUP GROUP g bob NOACK COUNT 1 STREAMS s >
            XREADGROUP GROUP g carol STREAMS s 0
            XREADGROUP GROUP g dave NOACK STREAMS s 0
            XREADGROUP GROUP g alice STREAMS s 0
            XREADGROUP GROUP g alice STREAMS s >
            XREADGROUP GROUP g alice STREAMS s >
            XGROUP SETID s g 0
            XREADGROUP GROUP g erin STREAMS s >
            XREADGROUP GROUP g erin NOACK STREAMS s >
            XREADGROUP GROUP g erin STREAMS missing >
            XADD a 1-1 f v
            XADD b 1-1 f v
            XGROUP CREATE a g 0
            XGROUP CREATE b g 0
            XREADGROUP GROUP g x STREAMS a b > >
            XREADGROUP GROUP g y NOACK STREAMS a b 0 0
            """);
        yield return new("xack-effects", """
            XADD s 1-1 a 1
            XADD s 2-1 b 2
            XGROUP CREATE s g 0
            XREADGROUP GROUP g alice STREAMS s >
            XACK s g 9-9
            XACK s g 1-1 9-9 1
            XACK s g 1-1
            xack s g 2-1 2-1
            XACK s nog 1-1
            XACK s g x
            """);
        yield return new("xclaim-effects", """
            XADD s 1-1 a 1
            XADD s 2-1 b 2
            XADD s 3-1 c 3
            XGROUP CREATE s g 0
            XREADGROUP GROUP g alice STREAMS s >
            XCLAIM s g bob 0 1 JUSTID
            XCLAIM s g bob 0 2-1 RETRYCOUNT 5 TIME 1000
            XCLAIM s g bob 100000000 3-1
            XCLAIM s g bob 100000000 3-1 LASTID 50-0
            XCLAIM s g bob 0 3-1 IDLE 1000 LASTID 60-0
            XCLAIM s g bob 0 9-9 FORCE
            XDEL s 1-1
            XCLAIM s g carol 0 1-1 2-1
            XCLAIM s g carol 0 1-1
            XCLAIM s g carol 0 x
            """);
        yield return new("xautoclaim-effects", """
            XADD s 1-1 a 1
            XADD s 2-1 b 2
            XADD s 3-1 c 3
            XGROUP CREATE s g 0
            XREADGROUP GROUP g alice STREAMS s >
            XAUTOCLAIM s g bob 0 0 COUNT 1
            XAUTOCLAIM s g bob 0 0 JUSTID
            XAUTOCLAIM s g carol 100000000 0
            XDEL s 2-1
            XAUTOCLAIM s g carol 0 0
            XAUTOCLAIM s g carol 0 0 COUNT 0
            """);
        // Lazy expiry (active expiry off): where each command looks its key up relative to its argument checks
        // decides whether a bad request still deletes an expired key.
        yield return new("stream-groups-lazy-expiry", """
            DEBUG SET-ACTIVE-EXPIRE 0
            SET a 1 PXAT 1
            XAUTOCLAIM a g c 0 abc
            SET a 1 PXAT 1
            XCLAIM a g c x 1-1
            SET a 1 PXAT 1
            XPENDING a g - + x
            SET a 1 PXAT 1
            XPENDING a g
            SET a 1 PXAT 1
            XACK a g x
            SET a 1 PXAT 1
            XREADGROUP GROUP g c COUNT x STREAMS a >
            SET a 1 PXAT 1
            XREADGROUP GROUP g c STREAMS a $
            SET a 1 PXAT 1
            XGROUP CREATE a g 0 FOO
            SET a 1 PXAT 1
            XGROUP CREATE a g 0 MKSTREAM
            SET b 1 PXAT 1
            XGROUP SETID b g 0
            SET b 1 PXAT 1
            XINFO STREAM b FOO
            SET b 1 PXAT 1
            XINFO GROUPS b
            """, "DEBUG SET-ACTIVE-EXPIRE 1");
    }
}
