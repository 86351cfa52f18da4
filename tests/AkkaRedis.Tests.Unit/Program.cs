namespace AkkaRedis.Tests.Unit;

/// <summary>The test assembly's entry point: under the test runner it is never called; tests that need a process of
/// their own (process-wide settings read once, as .NET's socket engine reads DOTNET_SYSTEM_NET_SOCKETS_*) run this
/// assembly with <c>dotnet exec</c> and a probe's name.</summary>
public static class Program
{
    public static int Main(string[] args) => args switch
    {
        ["loop-tail-probe"] => LoopTailTests.Probe(),
        _ => 2,
    };
}
