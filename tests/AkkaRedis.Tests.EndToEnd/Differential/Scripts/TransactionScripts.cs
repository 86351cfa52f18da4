namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>Transactions (multi.c): MULTI, EXEC, DISCARD, WATCH, UNWATCH. Replies compared with redis-server 7.0.15; several connections per script ([c2]..[c9], see
/// <see cref="DiffScript"/>). Keys a, b, c, d fall on the four shards of the 4-shard server.</summary>
public static class TransactionScripts
{
    public const string Family = "transactions";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "queue-and-exec", """
            MULTI
            SET a 1
            INCR a
            GET a
            LPUSH a x
            SET a 2 XX NX
            GET a
            EXEC
            GET a
            MULTI
            EXEC
            """);
        // Queue-time rejections flag the transaction: EXEC answers EXECABORT and nothing runs.
        yield return new(Family, "queue-time-errors", """
            MULTI
            SET a 1
            NOSUCHCOMMAND x
            SET b 1
            EXEC
            GET a
            MULTI
            GET
            SET b 1
            EXEC
            EXISTS a b
            MULTI
            SET a 1
            SHUTDOWN
            EXEC
            EXISTS a
            MULTI
            SET a 1
            EXEC extra
            EXEC
            EXISTS a
            """);
        // Runtime errors inside EXEC do not roll back the commands before or after them.
        yield return new(Family, "runtime-errors-no-rollback", """
            SET s text
            MULTI
            SET a 1
            INCR s
            LPUSH s x
            INCR a
            HSET h f v
            GET h
            EXEC
            MGET a s
            HGETALL h
            """);
        yield return new(Family, "nested-and-without-multi", """
            EXEC
            DISCARD
            EXEC extra
            DISCARD extra
            MULTI
            MULTI
            SET a 1
            EXEC
            GET a
            MULTI
            SET a 2
            DISCARD
            GET a
            MULTI
            DISCARD extra
            DISCARD
            EXEC
            """);
        yield return new(Family, "watch-inside-multi", """
            MULTI
            WATCH a
            SET a 1
            UNWATCH
            EXEC
            GET a
            MULTI
            WATCH
            EXEC
            """);
        yield return new(Family, "connection-commands-inside", """
            MULTI
            SELECT 1
            SET a db1
            PING
            PING hello
            ECHO hi
            PUBLISH nobody-listens x
            SELECT 0
            GET a
            SELECT 2
            EXEC
            GET a
            SELECT 1
            GET a
            MULTI
            SELECT 99
            SET a again
            SELECT x
            EXEC
            GET a
            SELECT 0
            GET a
            """);
        // Keys on all four shards, multi-key commands across shards, and whole-keyspace commands.
        yield return new(Family, "cross-shard", """
            MULTI
            SET a 1
            SET b 2
            SET c 3
            SET d 4
            MSET a 10 b 20
            MGET a b c d
            RENAME c c2
            SUNIONSTORE s1 a
            DEL a b c2 d
            EXISTS a b c d c2
            EXEC
            DBSIZE
            MULTI
            SET a 1
            SET b 2
            DBSIZE
            KEYS a
            FLUSHDB
            DBSIZE
            SET c 3
            EXEC
            MGET a b c
            MULTI
            SET d 1
            SWAPDB 0 1
            GET d
            SWAPDB 0 1
            GET d
            EXEC
            """);
        yield return new(Family, "watch-modified", """
            SET a 1
            WATCH a
            [c2] SET a 2
            MULTI
            SET a 3
            EXEC
            GET a
            WATCH a
            MULTI
            INCR a
            EXEC
            WATCH a b c d
            [c2] SET d 1
            MULTI
            INCR a
            EXEC
            GET a
            WATCH a
            [c2] SET a 2
            [c2] SET a 2
            MULTI
            GET a
            EXEC
            """);
        yield return new(Family, "watch-deleted-created-renamed", """
            SET a 1
            WATCH a
            [c2] DEL a
            MULTI
            PING
            EXEC
            WATCH b
            [c2] SET b 1
            MULTI
            GET b
            EXEC
            WATCH c
            [c2] DEL c
            MULTI
            GET c
            EXEC
            SET a 1
            WATCH a
            [c2] RENAME a d
            MULTI
            GET d
            EXEC
            WATCH c
            [c2] RENAME d c
            MULTI
            GET c
            EXEC
            WATCH b
            [c2] SET b 2
            UNWATCH
            MULTI
            GET b
            EXEC
            """);
        yield return new(Family, "watch-other-database", """
            SET a 1
            WATCH a
            [c2] SELECT 1
            [c2] SET a x
            MULTI
            GET a
            EXEC
            SELECT 1
            WATCH a
            [c2] SET a y
            SELECT 0
            MULTI
            GET a
            EXEC
            """);
        // touchAllWatchedKeysInDb: a flush touches watched keys that exist; SWAPDB those that exist in either database.
        yield return new(Family, "watch-flush-swapdb", """
            SET a 1
            WATCH a
            [c2] FLUSHDB
            MULTI
            PING
            EXEC
            WATCH b
            [c2] FLUSHALL
            MULTI
            PING
            EXEC
            SET a 1
            WATCH a
            [c2] SELECT 1
            [c2] FLUSHDB
            MULTI
            PING
            EXEC
            WATCH a
            [c2] FLUSHALL
            MULTI
            PING
            EXEC
            [c2] SET b 1
            WATCH b
            [c2] SWAPDB 0 1
            MULTI
            PING
            EXEC
            WATCH b
            [c2] SWAPDB 0 1
            MULTI
            PING
            EXEC
            WATCH c
            [c2] SWAPDB 0 2
            MULTI
            PING
            EXEC
            [c2] SELECT 0
            [c2] FLUSHALL
            """);
        yield return new(Family, "unwatch-discard-reset-abort", """
            SET a 1
            WATCH a
            UNWATCH
            [c2] SET a 2
            MULTI
            GET a
            EXEC
            WATCH a
            MULTI
            DISCARD
            [c2] SET a 3
            MULTI
            GET a
            EXEC
            WATCH a
            MULTI
            NOSUCHCOMMAND
            EXEC
            [c2] SET a 4
            MULTI
            GET a
            EXEC
            WATCH a
            EXEC extra
            [c2] SET a 5
            MULTI
            GET a
            EXEC
            WATCH a
            MULTI
            SET a 6
            RESET
            [c2] SET a 7
            EXEC
            MULTI
            GET a
            EXEC
            """);
        // Redis 7.0's expired watched keys: a key expired at WATCH time does not abort the EXEC (its deletion by
        // expiry is no change) unless it is written again; one that expires after the WATCH aborts it, whether or not
        // something deleted it meanwhile.
        yield return new(Family, "watch-expiry", """
            DEBUG SET-ACTIVE-EXPIRE 0
            SET a 1 PX 1
            DEBUG SLEEP 0.02
            WATCH a
            MULTI
            PING
            EXEC
            SET b 1 PX 500
            WATCH b
            DEBUG SLEEP 0.6
            MULTI
            PING
            EXEC
            SET c 1 PX 500
            WATCH c
            DEBUG SLEEP 0.6
            [c2] GET c
            MULTI
            PING
            EXEC
            SET d 1 PX 1
            DEBUG SLEEP 0.02
            WATCH d
            [c2] GET d
            MULTI
            PING
            EXEC
            SET d 1 PX 1
            DEBUG SLEEP 0.02
            WATCH d
            [c2] GET d
            [c2] SET d 2
            MULTI
            PING
            EXEC
            SET a 1 PX 1
            DEBUG SLEEP 0.02
            WATCH a
            [c2] SET a 2
            MULTI
            GET a
            EXEC
            DEBUG SET-ACTIVE-EXPIRE 1
            """);
        yield return new(Family, "quit-inside-multi", """
            MULTI
            SET a 1
            [closes] QUIT
            [c2] EXISTS a
            """);
        yield return new(Family, "pipelined-transactions", """
            [send] MULTI
            [send] INCR a
            [send] INCR b
            [send] EXEC
            [send] MULTI
            [send] INCR a
            [send] EXEC
            [read]
            [read]
            [read]
            [read]
            [read]
            [read]
            [read]
            MGET a b
            """);
    }

    public static IEnumerable<EffectScripts.Script> Effects()
    {
        // EXEC propagates its writes as one MULTI ... EXEC block (a single write alone), a read-only EXEC nothing.
        yield return new("multi-exec", """
            MULTI
            GET a
            EXEC
            MULTI
            SET a 1
            EXEC
            MULTI
            SET a 1
            INCR a
            GET a
            EXEC
            MULTI
            SET a 1
            SET b 2
            SET c 3
            DEL d
            MSET a 1 d 4
            EXEC
            MULTI
            SELECT 3
            SET z 1
            SET y 2
            SELECT 0
            INCR a
            EXEC
            MULTI
            INCR nokey
            GET a
            EXEC
            MULTI
            SET a b c
            INCR a
            EXEC
            MULTI
            SET a 1 EX 100
            FLUSHDB
            EXEC
            """);
        yield return new("multi-exec-expired", """
            DEBUG SET-ACTIVE-EXPIRE 0
            SET e 1 PX 1
            @wait 20
            MULTI
            SET e2 1
            GET e
            EXEC
            SET e 1 PX 1
            @wait 20
            MULTI
            GET e
            EXEC
            DEBUG SET-ACTIVE-EXPIRE 1
            """, "DEBUG SET-ACTIVE-EXPIRE 1");
        yield return new("watch-unwatch-discard", """
            WATCH a b
            UNWATCH
            MULTI
            SET a 1
            DISCARD
            """);
    }
}
