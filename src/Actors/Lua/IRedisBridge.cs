using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Lua;

/// <summary>
/// What a running script reaches outside its Lua state: <c>redis.call</c> / <c>redis.pcall</c>, <c>redis.set_repl</c>,
/// <c>redis.log</c> and the instruction-count hook that SCRIPT KILL / FUNCTION KILL use. The command layer implements
/// it (Commands.Scripting); the Lua layer knows nothing of commands, shards or effects.
/// </summary>
/// <summary>What the count hook does with the running script (<see cref="IRedisBridge.Interrupt"/>).</summary>
public enum Interruption { None, Kill, Abort }

public interface IRedisBridge
{
    /// <summary>
    /// One command from <c>redis.call</c>/<c>redis.pcall</c> (scriptCall): <paramref name="argv"/> are the arguments as
    /// the VM converted them (strings as they are, numbers as Redis formats them). Writes exactly one RESP reply into
    /// <paramref name="reply"/> in its <see cref="RespWriter.Protocol"/> (2, or 3 after <c>redis.setresp(3)</c>):
    /// the command's reply, or an error reply when the command failed or the script may not run it. The VM turns the
    /// reply into Lua values (and raises, for <c>redis.call</c>, on an error reply).
    /// Returns false (nothing written) to abort the script at once, uncatchably (no <c>pcall</c> may swallow it, as
    /// Redis's kill hook): the caller decided to run it again another way (e.g. holding every shard, for a key it did
    /// not declare); the VM's <see cref="LuaVm.Call"/> then reports <see cref="LuaCallResult.Aborted"/>.
    /// </summary>
    bool Call(CommandArgs argv, RespWriter reply);

    /// <summary><c>redis.set_repl(flags)</c> (REPL_NONE 0, AOF 1, REPLICA 2, ALL 3), already range-checked.</summary>
    void SetRepl(int flags);

    /// <summary><c>redis.log(level, ...)</c>: the message with the arguments joined by spaces, as Redis logs it.</summary>
    void Log(int level, string message);

    /// <summary>Called from the VM's count hook (Redis's luaMaskCountHook, every 100,000 instructions): whether the
    /// script goes on, is killed (the VM raises Redis's kill error from Lua) or is aborted as a false
    /// <see cref="Call"/> aborts it (the caller runs it again elsewhere).</summary>
    Interruption Interrupt();

    /// <summary><c>redis.acl_check_cmd(...)</c>: whether the calling user may run <paramref name="argv"/> (true/false),
    /// or null when it names no command ("Invalid command passed to redis.acl_check_cmd()"). Added by the lua piece;
    /// the default allows everything (no ACL users yet).</summary>
    bool? AclCheck(CommandArgs argv) => true;
}
