namespace AkkaRedis.Actors.Commands;

/// <summary>
/// Redis 7.0's functions (functions.c, function_lua.c): FUNCTION LOAD/LIST/DELETE/FLUSH/DUMP/RESTORE/STATS/KILL/HELP,
/// FCALL and FCALL_RO. STUB laid by the lead for issue 13; the functions helper fills it in.
/// </summary>
public static class FunctionCommands
{
    public static void Register(CommandTable t)
    {
    }
}
