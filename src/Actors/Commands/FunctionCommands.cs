using AkkaRedis.Actors.Commands.Scripting;
using AkkaRedis.Actors.Lua;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// Redis 7.0's functions (functions.c, function_lua.c): FUNCTION LOAD/LIST/DELETE/FLUSH/DUMP/RESTORE/STATS/KILL/HELP,
/// FCALL and FCALL_RO. The libraries live in <see cref="FunctionRegistry"/> (CommandServices.Functions); the commands
/// that change them run with every shard held (no FCALL runs meanwhile, and a BGSAVE's snapshot sees them before or
/// after, never half-way); those that read them run on one shard and read the registry's snapshot.
/// </summary>
public static class FunctionCommands
{
    public static void Register(CommandTable t)
    {
        var function = t.Add(new("function", -2, F(""), 0, 0, 0, A("")));
        t.AddSub(function, new("load", -3, F("write denyoom noscript"), 0, 0, 0, A("scripting"))
        {
            Handler = Load, Execution = Execution.AllShards,
        });
        t.AddSub(function, new("delete", 3, F("write noscript"), 0, 0, 0, A("scripting"))
        {
            Handler = Delete, Execution = Execution.AllShards,
        });
        t.AddSub(function, new("flush", -2, F("write noscript"), 0, 0, 0, A("scripting"))
        {
            Handler = Flush, Execution = Execution.AllShards,
        });
        t.AddSub(function, new("restore", -3, F("write denyoom noscript"), 0, 0, 0, A("scripting"))
        {
            Handler = Restore, Execution = Execution.AllShards,
        });
        t.AddSub(function, new("list", -2, F("noscript"), 0, 0, 0, A("scripting")) { Handler = List });
        t.AddSub(function, new("dump", 2, F("noscript"), 0, 0, 0, A("scripting")) { Handler = Dump });
        // STATS and KILL answer while a function runs (allow_busy): the session runs them, not a shard a script may hold.
        t.AddSub(function, new("stats", 2, F("noscript allow_busy"), 0, 0, 0, A("scripting"))
        {
            SessionHandler = (ServerHandler)Stats,
        });
        t.AddSub(function, new("kill", 2, F("noscript allow_busy"), 0, 0, 0, A("scripting"))
        {
            SessionHandler = (ServerHandler)((s, _, reply) => ScriptCommands.Kill(s, reply, eval: false)),
        });
        t.AddSub(function, new("help", 2, F("loading stale"), 0, 0, 0, A("scripting"))
        {
            Handler = c => HelpReply.Write(c.Reply, "FUNCTION", HelpLines),
        });
        t.Add(new("fcall", -3, F("noscript stale skip_monitor no_mandatory_keys"), 0, 0, 0, A("scripting"))
        {
            Handler = c => FCall(c, readOnly: false), RoutingKeys = NoKeyHoldsEveryShard,
            KeySpecFlags = ["RW access update"], KeySpecSearch = ["index 2 keynum 0 1 1"],
        });
        t.Add(new("fcall_ro", -3, F("readonly noscript stale skip_monitor no_mandatory_keys"), 0, 0, 0, A("scripting"))
        {
            Handler = c => FCall(c, readOnly: true), RoutingKeys = NoKeyHoldsEveryShard,
            KeySpecFlags = ["RO access"], KeySpecSearch = ["index 2 keynum 0 1 1"],
        });
    }

    /// <summary>As EVAL routes: a function called with no key may touch any key, so it holds every shard (Redis
    /// standalone semantics); with keys, it runs where they are (and again holding every shard if it reaches others).</summary>
    private static readonly Func<CommandArgs, List<int>, bool> NoKeyHoldsEveryShard = static (_, keys) => keys.Count > 0;

    private static FunctionRegistry Registry(ExecContext c) => c.Services.Functions;

    // ---- changes (every shard held) ---------------------------------------------------------------------------

    /// <summary>functionLoadCommand: [REPLACE] ... code; every argument before the code must be REPLACE.</summary>
    private static void Load(ExecContext c)
    {
        var replace = false;
        for (var i = 2; i < c.Argc - 1; i++)
        {
            if (c.ArgIs(i, "replace"))
            {
                replace = true;
                continue;
            }
            c.Reply.Error($"ERR Unknown option given: {CString.Text(c.Args[i])}");
            return;
        }
        if (Registry(c).Load(c.Args[c.Argc - 1], replace, out var library) is { } error)
        {
            c.Reply.Error(error);
            return;
        }
        Changed(c);
        c.Reply.Bulk(library!);
    }

    private static void Delete(ExecContext c)
    {
        if (!Registry(c).Delete(c.Args[2]))
        {
            c.Reply.Error("ERR Library not found");
            return;
        }
        Changed(c);
        c.Reply.Ok();
    }

    /// <summary>functionFlushCommand: ASYNC and SYNC (and lazyfree-lazy-user-flush) free the same way here: the old
    /// snapshot is garbage once no VM runs it.</summary>
    private static void Flush(ExecContext c)
    {
        if (c.Argc > 3)
        {
            c.Reply.Error(CommandTable.SubcommandSyntaxError(c.Args));
            return;
        }
        if (c.Argc == 3 && !c.ArgIs(2, "sync") && !c.ArgIs(2, "async"))
        {
            c.Reply.Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
            return;
        }
        Registry(c).Flush();
        Changed(c);
        c.Reply.Ok();
    }

    private static void Restore(ExecContext c)
    {
        if (c.Argc > 4)
        {
            c.Reply.Error(CommandTable.SubcommandSyntaxError(c.Args));
            return;
        }
        var policy = FunctionRestorePolicy.Append;
        if (c.Argc == 4)
        {
            if (c.ArgIs(3, "append")) policy = FunctionRestorePolicy.Append;
            else if (c.ArgIs(3, "replace")) policy = FunctionRestorePolicy.Replace;
            else if (c.ArgIs(3, "flush")) policy = FunctionRestorePolicy.Flush;
            else
            {
                c.Reply.Error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
                return;
            }
        }
        if (Registry(c).Restore(c.Args[2], policy, c.Services.Diagnostics.SkipChecksumValidation) is { } error)
        {
            c.Reply.Error(error);
            return;
        }
        Changed(c);
        c.Reply.Ok();
    }

    /// <summary>The libraries changed: server.dirty++ (counted on the first part, whose counter is summed with the
    /// others), and the command propagates as it was sent (call() propagates a command that made the server dirty).</summary>
    private static void Changed(ExecContext c)
    {
        if (c.Keyspace.Part(0, 0) is { } db) db.Stats.Dirty++;
        c.Propagate();
    }

    // ---- reads ------------------------------------------------------------------------------------------------

    /// <summary>functionListCommand: [LIBRARYNAME pattern] [WITHCODE], each at most once, the pattern matched without
    /// case (stringmatchlen nocase).</summary>
    private static void List(ExecContext c)
    {
        var withCode = false;
        byte[]? pattern = null;
        for (var i = 2; i < c.Argc; i++)
        {
            if (!withCode && c.ArgIs(i, "withcode"))
            {
                withCode = true;
                continue;
            }
            if (pattern == null && c.ArgIs(i, "libraryname"))
            {
                if (i >= c.Argc - 1)
                {
                    c.Reply.Error("ERR library name argument was not given");
                    return;
                }
                pattern = c.Args[++i].ToArray();
                continue;
            }
            c.Reply.Error($"ERR Unknown argument {CString.Text(c.Args[i])}");
            return;
        }
        var snapshot = Registry(c).Current;
        var matching = new List<FunctionLibrary>(snapshot.Libraries.Count);
        foreach (var library in snapshot.Libraries)
            if (pattern == null || GlobPattern.Match(pattern, System.Text.Encoding.Latin1.GetBytes(library.Name), noCase: true))
                matching.Add(library);
        var w = c.Reply;
        w.ArrayHeader(matching.Count);
        foreach (var library in matching)
        {
            w.MapHeader(withCode ? 4 : 3);
            w.Bulk("library_name");
            w.Bulk(library.Name);
            w.Bulk("engine");
            w.Bulk(library.Engine);
            w.Bulk("functions");
            w.ArrayHeader(library.Functions.Count);
            foreach (var f in library.Functions)
            {
                w.MapHeader(3);
                w.Bulk("name");
                w.Bulk(f.Name);
                w.Bulk("description");
                if (f.Description != null) w.Bulk(f.Description);
                else w.NullBulk();
                w.Bulk("flags");
                var count = 0;
                foreach (var (flag, _) in FunctionLibrary.FlagNames)
                    if ((f.Flags & flag) != 0) count++;
                w.SetHeader(count);
                foreach (var (flag, name) in FunctionLibrary.FlagNames)
                    if ((f.Flags & flag) != 0) w.SimpleString(name);
            }
            if (withCode)
            {
                w.Bulk("library_code");
                w.Bulk(library.Code);
            }
        }
    }

    private static void Dump(ExecContext c) =>
        c.Reply.Bulk(FunctionRegistry.Dump(Registry(c).Current, c.Config.RdbCompression()));

    /// <summary>functionStatsCommand: the running function and the engine's counts; refused while an EVAL script
    /// makes the server busy. "Running" is the busy one (a script younger than busy-reply-threshold would, in Redis,
    /// have ended before FUNCTION STATS was read).</summary>
    private static void Stats(CommandServices services, CommandArgs args, RespWriter w)
    {
        var busy = services.Scripts.Running.Busy();
        if (busy is { Kind: LuaVmKind.Eval })
        {
            w.Error(ScriptRegistry.BusyEval);
            return;
        }
        var snapshot = services.Functions.Current;
        w.MapHeader(2);
        w.Bulk("running_script");
        if (busy == null) w.NullBulk();
        else
        {
            var command = busy.Command ?? [];
            w.MapHeader(3);
            w.Bulk("name");
            w.Bulk(busy.Name);
            w.Bulk("command");
            w.ArrayHeader(command.Length);
            foreach (var arg in command) w.Bulk(arg);
            w.Bulk("duration_ms");
            w.Integer(busy.ElapsedMs);
        }
        w.Bulk("engines");
        w.MapHeader(1);
        w.Bulk(FunctionLibrary.LuaEngine);
        w.MapHeader(2);
        w.Bulk("libraries_count");
        w.Integer(snapshot.Libraries.Count);
        w.Bulk("functions_count");
        w.Integer(snapshot.FunctionCount);
    }

    // ---- FCALL ------------------------------------------------------------------------------------------------

    /// <summary>fcallCommandGeneric: the function (names compared without case), then numkeys as Redis checks it,
    /// then the run.</summary>
    private static void FCall(ExecContext c, bool readOnly)
    {
        var registry = Registry(c);
        var function = registry.Current.FindFunction(c.Args[1]);
        if (function == null)
        {
            c.Reply.Error("ERR Function not found");
            return;
        }
        if (!RedisNumbers.TryParseLong(c.Args[2], out var numkeys))
        {
            c.Reply.Error("ERR Bad number of keys provided");
            return;
        }
        if (numkeys > c.Argc - 3)
        {
            c.Reply.Error("ERR Number of keys can't be greater than number of args");
            return;
        }
        if (numkeys < 0)
        {
            c.Reply.Error("ERR Number of keys can't be negative");
            return;
        }
        FunctionRun.Run(c, function, (int)numkeys, readOnly);
    }

    private static readonly string[] HelpLines =
    [
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
        "      libraries with the new libraries (notice that even on this option there is a chance of failure",
        "      in case of functions name collision with another library).",
    ];
}
