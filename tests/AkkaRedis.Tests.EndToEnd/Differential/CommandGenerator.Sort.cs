namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's commands of SORT and SORT_RO (sort.c).
public sealed partial class CommandGenerator
{
    // Patterns that name keys of the key space from list elements ("1" -> k1, "a" -> {t}a), fixed keys, a hash field,
    // and the element itself.
    private static readonly string[] SortByPatterns = ["k*", "k*", "{t}*", "nosort", "k*->f", "*", "nokey_*", "k1"];
    private static readonly string[] SortGetPatterns = ["#", "k*", "{t}*", "k*->f", "nokey_*", "k1", "*"];

    partial void BuildSort()
    {
        Add("sort", 4, () => Sort(readOnly: false));
        Add("sort_ro", 2, () => Sort(readOnly: true));
    }

    /// <summary>
    /// SORT with options in random order and case. Never BY pattern + ALPHA + LIMIT together: redis-server sorts that
    /// with its pqsort, which is not stable, and elements whose BY values tie (often: missing keys) could come out in
    /// another order than AkkaRedis's stable sort gives (SortScripts covers the combination without ties).
    /// </summary>
    private List<string> Sort(bool readOnly)
    {
        var args = new List<string> { Cmd(readOnly ? "SORT_RO" : "SORT"), Key() };
        var options = new List<List<string>>();
        var byPattern = false;
        var alpha = false;
        if (_rng.Next(3) == 0)
        {
            var pattern = Pick(SortByPatterns);
            byPattern = pattern.Contains('*');
            options.Add([Word("BY"), pattern]);
        }
        if (_rng.Next(3) == 0)
        {
            alpha = true;
            options.Add([Word("ALPHA")]);
        }
        if (_rng.Next(3) == 0) options.Add([Word(Pick(["ASC", "DESC", "DESC"]))]);
        if (_rng.Next(3) == 0 && !(byPattern && alpha)) options.Add([Word("LIMIT"), Pick(Offsets), Pick(Counts)]);
        for (var n = _rng.Next(4); n > 0 && _rng.Next(2) == 0; n--) options.Add([Word("GET"), Pick(SortGetPatterns)]);
        // Not with ALPHA BY a pattern: a set's elements would be stored in its dict order (ties are not broken).
        if (!readOnly && _rng.Next(3) == 0 && !(byPattern && alpha)) options.Add([Word("STORE"), Key()]);
        if (readOnly && _rng.Next(20) == 0) options.Add([Word("STORE"), Key()]); // a syntax error for SORT_RO
        if (_rng.Next(30) == 0) options.Add([Pick(["FOO", "LIMIT", "GET", "BY"])]); // incomplete or unknown
        Shuffle(options);
        foreach (var o in options) args.AddRange(o);
        return args;
    }
}
