using System.Text;
using Akka.Configuration;
using AkkaRedis.Actors.Server;

namespace AkkaRedis.Host;

/// <summary>
/// Builds the server's configuration as redis-server does: defaults (HOCON), then an optional config file
/// (first argument, or '-' for stdin), then '--name value...' arguments.
/// </summary>
public static class StartupConfig
{
    public sealed class FatalConfigError(string message) : Exception(message);

    public static Config LoadHocon(string? extraFile)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "HOCON");
        var config = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(dir, "server.conf")))
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(dir, "akka.conf"))));
        if (extraFile != null) config = ConfigurationFactory.ParseString(File.ReadAllText(extraFile)).WithFallback(config);
        return config;
    }

    /// <summary>Applies HOCON defaults, the config file and the arguments; throws <see cref="FatalConfigError"/> with Redis's wording.</summary>
    public static void Apply(ServerConfig config, Config hocon, string[] args, out string? akkaConfigFile)
    {
        akkaConfigFile = null;
        foreach (var entry in hocon.GetConfig("akkaredis.server").AsEnumerable())
        {
            var error = config.Set(entry.Key, entry.Value.GetString());
            if (error != null) throw new FatalConfigError($"Invalid HOCON setting akkaredis.server.{entry.Key}: {error}");
        }

        var text = new StringBuilder();
        var i = 0;
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            var file = args[0];
            text.Append(file == "-" ? Console.In.ReadToEnd() : ReadConfigFile(file)).Append('\n');
            config.ConfigFile = file == "-" ? null : Path.GetFullPath(file);
            i = 1;
        }
        var options = new StringBuilder();
        for (; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (arg == "--akka-config" && i + 1 < args.Length)
                {
                    akkaConfigFile = args[++i];
                    continue;
                }
                if (options.Length > 0) options.Append('\n');
                options.Append(arg[2..]);
            }
            else options.Append(' ').Append(Quote(arg));
        }
        text.Append(options);
        ApplyText(config, text.ToString());
    }

    private static string ReadConfigFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex)
        {
            throw new FatalConfigError($"Fatal error, can't open config file '{path}': {ex.Message}");
        }
    }

    /// <summary>Redis's loadServerConfigFromString: one directive per line, arguments split like sdssplitargs.</summary>
    public static void ApplyText(ServerConfig config, string text)
    {
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var argv = SplitArgs(line);
            string? error;
            if (argv == null) error = "Unbalanced quotes in configuration line";
            else if (argv.Count == 0) continue;
            else if (argv.Count < 2) error = "wrong number of arguments";
            else error = config.Set(argv[0], string.Join(' ', argv.Skip(1)));
            if (error != null)
                throw new FatalConfigError(
                    $"\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line {n + 1}\n>>> '{line}'\n{error}");
        }
    }

    private static string Quote(string arg) =>
        arg.Length == 0 || arg.Any(c => c is ' ' or '"' or '\'' or '\\' || char.IsControl(c))
            ? "\"" + arg.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t") + "\""
            : arg;

    /// <summary>sdssplitargs: whitespace-separated words, "double quotes" with escapes, 'single quotes'.</summary>
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
