using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>Client commands.</summary>
public static class ClientCommands
{
    public static void Register(CommandTable t)
    {
    }
}
