namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>Client-side caching (tracking.c): CLIENT TRACKING, CACHING, GETREDIR, TRACKINGINFO and the invalidations. Replies compared with redis-server 7.0.15; several connections per script ([c2]..[c9], see
/// <see cref="DiffScript"/>).</summary>
public static class TrackingScripts
{
    public const string Family = "tracking";

    public static IEnumerable<DiffScript> All()
    {
        // Every error, in the order clientCommand checks them, and the state TRACKINGINFO / GETREDIR / CLIENT INFO show.
        yield return new(Family, "options-and-errors", """
            CLIENT TRACKINGINFO
            CLIENT GETREDIR
            CLIENT TRACKING maybe
            CLIENT TRACKING on FOO
            CLIENT TRACKING on PREFIX
            CLIENT TRACKING on REDIRECT x
            CLIENT TRACKING on REDIRECT 999999
            CLIENT TRACKING on PREFIX x
            CLIENT TRACKING on BCAST OPTIN
            CLIENT TRACKING on BCAST OPTOUT
            CLIENT TRACKING on OPTIN OPTOUT
            CLIENT TRACKING on BCAST PREFIX a PREFIX a
            CLIENT TRACKING off BCAST PREFIX a
            CLIENT CACHING yes
            CLIENT CACHING maybe
            CLIENT TRACKING on
            CLIENT TRACKINGINFO
            CLIENT GETREDIR
            CLIENT INFO
            CLIENT CACHING yes
            CLIENT CACHING no
            CLIENT CACHING maybe
            CLIENT TRACKING on BCAST
            CLIENT TRACKING on OPTIN
            CLIENT TRACKINGINFO
            CLIENT CACHING no
            CLIENT CACHING yes
            CLIENT TRACKINGINFO
            CLIENT TRACKING on OPTOUT
            CLIENT TRACKING off
            CLIENT TRACKING off
            CLIENT TRACKING on OPTOUT NOLOOP
            CLIENT TRACKINGINFO
            CLIENT CACHING no
            CLIENT TRACKINGINFO
            RESET
            CLIENT TRACKINGINFO
            CLIENT INFO
            CLIENT TRACKING on BCAST PREFIX b PREFIX a
            CLIENT TRACKINGINFO
            CLIENT INFO
            CLIENT TRACKING on BCAST PREFIX abc
            CLIENT TRACKING on BCAST PREFIX c
            CLIENT TRACKINGINFO
            CLIENT TRACKING on
            CLIENT TRACKING off
            CLIENT TRACKING on BCAST PREFIX x PREFIX y PREFIX yz
            [read]
            CLIENT TRACKINGINFO
            CLIENT TRACKING on BCAST
            CLIENT TRACKINGINFO
            CLIENT CACHING
            CLIENT GETREDIR x
            CLIENT TRACKINGINFO x
            CLIENT TRACKING
            """);

        // Default mode: a read remembers its keys; a write by another client, by the tracking client itself (its reply
        // first, then the push), or by expiry invalidates them once.
        yield return new(Family, "default-mode", """
            HELLO 3
            [c2] HELLO 3
            SET k v
            [c2] CLIENT TRACKING on
            [c2] GET k
            [c2] GET {t}a
            [c2] MGET {t}b {t}c
            SET k v2
            [c2] [read]
            SET k v3
            [c2] PING
            MSET {t}a 1 {t}c 2
            [c2] [read]
            [c2] [read]
            [c2] GET k
            [c2] SET k mine
            [c2] [read]
            [c2] MGET x1 x2 x3 x4 x5
            MSET x1 a x3 b x9 c
            [c2] [read]
            [c2] [read]
            [c2] HGETALL h
            HSET h f v
            [c2] [read]
            [c2] STRLEN k
            DEL k
            [c2] [read]
            SET e 1 PX 1000
            [c2] GET e
            DEBUG SLEEP 1.1
            GET e
            [c2] [read]
            [c2] PING
            """) { Resp2Only = true };

        // Writes invalidate, reads of other clients do not; a RESP2 client without REDIRECT receives nothing.
        yield return new(Family, "resp2-without-redirect", """
            [c2] CLIENT TRACKING on
            [c2] GET k
            SET k v
            [c2] GET k
            [c2] PING
            CLIENT TRACKINGINFO
            """) { Resp2Only = true };

        yield return new(Family, "bcast-prefixes", """
            HELLO 3
            [c2] HELLO 3
            [c2] CLIENT TRACKING on BCAST PREFIX a PREFIX {p}
            SET ax 1
            [c2] [read]
            SET bx 1
            SET {p}2 x
            [c2] [read]
            MSET {p}b 1 {p}a 2 {p}b 3
            [c2] [read]
            [c2] SET ay 1
            [c2] [read]
            GET ax
            [c2] PING
            [c3] HELLO 3
            [c3] CLIENT TRACKING on BCAST
            SET zz 1
            [c3] [read]
            [c2] PING
            [c2] CLIENT TRACKING off
            SET ax 2
            [c3] [read]
            [c2] PING
            """) { Resp2Only = true };

        yield return new(Family, "noloop", """
            HELLO 3
            [c2] HELLO 3
            [c2] CLIENT TRACKING on NOLOOP
            [c2] GET k
            [c2] SET k mine
            [c2] PING
            SET k other
            [c2] PING
            [c2] GET k
            SET k other2
            [c2] [read]
            [c3] HELLO 3
            [c3] CLIENT TRACKING on BCAST NOLOOP PREFIX {q}
            [c3] MSET {q}1 a {q}2 b
            [c3] PING
            MSET {q}1 a {q}3 b
            [c3] [read]
            """) { Resp2Only = true };

        yield return new(Family, "optin-optout", """
            HELLO 3
            [c2] HELLO 3
            [c2] CLIENT TRACKING on OPTIN
            [c2] GET x
            SET x 1
            [c2] PING
            [c2] CLIENT CACHING yes
            [c2] GET x
            SET x 2
            [c2] [read]
            [c2] CLIENT CACHING yes
            [c2] PING
            [c2] GET x
            SET x 3
            [c2] PING
            [c2] CLIENT CACHING yes
            [c2] CLIENT TRACKINGINFO
            [c2] GET x
            [c2] CLIENT TRACKINGINFO
            SET x 4
            [c2] [read]
            [c3] HELLO 3
            [c3] CLIENT TRACKING on OPTOUT
            [c3] CLIENT CACHING no
            [c3] GET y
            SET y 1
            [c3] PING
            [c3] GET y
            SET y 2
            [c3] [read]
            """) { Resp2Only = true };

        // FLUSHALL / FLUSHDB: one null invalidation per tracking client (its own after its reply), BCAST ones too.
        yield return new(Family, "flush", """
            HELLO 3
            [c2] HELLO 3
            [c3] HELLO 3
            [c2] CLIENT TRACKING on
            [c3] CLIENT TRACKING on BCAST PREFIX a
            [c2] GET k
            FLUSHALL
            [c2] [read]
            [c3] [read]
            [c2] FLUSHDB
            [c2] [read]
            [c3] [read]
            [c2] GET k
            SET k 1
            [c2] [read]
            """) { Resp2Only = true };

        // REDIRECT to a RESP3 connection: it receives the pushes; the tracking connection nothing.
        yield return new(Family, "redirect-resp3", """
            HELLO 3
            [c2] HELLO 3
            [c3] HELLO 3
            [c2] CLIENT TRACKING on REDIRECT {c3.id}
            [c2] GET k
            SET k 1
            [c3] [read]
            [c2] PING
            FLUSHALL
            [c3] [read]
            [c2] CLIENT TRACKING on REDIRECT {c3.id} BCAST
            [c2] CLIENT TRACKING off
            [c2] CLIENT TRACKING on REDIRECT {c3.id} BCAST PREFIX r
            SET r1 1
            [c3] [read]
            [c2] PING
            """) { Resp2Only = true };

        // REDIRECT to a RESP2 connection: it receives a message on __redis__:invalidate when it is in Pub/Sub mode (a
        // flush's null is the tracking client's: $-1 from a RESP2 one, _ from a RESP3 one), nothing otherwise.
        yield return new(Family, "redirect-resp2-pubsub", """
            [c3] SUBSCRIBE __redis__:invalidate
            [c2] CLIENT TRACKING on REDIRECT {c3.id}
            [c2] GET k
            SET k 1
            [c3] [read]
            [c2] GET k
            [c2] GET j
            MSET k 2 j 3
            [c3] [read]
            [c3] [read]
            [c2] GET k
            FLUSHALL
            [c3] [read]
            [c2] CLIENT TRACKING off
            [c4] HELLO 3
            [c4] CLIENT TRACKING on REDIRECT {c3.id}
            [c4] GET k
            SET k 5
            [c3] [read]
            FLUSHALL
            [c3] [read]
            [c3] PING
            [c5] CLIENT TRACKING on REDIRECT {c1.id}
            [c5] GET z
            SET z 1
            GET z
            """) { Resp2Only = true };

        // A client that reads with replies off still gets its invalidations (pushes ignore CLIENT REPLY).
        yield return new(Family, "reply-off-pushes", """
            HELLO 3
            [c2] HELLO 3
            [c2] CLIENT TRACKING on
            [c2] GET k
            [c2] [noreply] CLIENT REPLY OFF
            SET k 1
            [c2] [read]
            [c2] CLIENT REPLY ON
            """) { Resp2Only = true };
    }

    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield break;
    }
}
