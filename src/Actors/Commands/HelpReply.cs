using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

/// <summary>The reply of every "&lt;COMMAND&gt; HELP" subcommand, framed as Redis's addReplyHelp frames it.</summary>
public static class HelpReply
{
    public static void Write(RespWriter w, string command, string[] lines)
    {
        w.ArrayHeader(lines.Length + 3);
        w.SimpleString($"{command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        foreach (var line in lines) w.SimpleString(line);
        w.SimpleString("HELP");
        w.SimpleString("    Prints this help.");
    }
}
