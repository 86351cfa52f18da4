using System.Text;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Actors.Server;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;

namespace AkkaRedis.Actors.Session;

/// <summary>Server commands: INFO, CONFIG, COMMAND, TIME, LASTSAVE, SHUTDOWN (DEBUG has its own file).</summary>
public static class ServerCommands
{
    public static void Register(CommandTable t)
    {
        t.Add(new("info", -1, F("loading stale"), 0, 0, 0, A("dangerous"))
        {
            SessionHandler = (SessionHandler)Info,
        });

        var config = t.Add(new("config", -2, F(""), 0, 0, 0, A("")));
        t.AddSub(config, new("get", -3, F("admin noscript loading stale"), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)ConfigGet,
        });
        t.AddSub(config, new("set", -4, F("admin noscript loading stale"), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)ConfigSet,
        });
        t.AddSub(config, new("resetstat", 2, F("admin noscript loading stale"), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)ConfigResetStat,
        });
        t.AddSub(config, new("rewrite", 2, F("admin noscript loading stale"), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)ConfigRewrite,
        });
        t.AddSub(config, new("help", 2, F("loading stale"), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)ConfigHelp,
        });

        var command = t.Add(new("command", -1, F("loading stale"), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)(c => InfoReply(c, all: true)),
        });
        t.AddSub(command, new("count", 2, F("loading stale"), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)(c => c.Reply.Integer(CommandIntrospection.Count(c.Server.Commands))),
        });
        t.AddSub(command, new("info", -2, F("loading stale"), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)(c => InfoReply(c, all: c.Argc == 2)),
        });
        t.AddSub(command, new("docs", -2, F("loading stale"), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)CommandDocs,
        });
        t.AddSub(command, new("list", -2, F("loading stale"), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)CommandList,
        });
        t.AddSub(command, new("getkeys", -4, F("loading stale"), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)(c => GetKeys(c, withFlags: false)),
        });
        t.AddSub(command, new("getkeysandflags", -4, F("loading stale"), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)(c => GetKeys(c, withFlags: true)),
        });
        t.AddSub(command, new("help", 2, F("loading stale"), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)CommandHelp,
        });

        t.Add(new("time", 1, F("loading stale fast"), 0, 0, 0, A(""))
        {
            SessionHandler = (SessionHandler)Time,
        });
        t.Add(new("lastsave", 1, F("loading stale fast"), 0, 0, 0, A("admin dangerous"))
        {
            SessionHandler = (SessionHandler)(c => c.Reply.Integer(c.Server.Runtime.LastSaveUnixSeconds)),
        });
        t.Add(new("shutdown", -1, F("admin noscript loading stale no_multi allow_busy"), 0, 0, 0, A(""))
        {
            // The Persistence actor decides and does the final save (issue 12).
            ActorName = Keyspace.DedicatedActors.Persistence,
        });
    }

    private static string Arg(SessionCall c, int i) => Encoding.Latin1.GetString(c.Args[i]);

    private static List<string> ArgsFrom(SessionCall c, int start)
    {
        var list = new List<string>(Math.Max(0, c.Argc - start));
        for (var i = start; i < c.Argc; i++) list.Add(Arg(c, i));
        return list;
    }

    /// <summary>addReplyHelp: "CMD &lt;subcommand&gt; ..." then the lines, then HELP, all as status replies.</summary>
    // INFO

    private static void Info(SessionCall c) => c.Reply.Verbatim(InfoBuilder.Build(c.Server, ArgsFrom(c, 1)));

    // CONFIG

    private static void ConfigGet(SessionCall c)
    {
        var config = c.Server.Config;
        lock (config.SyncRoot)
        {
            var matches = config.Match(ArgsFrom(c, 2));
            c.Reply.MapHeader(matches.Count);
            foreach (var (name, parameter) in matches)
            {
                c.Reply.Bulk(name);
                c.Reply.Bulk(parameter.Get());
            }
        }
    }

    private static void ConfigSet(SessionCall c)
    {
        if ((c.Argc & 1) != 0)
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        var pairs = new List<(string, string)>();
        var config = c.Server.Config;
        for (var i = 2; i + 1 < c.Argc; i += 2)
        {
            pairs.Add((Arg(c, i), Encoding.UTF8.GetString(c.Args[i + 1])));
            // Passwords (requirepass, masterauth) never show where requests are echoed, even when the call fails.
            if (config.Find(pairs[^1].Item1) is { } p && (p.Flags & ConfigFlags.Sensitive) != 0) c.Args[i + 1] = ConnectionCommands.RedactedArgument;
        }
        var error = config.SetAtomically(pairs, ConnectionGate.AllowProtectedAction(config.EnableProtectedConfigs, c.Client));
        if (error != null) c.Reply.Error(error);
        else c.Reply.Ok();
    }

    private static void ConfigResetStat(SessionCall c)
    {
        ResetStats(c.Server);
        c.Reply.Ok();
    }

    /// <summary>CONFIG RESETSTAT: server counters, every command's stats, error stats, the shards' hit/miss/expired counts.</summary>
    public static void ResetStats(ServerContext server)
    {
        server.Stats.Reset(server.Clients);
        server.CommandStats.Reset();
        var shards = server.Keyspace?.ShardData;
        if (shards != null)
        {
            foreach (var shard in shards)
            {
                // Racy with the owning shard's own increments, as INFO's reads are: a count may survive a reset.
                Volatile.Write(ref shard.Stats.KeyspaceHits, 0);
                Volatile.Write(ref shard.Stats.KeyspaceMisses, 0);
                Volatile.Write(ref shard.Stats.ExpiredKeys, 0);
            }
        }
        server.Runtime.ResetPeakMemory();
    }

    private static void ConfigRewrite(SessionCall c)
    {
        var path = c.Server.Config.ConfigFile;
        if (path == null)
        {
            c.Reply.Error("ERR The server is running without a config file");
            return;
        }
        var error = RewriteConfigFile(c.Server.Config, path);
        if (error != null) c.Reply.Error("ERR Rewriting config file: " + error);
        else c.Reply.Ok();
    }

    /// <summary>Rewrites <paramref name="path"/> atomically (a temporary file renamed over it); returns an error text or null.</summary>
    public static string? RewriteConfigFile(ServerConfig config, string path)
    {
        string? temp = null;
        try
        {
            var old = File.Exists(path) ? File.ReadAllText(path) : "";
            var content = config.RewriteContent(old);
            temp = path + "." + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                var bytes = Encoding.UTF8.GetBytes(content);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            temp = null;
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return "Permission denied";
        }
        catch (DirectoryNotFoundException)
        {
            return "No such file or directory";
        }
        catch (IOException e)
        {
            return e.Message;
        }
        finally
        {
            if (temp != null)
            {
                try
                {
                    File.Delete(temp);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }

    private static void ConfigHelp(SessionCall c) => HelpReply.Write(c.Reply, "CONFIG",
    [
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
    ]);

    // COMMAND

    private static void InfoReply(SessionCall c, bool all)
    {
        var table = c.Server.Commands;
        if (all)
        {
            c.Reply.ArrayHeader(CommandIntrospection.Count(table));
            foreach (var def in CommandIntrospection.TopLevel(table)) CommandIntrospection.WriteInfo(c.Reply, def);
            return;
        }
        c.Reply.ArrayHeader(c.Argc - 2);
        for (var i = 2; i < c.Argc; i++) CommandIntrospection.WriteInfo(c.Reply, CommandIntrospection.Lookup(table, Arg(c, i)));
    }

    private static void CommandDocs(SessionCall c)
    {
        var table = c.Server.Commands;
        var found = new List<CommandDef>();
        if (c.Argc == 2) found.AddRange(CommandIntrospection.TopLevel(table));
        else
        {
            for (var i = 2; i < c.Argc; i++)
            {
                var def = CommandIntrospection.Lookup(table, Arg(c, i));
                if (def != null) found.Add(def);
            }
        }
        c.Reply.MapHeader(found.Count);
        foreach (var def in found)
        {
            c.Reply.Bulk(def.Name);
            CommandIntrospection.WriteDocs(c.Reply, def);
        }
    }

    private static void CommandList(SessionCall c)
    {
        Func<CommandDef, bool>? filter = null;
        for (var i = 2; i < c.Argc; i++)
        {
            var moreArgs = c.Argc - 1 - i;
            if (!c.ArgIs(i, "filterby") || moreArgs != 2)
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
            var value = Arg(c, i + 2);
            if (c.ArgIs(i + 1, "module")) filter = _ => false; // no modules
            else if (c.ArgIs(i + 1, "aclcat"))
            {
                var category = CommandIntrospection.CategoryByName(value);
                filter = def => category != null && (def.Acl & category.Value) != 0;
            }
            else if (c.ArgIs(i + 1, "pattern")) filter = def => GlobPattern.Match(value, def.Name, noCase: true);
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
            i += 2;
        }
        c.Reply.BulkArray(CommandIntrospection.List(c.Server.Commands, filter));
    }

    private static void GetKeys(SessionCall c, bool withFlags)
    {
        var request = c.Args[2..];
        var def = CommandIntrospection.Lookup(c.Server.Commands, request);
        if (def == null)
        {
            c.Reply.Error("ERR Invalid command specified");
            return;
        }
        if (!def.HasKeys)
        {
            c.Reply.Error("ERR The command has no key arguments");
            return;
        }
        if (!def.ArityOk(request.Length))
        {
            c.Reply.Error("ERR Invalid number of arguments specified for command");
            return;
        }
        var keys = new List<int>();
        var specs = new List<int>();
        def.GetKeys(request, keys, specs);
        if (keys.Count == 0 && (def.Flags & CommandFlags.NoMandatoryKeys) == 0)
        {
            c.Reply.Error("ERR Invalid arguments specified for command");
            return;
        }
        c.Reply.ArrayHeader(keys.Count);
        for (var k = 0; k < keys.Count; k++)
        {
            if (!withFlags)
            {
                c.Reply.Bulk(request[keys[k]]);
                continue;
            }
            c.Reply.ArrayHeader(2);
            c.Reply.Bulk(request[keys[k]]);
            CommandIntrospection.WriteKeyFlags(c.Reply, CommandIntrospection.KeyFlagsFor(def, request, k, specs[k]));
        }
    }

    private static void CommandHelp(SessionCall c) => HelpReply.Write(c.Reply, "COMMAND",
    [
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full Redis command.",
    ]);

    // TIME (SHUTDOWN is the Persistence actor's)

    private static void Time(SessionCall c)
    {
        var now = DateTimeOffset.UtcNow;
        var micros = (now - DateTimeOffset.UnixEpoch).Ticks / 10;
        c.Reply.ArrayHeader(2);
        c.Reply.BulkInteger(micros / 1_000_000);
        c.Reply.BulkInteger(micros % 1_000_000);
    }
}
