using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Server;

/// <summary>
/// COMMAND DOCS "arguments", derived from a command's usage line as Redis's documentation writes it
/// (<see cref="Commands.CommandDef.Syntax"/>), e.g. "key value [NX | XX] [GET] [EX seconds:integer | PX milliseconds:integer]":
/// <list type="bullet">
/// <item>a lower-case word is an argument ("key" is a key; "name:type" gives another type: integer, double, pattern,
/// unix-time...), an UPPER-CASE word a token, which introduces the argument(s) after it;</item>
/// <item>[...] is optional, &lt;...&gt; a required group, "a | b" a choice (oneof), several words a block, "..." repetition;
/// "x [x ...]" folds into one repeated argument, as Redis documents it;</item>
/// <item>name=[...] names a choice or a block (otherwise the names of its parts joined with '_').</item>
/// </list>
/// </summary>
public static class CommandSyntax
{
    public sealed class Arg
    {
        public string Name = "";
        public string Type = "string";
        public int KeySpecIndex = -1;
        public string? Token;
        public bool Optional;
        public bool Multiple;
        public List<Arg>? Args;
    }

    private static readonly HashSet<string> Types = ["string", "integer", "double", "key", "pattern", "unix-time", "pure-token"];

    public static List<Arg> Parse(string syntax, int keySpecCount)
    {
        var tokens = Tokenize(syntax);
        var pos = 0;
        var args = ParseSequence(tokens, ref pos, topLevel: true);
        if (pos != tokens.Count) throw new ArgumentException($"unbalanced syntax '{syntax}'");
        var keys = 0;
        NumberKeys(args, ref keys, Math.Max(1, keySpecCount));
        return args;
    }

    private static List<string> Tokenize(string syntax)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < syntax.Length)
        {
            var c = syntax[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (c is '[' or ']' or '<' or '>' or '|')
            {
                tokens.Add(c.ToString());
                i++;
                continue;
            }
            if (syntax.AsSpan(i).StartsWith("..."))
            {
                tokens.Add("...");
                i += 3;
                continue;
            }
            var start = i;
            while (i < syntax.Length && !char.IsWhiteSpace(syntax[i]) && syntax[i] is not ('[' or ']' or '<' or '>' or '|') &&
                   !syntax.AsSpan(i).StartsWith("...")) i++;
            tokens.Add(syntax[start..i]);
        }
        return tokens;
    }

    /// <summary>Items up to a closing bracket or '|': words, groups, and "..." marks.</summary>
    private static List<Arg> ParseSequence(List<string> tokens, ref int pos, bool topLevel)
    {
        var items = new List<Arg>();
        while (pos < tokens.Count)
        {
            var t = tokens[pos];
            if (t is "]" or ">" or "|") break;
            pos++;
            if (t == "...")
            {
                if (items.Count > 0) items[^1].Multiple = true;
                continue;
            }
            string? groupName = null;
            if (t.EndsWith('=') && pos < tokens.Count && tokens[pos] is "[" or "<")
            {
                groupName = t[..^1];
                t = tokens[pos++];
            }
            if (t is "[" or "<")
            {
                var group = ParseGroup(tokens, ref pos, t == "[" ? "]" : ">");
                group.Optional |= t == "[";
                if (groupName != null) group.Name = groupName;
                items.Add(group);
                continue;
            }
            items.Add(Word(t));
        }
        return AttachTokens(FoldRepetitions(items));
    }

    /// <summary>A bracketed group: one argument (possibly a block, or a oneof of alternatives).</summary>
    private static Arg ParseGroup(List<string> tokens, ref int pos, string close)
    {
        var alternatives = new List<List<Arg>> { ParseSequence(tokens, ref pos, topLevel: false) };
        while (pos < tokens.Count && tokens[pos] == "|")
        {
            pos++;
            alternatives.Add(ParseSequence(tokens, ref pos, topLevel: false));
        }
        if (pos >= tokens.Count || tokens[pos] != close) throw new ArgumentException("unbalanced brackets in command syntax");
        pos++;
        // "..." right before the closing bracket repeats the whole group: "[score member ...]".
        var repeated = alternatives.Count == 1 && alternatives[0].Count > 1 && alternatives[0][^1].Multiple && !alternatives[0][^1].Optional;
        if (repeated) alternatives[0][^1].Multiple = false;
        Arg result;
        if (alternatives.Count == 1) result = Single(alternatives[0]);
        else
        {
            var choices = alternatives.Select(Single).ToList();
            result = new Arg { Name = string.Join('_', choices.Select(c => c.Name)), Type = "oneof", Args = choices };
        }
        if (repeated) result.Multiple = true;
        return result;
    }

    /// <summary>A sequence as one argument: itself when it is one item, else a block (a leading token becomes the block's).</summary>
    private static Arg Single(List<Arg> items)
    {
        if (items.Count == 1) return items[0];
        string? token = null;
        if (items[0].Token != null && items[0].Type != "pure-token")
        {
            // "[LIMIT offset count]": the token introduces the whole block, not just its first argument.
            token = items[0].Token;
            items[0].Token = null;
        }
        return new Arg { Name = string.Join('_', items.Select(a => a.Name)), Type = "block", Token = token, Args = items };
    }

    private static Arg Word(string word)
    {
        if (word.Length > 0 && word.Any(char.IsLetter) && word == word.ToUpperInvariant())
            return new Arg { Name = word.ToLowerInvariant(), Type = "pure-token", Token = word };
        var colon = word.LastIndexOf(':');
        if (colon > 0 && Types.Contains(word[(colon + 1)..])) return new Arg { Name = word[..colon], Type = word[(colon + 1)..] };
        return new Arg { Name = word, Type = word == "key" ? "key" : "string" };
    }

    /// <summary>A token followed by an argument introduces it: "EX seconds" is the argument "seconds" with token EX.</summary>
    private static List<Arg> AttachTokens(List<Arg> items)
    {
        var result = new List<Arg>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Type == "pure-token" && !item.Optional && !item.Multiple && i + 1 < items.Count && items[i + 1].Token == null &&
                items[i + 1].Type != "pure-token" && items.Count > 1)
            {
                var next = items[i + 1];
                next.Token = item.Token;
                result.Add(next);
                i++;
                continue;
            }
            result.Add(item);
        }
        return result;
    }

    /// <summary>"key [key ...]" is one repeated "key"; "key value [key value ...]" one repeated block.</summary>
    private static List<Arg> FoldRepetitions(List<Arg> items)
    {
        for (var i = items.Count - 1; i >= 1; i--)
        {
            var group = items[i];
            if (!group.Optional || !group.Multiple) continue;
            var names = group.Type == "block" && group.Token == null ? group.Args!.Select(a => a.Name).ToList() : [group.Name];
            var n = names.Count;
            if (i - n < 0) continue;
            var before = items.GetRange(i - n, n);
            if (!before.Select(a => a.Name).SequenceEqual(names) || before.Any(a => a.Optional || a.Multiple || a.Args != null)) continue;
            Arg folded = n == 1
                ? before[0]
                : new Arg { Name = string.Join('_', names), Type = "block", Args = before };
            folded.Multiple = true;
            items.RemoveRange(i - n, n + 1);
            items.Insert(i - n, folded);
            i -= n;
        }
        return items;
    }

    private static void NumberKeys(List<Arg> args, ref int keys, int keySpecCount)
    {
        foreach (var arg in args)
        {
            if (arg.Type == "key") arg.KeySpecIndex = Math.Min(keys++, keySpecCount - 1);
            if (arg.Args != null) NumberKeys(arg.Args, ref keys, keySpecCount);
        }
    }

    /// <summary>addReplyCommandArgList: each argument as a map (name, type, key_spec_index, token, flags, arguments).</summary>
    public static void Write(RespWriter w, List<Arg> args)
    {
        w.ArrayHeader(args.Count);
        foreach (var arg in args)
        {
            var fields = 2;
            if (arg.KeySpecIndex >= 0) fields++;
            if (arg.Token != null) fields++;
            if (arg.Optional || arg.Multiple) fields++;
            if (arg.Args != null) fields++;
            w.MapHeader(fields);
            w.Bulk("name");
            w.Bulk(arg.Name);
            w.Bulk("type");
            w.Bulk(arg.Type);
            if (arg.KeySpecIndex >= 0)
            {
                w.Bulk("key_spec_index");
                w.Integer(arg.KeySpecIndex);
            }
            if (arg.Token != null)
            {
                w.Bulk("token");
                w.Bulk(arg.Token);
            }
            if (arg.Optional || arg.Multiple)
            {
                w.Bulk("flags");
                w.SetHeader((arg.Optional ? 1 : 0) + (arg.Multiple ? 1 : 0));
                if (arg.Optional) w.SimpleString("optional");
                if (arg.Multiple) w.SimpleString("multiple");
            }
            if (arg.Args != null)
            {
                w.Bulk("arguments");
                Write(w, arg.Args);
            }
        }
    }
}
