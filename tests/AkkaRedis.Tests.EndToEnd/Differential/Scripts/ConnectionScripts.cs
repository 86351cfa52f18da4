namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>Connection family: PING, ECHO, SELECT, HELLO, RESET, QUIT, CLIENT ..., unknown commands/subcommands.</summary>
public static class ConnectionScripts
{
    public const string Family = "connection";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "ping-echo", """
            PING
            ping
            PiNg
            PING hello
            PING "hello world"
            PING ""
            PING "\x00\xff\r\n"
            PING a b
            ECHO hi
            ECHO ""
            ECHO "\x00\x01\xfe\xff\r\n"
            echo "a b c"
            ECHO
            ECHO a b
            """);

        // The harness's several-client lines: each connection keeps its own state (SELECT), [send] + [read].
        yield return new(Family, "several-clients", """
            SET k one
            [c2] SELECT 1
            [c2] GET k
            [c2] SET k two
            GET k
            [c3] [send] CLIENT SETNAME third
            [c3] [send] ECHO after
            [c2] GET k
            [c3] [read]
            [c3] [read]
            [waitblocked] 0
            [c3] CLIENT GETNAME
            CLIENT GETNAME
            """);
        yield return new(Family, "select", """
            SET k db0
            SELECT 1
            GET k
            SET k db1
            GET k
            SELECT 0
            GET k
            SELECT 15
            GET k
            SELECT 16
            SELECT -1
            SELECT abc
            SELECT 1.5
            SELECT " 1"
            SELECT "1 "
            SELECT ""
            SELECT 01
            SELECT +1
            SELECT 9223372036854775807
            SELECT 9223372036854775808
            SELECT -9223372036854775809
            SELECT
            SELECT 1 2
            select 1
            GET k
            """);

        yield return new(Family, "hello", """
            HELLO
            HELLO 2
            HELLO 3
            PING
            GET missing
            HELLO
            HELLO 2
            GET missing
            HELLO 4
            HELLO 1
            HELLO 0
            HELLO -1
            HELLO abc
            HELLO 2.0
            HELLO ""
            HELLO 3 SETNAME myname
            CLIENT GETNAME
            HELLO 2 SETNAME "bad name"
            HELLO 2 SETNAME "bad\nname"
            HELLO 2 SETNAME "bad name" 1e5
            HELLO 2 SETNAME "bad name" AUTH nosuchuser pass
            HELLO 2 SETNAME ok FOO
            HELLO 2 SETNAME ok "\x00\xc3\xbf\r\n"
            HELLO 2 SETNAME ok "ab\x00cd"
            CLIENT GETNAME
            HELLO 2 SETNAME early AUTH nosuchuser pass
            CLIENT GETNAME
            HELLO 2 SETNAME
            HELLO 2 AUTH
            HELLO 2 AUTH default
            HELLO 2 AUTH default anypassword
            HELLO 2 AUTH nosuchuser pass
            HELLO 2 FOO
            HELLO 2 setname lower
            CLIENT GETNAME
            HELLO 3 AUTH default x SETNAME both
            CLIENT GETNAME
            hello 2
            """) { Resp2Only = true };

        // Without requirepass the default user is "nopass" (the NOAUTH/WRONGPASS cases with a password are in
        // EndToEnd/NetworkDefaultsTests, which start servers of their own).
        yield return new(Family, "auth-without-password", """
            AUTH x
            AUTH ""
            AUTH default x
            AUTH default ""
            auth Default x
            AUTH DEFAULT x
            AUTH nobody x
            AUTH "" ""
            AUTH a b c
            AUTH default x y
            AUTH
            PING
            HELLO 2 AUTH Default x
            """);

        yield return new(Family, "reset", """
            SELECT 2
            SET k in-db2
            CLIENT SETNAME before-reset
            HELLO 3
            GET k
            RESET
            CLIENT GETNAME
            GET k
            GET missing
            PING
            SELECT 2
            GET k
            reset
            RESET extra
            """) { Resp2Only = true };

        yield return new(Family, "client-setname-getname", """
            CLIENT GETNAME
            CLIENT SETNAME foo
            CLIENT GETNAME
            client setname Bar-baz_1
            CLIENT GETNAME
            CLIENT SETNAME ""
            CLIENT GETNAME
            CLIENT SETNAME "a b"
            CLIENT SETNAME "a\nb"
            CLIENT SETNAME "a\x01b"
            CLIENT SETNAME "\x7f"
            CLIENT SETNAME "~!@#$%^&*()"
            CLIENT GETNAME
            CLIENT SETNAME x y
            CLIENT SETNAME
            CLIENT GETNAME x
            """);

        yield return new(Family, "client-reply", """
            SET a 1
            CLIENT REPLY ON
            [noreply] CLIENT REPLY OFF
            [noreply] SET a 2
            [noreply] GET a
            [noreply] NOSUCHCOMMAND x
            [noreply] GET
            [noreply] PING
            CLIENT REPLY ON
            GET a
            [noreply] CLIENT REPLY SKIP
            [noreply] SET b 2
            GET b
            [noreply] client reply skip
            [noreply] INCR b
            GET b
            CLIENT REPLY MAYBE
            CLIENT REPLY
            CLIENT REPLY ON extra
            PING
            """);

        yield return new(Family, "client-no-evict", """
            CLIENT NO-EVICT on
            CLIENT NO-EVICT off
            CLIENT NO-EVICT ON
            CLIENT NO-EVICT OFF
            CLIENT NO-EVICT maybe
            CLIENT NO-EVICT
            CLIENT NO-EVICT on off
            """);

        yield return new(Family, "client-id-info-list", """
            CLIENT ID
            CLIENT INFO
            CLIENT LIST
            CLIENT LIST TYPE normal
            CLIENT LIST TYPE foo
            CLIENT ID extra
            CLIENT INFO extra
            """);

        yield return new(Family, "client-errors", """
            CLIENT
            CLIENT FOO
            CLIENT foo bar
            client NoSuchSub
            """);

        yield return new(Family, "unknown-commands", """
            NOSUCHCOMMAND
            NOSUCHCOMMAND a b c
            nosuchcommand "with space" x
            ""
            "" a
            "\x00\x01"
            FOO "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
            FOO a b c d e f g h i j k l m n o p q r s t u v w x y z 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40
            "GET "
            "GET\x00"
            GETT k
            PING
            """);

        yield return new(Family, "quit", """
            SET a b
            [closes] QUIT
            GET a
            [closes] quit
            PING
            [closes] QUIT extra args
            GET a
            """);
    }
}
