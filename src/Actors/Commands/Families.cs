namespace AkkaRedis.Actors.Commands;

/// <summary>Every command family's declarations.</summary>
public static class Families
{
    public static readonly Action<CommandTable>[] All =
    [
        ConnectionCommands.Register,
        ClientCommands.Register,
        StringCommands.Register,
        KeyCommands.Register,
        ListCommands.Register,
        ServerCommands.Register,
        DebugCommands.Register,
        IntrospectionCommands.Register,
    ];
}
