namespace AkkaRedis.Actors.Commands.Scripting;

/// <summary>A script or function whose runs can teach that it reaches keys it did not declare (EVAL's ScriptEntry,
/// a library's FunctionInfo).</summary>
public abstract class RoutedScript
{
    private volatile bool _needsEveryShard;

    /// <summary>Learned when a run of it reached a key of a shard it did not hold: from then on the session routes it
    /// holding every shard at once (no abort and re-run, and Redis's order with the commands pipelined after it).</summary>
    public bool NeedsEveryShard => _needsEveryShard;

    /// <summary>Sets the flag; false when it was set already.</summary>
    internal bool MarkNeedsEveryShard()
    {
        if (_needsEveryShard) return false;
        _needsEveryShard = true;
        return true;
    }
}

/// <summary>
/// What runs of scripts taught the session about their keys (issue 13), in one place for EVAL scripts and functions:
/// the learning (the flag on the script, and an "anything learned" flag per owner, so that routing costs one volatile
/// read until something is) and the session's question, <see cref="NeedsEveryShard"/>.
/// </summary>
public sealed class LearnedRouting
{
    private volatile int _learned;

    /// <summary>Some script of this owner (the script cache, the function registry) needs every shard.</summary>
    public bool Any => _learned != 0;

    /// <summary>A run of <paramref name="script"/> reached another shard's key: remember it.</summary>
    public void Learn(RoutedScript script)
    {
        if (script.MarkNeedsEveryShard()) _learned = 1;
    }

    /// <summary>Everything learned is forgotten (SCRIPT FLUSH drops the scripts themselves).</summary>
    public void Reset() => _learned = 0;

    /// <summary>The session's routing question for a command that runs a script (CommandDef.RunsScript) whose
    /// declared keys live on one shard: is the script or function it names known to reach keys elsewhere?</summary>
    public static bool NeedsEveryShard(CommandServices services, CommandDef def, Net.Resp.CommandArgs args) =>
        (services.Scripts.Routed(def, args) ?? services.Functions.Routed(def, args)) is { NeedsEveryShard: true };
}
