namespace AkkaRedis.Actors.Commands;

/// <summary>
/// Redis 7.0's EVAL family (eval.c, script.c): EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT LOAD/EXISTS/FLUSH/KILL/HELP.
/// STUB laid by the lead for issue 13; the eval helper fills it in.
/// </summary>
public static class ScriptCommands
{
    public static void Register(CommandTable t)
    {
    }
}
