using System.Globalization;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Server;

/// <summary>
/// COMMAND's replies (INFO, DOCS, LIST, GETKEYS), written in Redis 7.0's format and derived from the command
/// table: each command's declaration is the only place its name, arity, flags, keys and docs are written.
/// </summary>
public static class CommandIntrospection
{
    /// <summary>Command flags as COMMAND INFO lists them, in Redis's order (may_replicate is hidden, as in Redis).</summary>
    private static readonly (CommandFlags Flag, string Name)[] FlagNames =
    [
        (CommandFlags.Write, "write"), (CommandFlags.ReadOnly, "readonly"), (CommandFlags.DenyOom, "denyoom"), (CommandFlags.Module, "module"),
        (CommandFlags.Admin, "admin"), (CommandFlags.PubSub, "pubsub"), (CommandFlags.NoScript, "noscript"), (CommandFlags.Blocking, "blocking"),
        (CommandFlags.Loading, "loading"), (CommandFlags.Stale, "stale"), (CommandFlags.SkipMonitor, "skip_monitor"),
        (CommandFlags.SkipSlowlog, "skip_slowlog"), (CommandFlags.Asking, "asking"), (CommandFlags.Fast, "fast"), (CommandFlags.NoAuth, "no_auth"),
        (CommandFlags.NoMandatoryKeys, "no_mandatory_keys"), (CommandFlags.NoAsyncLoading, "no_async_loading"), (CommandFlags.NoMulti, "no_multi"),
        (CommandFlags.MovableKeys, "movablekeys"), (CommandFlags.AllowBusy, "allow_busy"),
    ];

    /// <summary>ACL category names, in Redis's order (the order of <see cref="AclCategories"/>).</summary>
    private static readonly (AclCategories Category, string Name)[] CategoryNames =
    [
        (AclCategories.Keyspace, "keyspace"), (AclCategories.Read, "read"), (AclCategories.Write, "write"), (AclCategories.Set, "set"),
        (AclCategories.SortedSet, "sortedset"), (AclCategories.List, "list"), (AclCategories.Hash, "hash"), (AclCategories.String, "string"),
        (AclCategories.Bitmap, "bitmap"), (AclCategories.HyperLogLog, "hyperloglog"), (AclCategories.Geo, "geo"), (AclCategories.Stream, "stream"),
        (AclCategories.PubSub, "pubsub"), (AclCategories.Admin, "admin"), (AclCategories.Fast, "fast"), (AclCategories.Slow, "slow"),
        (AclCategories.Blocking, "blocking"), (AclCategories.Dangerous, "dangerous"), (AclCategories.Connection, "connection"),
        (AclCategories.Transaction, "transaction"), (AclCategories.Scripting, "scripting"),
    ];

    /// <summary>Key-spec flag words, in the order Redis prints them.</summary>
    private static readonly string[] KeyFlagOrder = ["RO", "RW", "OW", "RM", "access", "update", "insert", "delete", "not_key", "incomplete", "variable_flags"];

    /// <summary>Top-level commands in declaration order.</summary>
    public static IEnumerable<CommandDef> TopLevel(CommandTable table)
    {
        foreach (var def in table.AllWithSubcommands)
            if (def.Parent == null) yield return def;
    }

    public static int Count(CommandTable table)
    {
        var n = 0;
        foreach (var def in table.AllWithSubcommands)
            if (def.Parent == null) n++;
        return n;
    }

    /// <summary>lookupCommandBySds: "get", or "client|kill" for a subcommand; case-insensitive.</summary>
    public static CommandDef? Lookup(CommandTable table, string fullName)
    {
        var bar = fullName.IndexOf('|');
        if (bar < 0) return table.Find(fullName);
        var parts = fullName.Split('|');
        if (parts.Length != 2) return null;
        var container = table.Find(parts[0]);
        return container?.Subcommands?.GetValueOrDefault(parts[1]);
    }

    /// <summary>lookupCommand over a request's words: the command, or its subcommand when it has them.</summary>
    public static CommandDef? Lookup(CommandTable table, CommandArgs args)
    {
        if (args.Length == 0) return null;
        var def = table.Find(args[0]);
        if (def == null || def.Subcommands == null || args.Length == 1) return def;
        return def.Subcommands.GetValueOrDefault(System.Text.Encoding.Latin1.GetString(args[1]));
    }

    public static IEnumerable<string> FlagWords(CommandDef def)
    {
        var flags = def.Flags;
        if (def.KeyFinder != null) flags |= CommandFlags.MovableKeys;
        foreach (var (flag, name) in FlagNames)
            if ((flags & flag) != 0) yield return name;
    }

    /// <summary>The command's ACL categories; a container command is only @slow plus what it declares.</summary>
    public static IEnumerable<string> CategoryWords(CommandDef def)
    {
        var acl = def.Acl;
        foreach (var (category, name) in CategoryNames)
            if ((acl & category) != 0) yield return name;
    }

    public static AclCategories? CategoryByName(string name)
    {
        foreach (var (category, n) in CategoryNames)
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) return category;
        return null;
    }

    /// <summary>One COMMAND INFO entry (10 elements), or a null for an unknown command.</summary>
    public static void WriteInfo(RespWriter w, CommandDef? def)
    {
        if (def == null)
        {
            w.NullBulk();
            return;
        }
        w.ArrayHeader(10);
        w.Bulk(def.Name);
        w.Integer(def.Arity);
        WriteStatusSet(w, FlagWords(def));
        w.Integer(def.FirstKey);
        w.Integer(def.LastKey);
        w.Integer(def.Step);
        WriteStatusSet(w, CategoryWords(def), "@");
        w.SetHeader(def.Tips.Length);
        foreach (var tip in def.Tips) w.Bulk(tip);
        var specs = KeySpecs(def);
        w.SetHeader(specs.Count);
        foreach (var spec in specs) WriteKeySpec(w, spec);
        // As Redis's addReplyCommandSubCommands: an empty set when there are none, else an array.
        var subs = def.Subcommands;
        if (subs == null)
        {
            w.SetHeader(0);
            return;
        }
        w.ArrayHeader(subs.Count);
        foreach (var sub in subs.Values) WriteInfo(w, sub);
    }

    private static void WriteStatusSet(RespWriter w, IEnumerable<string> words, string prefix = "")
    {
        var list = words.ToList();
        w.SetHeader(list.Count);
        foreach (var word in list) w.SimpleString(prefix + word);
    }

    /// <summary>A key spec as COMMAND INFO shows it.</summary>
    public sealed record KeySpec(string[] Flags, string? Notes, string BeginType, long[] BeginArgs, string? Keyword, string FindType, long[] FindArgs);

    /// <summary>
    /// The command's key specs: one per <see cref="CommandDef.KeySpecFlags"/> entry. Unless the declaration says how
    /// its keys are found (<see cref="CommandDef.KeySpecSearch"/>), they are derived from FirstKey/LastKey/Step:
    /// each spec but the last covers one key, the last covers the rest of the range, as Redis's own specs do
    /// (GET: index 1 range 0; MSET: index 1 range -1 step 2; RPOPLPUSH: index 1 and index 2).
    /// </summary>
    public static List<KeySpec> KeySpecs(CommandDef def)
    {
        var result = new List<KeySpec>();
        var n = def.KeySpecFlags.Length;
        for (var i = 0; i < n; i++)
        {
            var flags = KeyFlagWords(def.KeySpecFlags[i]);
            var notes = i < def.KeySpecNotes.Length ? def.KeySpecNotes[i] : null;
            if (i < def.KeySpecSearch.Length && !string.IsNullOrEmpty(def.KeySpecSearch[i]))
            {
                result.Add(ParseSearch(def.KeySpecSearch[i], flags, notes));
                continue;
            }
            if (def.FirstKey <= 0)
            {
                // Keys found by a KeyFinder with no declared search: Redis's "unknown" spec.
                result.Add(new KeySpec(flags, notes, "unknown", [], null, "unknown", []));
                continue;
            }
            var step = Math.Max(1, def.Step);
            var begin = def.FirstKey + (long)i * step;
            long lastKey, keyStep = 1;
            if (i < n - 1) lastKey = 0;
            else
            {
                lastKey = def.LastKey < 0 ? def.LastKey : def.LastKey - begin;
                keyStep = step;
            }
            result.Add(new KeySpec(flags, notes, "index", [begin], null, "range", [lastKey, keyStep, 0]));
        }
        return result;
    }

    /// <summary>
    /// Parses a declared key search: a begin search ("index N", "keyword WORD STARTFROM" or "unknown") followed
    /// by a find-keys part ("range LASTKEY KEYSTEP LIMIT", "keynum KEYNUMIDX FIRSTKEY KEYSTEP" or "unknown").
    /// </summary>
    public static KeySpec ParseSearch(string search, string[] flags, string? notes)
    {
        var words = search.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var i = 0;
        string beginType = words[i++].ToLowerInvariant();
        long[] beginArgs;
        string? keyword = null;
        switch (beginType)
        {
            case "index":
                beginArgs = [Num(words[i++])];
                break;
            case "keyword":
                keyword = words[i++];
                beginArgs = [Num(words[i++])];
                break;
            case "unknown":
                beginArgs = [];
                break;
            default:
                throw new ArgumentException($"bad key spec begin search '{search}'");
        }
        var findType = words[i++].ToLowerInvariant();
        long[] findArgs = findType switch
        {
            "range" or "keynum" => [Num(words[i++]), Num(words[i++]), Num(words[i++])],
            "unknown" => [],
            _ => throw new ArgumentException($"bad key spec find keys '{search}'"),
        };
        return new KeySpec(flags, notes, beginType, beginArgs, keyword, findType, findArgs);

        static long Num(string s) => long.Parse(s, CultureInfo.InvariantCulture);
    }

    /// <summary>The declared key-spec flag words, in Redis's order and spelling.</summary>
    public static string[] KeyFlagWords(string declared)
    {
        var words = declared.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var result = new List<string>(words.Length);
        foreach (var name in KeyFlagOrder)
            foreach (var w in words)
                if (string.Equals(w, name, StringComparison.OrdinalIgnoreCase))
                {
                    result.Add(name);
                    break;
                }
        return result.ToArray();
    }

    private static void WriteKeySpec(RespWriter w, KeySpec spec)
    {
        w.MapHeader(spec.Notes != null ? 4 : 3);
        if (spec.Notes != null)
        {
            w.Bulk("notes");
            w.Bulk(spec.Notes);
        }
        w.Bulk("flags");
        WriteStatusSet(w, spec.Flags);

        w.Bulk("begin_search");
        w.MapHeader(2);
        w.Bulk("type");
        w.Bulk(spec.BeginType);
        w.Bulk("spec");
        switch (spec.BeginType)
        {
            case "index":
                w.MapHeader(1);
                w.Bulk("index");
                w.Integer(spec.BeginArgs[0]);
                break;
            case "keyword":
                w.MapHeader(2);
                w.Bulk("keyword");
                w.Bulk(spec.Keyword!);
                w.Bulk("startfrom");
                w.Integer(spec.BeginArgs[0]);
                break;
            default:
                w.MapHeader(0);
                break;
        }

        w.Bulk("find_keys");
        w.MapHeader(2);
        w.Bulk("type");
        w.Bulk(spec.FindType);
        w.Bulk("spec");
        switch (spec.FindType)
        {
            case "range":
                w.MapHeader(3);
                w.Bulk("lastkey");
                w.Integer(spec.FindArgs[0]);
                w.Bulk("keystep");
                w.Integer(spec.FindArgs[1]);
                w.Bulk("limit");
                w.Integer(spec.FindArgs[2]);
                break;
            case "keynum":
                w.MapHeader(3);
                w.Bulk("keynumidx");
                w.Integer(spec.FindArgs[0]);
                w.Bulk("firstkey");
                w.Integer(spec.FindArgs[1]);
                w.Bulk("keystep");
                w.Integer(spec.FindArgs[2]);
                break;
            default:
                w.MapHeader(0);
                break;
        }
    }

    /// <summary>Doc flags in the order Redis lists them.</summary>
    private static readonly string[] DocFlagOrder = ["deprecated", "syscmd"];

    /// <summary>One COMMAND DOCS entry's map, in addReplyCommandDocs's field order: summary, since, group, complexity,
    /// doc_flags, deprecated_since, replaced_by, history, arguments, subcommands.</summary>
    public static void WriteDocs(RespWriter w, CommandDef def)
    {
        var subs = def.Subcommands;
        var args = def.Syntax.Length > 0 ? CommandSyntax.Parse(def.Syntax, def.KeySpecFlags.Length) : null;
        var fields = 1;
        if (def.Summary.Length > 0) fields++;
        if (def.Since.Length > 0) fields++;
        if (def.Complexity.Length > 0) fields++;
        if (def.DocFlags.Length > 0) fields++;
        if (def.DeprecatedSince.Length > 0) fields++;
        if (def.ReplacedBy.Length > 0) fields++;
        if (def.History.Length > 0) fields++;
        if (args != null) fields++;
        if (subs != null) fields++;
        w.MapHeader(fields);
        if (def.Summary.Length > 0)
        {
            w.Bulk("summary");
            w.Bulk(def.Summary);
        }
        if (def.Since.Length > 0)
        {
            w.Bulk("since");
            w.Bulk(def.Since);
        }
        w.Bulk("group");
        w.Bulk(def.Group);
        if (def.Complexity.Length > 0)
        {
            w.Bulk("complexity");
            w.Bulk(def.Complexity);
        }
        if (def.DocFlags.Length > 0)
        {
            w.Bulk("doc_flags");
            WriteStatusSet(w, DocFlagOrder.Where(f => def.DocFlags.Contains(f)));
        }
        if (def.DeprecatedSince.Length > 0)
        {
            w.Bulk("deprecated_since");
            w.Bulk(def.DeprecatedSince);
        }
        if (def.ReplacedBy.Length > 0)
        {
            w.Bulk("replaced_by");
            w.Bulk(def.ReplacedBy);
        }
        if (def.History.Length > 0)
        {
            w.Bulk("history");
            w.SetHeader(def.History.Length);
            foreach (var (version, change) in def.History)
            {
                w.ArrayHeader(2);
                w.Bulk(version);
                w.Bulk(change);
            }
        }
        if (args != null)
        {
            w.Bulk("arguments");
            CommandSyntax.Write(w, args);
        }
        if (subs != null)
        {
            w.Bulk("subcommands");
            w.MapHeader(subs.Count);
            foreach (var sub in subs.Values)
            {
                w.Bulk(sub.Name);
                WriteDocs(w, sub);
            }
        }
    }

    /// <summary>COMMAND LIST: every command followed by its subcommands, optionally filtered.</summary>
    public static List<string> List(CommandTable table, Func<CommandDef, bool>? filter)
    {
        var names = new List<string>();
        foreach (var def in TopLevel(table))
        {
            if (filter == null || filter(def)) names.Add(def.Name);
            if (def.Subcommands == null) continue;
            foreach (var sub in def.Subcommands.Values)
                if (filter == null || filter(sub)) names.Add(sub.Name);
        }
        return names;
    }

    /// <summary>
    /// The flags of the key at position <paramref name="keyOrdinal"/> among a request's keys: from the key spec
    /// that covers it (specs in order, the last one covering the rest).
    /// </summary>
    public static string[] KeyFlagsFor(CommandDef def, CommandArgs args, int keyOrdinal)
    {
        if (def.VariableKeyFlags?.Invoke(args, keyOrdinal) is { } variable) return KeyFlagWords(variable);
        var n = def.KeySpecFlags.Length;
        if (n == 0) return [];
        return KeyFlagWords(def.KeySpecFlags[Math.Min(keyOrdinal, n - 1)]);
    }

    public static void WriteKeyFlags(RespWriter w, string[] flags) => WriteStatusSet(w, flags);
}
