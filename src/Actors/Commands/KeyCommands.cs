using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>Keys commands.</summary>
public static class KeyCommands
{
    public static void Register(CommandTable t)
    {
    }
}
