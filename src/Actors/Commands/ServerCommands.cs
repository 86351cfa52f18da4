using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>Server commands.</summary>
public static class ServerCommands
{
    public static void Register(CommandTable t)
    {
    }
}
