using System.Text;
using AkkaRedis.Actors.Lua;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit.Lua;

/// <summary>A tiny in-memory Redis behind IRedisBridge: enough commands to exercise the VM's conversions.</summary>
internal sealed class FakeBridge : IRedisBridge
{
    public readonly Dictionary<string, byte[]> Data = new();
    public readonly List<string> Calls = new();
    public readonly List<(int Level, string Message)> Logs = new();
    public int ReplFlags = -1;
    public bool AbortNext;
    public Func<bool> InterruptFn = () => false;
    public int Interrupts;

    public bool Call(CommandArgs argv, RespWriter reply)
    {
        if (AbortNext) return false;
        var name = argv[0].ToString().ToLowerInvariant();
        Calls.Add(string.Join(' ', Enumerable.Range(0, argv.Length).Select(i => argv[i].ToString())));
        switch (name)
        {
            case "get" when argv.Length == 2:
                if (Data.TryGetValue(argv[1].ToString(), out var v)) reply.Bulk(v);
                else reply.NullBulk();
                break;
            case "set" when argv.Length == 3:
                Data[argv[1].ToString()] = argv[2].ToArray();
                reply.Ok();
                break;
            case "incr" when argv.Length == 2:
                var cur = Data.TryGetValue(argv[1].ToString(), out var c) ? long.Parse(Encoding.ASCII.GetString(c)) : 0;
                cur++;
                Data[argv[1].ToString()] = Encoding.ASCII.GetBytes(cur.ToString());
                reply.Integer(cur);
                break;
            case "echo" when argv.Length == 2:
                reply.Bulk(argv[1].Span);
                break;
            case "raw" when argv.Length == 2: // the reply bytes as given (conversion tests)
                reply.WriteRaw(Encoding.Latin1.GetBytes(argv[1].ToString().Replace("\\r\\n", "\r\n")));
                break;
            case "get" or "set" or "incr" or "echo":
                reply.Error("ERR Wrong number of args calling Redis command from script");
                break;
            default:
                reply.Error("ERR Unknown Redis command called from script");
                break;
        }
        return true;
    }

    public void SetRepl(int flags) => ReplFlags = flags;
    public void Log(int level, string message) => Logs.Add((level, message));

    public Interruption Interrupt()
    {
        Interrupts++;
        return InterruptFn() ? Interruption.Kill : Interruption.None;
    }
}
