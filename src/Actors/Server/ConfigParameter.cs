using System.Globalization;
using System.Text;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Server;

/// <summary>Redis's per-parameter config flags (config.c).</summary>
[Flags]
public enum ConfigFlags
{
    None = 0,
    /// <summary>Only settable at start-up: CONFIG SET answers "can't set immutable config".</summary>
    Immutable = 1 << 0,
    /// <summary>Holds a secret (passwords).</summary>
    Sensitive = 1 << 1,
    /// <summary>Not matched by CONFIG GET patterns, only by its exact name.</summary>
    Hidden = 1 << 2,
    /// <summary>CONFIG SET only when enable-protected-configs allows it.</summary>
    Protected = 1 << 3,
    /// <summary>The value is several space-separated arguments (save, bind, client-output-buffer-limit...).</summary>
    MultiArg = 1 << 4,
}

/// <summary>
/// One server parameter, by its redis.conf name: how CONFIG GET prints it, how a value is validated and applied
/// (config file, --option, HOCON, CONFIG SET), and how CONFIG REWRITE writes it back.
/// </summary>
public abstract class ConfigParameter
{
    protected ConfigParameter(string name, string? alias, ConfigFlags flags)
    {
        Name = name;
        Alias = alias;
        Flags = flags;
    }

    public string Name { get; }
    /// <summary>The other name Redis accepts for it (slave-read-only for replica-read-only...).</summary>
    public string? Alias { get; }
    public ConfigFlags Flags { get; }

    public bool Immutable => (Flags & ConfigFlags.Immutable) != 0;
    public bool Hidden => (Flags & ConfigFlags.Hidden) != 0;
    public bool Protected => (Flags & ConfigFlags.Protected) != 0;
    public bool MultiArg => (Flags & ConfigFlags.MultiArg) != 0;

    /// <summary>The value as CONFIG GET prints it; setting it back restores the same state.</summary>
    public abstract string Get();

    /// <summary>Validates and applies a value given as separate arguments (a config file line's words);
    /// returns Redis's reason text on failure (nothing changes then), null on success.</summary>
    public abstract string? Apply(IReadOnlyList<string> args);

    /// <summary>Applies a value given as one string (CONFIG SET, HOCON): multi-argument parameters split it on
    /// single spaces, as Redis does.</summary>
    public string? Set(string value) => Apply(MultiArg ? SplitOnSpaces(value) : [value]);

    /// <summary>CONFIG REWRITE: writes this parameter's lines into <paramref name="state"/>.</summary>
    public abstract void Rewrite(ConfigRewriteState state);

    /// <summary>sdssplitlen(value, " "): an empty string has no arguments; consecutive spaces give empty ones.</summary>
    public static string[] SplitOnSpaces(string value) => value.Length == 0 ? [] : value.Split(' ');

    /// <summary>Redis's sdscatrepr of the value's bytes, so the config file reads it back as it was.</summary>
    public static string Repr(string value) => SdsRepr.Of(Encoding.UTF8.GetBytes(value));
}

/// <summary>A yes/no parameter.</summary>
public sealed class BoolParameter : ConfigParameter
{
    private readonly bool _default;

    public BoolParameter(string name, string? alias, ConfigFlags flags, bool defaultValue) : base(name, alias, flags)
    {
        _default = defaultValue;
        Value = defaultValue;
    }

    public bool Value { get; set; }
    /// <summary>Extra check run before the value is applied; returns a reason to refuse it.</summary>
    public Func<bool, string?>? Validate { get; init; }

    public override string Get() => Value ? "yes" : "no";

    public override string? Apply(IReadOnlyList<string> args)
    {
        bool value;
        if (string.Equals(args[0], "yes", StringComparison.OrdinalIgnoreCase)) value = true;
        else if (string.Equals(args[0], "no", StringComparison.OrdinalIgnoreCase)) value = false;
        else return "argument must be 'yes' or 'no'";
        var error = Validate?.Invoke(value);
        if (error != null) return error;
        Value = value;
        return null;
    }

    public override void Rewrite(ConfigRewriteState state) =>
        state.RewriteLine(Name, $"{Name} {Get()}", Value != _default);
}

/// <summary>A free-form string parameter (paths, names, passwords).</summary>
public sealed class StringParameter : ConfigParameter
{
    private readonly string? _default;
    private readonly bool _emptyIsNull;

    /// <param name="emptyIsNull">Redis's EMPTY_STRING_IS_NULL: an empty value means "not set" (and is not rewritten).</param>
    public StringParameter(string name, string? alias, ConfigFlags flags, string? defaultValue, bool emptyIsNull) : base(name, alias, flags)
    {
        _default = defaultValue;
        _emptyIsNull = emptyIsNull;
        Value = emptyIsNull && string.IsNullOrEmpty(defaultValue) ? null : defaultValue ?? "";
    }

    /// <summary>Null when not set.</summary>
    public string? Value { get; set; }
    public Func<string, string?>? Validate { get; init; }

    public override string Get() => Value ?? "";

    public override string? Apply(IReadOnlyList<string> args)
    {
        var error = Validate?.Invoke(args[0]);
        if (error != null) return error;
        Value = _emptyIsNull && args[0].Length == 0 ? null : args[0];
        return null;
    }

    public override void Rewrite(ConfigRewriteState state)
    {
        if (Value == null)
        {
            state.MarkProcessed(Name);
            return;
        }
        state.RewriteLine(Name, $"{Name} {Repr(Value)}", !(_default != null && Value == _default));
    }
}

/// <summary>One of a fixed set of words; with <see cref="ConfigFlags.MultiArg"/>, a set of flag words.</summary>
public sealed class EnumParameter : ConfigParameter
{
    private readonly (string Name, int Value)[] _names;
    private readonly int _default;

    public EnumParameter(string name, string? alias, ConfigFlags flags, (string Name, int Value)[] names, int defaultValue) : base(name, alias, flags)
    {
        _names = names;
        _default = defaultValue;
        Value = defaultValue;
    }

    public int Value { get; set; }
    public Func<int, string?>? Validate { get; init; }
    private bool IsFlags => MultiArg;

    /// <summary>The first name listed for the value (e.g. oom-score-adj "relative" reads back as "yes", as in Redis).</summary>
    public string ValueName => NameOf(Value);

    public override string Get() => ValueName;

    private string NameOf(int value)
    {
        string? names = null;
        var unmatched = value;
        foreach (var (name, v) in _names)
        {
            if (v == value) return name;
            if (IsFlags && v != 0 && v == (unmatched & v))
            {
                names = names == null ? name : names + " " + name;
                unmatched &= ~v;
            }
        }
        return names == null || unmatched != 0 ? "unknown" : names;
    }

    public override string? Apply(IReadOnlyList<string> args)
    {
        var value = 0;
        foreach (var arg in args)
        {
            var found = false;
            foreach (var (name, v) in _names)
            {
                if (!string.Equals(name, arg, StringComparison.OrdinalIgnoreCase)) continue;
                value |= v;
                found = true;
                break;
            }
            if (!found)
            {
                var all = new StringBuilder("argument(s) must be one of the following: ");
                for (var i = 0; i < _names.Length; i++)
                {
                    if (i > 0) all.Append(", ");
                    all.Append(_names[i].Name);
                }
                return all.ToString();
            }
        }
        if (args.Count == 0) return "wrong number of arguments";
        var error = Validate?.Invoke(value);
        if (error != null) return error;
        Value = value;
        return null;
    }

    public override void Rewrite(ConfigRewriteState state) =>
        state.RewriteLine(Name, $"{Name} {Get()}", Value != _default);
}

/// <summary>How a numeric parameter is written and parsed.</summary>
public enum NumberFormat
{
    Integer,
    /// <summary>Bytes, with k/kb/m/mb/g/gb units accepted.</summary>
    Memory,
    /// <summary>Bytes, or a percentage "n%" (stored negative, as Redis does).</summary>
    MemoryOrPercent,
    Octal,
}

/// <summary>An integer parameter with Redis's bounds and its C type's signedness.</summary>
public sealed class NumberParameter : ConfigParameter
{
    private readonly long _default;

    /// <param name="unsigned">Redis's unsigned config types (unsigned int, unsigned long long, size_t): bounds are
    /// compared and printed unsigned.</param>
    public NumberParameter(string name, string? alias, ConfigFlags flags, long min, long max, long defaultValue,
        NumberFormat format = NumberFormat.Integer, bool unsigned = false) : base(name, alias, flags)
    {
        Min = min;
        Max = max;
        _default = defaultValue;
        Format = format;
        Unsigned = unsigned;
        Value = defaultValue;
    }

    public long Min { get; }
    public long Max { get; }
    public NumberFormat Format { get; }
    public bool Unsigned { get; }
    public long Value { get; set; }
    /// <summary>Adjusts an accepted value before it is stored (hz is capped to 1..500 as Redis does).</summary>
    public Func<long, long>? Normalize { get; init; }

    public override string Get()
    {
        if (Format == NumberFormat.MemoryOrPercent && Value < 0) return (-Value).ToString(CultureInfo.InvariantCulture) + "%";
        if (Format is NumberFormat.Memory or NumberFormat.MemoryOrPercent) return ((ulong)Value).ToString(CultureInfo.InvariantCulture);
        if (Format == NumberFormat.Octal) return Convert.ToString(Value, 8);
        return Value.ToString(CultureInfo.InvariantCulture);
    }

    public override string? Apply(IReadOnlyList<string> args)
    {
        var error = Parse(args[0], out var value) ?? CheckBounds(value);
        if (error != null) return error;
        Value = Normalize?.Invoke(value) ?? value;
        return null;
    }

    private string? Parse(string text, out long value)
    {
        var memory = Format is NumberFormat.Memory or NumberFormat.MemoryOrPercent;
        if (memory && ServerConfig.TryParseMemoryUnsigned(text, out var bytes))
        {
            value = (long)bytes;
            return null;
        }
        if (Format == NumberFormat.MemoryOrPercent && text.Length > 1 && text[^1] == '%' &&
            RedisNumbers.TryParseLong(Encoding.Latin1.GetBytes(text[..^1]), out value) && value >= 0)
        {
            value = -value;
            return null;
        }
        if (Format == NumberFormat.Octal && TryParseOctal(text, out value)) return null;
        if (Format == NumberFormat.Integer && RedisNumbers.TryParseLong(Encoding.Latin1.GetBytes(text), out value)) return null;
        value = 0;
        return Format switch
        {
            NumberFormat.MemoryOrPercent => "argument must be a memory or percent value",
            NumberFormat.Memory => "argument must be a memory value",
            NumberFormat.Octal => "argument couldn't be parsed as an octal number",
            _ => "argument couldn't be parsed into an integer",
        };
    }

    private string? CheckBounds(long value)
    {
        if (Unsigned)
        {
            var u = (ulong)value;
            if (u <= (ulong)Max && u >= (ulong)Min) return null;
            return Format == NumberFormat.Octal
                ? $"argument must be between {Convert.ToString(Min, 8)} and {Convert.ToString(Max, 8)} inclusive"
                : $"argument must be between {(ulong)Min} and {(ulong)Max} inclusive";
        }
        if (Format == NumberFormat.MemoryOrPercent && value < 0)
            return value < Min ? $"percentage argument must be less or equal to {-Min}" : null;
        if (value > Max || value < Min) return $"argument must be between {Min} and {Max} inclusive";
        return null;
    }

    /// <summary>strtoll(text, 8) with nothing left over.</summary>
    private static bool TryParseOctal(string text, out long value)
    {
        value = 0;
        var i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        var negative = false;
        if (i < text.Length && text[i] is '+' or '-') negative = text[i++] == '-';
        var start = i;
        for (; i < text.Length && text[i] is >= '0' and <= '7'; i++)
        {
            if (value > (long.MaxValue >> 3)) return false;
            value = value * 8 + (text[i] - '0');
        }
        if (i == start) return text.Length == 0; // strtoll leaves an empty string fully "consumed"
        if (negative) value = -value;
        return i == text.Length;
    }

    public override void Rewrite(ConfigRewriteState state)
    {
        var force = Value != _default;
        string text;
        if (Format == NumberFormat.MemoryOrPercent && Value < 0) text = (-Value).ToString(CultureInfo.InvariantCulture) + "%";
        else if (Format is NumberFormat.Memory or NumberFormat.MemoryOrPercent) text = FormatMemory(Value);
        else if (Format == NumberFormat.Octal) text = Convert.ToString(Value, 8);
        else text = Value.ToString(CultureInfo.InvariantCulture);
        state.RewriteLine(Name, $"{Name} {text}", force);
    }

    /// <summary>rewriteConfigFormatMemory: the largest of gb/mb/kb that divides the value exactly.</summary>
    public static string FormatMemory(long bytes)
    {
        const long gb = 1024L * 1024 * 1024, mb = 1024 * 1024, kb = 1024;
        if (bytes != 0 && bytes % gb == 0) return (bytes / gb).ToString(CultureInfo.InvariantCulture) + "gb";
        if (bytes != 0 && bytes % mb == 0) return (bytes / mb).ToString(CultureInfo.InvariantCulture) + "mb";
        if (bytes != 0 && bytes % kb == 0) return (bytes / kb).ToString(CultureInfo.InvariantCulture) + "kb";
        return bytes.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>A parameter with its own syntax (save, bind, dir, client-output-buffer-limit...).</summary>
public sealed class SpecialParameter : ConfigParameter
{
    private readonly Func<string> _get;
    private readonly Func<IReadOnlyList<string>, string?> _apply;
    private readonly Action<ConfigRewriteState> _rewrite;

    public SpecialParameter(string name, string? alias, ConfigFlags flags, Func<string> get,
        Func<IReadOnlyList<string>, string?> apply, Action<ConfigRewriteState> rewrite) : base(name, alias, flags)
    {
        _get = get;
        _apply = apply;
        _rewrite = rewrite;
    }

    public override string Get() => _get();
    public override string? Apply(IReadOnlyList<string> args) => _apply(args);
    public override void Rewrite(ConfigRewriteState state) => _rewrite(state);
}
