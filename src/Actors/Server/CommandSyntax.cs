using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Server;

/// <summary>
/// COMMAND DOCS "arguments", derived from a command's usage line as Redis's documentation writes it
/// (<see cref="Commands.CommandDef.Syntax"/>), e.g.
/// "key value condition=[NX | XX]@2.6.12 [GET]@6.2.0 expiration=[EX seconds:integer | ... | KEEPTTL@6.0.0]":
/// <list type="bullet">
/// <item>a lower-case word is an argument ("key" is a key; "name:type" gives another type: key, integer, double,
/// pattern, unix-time...), an UPPER-CASE word a token, which introduces the argument after it ("EX seconds" is the
/// argument "seconds" with token EX; "TYPE &lt;A | B&gt;" a choice with token TYPE) or stands alone (a pure token);</item>
/// <item>[...] is optional, &lt;...&gt; a required group, "a | b" a choice (oneof), several words a block (a leading
/// token introduces the whole block: "[LIMIT offset count]"); "..." after an item repeats it (multiple);</item>
/// <item>"x [x ...]" folds into one repeated argument, as Redis documents it; "TOKEN x [TOKEN x ...]" into one
/// argument whose token is repeated too (multiple_token);</item>
/// <item>name=[...] / name=&lt;...&gt; names a group: a oneof when it has choices, else a block, even of one argument.
/// An unnamed group of one argument is that argument; an unnamed choice or block is named after its parts, joined
/// with '_';</item>
/// <item>suffixes after an item: "@7.0.0" is the version that added it (since), "@deprecated:2.8.12" the version
/// that deprecated it.</item>
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
        public string? Since;
        public string? DeprecatedSince;
        public bool Optional;
        public bool Multiple;
        public bool MultipleToken;
        public List<Arg>? Args;
    }

    private static readonly HashSet<string> Types = ["string", "integer", "double", "key", "pattern", "unix-time", "pure-token"];

    private const string DeprecatedPrefix = "@deprecated:";

    public static List<Arg> Parse(string syntax, int keySpecCount)
    {
        var tokens = Tokenize(syntax);
        var pos = 0;
        var args = ParseSequence(tokens, ref pos);
        if (pos != tokens.Count) throw new ArgumentException($"unbalanced syntax '{syntax}'");
        var keys = 0;
        NumberKeys(args, ref keys, Math.Max(1, keySpecCount));
        return args;
    }

    private static bool IsPunctuation(char c) => c is '[' or ']' or '<' or '>' or '|';

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
            if (IsPunctuation(c))
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
            // A word, or an "@..." suffix (which ends a word: "seconds:integer@2.6.12").
            var start = i++;
            while (i < syntax.Length && !char.IsWhiteSpace(syntax[i]) && !IsPunctuation(syntax[i]) && syntax[i] != '@' &&
                   !syntax.AsSpan(i).StartsWith("...")) i++;
            tokens.Add(syntax[start..i]);
        }
        return tokens;
    }

    /// <summary>Items up to a closing bracket or '|': words and groups, each with its suffixes.</summary>
    private static List<Arg> ParseSequence(List<string> tokens, ref int pos)
    {
        var items = new List<Arg>();
        while (pos < tokens.Count)
        {
            var t = tokens[pos];
            if (t is "]" or ">" or "|") break;
            pos++;
            if (t == "...")
            {
                if (items.Count == 0) throw new ArgumentException("'...' repeats nothing");
                items[^1].Multiple = true;
                continue;
            }
            if (t.StartsWith('@'))
            {
                if (items.Count == 0) throw new ArgumentException($"'{t}' annotates nothing");
                if (t.StartsWith(DeprecatedPrefix, StringComparison.Ordinal)) items[^1].DeprecatedSince = t[DeprecatedPrefix.Length..];
                else items[^1].Since = t[1..];
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
                var group = ParseGroup(tokens, ref pos, t == "[" ? "]" : ">", groupName);
                group.Optional |= t == "[";
                items.Add(group);
                continue;
            }
            items.Add(Word(t));
        }
        return AttachTokens(FoldRepetitions(items));
    }

    /// <summary>A bracketed group: one argument (itself, a block, or a oneof of alternatives).</summary>
    private static Arg ParseGroup(List<string> tokens, ref int pos, string close, string? name)
    {
        var alternatives = new List<List<Arg>> { ParseSequence(tokens, ref pos) };
        while (pos < tokens.Count && tokens[pos] == "|")
        {
            pos++;
            alternatives.Add(ParseSequence(tokens, ref pos));
        }
        if (pos >= tokens.Count || tokens[pos] != close) throw new ArgumentException("unbalanced brackets in command syntax");
        pos++;
        // "..." right after the last of several items repeats the whole group: "[score member ...]".
        var repeated = alternatives.Count == 1 && alternatives[0].Count > 1 && alternatives[0][^1].Multiple && !alternatives[0][^1].Optional;
        if (repeated) alternatives[0][^1].Multiple = false;
        Arg result;
        if (alternatives.Count > 1)
        {
            var choices = alternatives.Select(a => Single(a, null)).ToList();
            result = new Arg { Name = name ?? string.Join('_', choices.Select(c => c.Name)), Type = "oneof", Args = choices };
        }
        else result = Single(alternatives[0], name);
        if (repeated) result.Multiple = true;
        return result;
    }

    /// <summary>
    /// A sequence as one argument: a named sequence is a block; an unnamed one is its only item, or a block named
    /// after its items (a leading token then introduces the whole block).
    /// </summary>
    private static Arg Single(List<Arg> items, string? name)
    {
        if (name == null && items.Count == 1) return items[0];
        string? token = null;
        if (name == null && items[0].Token != null && items[0].Type != "pure-token")
        {
            token = items[0].Token;
            items[0].Token = null;
        }
        return new Arg { Name = name ?? string.Join('_', items.Select(a => a.Name)), Type = "block", Token = token, Args = items };
    }

    private static Arg Word(string word)
    {
        if (word.Any(char.IsLetter) && word == word.ToUpperInvariant())
            return new Arg { Name = word.ToLowerInvariant(), Type = "pure-token", Token = word };
        var colon = word.LastIndexOf(':');
        if (colon > 0 && Types.Contains(word[(colon + 1)..])) return new Arg { Name = word[..colon], Type = word[(colon + 1)..] };
        return new Arg { Name = word, Type = word == "key" ? "key" : "string" };
    }

    private static bool IsBareToken(Arg a) => a.Type == "pure-token" && !a.Optional && !a.Multiple && a.Since == null && a.DeprecatedSince == null;

    /// <summary>A token followed by an argument introduces it: "EX seconds" is the argument "seconds" with token EX.</summary>
    private static List<Arg> AttachTokens(List<Arg> items)
    {
        if (items.Count < 2) return items;
        var result = new List<Arg>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (IsBareToken(item) && i + 1 < items.Count && items[i + 1].Token == null && items[i + 1].Type != "pure-token")
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

    /// <summary>
    /// "key [key ...]" is one repeated "key"; "key value [key value ...]" one repeated block; "PREFIX prefix
    /// [PREFIX prefix ...]" one repeated "prefix" whose token repeats too. Runs before tokens are attached, so the
    /// items before the repetition are still bare words.
    /// </summary>
    private static List<Arg> FoldRepetitions(List<Arg> items)
    {
        for (var i = items.Count - 1; i >= 1; i--)
        {
            var group = items[i];
            if (!group.Optional || !group.Multiple) continue;
            List<Arg> parts = group.Type == "block" && group.Token == null ? group.Args! : [group];
            // The words the repetition repeats: its parts' tokens (if any) and names.
            var words = new List<string>();
            foreach (var part in parts)
            {
                if (part.Token != null && part.Type != "pure-token") words.Add(part.Token);
                words.Add(part.Name);
            }
            var n = words.Count;
            if (i - n < 0) continue;
            var before = items.GetRange(i - n, n);
            var matches = true;
            for (var j = 0; j < n && matches; j++)
            {
                var b = before[j];
                matches = b.Args == null && !b.Optional && !b.Multiple &&
                          (b.Type == "pure-token" ? b.Token == words[j] : b.Token == null && b.Name == words[j]);
            }
            if (!matches) continue;
            var prefix = AttachTokens(before);
            Arg folded;
            if (prefix.Count == 1)
            {
                folded = prefix[0];
                folded.MultipleToken = folded.Token != null;
            }
            else folded = new Arg { Name = string.Join('_', prefix.Select(a => a.Name)), Type = "block", Args = prefix };
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

    /// <summary>addReplyCommandArgList: each argument as a map, in Redis's field order (name, type, key_spec_index,
    /// token, since, deprecated_since, flags, arguments).</summary>
    public static void Write(RespWriter w, List<Arg> args)
    {
        w.ArrayHeader(args.Count);
        foreach (var arg in args)
        {
            var flagCount = (arg.Optional ? 1 : 0) + (arg.Multiple ? 1 : 0) + (arg.MultipleToken ? 1 : 0);
            var fields = 2;
            if (arg.KeySpecIndex >= 0) fields++;
            if (arg.Token != null) fields++;
            if (arg.Since != null) fields++;
            if (arg.DeprecatedSince != null) fields++;
            if (flagCount > 0) fields++;
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
            if (arg.Since != null)
            {
                w.Bulk("since");
                w.Bulk(arg.Since);
            }
            if (arg.DeprecatedSince != null)
            {
                w.Bulk("deprecated_since");
                w.Bulk(arg.DeprecatedSince);
            }
            if (flagCount > 0)
            {
                w.Bulk("flags");
                w.SetHeader(flagCount);
                if (arg.Optional) w.SimpleString("optional");
                if (arg.Multiple) w.SimpleString("multiple");
                if (arg.MultipleToken) w.SimpleString("multiple_token");
            }
            if (arg.Args != null)
            {
                w.Bulk("arguments");
                Write(w, arg.Args);
            }
        }
    }
}
