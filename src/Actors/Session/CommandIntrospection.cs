using AkkaRedis.Actors.Commands;
using AkkaRedis.Net.Resp;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Keyspace;

namespace AkkaRedis.Actors.Session;

/// <summary>
/// COMMAND's replies (INFO, DOCS, LIST, GETKEYS), written in Redis 7.0's format. What code needs (name, arity,
/// flags, key specs, ACL categories) comes from each command's declaration; what only these replies print (tips,
/// key-spec notes, the whole of COMMAND DOCS) from the recorded reference (<see cref="CommandReference"/>).
/// Only implemented commands and subcommands appear.
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
        if (def.Reference != null) def.Reference.Tips.Write(w);
        else w.SetHeader(0);
        var specs = def.KeySpecs;
        var recordedSpecs = def.Reference?.KeySpecs ?? [];
        w.SetHeader(specs.Length);
        for (var i = 0; i < specs.Length; i++)
            WriteKeySpec(w, specs[i], i < recordedSpecs.Length ? recordedSpecs[i].Field("notes") : null);
        // As Redis's addReplyCommandSubCommands: an empty set when there are none, else an array.
        var subs = Subcommands(def);
        if (subs.Count == 0)
        {
            w.SetHeader(0);
            return;
        }
        w.ArrayHeader(subs.Count);
        foreach (var sub in subs) WriteInfo(w, sub);
    }

    /// <summary>The implemented subcommands, by name (Redis's order is its hash table's, different in every run).</summary>
    private static List<CommandDef> Subcommands(CommandDef def)
    {
        var subs = new List<CommandDef>();
        if (def.Subcommands == null) return subs;
        subs.AddRange(def.Subcommands.Values);
        subs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return subs;
    }

    private static void WriteStatusSet(RespWriter w, IEnumerable<string> words, string prefix = "")
    {
        var list = words.ToList();
        w.SetHeader(list.Count);
        foreach (var word in list) w.SimpleString(prefix + word);
    }

    /// <summary>A key spec as COMMAND INFO shows it (addReplyCommandKeySpecs), with the notes Redis's spec has.</summary>
    private static void WriteKeySpec(RespWriter w, KeySpec spec, RefValue? notes)
    {
        w.MapHeader(notes != null ? 4 : 3);
        if (notes != null)
        {
            w.Bulk("notes");
            notes.Write(w);
        }
        w.Bulk("flags");
        WriteStatusSet(w, spec.Flags);

        w.Bulk("begin_search");
        w.MapHeader(2);
        w.Bulk("type");
        switch (spec.Begin)
        {
            case BeginSearch.Index:
                w.Bulk("index");
                w.Bulk("spec");
                w.MapHeader(1);
                w.Bulk("index");
                w.Integer(spec.Start);
                break;
            case BeginSearch.Keyword:
                w.Bulk("keyword");
                w.Bulk("spec");
                w.MapHeader(2);
                w.Bulk("keyword");
                w.Bulk(spec.Keyword!);
                w.Bulk("startfrom");
                w.Integer(spec.Start);
                break;
            default:
                w.Bulk("unknown");
                w.Bulk("spec");
                w.MapHeader(0);
                break;
        }

        w.Bulk("find_keys");
        w.MapHeader(2);
        w.Bulk("type");
        switch (spec.Find)
        {
            case FindKeys.Range:
                w.Bulk("range");
                w.Bulk("spec");
                w.MapHeader(3);
                w.Bulk("lastkey");
                w.Integer(spec.LastKey);
                w.Bulk("keystep");
                w.Integer(spec.KeyStep);
                w.Bulk("limit");
                w.Integer(spec.Limit);
                break;
            case FindKeys.Keynum:
                w.Bulk("keynum");
                w.Bulk("spec");
                w.MapHeader(3);
                w.Bulk("keynumidx");
                w.Integer(spec.KeyNumIndex);
                w.Bulk("firstkey");
                w.Integer(spec.FirstKey);
                w.Bulk("keystep");
                w.Integer(spec.KeyStep);
                break;
            default:
                w.Bulk("unknown");
                w.Bulk("spec");
                w.MapHeader(0);
                break;
        }
    }

    /// <summary>
    /// One COMMAND DOCS entry's map: the recorded one (addReplyCommandDocs's fields: summary, since, group,
    /// complexity, doc_flags, deprecated_since, replaced_by, history, arguments), with "subcommands" holding only the
    /// implemented ones. A command missing from the reference gets an empty map.
    /// </summary>
    public static void WriteDocs(RespWriter w, CommandDef def)
    {
        var docs = def.Reference?.Docs;
        if (docs == null)
        {
            w.MapHeader(0);
            return;
        }
        w.MapHeader(docs.Items.Length / 2);
        for (var i = 0; i + 1 < docs.Items.Length; i += 2)
        {
            docs.Items[i].Write(w);
            if (docs.Items[i].String != "subcommands")
            {
                docs.Items[i + 1].Write(w);
                continue;
            }
            var subs = Subcommands(def);
            w.MapHeader(subs.Count);
            foreach (var sub in subs)
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
    /// The flags of a request's key number <paramref name="keyOrdinal"/>, found by key spec
    /// <paramref name="specIndex"/> (-1: found by the command's KeyFinder, no spec): the request's own flags for
    /// variable_flags commands, else the spec's.
    /// </summary>
    public static string[] KeyFlagsFor(CommandDef def, CommandArgs args, int keyOrdinal, int specIndex)
    {
        if (def.VariableKeyFlags?.Invoke(args, keyOrdinal) is { } variable) return KeySpec.FlagWords(variable);
        return specIndex >= 0 && specIndex < def.KeySpecs.Length ? def.KeySpecs[specIndex].Flags : [];
    }

    public static void WriteKeyFlags(RespWriter w, string[] flags) => WriteStatusSet(w, flags);
}
