using System.Globalization;
using AkkaRedis.Actors.Commands.Scripting;
using AkkaRedis.Actors.Lua;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// Redis 7.0's EVAL family (eval.c, script.c): EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT LOAD/EXISTS/FLUSH/KILL/HELP.
/// <para>
/// Routing (ARCHITECTURE.md "held shards"): EVAL* are keyspace commands whose key spec is numkeys
/// (<c>index 2 keynum 0 1 1</c>): declared keys on one shard run inline on that shard (one hop), on several shards
/// through the Transaction actor, and a script with no declared key holds every shard (<see cref="CommandDef.RoutingKeys"/>).
/// A script that reaches an undeclared key elsewhere is run again holding every shard (see <see cref="ScriptRun"/>).
/// SCRIPT subcommands need no keyspace: the session runs them (<see cref="ServerHandler"/>), SCRIPT KILL even while a
/// script makes the server busy; LOAD, EXISTS and FLUSH are barriers, so a pipelined EVALSHA after a SCRIPT LOAD
/// finds the script.
/// </para>
/// </summary>
public static class ScriptCommands
{
    public const string NoScript = "NOSCRIPT No matching script. Please use EVAL.";
    public const string TooManyKeys = "ERR Number of keys can't be greater than number of args";
    public const string NegativeKeys = "ERR Number of keys can't be negative";

    public static void Register(CommandTable t)
    {
        const string eval = "noscript stale skip_monitor no_mandatory_keys movablekeys";
        Declare(t, "eval", F(eval), "RW access update", c => Eval(c, sha: false, readOnly: false));
        Declare(t, "evalsha", F(eval), "RW access update", c => Eval(c, sha: true, readOnly: false));
        Declare(t, "eval_ro", F("readonly " + eval), "RO access", c => Eval(c, sha: false, readOnly: true));
        Declare(t, "evalsha_ro", F("readonly " + eval), "RO access", c => Eval(c, sha: true, readOnly: true));

        var script = t.Add(new("script", -2, F(""), 0, 0, 0, A("")));
        t.AddSub(script, new("debug", 3, F("noscript"), 0, 0, 0, A("scripting"))
        {
            SessionHandler = (ServerHandler)Debug,
        });
        t.AddSub(script, new("exists", -3, F("noscript"), 0, 0, 0, A("scripting"))
        {
            SessionHandler = (ServerHandler)Exists, Barrier = true,
        });
        t.AddSub(script, new("flush", -2, F("noscript"), 0, 0, 0, A("scripting"))
        {
            SessionHandler = (ServerHandler)Flush, Barrier = true,
        });
        t.AddSub(script, new("help", 2, F("loading stale"), 0, 0, 0, A("scripting"))
        {
            SessionHandler = (ServerHandler)Help,
        });
        t.AddSub(script, new("kill", 2, F("noscript allow_busy"), 0, 0, 0, A("scripting"))
        {
            SessionHandler = (ServerHandler)((s, _, reply) => Kill(s, reply, eval: true)),
        });
        t.AddSub(script, new("load", 3, F("noscript stale"), 0, 0, 0, A("scripting"))
        {
            SessionHandler = (ServerHandler)Load, Barrier = true,
        });
    }

    private static void Declare(CommandTable t, string name, CommandFlags flags, string keyFlags, CommandHandler handler) =>
        t.Add(new(name, -3, flags, 0, 0, 0, A("scripting"))
        {
            Handler = handler,
            KeySpecFlags = [keyFlags],
            KeySpecSearch = ["index 2 keynum 0 1 1"],
            // No declared key: the script may touch any key, so it holds every shard (Redis standalone semantics).
            RoutingKeys = static (_, keys) => keys.Count > 0,
            RunsScript = true,
        });

    /// <summary>evalGenericCommand (and evalShaCommand's early NOSCRIPT for a SHA that is not 40 characters long).</summary>
    private static void Eval(ExecContext c, bool sha, bool readOnly)
    {
        var engine = c.Services.Scripts;
        if (sha && c.Args[1].Length != 40)
        {
            c.Reply.Error(NoScript);
            return;
        }
        if (!long.TryParse(c.Args[2].Span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var numkeys))
        {
            c.Reply.Error(Errors.NotInteger);
            return;
        }
        if (numkeys > c.Argc - 3)
        {
            c.Reply.Error(TooManyKeys);
            return;
        }
        if (numkeys < 0)
        {
            c.Reply.Error(NegativeKeys);
            return;
        }
        string? newSha = null;
        var entry = sha ? engine.Cache.Find(c.Args[1].Span) : engine.Cache.FindBody(c.Args[1].Span, out newSha);
        if (entry == null && sha)
        {
            c.Reply.Error(NoScript);
            return;
        }
        var lease = engine.EvalVms.Rent();
        try
        {
            entry ??= Create(engine, lease.Vm, c.Args[1].Span, newSha!, c.Reply);
            if (entry == null) return;
            if (!Compiled(lease.Vm, entry, c.Reply)) return;
            var keys = c.Args.Slice(3, (int)numkeys);
            var argv = c.Args.Slice(3 + (int)numkeys, c.Argc - 3 - (int)numkeys);
            ScriptRun.Run(c, lease.Vm, new ScriptCall(LuaVmKind.Eval, entry.Flags, readOnly, entry.Sha, keys, argv, entry), out var reachedOtherShard, InvokeEval);
            if (reachedOtherShard) engine.Routing.Learn(entry);
        }
        finally
        {
            engine.EvalVms.Return(lease);
        }
    }

    private static readonly ScriptInvoke InvokeEval = static (LuaVm vm, in ScriptCall call, IRedisBridge bridge, RespWriter reply) =>
        vm.Call(((ScriptEntry)call.State!).FunctionName, call.Keys, call.Argv, bridge, reply);

    /// <summary>luaCreateFunction for a body not cached yet: its shebang, then compiled into <paramref name="vm"/>; cached
    /// only when it compiles. Null after replying the error.</summary>
    private static ScriptEntry? Create(ScriptEngine engine, LuaVm vm, ReadOnlySpan<byte> body, string sha, RespWriter reply)
    {
        if (!ScriptShebang.TryParse(body, out var flags, out var codeStart, out var error))
        {
            reply.Error(error!);
            return null;
        }
        var entry = new ScriptEntry(sha, body.ToArray(), flags, codeStart);
        error = vm.Define(entry.FunctionName, entry.Code);
        if (error != null)
        {
            reply.Error(error);
            return null;
        }
        return engine.Cache.Add(entry);
    }

    /// <summary>A cached script is compiled into each Lua state the first time that state runs it.</summary>
    private static bool Compiled(LuaVm vm, ScriptEntry entry, RespWriter reply)
    {
        if (vm.IsDefined(entry.FunctionName)) return true;
        var error = vm.Define(entry.FunctionName, entry.Code);
        if (error == null) return true;
        reply.Error(error);
        return false;
    }

    /// <summary>SCRIPT LOAD: luaCreateFunction, replying the SHA (a cached body is not compiled again).</summary>
    private static void Load(CommandServices services, CommandArgs args, RespWriter reply)
    {
        var engine = services.Scripts;
        var body = args[2].Span;
        var entry = engine.Cache.FindBody(body, out var sha);
        if (entry == null)
        {
            var lease = engine.EvalVms.Rent();
            try
            {
                entry = Create(engine, lease.Vm, body, sha!, reply);
            }
            finally
            {
                engine.EvalVms.Return(lease);
            }
            if (entry == null) return;
        }
        reply.Bulk(entry.Sha);
    }

    private static void Exists(CommandServices services, CommandArgs args, RespWriter reply)
    {
        reply.ArrayHeader(args.Length - 2);
        for (var i = 2; i < args.Length; i++) reply.Integer(services.Scripts.Cache.Find(args[i].Span) != null ? 1 : 0);
    }

    /// <summary>SCRIPT FLUSH [ASYNC|SYNC]: both drop the cache at once here (nothing big to free in the background).</summary>
    private static void Flush(CommandServices services, CommandArgs args, RespWriter reply)
    {
        if (args.Length > 3 || (args.Length == 3 && !Keywords.Is(args[2], "sync") && !Keywords.Is(args[2], "async")))
        {
            reply.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
            return;
        }
        services.Scripts.Flush();
        reply.Ok();
    }

    /// <summary>SCRIPT KILL / FUNCTION KILL (scriptKill): the busy script, if it wrote nothing, is marked killed; its
    /// VM raises the kill error at its next count hook and its client gets it.</summary>
    public static void Kill(CommandServices services, RespWriter reply, bool eval)
    {
        var error = services.Scripts.Running.Kill(eval);
        if (error == null) reply.Ok();
        else reply.Error(error);
    }

    /// <summary>SCRIPT DEBUG: this server has no Lua debugger (ldb).</summary>
    private static void Debug(CommandServices services, CommandArgs args, RespWriter reply)
    {
        if (Keywords.Is(args[2], "no")) reply.Ok();
        else if (Keywords.Is(args[2], "yes") || Keywords.Is(args[2], "sync")) reply.Error("ERR SCRIPT DEBUG is not supported by this server");
        else reply.Error("ERR Use SCRIPT DEBUG YES/SYNC/NO");
    }

    private static readonly string[] HelpLines =
    [
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
    ];

    private static void Help(CommandServices services, CommandArgs args, RespWriter reply) => HelpReply.Write(reply, "SCRIPT", HelpLines);
}
