using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Keyspace;

namespace AkkaRedis.Actors.Session;

/// <summary>Every command family's declarations: the keyspace families (Commands) and the connection-level ones
/// (this layer). The table is assembled here, the lowest layer that sees both.</summary>
public static class Families
{
    public static readonly Action<CommandTable>[] All =
    [
        ConnectionCommands.Register,
        ClientCommands.Register,
        TransactionCommands.Register,
        StringCommands.Register,
        KeyCommands.Register,
        ListCommands.Register,
        HashCommands.Register,
        SetCommands.Register,
        ZSetCommands.Register,
        SortCommands.Register,
        StreamCommands.Register,
        StreamGroupCommands.Register,
        BitmapCommands.Register,
        HyperLogLogCommands.Register,
        GeoCommands.Register,
        ServerCommands.Register,
        DebugCommands.Register,
        IntrospectionCommands.Register,
        PubSubCommands.Register,
        PersistenceCommands.Register,
        ScriptCommands.Register,
        FunctionCommands.Register,
    ];

    /// <summary>The table with every family registered.</summary>
    public static CommandTable CreateTable()
    {
        var table = new CommandTable();
        foreach (var register in All) register(table);
        return table;
    }
}
