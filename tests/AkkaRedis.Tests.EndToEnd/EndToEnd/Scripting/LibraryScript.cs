using System.Security.Cryptography;
using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd.Scripting;

/// <summary>
/// A Lua script as client libraries hold one (ioredis' defineCommand, redis-py's Script, StackExchange.Redis'
/// LuaScript, Redisson): its body and the SHA1 Redis names it by (sha1hex of the body, eval.c's evalGenericCommand).
/// <see cref="Run"/> sends EVALSHA and, on -NOSCRIPT (a server restarted, failed over or SCRIPT FLUSHed), the EVAL of the
/// body, which caches it again; how often that happened is counted in <see cref="Fallbacks"/>.
/// </summary>
public sealed class LibraryScript(string name, string body)
{
    public string Name { get; } = name;
    public string Body { get; } = body;
    public string Sha { get; } = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(body)));

    private int _fallbacks;
    public int Fallbacks => Volatile.Read(ref _fallbacks);

    /// <summary>SCRIPT LOAD, checking that the server names the script by the SHA1 the library computed.</summary>
    public void Load(RawRespClient client)
    {
        var reply = RespValue.Parse(client.Call("SCRIPT", "LOAD", Body));
        if (reply.IsError || reply.Text != Sha)
            throw new InvalidOperationException($"SCRIPT LOAD of {Name} answered {reply}, not the bulk {Sha}");
    }

    /// <summary>The script's reply; an error reply throws (a library raises it to the caller).</summary>
    public RespValue Run(RawRespClient client, IReadOnlyList<string> keys, params string[] args)
    {
        var reply = RespValue.Parse(client.Call(Command("EVALSHA", Sha, keys, args)));
        if (reply.IsError && reply.Text.StartsWith("NOSCRIPT ", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _fallbacks);
            reply = RespValue.Parse(client.Call(Command("EVAL", Body, keys, args)));
        }
        if (reply.IsError) throw new InvalidOperationException($"{Name}: {reply}");
        return reply;
    }

    private static string[] Command(string verb, string script, IReadOnlyList<string> keys, string[] args) =>
        [verb, script, keys.Count.ToString(), .. keys, .. args];
}
