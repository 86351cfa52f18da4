using AkkaRedis.Net.Resp;
using System.Text;

namespace AkkaRedis.Actors.Commands;

/// <summary>All commands, each declared once by its family file's Register method.</summary>
public sealed class CommandTable
{
    private readonly Dictionary<string, CommandDef> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CommandDef>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<CommandDef> _all = new();

    public CommandTable() => _lookup = _byName.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Redis 7.0.15's recorded COMMAND INFO / DOCS data (loaded once, with the first table).</summary>
    public CommandReference Reference { get; } = CommandReference.Redis;

    /// <summary>Top-level commands.</summary>
    public IReadOnlyCollection<CommandDef> Commands => _byName.Values;

    /// <summary>Every command and subcommand, indexed by <see cref="CommandDef.Id"/>.</summary>
    public IReadOnlyList<CommandDef> AllWithSubcommands => _all;

    public CommandDef Add(CommandDef def)
    {
        def.Name = def.Name.ToLowerInvariant();
        def.NameBytes = Encoding.ASCII.GetBytes(def.Name);
        if (!_byName.TryAdd(def.Name, def)) throw new InvalidOperationException($"command '{def.Name}' declared twice");
        def.Id = _all.Count;
        _all.Add(def);
        Seal(def);
        return def;
    }

    /// <summary>Declares <paramref name="sub"/> (named without its container) as a subcommand of <paramref name="container"/>.</summary>
    public CommandDef AddSub(CommandDef container, CommandDef sub)
    {
        container.Subcommands ??= new Dictionary<string, CommandDef>(StringComparer.OrdinalIgnoreCase);
        var shortName = sub.Name.ToLowerInvariant();
        sub.Name = container.Name + "|" + shortName;
        sub.Parent = container;
        if (!container.Subcommands.TryAdd(shortName, sub)) throw new InvalidOperationException($"subcommand '{sub.Name}' declared twice");
        sub.Id = _all.Count;
        _all.Add(sub);
        Seal(sub);
        return sub;
    }

    private void Seal(CommandDef def)
    {
        def.Seal();
        def.Reference = Reference.Find(def.Name);
    }

    public CommandDef? Find(ReadOnlySpan<byte> name)
    {
        if (name.Length > 64) return null;
        Span<char> chars = stackalloc char[name.Length];
        for (var i = 0; i < name.Length; i++) chars[i] = (char)name[i];
        return _lookup.TryGetValue(chars, out var def) ? def : null;
    }

    public CommandDef? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// Resolves a request to its command or subcommand and checks arity. On failure returns null and the error
    /// reply Redis gives (without the leading '-').
    /// </summary>
    public CommandDef? Resolve(CommandArgs args, out string? error) => Resolve(args, out error, out _);

    /// <param name="lookedUp">The command Redis would have looked up, also when the request is rejected for its
    /// arity (its rejected_calls count it, CLIENT LIST shows it as cmd=); null for unknown commands and subcommands.</param>
    public CommandDef? Resolve(CommandArgs args, out string? error, out CommandDef? lookedUp) =>
        Resolve(Find(args[0]), args, out error, out lookedUp);

    /// <summary>
    /// <see cref="Resolve(CommandArgs, out string?, out CommandDef?)"/> with the caller's one-entry cache of the last
    /// command it resolved: a connection usually sends the same command again (a pipeline of SETs, of ZADDs), and a
    /// name compared with the last one's bytes costs less than its hash lookup (bytes widened to chars, hashed and
    /// compared ignoring case). The cache holds a command, never a subcommand or an arity verdict.
    /// </summary>
    public CommandDef? Resolve(CommandArgs args, out string? error, out CommandDef? lookedUp, ref CommandDef? last)
    {
        var name = args[0];
        CommandDef? def;
        if (last != null && Ascii.EqualsIgnoreCase(name, last.NameBytes)) def = last;
        else if ((def = Find(name)) != null) last = def;
        return Resolve(def, args, out error, out lookedUp);
    }

    private CommandDef? Resolve(CommandDef? def, CommandArgs args, out string? error, out CommandDef? lookedUp)
    {
        error = null;
        lookedUp = def;
        if (def == null)
        {
            error = UnknownCommandError(args);
            return null;
        }
        if (def.Subcommands != null)
        {
            if (args.Length < 2)
            {
                // A container that also runs on its own (COMMAND with no subcommand) is called as itself.
                if (def.ArityOk(args.Length) && (def.Handler != null || def.SessionHandler != null || def.ActorName != null)) return def;
                error = ArityError(def);
                return null;
            }
            var sub = lookedUp = FindIn(def.Subcommands, args[1]);
            if (sub == null)
            {
                error = $"ERR unknown subcommand '{CString.Text(args[1], 128)}'. Try {def.Name.ToUpperInvariant()} HELP.";
                return null;
            }
            def = sub;
        }
        if (!def.ArityOk(args.Length))
        {
            error = ArityError(def);
            return null;
        }
        return def;
    }

    public static string ArityError(CommandDef def) => $"ERR wrong number of arguments for '{def.FullName}' command";

    private static string UnknownCommandError(CommandArgs args)
    {
        var rest = new StringBuilder();
        for (var i = 1; i < args.Length && rest.Length < 128; i++)
        {
            var room = 128 - rest.Length;
            rest.Append('\'').Append(CString.Text(args[i], room)).Append("' ");
        }
        return $"ERR unknown command '{CString.Text(args[0], 128)}', with args beginning with: {rest}";
    }

    private static CommandDef? FindIn(Dictionary<string, CommandDef> subcommands, ReadOnlySpan<byte> name)
    {
        if (name.Length > 64) return null;
        Span<char> chars = stackalloc char[name.Length];
        for (var i = 0; i < name.Length; i++) chars[i] = (char)name[i];
        return subcommands.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars, out var sub) ? sub : null;
    }

    /// <summary>Redis's addReplySubcommandSyntaxError: the subcommand as typed (up to 128 bytes, C-string cut at a
    /// NUL), and the command's name as typed, upper-cased.</summary>
    public static string SubcommandSyntaxError(CommandArgs args) =>
        $"ERR unknown subcommand or wrong number of arguments for '{CString.Text(args[1], 128)}'. Try {CString.Text(args[0]).ToUpperInvariant()} HELP.";
}
