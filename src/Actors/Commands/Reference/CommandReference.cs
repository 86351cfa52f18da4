using System.Globalization;
using System.Text;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// One recorded RESP3 value of the command reference: an array, map, set, bulk or simple string, integer or null,
/// kept with its type so that it can be written back in RESP2 or RESP3 exactly as redis-server writes it.
/// </summary>
public sealed class RefValue
{
    private RefValue(char kind, byte[]? text, long integer, RefValue[]? items)
    {
        Kind = kind;
        Text = text ?? [];
        Integer = integer;
        Items = items ?? [];
    }

    /// <summary>'*' array, '%' map (Items holds key, value, key, value...), '~' set, '$' bulk, '+' simple, ':' integer, '_' null.</summary>
    public char Kind { get; }
    public byte[] Text { get; }
    public long Integer { get; }
    public RefValue[] Items { get; }

    public string String => Encoding.Latin1.GetString(Text);

    /// <summary>A map's value for <paramref name="key"/>, or null.</summary>
    public RefValue? Field(string key)
    {
        for (var i = 0; i + 1 < Items.Length; i += 2)
            if (Items[i].String == key) return Items[i + 1];
        return null;
    }

    public void Write(RespWriter w)
    {
        switch (Kind)
        {
            case '*':
                w.ArrayHeader(Items.Length);
                break;
            case '~':
                w.SetHeader(Items.Length);
                break;
            case '%':
                w.MapHeader(Items.Length / 2);
                break;
            case '$':
                w.Bulk(Text);
                return;
            case '+':
                w.SimpleString(Text);
                return;
            case ':':
                w.Integer(Integer);
                return;
            default:
                w.NullBulk();
                return;
        }
        foreach (var item in Items) item.Write(w);
    }

    /// <summary>Reads one value of the reference file's format (see scripts/record-command-reference).</summary>
    internal static RefValue Read(IReadOnlyList<string> lines, ref int at)
    {
        var line = lines[at++].TrimStart(' ');
        var kind = line[0];
        var rest = line.AsSpan(1);
        switch (kind)
        {
            case '*' or '~' or '%':
                var count = int.Parse(rest, CultureInfo.InvariantCulture) * (kind == '%' ? 2 : 1);
                var items = new RefValue[count];
                for (var i = 0; i < count; i++) items[i] = Read(lines, ref at);
                return new RefValue(kind, null, 0, items);
            case '$' or '+':
                return new RefValue(kind, Unescape(rest), 0, null);
            case ':':
                return new RefValue(kind, null, long.Parse(rest, CultureInfo.InvariantCulture), null);
            case '_':
                return new RefValue(kind, null, 0, null);
            default:
                throw new FormatException($"command reference line {at}: unknown type '{kind}'");
        }
    }

    private static byte[] Unescape(ReadOnlySpan<char> text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\')
            {
                bytes.Add((byte)c);
                continue;
            }
            c = text[++i];
            switch (c)
            {
                case 'r': bytes.Add((byte)'\r'); break;
                case 'n': bytes.Add((byte)'\n'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'x':
                    bytes.Add(byte.Parse(text.Slice(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                default: bytes.Add((byte)c); break;
            }
        }
        return bytes.ToArray();
    }
}

/// <summary>One command's (or subcommand's) recorded COMMAND INFO entry and COMMAND DOCS map.</summary>
public sealed class ReferenceEntry
{
    internal ReferenceEntry(RefValue info, RefValue docs)
    {
        Info = info;
        Docs = docs;
        Name = info.Items[0].String;
    }

    /// <summary>"get", or "client|kill" for a subcommand.</summary>
    public string Name { get; }

    /// <summary>The 10-element COMMAND INFO entry: name, arity, flags, first key, last key, step, ACL categories,
    /// tips, key specs, subcommands.</summary>
    public RefValue Info { get; }

    /// <summary>The COMMAND DOCS map (summary, since, group, complexity, ..., arguments, subcommands).</summary>
    public RefValue Docs { get; }

    /// <summary>A container's subcommands, by full name ("client|kill").</summary>
    public Dictionary<string, ReferenceEntry> Subcommands { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int Arity => (int)Info.Items[1].Integer;
    public IEnumerable<string> Flags => Info.Items[2].Items.Select(v => v.String);
    public int FirstKey => (int)Info.Items[3].Integer;
    public int LastKey => (int)Info.Items[4].Integer;
    public int Step => (int)Info.Items[5].Integer;
    /// <summary>ACL categories as COMMAND INFO lists them ("@read", "@string", ...).</summary>
    public IEnumerable<string> AclCategories => Info.Items[6].Items.Select(v => v.String);
    public RefValue Tips => Info.Items[7];
    public RefValue[] KeySpecs => Info.Items[8].Items;
}

/// <summary>
/// The COMMAND INFO and COMMAND DOCS data of every Redis 7.0.15 command, as recorded from redis-server by
/// scripts/record-command-reference into Reference/redis-7.0.15-commands.txt (embedded in this assembly; generated,
/// never hand-edited). Read once, on first use. It holds what only COMMAND INFO / DOCS print (summaries, argument
/// trees, history, tips, key-spec notes); what code needs is declared with each command and a unit test holds
/// the two together.
/// </summary>
public sealed class CommandReference
{
    private const string ResourceName = "AkkaRedis.Actors.Commands.Reference.redis-7.0.15-commands.txt";

    private static readonly Lazy<CommandReference> Recorded = new(LoadEmbedded);

    private readonly Dictionary<string, ReferenceEntry> _topLevel = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The recorded Redis 7.0.15 reference.</summary>
    public static CommandReference Redis => Recorded.Value;

    /// <summary>Every top-level command Redis 7.0.15 has, by name.</summary>
    public IReadOnlyDictionary<string, ReferenceEntry> TopLevel => _topLevel;

    /// <summary>"get" or "client|kill" (case-insensitive), or null when Redis has no such command.</summary>
    public ReferenceEntry? Find(string fullName)
    {
        var bar = fullName.IndexOf('|');
        if (bar < 0) return _topLevel.GetValueOrDefault(fullName);
        var container = _topLevel.GetValueOrDefault(fullName[..bar]);
        return container?.Subcommands.GetValueOrDefault(fullName);
    }

    private static CommandReference LoadEmbedded()
    {
        using var stream = typeof(CommandReference).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return Parse(reader);
    }

    /// <summary>Reads the reference file: "@name" then the command's INFO entry and DOCS map, per command.</summary>
    public static CommandReference Parse(TextReader reader)
    {
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
            if (line.Length > 0 && line[0] != '#') lines.Add(line);
        var reference = new CommandReference();
        var at = 0;
        while (at < lines.Count)
        {
            var header = lines[at++];
            if (header[0] != '@') throw new FormatException($"command reference: expected '@name', found '{header}'");
            var info = RefValue.Read(lines, ref at);
            var docs = RefValue.Read(lines, ref at);
            var entry = new ReferenceEntry(info, docs);
            // A container's subcommands are inside its INFO entry (10th element) and DOCS map ("subcommands").
            var subDocs = docs.Field("subcommands");
            foreach (var subInfo in info.Items[9].Items)
            {
                var name = subInfo.Items[0].String;
                var sub = new ReferenceEntry(subInfo, subDocs?.Field(name)
                    ?? throw new FormatException($"command reference: no COMMAND DOCS for '{name}'"));
                entry.Subcommands.Add(name, sub);
            }
            reference._topLevel.Add(entry.Name, entry);
        }
        return reference;
    }
}
