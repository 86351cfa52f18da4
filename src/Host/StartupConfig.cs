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

        var i = 0;
        string? file = null;
        if (args.Length > 0 && args[0].Length > 0 && args[0][0] != '-')
        {
            file = args[0];
            config.ConfigFile = Path.GetFullPath(file);
            i = 1;
        }
        var options = new List<string>();
        var fromStdin = false;
        for (; i < args.Length; i++)
        {
            if (args[i] == "--akka-config" && i + 1 < args.Length)
            {
                akkaConfigFile = args[++i];
                continue;
            }
            // As redis-server: "-" as the first or last argument reads the config from stdin.
            if (args[i] == "-" && (i == 0 || (file != null && i == 1) || i == args.Length - 1))
            {
                fromStdin = true;
                continue;
            }
            options.Add(args[i]);
        }

        var text = file != null ? ReadConfigFile(file) : "";
        if (fromStdin) text += Console.In.ReadToEnd();
        if (options.Count > 0) text += "\n" + ConfigText.OptionsText(options);
        var fatal = ConfigText.Load(config, text);
        if (fatal != null) throw new FatalConfigError(fatal);
    }

    private static string ReadConfigFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var reason = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
                UnauthorizedAccessException => "Permission denied",
                _ => ex.Message,
            };
            throw new FatalConfigError($"Fatal error, can't open config file '{path}': {reason}");
        }
    }

    /// <summary>Redis's loadServerConfigFromString; see <see cref="ConfigText.Load"/>.</summary>
    public static void ApplyText(ServerConfig config, string text)
    {
        var fatal = ConfigText.Load(config, text);
        if (fatal != null) throw new FatalConfigError(fatal);
    }

    /// <summary>sdssplitargs; see <see cref="ConfigText.SplitArgs"/>.</summary>
    public static List<string>? SplitArgs(string line) => ConfigText.SplitArgs(line);
}
