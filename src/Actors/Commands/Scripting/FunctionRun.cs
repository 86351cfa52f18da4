namespace AkkaRedis.Actors.Commands.Scripting;

/// <summary>
/// FCALL's run (the part of fcallCommandGeneric after its checks): scriptPrepareForRun with the function's flags, the
/// engine's call, scriptResetRun. The flags, the BUSY/KILL registry, the bridge and the write effects are the EVAL
/// family's run wrapper, shared with EVAL.
/// </summary>
public static class FunctionRun
{
    public static void Run(ExecContext c, FunctionInfo function, int numkeys, bool readOnly)
    {
        var vm = (c.FunctionVm ??= new FunctionVm(c.Services.Functions)).Sync(out var error);
        if (vm == null)
        {
            c.Reply.Error(error!.StartsWith("ERR ", StringComparison.Ordinal) ? error : "ERR " + error);
            return;
        }
        // Until the EVAL family's run wrapper is merged: refused rather than run without its checks.
        c.Reply.Error("ERR FCALL is not available yet");
    }
}
