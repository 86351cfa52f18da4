using AkkaRedis.Actors.Server;
using System.Globalization;
using System.Text;

namespace AkkaRedis.Actors.Persistence;

/// <summary>The kind of an AOF file in the manifest (aof.c's AOF_FILE_TYPE_BASE/HIST/INCR: 'b', 'h', 'i').</summary>
public enum AofFileType : byte
{
    Base = (byte)'b',
    History = (byte)'h',
    Incr = (byte)'i',
}

/// <summary>One line of the manifest (aof.c's aofInfo).</summary>
public sealed record AofFileInfo(string Name, long Seq, AofFileType Type);

/// <summary>An invalid manifest: the message is the one Redis logs before exiting.</summary>
public sealed class AofManifestException(string message) : Exception(message);

/// <summary>
/// Redis 7's AOF manifest (aof.c's aofManifest): the base file, history files waiting to be deleted, and the
/// incremental files in order. Parsed as aofLoadManifestFromFile reads it (sdssplitargs on each line, '#' comments,
/// Redis's error messages) and written as getAofManifestAsString writes it (base, then history, then incr; names that
/// need it quoted as sdscatrepr quotes them). Immutable in use: a rewrite builds a new one and swaps it.
/// </summary>
public sealed class AofManifest
{
    public AofFileInfo? Base { get; set; }
    public List<AofFileInfo> History { get; } = new();
    public List<AofFileInfo> Incr { get; } = new();
    /// <summary>curr_base_file_seq / curr_incr_file_seq: the last sequence numbers handed out.</summary>
    public long BaseSeq { get; set; }
    public long IncrSeq { get; set; }

    public AofManifest Copy()
    {
        var copy = new AofManifest { Base = Base, BaseSeq = BaseSeq, IncrSeq = IncrSeq };
        copy.History.AddRange(History);
        copy.Incr.AddRange(Incr);
        return copy;
    }

    /// <summary>Names as Redis 7.0 makes them: appendonly.aof.1.base.rdb, appendonly.aof.2.incr.aof.</summary>
    public static string BaseName(string appendFileName, long seq, bool rdb) =>
        $"{appendFileName}.{seq.ToString(CultureInfo.InvariantCulture)}.base.{(rdb ? "rdb" : "aof")}";

    public static string IncrName(string appendFileName, long seq) =>
        $"{appendFileName}.{seq.ToString(CultureInfo.InvariantCulture)}.incr.aof";

    public static string ManifestName(string appendFileName) => appendFileName + ".manifest";

    /// <summary>getNewBaseFileNameAndMarkPreAsHistory: the next base; the current one becomes history.</summary>
    public AofFileInfo NewBase(string appendFileName, bool rdb)
    {
        if (Base != null) History.Add(Base with { Type = AofFileType.History });
        Base = new AofFileInfo(BaseName(appendFileName, ++BaseSeq, rdb), BaseSeq, AofFileType.Base);
        return Base;
    }

    /// <summary>getNewIncrAofName: the next incremental file, appended to the list.</summary>
    public AofFileInfo NewIncr(string appendFileName)
    {
        var info = new AofFileInfo(IncrName(appendFileName, ++IncrSeq), IncrSeq, AofFileType.Incr);
        Incr.Add(info);
        return info;
    }

    /// <summary>markRewrittenIncrAofAsHistory: after a rewrite, the incr files are covered by the new base, except the
    /// last one while the AOF is on (opened at the rewrite's start, being appended to).</summary>
    public void MarkRewrittenIncrAsHistory(bool keepLast)
    {
        var keep = keepLast && Incr.Count > 0 ? 1 : 0;
        while (Incr.Count > keep)
        {
            History.Add(Incr[0] with { Type = AofFileType.History });
            Incr.RemoveAt(0);
        }
    }

    // ---- text -------------------------------------------------------------------------------------------------------

    /// <summary>getAofManifestAsString.</summary>
    public string Format()
    {
        var sb = new StringBuilder();
        if (Base != null) FormatLine(sb, Base);
        foreach (var h in History) FormatLine(sb, h);
        foreach (var i in Incr) FormatLine(sb, i);
        return sb.ToString();
    }

    /// <summary>aofInfoFormat: "file &lt;name&gt; seq &lt;n&gt; type &lt;c&gt;\n".</summary>
    private static void FormatLine(StringBuilder sb, AofFileInfo info)
    {
        sb.Append("file ").Append(NeedsRepr(info.Name) ? Repr(info.Name) : info.Name)
            .Append(" seq ").Append(info.Seq.ToString(CultureInfo.InvariantCulture))
            .Append(" type ").Append((char)info.Type).Append('\n');
    }

    /// <summary>sdsneedsrepr: quoting characters, non-printable bytes and spaces.</summary>
    public static bool NeedsRepr(string s)
    {
        foreach (var c in s)
            if (c is '\\' or '"' or '\n' or '\r' or '\t' or '\a' or '\b' || c < 0x21 || c > 0x7e) return true;
        return false;
    }

    /// <summary>sdscatrepr over the name's Latin-1 bytes (file names are bytes to Redis).</summary>
    public static string Repr(string s) => SdsRepr.Of(Encoding.Latin1.GetBytes(s));

    /// <summary>aofLoadManifestFromFile over the file's text (Latin-1: one char per byte).</summary>
    public static AofManifest Parse(string text)
    {
        var manifest = new AofManifest();
        long maxSeq = 0;
        var lines = 0;
        var position = 0;
        while (position < text.Length)
        {
            var newline = text.IndexOf('\n', position);
            var raw = newline < 0 ? text[position..] : text[position..newline];
            position = newline < 0 ? text.Length : newline + 1;
            lines++;
            if (raw.StartsWith('#')) continue;
            // fgets keeps the newline; a last line without one is the "too long line" case (it did not fit).
            if (newline < 0) throw new AofManifestException("The AOF manifest file contains too long line");
            var line = raw.Trim(' ', '\t', '\r', '\n');
            if (line.Length == 0) throw new AofManifestException("Invalid AOF manifest file format");
            var argv = SplitArgs(line);
            // 'argc < 6' leaves room for keys a later version adds (forward compatibility, as Redis says).
            if (argv == null || argv.Count < 6 || argv.Count % 2 != 0) throw new AofManifestException("Invalid AOF manifest file format");
            string? name = null;
            long seq = 0;
            char type = '\0';
            for (var i = 0; i < argv.Count; i += 2)
            {
                if (argv[i].Equals("file", StringComparison.OrdinalIgnoreCase))
                {
                    name = argv[i + 1];
                    if (name.Contains('/') || name.Contains('\\')) throw new AofManifestException("File can't be a path, just a filename");
                }
                else if (argv[i].Equals("seq", StringComparison.OrdinalIgnoreCase)) seq = Atoll(argv[i + 1]);
                else if (argv[i].Equals("type", StringComparison.OrdinalIgnoreCase)) type = argv[i + 1].Length > 0 ? argv[i + 1][0] : '\0';
            }
            if (string.IsNullOrEmpty(name) || seq == 0 || type == '\0') throw new AofManifestException("Invalid AOF manifest file format");
            switch ((AofFileType)type)
            {
                case AofFileType.Base:
                    if (manifest.Base != null) throw new AofManifestException("Found duplicate base file information");
                    manifest.Base = new AofFileInfo(name, seq, AofFileType.Base);
                    manifest.BaseSeq = seq;
                    break;
                case AofFileType.History:
                    manifest.History.Add(new AofFileInfo(name, seq, AofFileType.History));
                    break;
                case AofFileType.Incr:
                    if (seq <= maxSeq) throw new AofManifestException("Found a non-monotonic sequence number");
                    manifest.Incr.Add(new AofFileInfo(name, seq, AofFileType.Incr));
                    manifest.IncrSeq = seq;
                    maxSeq = seq;
                    break;
                default:
                    throw new AofManifestException("Unknown AOF file type");
            }
        }
        if (lines == 0) throw new AofManifestException("Found an empty AOF manifest");
        return manifest;
    }

    /// <summary>atoll: leading digits (with a sign), 0 when there are none.</summary>
    private static long Atoll(string s)
    {
        var i = 0;
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
        var negative = i < s.Length && s[i] == '-';
        if (i < s.Length && s[i] is '-' or '+') i++;
        long value = 0;
        for (; i < s.Length && s[i] is >= '0' and <= '9'; i++) value = unchecked(value * 10 + (s[i] - '0'));
        return negative ? -value : value;
    }

    /// <summary>sdssplitargs: words separated by spaces; "double quotes" with \xHH, \n, \r, \t, \b, \a escapes,
    /// 'single quotes' with \' only; a closing quote must be followed by a space or the end. Null when unbalanced.</summary>
    public static List<string>? SplitArgs(string line)
    {
        var result = new List<string>();
        var p = 0;
        while (true)
        {
            while (p < line.Length && char.IsWhiteSpace(line[p])) p++;
            if (p >= line.Length) return result;
            var current = new StringBuilder();
            bool inq = false, insq = false, done = false;
            while (!done)
            {
                if (inq)
                {
                    if (p >= line.Length) return null;
                    if (line[p] == '\\' && p + 3 < line.Length && line[p + 1] == 'x' && IsHex(line[p + 2]) && IsHex(line[p + 3]))
                    {
                        current.Append((char)(HexValue(line[p + 2]) * 16 + HexValue(line[p + 3])));
                        p += 3;
                    }
                    else if (line[p] == '\\' && p + 1 < line.Length)
                    {
                        p++;
                        current.Append(line[p] switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'b' => '\b', 'a' => '\a', var c => c });
                    }
                    else if (line[p] == '"')
                    {
                        if (p + 1 < line.Length && !char.IsWhiteSpace(line[p + 1])) return null;
                        done = true;
                    }
                    else current.Append(line[p]);
                }
                else if (insq)
                {
                    if (p >= line.Length) return null;
                    if (line[p] == '\\' && p + 1 < line.Length && line[p + 1] == '\'')
                    {
                        p++;
                        current.Append('\'');
                    }
                    else if (line[p] == '\'')
                    {
                        if (p + 1 < line.Length && !char.IsWhiteSpace(line[p + 1])) return null;
                        done = true;
                    }
                    else current.Append(line[p]);
                }
                else
                {
                    if (p >= line.Length) done = true;
                    else
                        switch (line[p])
                        {
                            case ' ' or '\n' or '\r' or '\t' or '\0':
                                done = true;
                                break;
                            case '"':
                                inq = true;
                                break;
                            case '\'':
                                insq = true;
                                break;
                            default:
                                current.Append(line[p]);
                                break;
                        }
                }
                if (p < line.Length) p++;
            }
            result.Add(current.ToString());
        }
    }

    private static bool IsHex(char c) => c is >= '0' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F';
    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
