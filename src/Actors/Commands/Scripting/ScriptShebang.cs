using System.Text;
using AkkaRedis.Actors.Lua;

namespace AkkaRedis.Actors.Commands.Scripting;

/// <summary>Redis 7.0's evalExtractShebangFlags: <c>#!lua flags=no-writes,allow-oom,...</c> on a script's first line.</summary>
public static class ScriptShebang
{
    private static readonly (string Name, ScriptFlags Flag)[] Known =
    [
        ("no-writes", ScriptFlags.NoWrites),
        ("allow-oom", ScriptFlags.AllowOom),
        ("allow-stale", ScriptFlags.AllowStale),
        ("no-cluster", ScriptFlags.NoCluster),
        ("allow-cross-slot-keys", ScriptFlags.AllowCrossSlotKeys),
    ];

    /// <summary>
    /// The flags of <paramref name="body"/> (EvalCompatMode when it has no shebang) and where its Lua code starts: at
    /// the shebang line's line feed, which stays so that line numbers are the user's. False with Redis's error text
    /// (without the '-'; the "ERR " addReplyErrorSds adds included) when the shebang is malformed.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out ScriptFlags flags, out int codeStart, out string? error)
    {
        flags = ScriptFlags.EvalCompatMode;
        codeStart = 0;
        error = null;
        if (!body.StartsWith("#!"u8)) return true;
        var end = body.IndexOf((byte)'\n');
        if (end < 0)
        {
            error = "ERR Invalid script shebang";
            return false;
        }
        var parts = Split(body[..end]);
        if (parts.Count == 0)
        {
            error = "ERR Invalid engine in script shebang";
            return false;
        }
        if (parts[0] != "#!lua")
        {
            error = "ERR Unexpected engine in script shebang: " + parts[0];
            return false;
        }
        flags = ScriptFlags.None;
        for (var i = 1; i < parts.Count; i++)
        {
            if (!parts[i].StartsWith("flags=", StringComparison.Ordinal))
            {
                error = "ERR Unknown lua shebang option: " + parts[i];
                return false;
            }
            var list = parts[i][6..];
            // sdssplitlen of an empty string yields no element: "flags=" declares no flag.
            if (list.Length == 0) continue;
            foreach (var name in list.Split(','))
            {
                var known = Array.FindIndex(Known, k => k.Name == name);
                if (known < 0)
                {
                    error = "ERR Unexpected flag in script shebang: " + name;
                    return false;
                }
                flags |= Known[known].Flag;
            }
        }
        codeStart = end;
        return true;
    }

    /// <summary>sdssplitargs for the shebang line: words separated by white space (bytes kept as Latin-1).</summary>
    private static List<string> Split(ReadOnlySpan<byte> line)
    {
        var parts = new List<string>();
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && IsSpace(line[i])) i++;
            if (i == line.Length) break;
            var start = i;
            while (i < line.Length && !IsSpace(line[i])) i++;
            parts.Add(Encoding.Latin1.GetString(line[start..i]));
        }
        return parts;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\v' or (byte)'\f';
}
