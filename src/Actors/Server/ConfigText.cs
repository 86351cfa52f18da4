using System.Text;

namespace AkkaRedis.Actors.Server;

/// <summary>redis.conf text: loading it at start-up as redis-server does, and the helpers CONFIG REWRITE shares.</summary>
public static class ConfigText
{
    /// <summary>
    /// Redis's loadServerConfigFromString: one directive per line, '#' comments, arguments split by
    /// <see cref="SplitArgs"/>. Returns null on success, or the "*** FATAL CONFIG FILE ERROR ***" block Redis
    /// prints (on stderr) before exiting with status 1.
    /// </summary>
    public static string? Load(ServerConfig config, string text)
    {
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim(' ', '\t', '\r', '\n');
            if (line.Length == 0 || line[0] == '#') continue;
            var argv = SplitArgs(line);
            string? error;
            if (argv == null) error = "Unbalanced quotes in configuration line";
            else if (argv.Count == 0) continue;
            else error = config.SetFromFile(argv[0], argv.GetRange(1, argv.Count - 1));
            if (error != null)
                return $"\n*** FATAL CONFIG FILE ERROR (Redis {ServerVersion.Redis}) ***\nReading the configuration file, at line {n + 1}\n>>> '{line}'\n{error}";
        }
        return null;
    }

    /// <summary>
    /// What redis-server's main() appends to the config file for its command line options: each "--name" starts a
    /// new line, each value follows quoted (sdscatrepr) and space-separated; a bare "--save" means save "".
    /// </summary>
    public static string OptionsText(IReadOnlyList<string> args)
    {
        var options = new StringBuilder();
        var handledLastConfigArg = true;
        for (var j = 0; j < args.Count; j++)
        {
            var arg = args[j];
            if (handledLastConfigArg && arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (options.Length > 0) options.Append('\n');
                options.Append(arg, 2, arg.Length - 2).Append(' ');
                var words = SplitArgs(arg);
                if (words is { Count: 1 })
                {
                    // Only the option's name: its values follow as separate arguments.
                    handledLastConfigArg = false;
                    var isSave = string.Equals(arg, "--save", StringComparison.OrdinalIgnoreCase);
                    var nextIsOption = j != args.Count - 1 && args[j + 1].StartsWith("--", StringComparison.Ordinal);
                    if (isSave && nextIsOption)
                    {
                        options.Append("\"\"");
                        handledLastConfigArg = true;
                    }
                    else if (isSave && j == args.Count - 1) options.Append("\"\"");
                }
                else handledLastConfigArg = true;
            }
            else
            {
                options.Append(ConfigParameter.Repr(arg)).Append(' ');
                handledLastConfigArg = true;
            }
        }
        return options.ToString();
    }

    /// <summary>sdssplitargs: whitespace-separated words, "double quotes" with escapes, 'single quotes'; null when
    /// quotes are unbalanced.</summary>
    public static List<string>? SplitArgs(string line)
    {
        var result = new List<string>();
        var i = 0;
        while (true)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
            if (i >= line.Length) return result;
            var current = new StringBuilder();
            bool inDouble = false, inSingle = false, done = false;
            while (!done)
            {
                if (inDouble)
                {
                    if (i >= line.Length) return null;
                    var c = line[i];
                    if (c == '\\' && i + 3 < line.Length && line[i + 1] == 'x' && Uri.IsHexDigit(line[i + 2]) && Uri.IsHexDigit(line[i + 3]))
                    {
                        current.Append((char)Convert.ToInt32(line.Substring(i + 2, 2), 16));
                        i += 3;
                    }
                    else if (c == '\\' && i + 1 < line.Length)
                    {
                        i++;
                        current.Append(line[i] switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'b' => '\b', 'a' => '\a', var x => x });
                    }
                    else if (c == '"')
                    {
                        if (i + 1 < line.Length && !char.IsWhiteSpace(line[i + 1])) return null;
                        done = true;
                    }
                    else current.Append(c);
                }
                else if (inSingle)
                {
                    if (i >= line.Length) return null;
                    var c = line[i];
                    if (c == '\\' && i + 1 < line.Length && line[i + 1] == '\'')
                    {
                        i++;
                        current.Append('\'');
                    }
                    else if (c == '\'')
                    {
                        if (i + 1 < line.Length && !char.IsWhiteSpace(line[i + 1])) return null;
                        done = true;
                    }
                    else current.Append(c);
                }
                else
                {
                    if (i >= line.Length)
                    {
                        done = true;
                        break;
                    }
                    var c = line[i];
                    switch (c)
                    {
                        case ' ' or '\n' or '\r' or '\t' or '\0':
                            done = true;
                            break;
                        case '"':
                            inDouble = true;
                            break;
                        case '\'':
                            inSingle = true;
                            break;
                        default:
                            current.Append(c);
                            break;
                    }
                }
                if (i < line.Length) i++;
            }
            result.Add(current.ToString());
        }
    }
}
