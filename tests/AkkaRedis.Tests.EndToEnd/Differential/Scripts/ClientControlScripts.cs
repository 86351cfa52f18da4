namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>Client control (networking.c): CLIENT PAUSE / UNPAUSE, NO-EVICT, REPLY, LIST flags. Replies compared with redis-server 7.0.15; several connections per script ([c2]..[c9], see
/// <see cref="DiffScript"/>).</summary>
public static class ClientControlScripts
{
    public const string Family = "client-control";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "pause-errors", """
            CLIENT PAUSE abc
            CLIENT PAUSE -1
            CLIENT PAUSE 10 foo
            CLIENT PAUSE 10 write x
            CLIENT PAUSE
            CLIENT PAUSE 1.5
            CLIENT UNPAUSE x
            CLIENT UNPAUSE
            CLIENT PAUSE 0
            CLIENT PAUSE 0 WRITE
            """);

        // A paused write (or PUBLISH: may-replicate) waits, the client blocked (INFO blocked_clients, flag b), and runs at
        // CLIENT UNPAUSE; reads and CLIENT commands are not paused by WRITE; a shorter pause does not shorten the current
        // one; a paused client that is killed leaves and its command never runs.
        yield return new(Family, "pause-write", """
            SET k 0
            CLIENT PAUSE 30000 WRITE
            [c2] [send] INCR k
            [waitblocked] 1
            [c3] GET k
            [c3] CLIENT INFO
            [c3] STRLEN k
            [c3] [send] SET other 1
            [waitblocked] 2
            [c4] [send] PUBLISH ch x
            [c4] [send] PFCOUNT hll
            [waitblocked] 3
            [c5] [send] SET killed 1
            [waitblocked] 4
            CLIENT KILL ID {c5.id}
            [waitblocked] 3
            CLIENT PAUSE 10 WRITE
            CLIENT UNPAUSE
            [c2] [read]
            [c3] [read]
            [c4] [read]
            [c4] [read]
            [waitblocked] 0
            GET k
            GET other
            EXISTS killed
            """);

        // Under ALL every command waits until the pause times out (CLIENT UNPAUSE too).
        yield return new(Family, "pause-all", """
            SET k 1
            CLIENT PAUSE 300 ALL
            [c2] GET k
            [c2] INCR k
            GET k
            """);

        // Keys do not expire while clients are paused: the expired key reads as missing but is still counted.
        yield return new(Family, "pause-expiry", """
            DEBUG SET-ACTIVE-EXPIRE 0
            SET e 1 PX 1
            SET f 1
            CLIENT PAUSE 30000 WRITE
            DEBUG SLEEP 0.01
            GET e
            DBSIZE
            EXISTS e
            CLIENT UNPAUSE
            GET e
            DBSIZE
            DEBUG SET-ACTIVE-EXPIRE 1
            """);

        yield return new(Family, "reply-modes", """
            [noreply] CLIENT REPLY OFF
            [noreply] CLIENT REPLY SKIP
            [noreply] PING
            CLIENT REPLY ON
            [noreply] CLIENT REPLY SKIP
            [noreply] CLIENT REPLY SKIP
            [noreply] PING one
            PING two
            """);

        yield return new(Family, "list-flags", """
            CLIENT NO-EVICT on
            CLIENT INFO
            CLIENT TRACKING on
            CLIENT INFO
            CLIENT LIST
            CLIENT NO-EVICT off
            CLIENT TRACKING off
            CLIENT TRACKING on BCAST
            CLIENT INFO
            CLIENT LIST
            """);
    }

    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield break;
    }
}
