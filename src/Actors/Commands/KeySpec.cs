using System.Globalization;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

public enum BeginSearch { Index, Keyword, Unknown }

public enum FindKeys { Range, Keynum, Unknown }

/// <summary>
/// One key spec, in Redis 7.0's terms (server.h keySpec): where the search for keys begins (an index, or after a
/// keyword searched from <see cref="Start"/>) and how the keys are found from there (a range up to
/// <see cref="LastKey"/> every <see cref="KeyStep"/>, or a count at <see cref="KeyNumIndex"/>).
/// </summary>
public sealed record KeySpec(
    string[] Flags,
    BeginSearch Begin,
    int Start,
    string? Keyword,
    FindKeys Find,
    int LastKey,
    int KeyStep,
    int Limit,
    int KeyNumIndex,
    int FirstKey)
{
    /// <summary>Key-spec flag words, in the order Redis prints them.</summary>
    public static readonly string[] FlagOrder = ["RO", "RW", "OW", "RM", "access", "update", "insert", "delete", "not_key", "incomplete", "variable_flags"];

    /// <summary>A "fake" key (e.g. a channel): skipped when keys are looked up.</summary>
    public bool NotKey => Flags.Contains("not_key");
    public bool Incomplete => Flags.Contains("incomplete");
    public bool VariableFlags => Flags.Contains("variable_flags");

    /// <summary>
    /// The key specs a declaration describes: one per <see cref="CommandDef.KeySpecFlags"/> entry. Unless the
    /// declaration says how its keys are found (<see cref="CommandDef.KeySpecSearch"/>), they follow from
    /// FirstKey/LastKey/Step: each spec but the last covers one key, the last the rest of the range, as Redis's own
    /// specs do (GET: index 1 range 0; MSET: index 1 range -1 step 2; RPOPLPUSH: index 1 and index 2).
    /// </summary>
    public static KeySpec[] FromDeclaration(CommandDef def)
    {
        var n = def.KeySpecFlags.Length;
        var result = new KeySpec[n];
        for (var i = 0; i < n; i++)
        {
            var flags = FlagWords(def.KeySpecFlags[i]);
            if (i < def.KeySpecSearch.Length && !string.IsNullOrEmpty(def.KeySpecSearch[i]))
                result[i] = Parse(def.KeySpecSearch[i], flags);
            else if (def.FirstKey <= 0)
                // Keys found by a KeyFinder with no declared search: Redis's "unknown" spec.
                result[i] = new KeySpec(flags, BeginSearch.Unknown, 0, null, FindKeys.Unknown, 0, 0, 0, 0, 0);
            else
            {
                var step = Math.Max(1, def.Step);
                var begin = def.FirstKey + i * step;
                var last = i < n - 1 ? 0 : def.LastKey < 0 ? def.LastKey : def.LastKey - begin;
                result[i] = new KeySpec(flags, BeginSearch.Index, begin, null, FindKeys.Range, last, i < n - 1 ? 1 : step, 0, 0, 0);
            }
        }
        return result;
    }

    /// <summary>
    /// Parses a declared key search: a begin search ("index N", "keyword WORD STARTFROM" or "unknown") followed by a
    /// find-keys part ("range LASTKEY KEYSTEP LIMIT", "keynum KEYNUMIDX FIRSTKEY KEYSTEP" or "unknown"), e.g.
    /// ZUNIONSTORE's sources "index 2 keynum 0 1 1", XREAD's "keyword STREAMS 1 range -1 1 2".
    /// </summary>
    public static KeySpec Parse(string search, string[] flags)
    {
        var words = search.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var i = 0;
        BeginSearch begin;
        int start = 0;
        string? keyword = null;
        switch (words[i++].ToLowerInvariant())
        {
            case "index":
                begin = BeginSearch.Index;
                start = Num(words[i++]);
                break;
            case "keyword":
                begin = BeginSearch.Keyword;
                keyword = words[i++];
                start = Num(words[i++]);
                break;
            case "unknown":
                begin = BeginSearch.Unknown;
                break;
            default:
                throw new ArgumentException($"bad key spec begin search '{search}'");
        }
        switch (words[i++].ToLowerInvariant())
        {
            case "range":
                return new KeySpec(flags, begin, start, keyword, FindKeys.Range, Num(words[i]), Num(words[i + 1]), Num(words[i + 2]), 0, 0);
            case "keynum":
                return new KeySpec(flags, begin, start, keyword, FindKeys.Keynum, 0, Num(words[i + 2]), 0, Num(words[i]), Num(words[i + 1]));
            case "unknown":
                return new KeySpec(flags, begin, start, keyword, FindKeys.Unknown, 0, 0, 0, 0, 0);
            default:
                throw new ArgumentException($"bad key spec find keys '{search}'");
        }

        static int Num(string s) => int.Parse(s, CultureInfo.InvariantCulture);
    }

    /// <summary>The declared key-spec flag words, in Redis's order and spelling.</summary>
    public static string[] FlagWords(string declared)
    {
        var words = declared.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var result = new List<string>(words.Length);
        foreach (var name in FlagOrder)
            foreach (var w in words)
                if (string.Equals(w, name, StringComparison.OrdinalIgnoreCase))
                {
                    result.Add(name);
                    break;
                }
        return result.ToArray();
    }

    /// <summary>
    /// Redis's getKeysUsingKeySpecs (db.c): appends the positions of the keys of <paramref name="args"/> found by
    /// <paramref name="specs"/> (and, when <paramref name="specIndexes"/> is given, the spec that found each). False
    /// when a spec cannot say (an unknown spec, a bad numkeys, a range out of bounds): Redis then drops every key found
    /// and falls back to the command's getkeys_proc.
    /// </summary>
    public static bool TryGetKeys(KeySpec[] specs, CommandArgs args, List<int> keyIndexes, List<int>? specIndexes)
    {
        var argc = args.Length;
        for (var j = 0; j < specs.Length; j++)
        {
            var spec = specs[j];
            if (spec.NotKey) continue;
            int first;
            switch (spec.Begin)
            {
                case BeginSearch.Index:
                    first = spec.Start;
                    break;
                case BeginSearch.Keyword:
                    first = KeywordStart(spec, args);
                    if (first == 0) continue; // keyword not found: this spec has no keys
                    break;
                default:
                    return false;
            }
            int last, step;
            switch (spec.Find)
            {
                case FindKeys.Range:
                    step = spec.KeyStep;
                    if (spec.LastKey >= 0) last = first + spec.LastKey;
                    else if (spec.Limit == 0) last = argc + spec.LastKey;
                    else last = first + ((argc - first) / spec.Limit + spec.LastKey);
                    break;
                case FindKeys.Keynum:
                    step = spec.KeyStep;
                    if (spec.KeyNumIndex >= argc - first) return false;
                    if (!RedisNumbers.TryParseLong(args[first + spec.KeyNumIndex], out var numKeys) || numKeys < 0 || numKeys > argc)
                        return false;
                    first += spec.FirstKey;
                    last = first + (int)numKeys - 1;
                    break;
                default:
                    return false;
            }
            // First or last out of bounds: a syntax error the command itself reports.
            if (last >= argc || last < first || first >= argc) return false;
            for (var i = first; i <= last; i += step)
            {
                keyIndexes.Add(i);
                specIndexes?.Add(j);
            }
        }
        return true;
    }

    /// <summary>The argument after the spec's keyword, searched from <see cref="Start"/> (from the end when negative,
    /// backwards), or 0 when it is not there.</summary>
    private static int KeywordStart(KeySpec spec, CommandArgs args)
    {
        var argc = args.Length;
        var startIndex = spec.Start > 0 ? spec.Start : argc + spec.Start;
        var endIndex = spec.Start > 0 ? argc - 1 : 1;
        for (var i = startIndex; i != endIndex; i = startIndex <= endIndex ? i + 1 : i - 1)
        {
            if (i >= argc || i < 1) break;
            if (Keywords.Is(args[i], spec.Keyword!)) return i + 1;
        }
        return 0;
    }
}
