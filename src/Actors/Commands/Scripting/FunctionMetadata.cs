using AkkaRedis.Actors.Server;

namespace AkkaRedis.Actors.Commands.Scripting;

/// <summary>
/// A library's shebang line (functions.c's functionExtractLibMetaData): <c>#!&lt;engine&gt; name=&lt;library&gt;</c>, split as
/// sdssplitargs splits it. The code is a C string there: everything from a NUL byte on is not looked at.
/// </summary>
public readonly record struct FunctionMetadata(string Engine, string Name, int BodyStart)
{
    /// <summary>Null and the metadata, or the error text Redis replies (without "ERR ").</summary>
    public static string? TryParse(ReadOnlySpan<byte> code, out FunctionMetadata metadata)
    {
        metadata = default;
        var nul = code.IndexOf((byte)0);
        var text = nul >= 0 ? code[..nul] : code;
        if (!text.StartsWith("#!"u8)) return "Missing library metadata";
        var end = text.IndexOf((byte)'\n');
        if (end < 0) return "Invalid library metadata";
        var parts = ConfigText.SplitArgs(System.Text.Encoding.Latin1.GetString(text[..end]));
        if (parts == null || parts.Count == 0) return "Invalid library metadata";
        var engine = parts[0][2..];
        string? name = null;
        for (var i = 1; i < parts.Count; i++)
        {
            var part = parts[i];
            if (part.StartsWith("name=", StringComparison.OrdinalIgnoreCase))
            {
                if (name != null) return "Invalid metadata value, name argument was given multiple times";
                name = part[5..];
                continue;
            }
            return $"Invalid metadata value given: {part}";
        }
        if (name == null) return "Library name was not given";
        metadata = new FunctionMetadata(engine, name, end);
        return null;
    }

    /// <summary>functionsVerifyName: at least one character, all of them letters, digits or '_'.</summary>
    public static bool ValidName(string name)
    {
        if (name.Length == 0) return false;
        foreach (var ch in name)
            if (!(ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_')) return false;
        return true;
    }
}
