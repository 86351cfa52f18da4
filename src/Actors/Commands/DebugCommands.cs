using System.Globalization;
using System.Text;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// DEBUG as Redis 7.0.15's debugCommand (debug.c) answers it, for the subcommands tools and test suites use.
/// Whether a connection may run DEBUG at all (enable-debug-command no / yes / local) is decided once, by the
/// session, before the handler runs (Session.ConnectionGate.RejectProtected).
/// Subcommands that crash, reload or inspect allocator internals (SEGFAULT, PANIC, RELOAD, LOADAOF, HTSTATS,
/// MALLCTL...) answer Redis's unknown-subcommand error.
/// </summary>
public static class DebugCommands
{
    public static void Register(CommandTable t)
    {
        // DEBUG runs with every shard held: DEBUG SLEEP stalls the whole keyspace, as it stalls Redis's one thread,
        // and DIGEST and POPULATE see or fill every shard.
        t.Add(new("debug", -2, F("admin noscript loading stale"), 0, 0, 0, A(""))
        {
            Handler = Debug, Execution = Execution.AllShards, Protected = true, HoldsShards = true,
        });
    }

    private static void Debug(ExecContext c)
    {
        var argc = c.Argc;
        switch (Encoding.Latin1.GetString(c.Args[1]).ToLowerInvariant())
        {
            case "help" when argc == 2:
                Help(c);
                return;
            case "object" when argc == 3:
                Object(c);
                return;
            case "populate" when argc is >= 3 and <= 5:
                Populate(c);
                return;
            case "digest" when argc == 2:
                Digest(c);
                return;
            case "digest-value" when argc >= 2:
                DigestValue(c);
                return;
            case "protocol" when argc == 3:
                Protocol(c);
                return;
            case "sleep" when argc == 3:
                Sleep(c);
                return;
            case "set-active-expire" when argc == 3:
                c.Config.ActiveExpireEnabled = Atoi(c.Args[2]) != 0;
                c.Reply.Ok();
                return;
            case "quicklist-packed-threshold" when argc == 3:
                QuicklistPackedThreshold(c);
                return;
            case "listpack" when argc == 3:
                // No value is stored as a listpack here (Redis 7.0 keeps lists as quicklists too), so an existing
                // key always gets Redis's answer for a non-listpack value.
                if (Lookup(c, c.Args[2]).Exists) c.Reply.Error("ERR Not a listpack encoded object.");
                return;
            case "quicklist" when argc is 3 or 4:
                var list = Lookup(c, c.Args[2]);
                if (!list.Exists) return;
                // Redis prints the structure on its stdout and says so.
                if (list.Encoding == ObjectEncoding.QuickList) c.Reply.SimpleString("Quicklist structure printed on stdout");
                else c.Reply.Error("ERR Not a quicklist encoded object.");
                return;
            case "error" when argc == 3:
                // The argument is the whole error line, code included, as the client wants to see it.
                c.Reply.Error(Encoding.Latin1.GetString(c.Args[2]));
                return;
            case "replybuffer" when argc == 4:
                ReplyBuffer(c);
                return;
            case "reload":
                RdbSaving.DebugReload(c);
                return;
            case "change-repl-id" when argc == 2:
                c.Runtime.ChangeReplicationId();
                c.Reply.Ok();
                return;
            case "stringmatch-test" when argc == 2:
                // Redis fuzzes stringmatchlen() here; ours is the keyspace glob matcher, covered by unit tests.
                c.Reply.SimpleString("Apparently Redis did not crash: test passed");
                return;
            case "structsize" when argc == 2:
                // Redis's C structure sizes on a 64-bit build: tools parse the line, nothing here has these structs.
                c.Reply.Bulk("bits:64 robj:16 dictentry:24 sdshdr5:1 sdshdr8:3 sdshdr16:5 sdshdr32:9 sdshdr64:17 "u8);
                return;
            case "drop-cluster-packet-filter" when argc == 3:
                if (TryParseLong(c, c.Args[2], out _)) c.Reply.Ok();
                return;
            // Accepted as Redis accepts them; what they tune (the AOF, RDB checksums, replication to replicas, the
            // server log, a deliberate leak) does not exist here yet or has nothing to change.
            case "set-skip-checksum-validation" when argc == 3:
                // atoi, as Redis: anything but a non-zero number turns it off.
                c.Services.Diagnostics.SkipChecksumValidation = AkkaRedis.Net.Resp.RedisNumbers.TryParseLong(c.Args[2], out var skip) && skip != 0;
                c.Reply.Ok();
                return;
            case "aof-flush-sleep" when argc == 3:
            case "replicate" when argc >= 3:
            case "log" when argc == 3:
            case "leak" when argc == 3:
                c.Reply.Ok();
                return;
            default:
                UnknownSubcommand(c);
                return;
        }
    }

    private static void Help(ExecContext c) => HelpReply.Write(c.Reply, "DEBUG",
    [
        "AOF-FLUSH-SLEEP <microsec>",
        "    Server will sleep before flushing the AOF, this is used for testing.",
        "ASSERT",
        "    Crash by assertion failed.",
        "CHANGE-REPL-ID",
        "    Change the replication IDs of the instance.",
        "    Dangerous: should be used only for testing the replication subsystem.",
        "CONFIG-REWRITE-FORCE-ALL",
        "    Like CONFIG REWRITE but writes all configuration options, including",
        "    keywords not listed in original configuration file or default values.",
        "CRASH-AND-RECOVER [<milliseconds>]",
        "    Hard crash and restart after a <milliseconds> delay (default 0).",
        "DIGEST",
        "    Output a hex signature representing the current DB content.",
        "DIGEST-VALUE <key> [<key> ...]",
        "    Output a hex signature of the values of all the specified keys.",
        "ERROR <string>",
        "    Return a Redis protocol error with <string> as message. Useful for clients",
        "    unit tests to simulate Redis errors.",
        "LEAK <string>",
        "    Create a memory leak of the input string.",
        "LOG <message>",
        "    Write <message> to the server log.",
        "HTSTATS <dbid>",
        "    Return hash table statistics of the specified Redis database.",
        "HTSTATS-KEY <key>",
        "    Like HTSTATS but for the hash table stored at <key>'s value.",
        "LOADAOF",
        "    Flush the AOF buffers on disk and reload the AOF in memory.",
        "REPLICATE <string>",
        "    Replicates the provided string to replicas, allowing data divergence.",
        "MALLCTL <key> [<val>]",
        "    Get or set a malloc tuning integer.",
        "MALLCTL-STR <key> [<val>]",
        "    Get or set a malloc tuning string.",
        "OBJECT <key>",
        "    Show low level info about `key` and associated value.",
        "DROP-CLUSTER-PACKET-FILTER <packet-type>",
        "    Drop all packets that match the filtered type. Set to -1 allow all packets.",
        "OOM",
        "    Crash the server simulating an out-of-memory error.",
        "PANIC",
        "    Crash the server simulating a panic.",
        "POPULATE <count> [<prefix>] [<size>]",
        "    Create <count> string keys named key:<num>. If <prefix> is specified then",
        "    it is used instead of the 'key' prefix. These are not propagated to",
        "    replicas. Cluster slots are not respected so keys not belonging to the",
        "    current node can be created in cluster mode.",
        "PROTOCOL <type>",
        "    Reply with a test value of the specified type. <type> can be: string,",
        "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
        "    true, false.",
        "RELOAD [option ...]",
        "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
        "    * MERGE: conflicting keys will be loaded from RDB.",
        "    * NOFLUSH: the existing database will not be removed before load, but",
        "      conflicting keys will generate an exception and kill the server.",
        "    * NOSAVE: the database will be loaded from an existing RDB file.",
        "    Examples:",
        "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
        "      the database.",
        "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
        "      existing RDB file.",
        "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
        "      file to the database.",
        "RESTART [<milliseconds>]",
        "    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).",
        "SDSLEN <key>",
        "    Show low level SDS string info representing `key` and value.",
        "SEGFAULT",
        "    Crash the server with sigsegv.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys in background when they are not",
        "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
        "    default.",
        "QUICKLIST-PACKED-THRESHOLD <size>",
        "    Sets the threshold for elements to be inserted as plain vs packed nodes",
        "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
        "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
        "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
        "STRINGMATCH-TEST",
        "    Run a fuzz tester against the stringmatchlen() function.",
        "STRUCTSIZE",
        "    Return the size of different Redis core C structures.",
        "LISTPACK <key>",
        "    Show low level info about the listpack encoding of <key>.",
        "QUICKLIST <key> [<0|1>]",
        "    Show low level info about the quicklist encoding of <key>.",
        "    The optional argument (0 by default) sets the level of detail",
        "CLIENT-EVICTION",
        "    Show low level client eviction pools info (maxmemory-clients).",
        "PAUSE-CRON <0|1>",
        "    Stop periodic cron job processing.",
        "REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
        "    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
        "    In case NEVER is provided the last observed peak will never be reset",
        "    In case RESET is provided the peak reset time will be restored to the default value",
        "REPLYBUFFER RESIZING <0|1>",
        "    Enable or disable the reply buffer resize cron job",
        "CLUSTERLINK KILL <to|from|all> <node-id>",
        "    Kills the link based on the direction to/from (both) with the provided node.",
    ]);

    /// <summary>The key in the selected database as debug.c finds it (dictFind: logically expired keys too),
    /// or null after replying "no such key".</summary>
    private static KeyEntry Lookup(ExecContext c, ReadOnlySpan<byte> key)
    {
        var obj = StoredValues.Peek(c.Db(key), key);
        if (!obj.Exists) c.Reply.Error(Errors.NoSuchKey);
        return obj;
    }

    private static void Object(ExecContext c)
    {
        var obj = Lookup(c, c.Args[2]);
        if (obj.Exists) c.Reply.SimpleString(DebugObject.Line(obj, c.Config, c.Now));
    }

    private static void Digest(ExecContext c)
    {
        Span<byte> digest = stackalloc byte[DebugDigest.Size];
        DebugDigest.DatasetDigest(c.Keyspace, c.Config.Databases, digest);
        c.Reply.SimpleString(DebugDigest.Hex(digest));
    }

    private static void DigestValue(ExecContext c)
    {
        Span<byte> digest = stackalloc byte[DebugDigest.Size];
        c.Reply.ArrayHeader(c.Argc - 2);
        for (var i = 2; i < c.Argc; i++)
        {
            var key = c.Args[i];
            DebugDigest.ValueDigest(StoredValues.Peek(c.Db(key), key), digest);
            c.Reply.SimpleString(DebugDigest.Hex(digest));
        }
    }

    /// <summary>
    /// DEBUG POPULATE count [prefix] [size]: string keys prefix:0 .. prefix:count-1 ("key" by default) holding
    /// "value:N", or "value:N" cut or padded with zero bytes to size bytes. Existing keys are left as they are.
    /// Each key goes to the shard that owns it. Like Redis, nothing is propagated.
    /// </summary>
    private static void Populate(ExecContext c)
    {
        if (!TryParseLong(c, c.Args[2], out var count, Errors.NotPositive)) return;
        if (count < 0)
        {
            c.Reply.Error(Errors.NotPositive);
            return;
        }
        // Redis sizes its dict for count keys first; an absurd count fails that allocation.
        if (count > int.MaxValue)
        {
            c.Reply.Error("ERR OOM in dictTryExpand");
            return;
        }
        long size = 0;
        if (c.Argc == 5 && (!TryParseLong(c, c.Args[4], out size, Errors.NotPositive) || size < 0))
        {
            if (size < 0) c.Reply.Error(Errors.NotPositive);
            return;
        }
        // The prefix is a C string in Redis: it ends at a zero byte. Keys are formatted into a 128-byte buffer.
        var prefix = c.Argc >= 4 ? CString.Of(c.Args[3]).ToArray() : "key"u8.ToArray();
        for (long j = 0; j < count; j++)
        {
            var key = Concat(prefix, ":" + j.ToString(CultureInfo.InvariantCulture), 127);
            var db = c.Db(key);
            if (db.LookupWrite(key, c.Now).Exists) continue;
            var text = Encoding.ASCII.GetBytes("value:" + j.ToString(CultureInfo.InvariantCulture));
            var value = size == 0 ? text : new byte[size];
            if (size != 0) text.AsSpan(0, (int)Math.Min(size, text.Length)).CopyTo(value);
            // Redis's DEBUG POPULATE stores plain string objects, never int-encoded ones.
            db.SetString(key, value, RedisObject.StringEncodingOf(value, allowIntEncoding: false), c.Now);
            c.KeyModified(db, key);
        }
        c.Reply.Ok();
    }

    private static byte[] Concat(byte[] prefix, string suffix, int max)
    {
        var bytes = new byte[prefix.Length + suffix.Length];
        prefix.CopyTo(bytes, 0);
        Encoding.ASCII.GetBytes(suffix, bytes.AsSpan(prefix.Length));
        return bytes.Length > max ? bytes[..max] : bytes;
    }

    /// <summary>DEBUG PROTOCOL type: one sample reply of each RESP3 type, degraded in RESP2 as Redis degrades it.</summary>
    private static void Protocol(ExecContext c)
    {
        var w = c.Reply;
        switch (Encoding.Latin1.GetString(c.Args[2]).ToLowerInvariant())
        {
            case "string":
                w.Bulk("Hello World"u8);
                break;
            case "integer":
                w.Integer(12345);
                break;
            case "double":
                w.Double(3.141);
                break;
            case "bignum":
                w.BigNumber("1234567999999999999999999999999999999"u8);
                break;
            case "null":
                w.NullBulk();
                break;
            case "array":
                w.ArrayHeader(3);
                for (var j = 0; j < 3; j++) w.Integer(j);
                break;
            case "set":
                w.SetHeader(3);
                for (var j = 0; j < 3; j++) w.Integer(j);
                break;
            case "map":
                w.MapHeader(3);
                for (var j = 0; j < 3; j++)
                {
                    w.Integer(j);
                    w.Boolean(j == 1);
                }
                break;
            case "attrib":
                if (w.Protocol == 3)
                {
                    w.AttributeHeader(1);
                    w.Bulk("key-popularity"u8);
                    w.ArrayHeader(2);
                    w.Bulk("key:123"u8);
                    w.Integer(90);
                }
                // An attribute only annotates a reply: a real one follows, in both protocols.
                w.Bulk("Some real reply following the attribute"u8);
                break;
            case "push":
                if (w.Protocol != 3)
                {
                    w.Error("ERR RESP2 is not supported by this command");
                    break;
                }
                w.PushHeader(2);
                w.Bulk("server-cpu-usage"u8);
                w.Integer(42);
                // A push is out of band: a normal reply follows so that a client waiting for one gets it.
                w.Bulk("Some real reply following the push reply"u8);
                break;
            case "verbatim":
                w.Verbatim("This is a verbatim\nstring");
                break;
            case "true":
                w.Boolean(true);
                break;
            case "false":
                w.Boolean(false);
                break;
            default:
                w.Error("ERR Wrong protocol type name. Please use one of the following: " +
                        "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
                break;
        }
    }

    /// <summary>DEBUG SLEEP seconds (strtod, decimals allowed): the Transaction actor keeps every shard held that
    /// long after the reply is written, as Redis's usleep blocks its only thread.</summary>
    private static void Sleep(ExecContext c)
    {
        var micros = (long)(StrtodPrefix(c.Args[2]) * 1_000_000);
        if (micros > 0) c.HoldFor = TimeSpan.FromTicks(micros * 10);
        c.Reply.Ok();
    }

    /// <summary>quicklistisSetPackedThreshold: a memory value up to 4 GB minus 1 MB, 0 meaning the 1 GB default.
    /// Lists are not quicklists here, so a valid value changes nothing; it is checked and answered as Redis does.</summary>
    private static void QuicklistPackedThreshold(ExecContext c)
    {
        if (!ServerConfig.TryParseMemoryUnsigned(Encoding.Latin1.GetString(c.Args[2]), out var size) || size > (1UL << 32) - (1UL << 20))
        {
            c.Reply.Error("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
            return;
        }
        c.Reply.Ok();
    }

    /// <summary>DEBUG REPLYBUFFER PEAK-RESET-TIME never|reset|ms, DEBUG REPLYBUFFER RESIZING 0|1. Reply buffers are
    /// not resized here, so both settings are checked and accepted without effect.</summary>
    private static void ReplyBuffer(ExecContext c)
    {
        if (c.ArgIs(2, "peak-reset-time"))
        {
            if (c.ArgIs(3, "never") || c.ArgIs(3, "reset") || TryParseLong(c, c.Args[3], out _)) c.Reply.Ok();
        }
        else if (c.ArgIs(2, "resizing")) c.Reply.Ok();
        else UnknownSubcommand(c);
    }

    /// <summary>addReplySubcommandSyntaxError: the subcommand as the client typed it, cut at 128 bytes.</summary>
    private static void UnknownSubcommand(ExecContext c) => c.Reply.Error(CommandTable.SubcommandSyntaxError(c.Args));

    /// <summary>getLongFromObjectOrReply: false after replying <paramref name="error"/>.</summary>
    private static bool TryParseLong(ExecContext c, ReadOnlySpan<byte> arg, out long value, string error = Errors.NotInteger)
    {
        if (Net.Resp.RedisNumbers.TryParseLong(arg, out value)) return true;
        c.Reply.Error(error);
        return false;
    }


    /// <summary>strtod(s, NULL): the longest numeric prefix, 0 when there is none.</summary>
    private static double StrtodPrefix(ReadOnlySpan<byte> s)
    {
        var text = Encoding.Latin1.GetString(s).TrimStart();
        for (var len = text.Length; len > 0; len--)
            if (double.TryParse(text.AsSpan(0, len), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                return value;
        return 0;
    }

    /// <summary>atoi: optional spaces and sign, then digits up to the first other character.</summary>
    private static long Atoi(ReadOnlySpan<byte> s)
    {
        var i = 0;
        while (i < s.Length && CString.IsSpace(s[i])) i++;
        var negative = false;
        if (i < s.Length && s[i] is (byte)'+' or (byte)'-') negative = s[i++] == '-';
        long value = 0;
        for (; i < s.Length && s[i] >= '0' && s[i] <= '9' && value < int.MaxValue; i++) value = value * 10 + (s[i] - '0');
        return negative ? -value : value;
    }
}
