using AkkaRedis.Tests.EndToEnd.Differential.Scripts;
using AkkaRedis.Tests.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.EndToEnd.Differential;

/// <summary>
/// Hand-written scripts, each run on a fresh connection to both servers after FLUSHALL, once in RESP2 and once after
/// HELLO 3 (unless the script switches protocols itself). One test case per script and protocol, e.g.
/// `Strings(script: "strings/incr-decr", resp: 3)`.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Differential")]
public sealed class ScriptedDifferentialTests(E2EServers servers, ITestOutputHelper output)
{
    private static readonly Dictionary<string, DiffScript> Registry = BuildRegistry();

    private static Dictionary<string, DiffScript> BuildRegistry()
    {
        var all = new Dictionary<string, DiffScript>(StringComparer.Ordinal);
        foreach (var s in ConnectionScripts.All().Concat(StringScripts.All()).Concat(KeyScripts.All()).Concat(ListScripts.All())
                     .Concat(ServerScripts.All()).Concat(ArityScripts.All()).Concat(IntrospectionScripts.All()).Concat(DebugScripts.All())
                     .Concat(HashScripts.All()).Concat(SetScripts.All()).Concat(ZSetScripts.All()).Concat(SortScripts.All())
                     .Concat(StreamScripts.All()).Concat(StreamGroupScripts.All()).Concat(BitmapScripts.All()).Concat(HyperLogLogScripts.All())
                     .Concat(GeoScripts.All()).Concat(TransactionScripts.All()).Concat(BlockingScripts.All()).Concat(PubSubScripts.All())
                     .Concat(NotificationScripts.All()).Concat(TrackingScripts.All()).Concat(ClientControlScripts.All())
                     .Concat(DumpScripts.All()).Concat(DumpScripts.Notifications()).Concat(DumpStreamScripts.All())
                     .Concat(ScriptingScripts.All()).Concat(LuaScripts.All()).Concat(FunctionScripts.All()))
            all.Add(s.ToString(), s);
        return all;
    }

    private static TheoryData<string, int> Cases(string family)
    {
        var data = new TheoryData<string, int>();
        foreach (var s in Registry.Values)
        {
            if (s.Family != family) continue;
            data.Add(s.ToString(), 2);
            if (!s.Resp2Only) data.Add(s.ToString(), 3);
        }
        return data;
    }

    public static TheoryData<string, int> ConnectionCases => Cases(ConnectionScripts.Family);
    public static TheoryData<string, int> StringCases => Cases(StringScripts.Family);
    public static TheoryData<string, int> KeyCases => Cases(KeyScripts.Family);
    public static TheoryData<string, int> ListCases => Cases(ListScripts.Family);
    public static TheoryData<string, int> ServerCases => Cases(ServerScripts.Family);
    public static TheoryData<string, int> ArityCases => Cases(ArityScripts.Family);
    public static TheoryData<string, int> IntrospectionCases => Cases(IntrospectionScripts.Family);
    public static TheoryData<string, int> DebugCases => Cases(DebugScripts.Family);
    public static TheoryData<string, int> HashCases => Cases(HashScripts.Family);
    public static TheoryData<string, int> SetCases => Cases(SetScripts.Family);
    public static TheoryData<string, int> ZSetCases => Cases(ZSetScripts.Family);
    public static TheoryData<string, int> SortCases => Cases(SortScripts.Family);
    public static TheoryData<string, int> StreamCases => Cases(StreamScripts.Family);
    public static TheoryData<string, int> StreamGroupCases => Cases(StreamGroupScripts.Family);
    public static TheoryData<string, int> BitmapCases => Cases(BitmapScripts.Family);
    public static TheoryData<string, int> HyperLogLogCases => Cases(HyperLogLogScripts.Family);
    public static TheoryData<string, int> GeoCases => Cases(GeoScripts.Family);
    public static TheoryData<string, int> TransactionCases => Cases(TransactionScripts.Family);
    public static TheoryData<string, int> BlockingCases => Cases(BlockingScripts.Family);
    public static TheoryData<string, int> PubSubCases => Cases(PubSubScripts.Family);
    public static TheoryData<string, int> NotificationCases => Cases(NotificationScripts.Family);
    public static TheoryData<string, int> TrackingCases => Cases(TrackingScripts.Family);
    public static TheoryData<string, int> ClientControlCases => Cases(ClientControlScripts.Family);
    public static TheoryData<string, int> DumpCases => Cases(DumpScripts.Family);
    public static TheoryData<string, int> ScriptingCases => Cases(ScriptingScripts.Family);
    public static TheoryData<string, int> LuaCases => Cases(LuaScripts.Family);
    public static TheoryData<string, int> FunctionCases => Cases(FunctionScripts.Family);

    [Theory, Trait("Family", "functions"), MemberData(nameof(FunctionCases))]
    public void Functions(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "dump"), MemberData(nameof(DumpCases))]
    public void Dump(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "connection"), MemberData(nameof(ConnectionCases))]
    public void Connection(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "strings"), MemberData(nameof(StringCases))]
    public void Strings(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "keys"), MemberData(nameof(KeyCases))]
    public void Keys(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "lists"), MemberData(nameof(ListCases))]
    public void Lists(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "server"), MemberData(nameof(ServerCases))]
    public void Server(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "arity"), MemberData(nameof(ArityCases))]
    public void Arity(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "introspection"), MemberData(nameof(IntrospectionCases))]
    public void Introspection(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "debug"), MemberData(nameof(DebugCases))]
    public void Debug(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "hashes"), MemberData(nameof(HashCases))]
    public void Hashes(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "sets"), MemberData(nameof(SetCases))]
    public void Sets(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "sorted-sets"), MemberData(nameof(ZSetCases))]
    public void SortedSets(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "sort"), MemberData(nameof(SortCases))]
    public void Sort(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "streams"), MemberData(nameof(StreamCases))]
    public void Streams(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "stream-groups"), MemberData(nameof(StreamGroupCases))]
    public void StreamGroups(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "bitmaps"), MemberData(nameof(BitmapCases))]
    public void Bitmaps(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "scripting"), MemberData(nameof(ScriptingCases))]
    public void Scripting(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "lua"), MemberData(nameof(LuaCases))]
    public void Lua(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "hyperloglog"), MemberData(nameof(HyperLogLogCases))]
    public void HyperLogLog(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "geo"), MemberData(nameof(GeoCases))]
    public void Geo(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "transactions"), MemberData(nameof(TransactionCases))]
    public void Transactions(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "blocking"), MemberData(nameof(BlockingCases))]
    public void Blocking(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "pubsub"), MemberData(nameof(PubSubCases))]
    public void PubSub(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "notifications"), MemberData(nameof(NotificationCases))]
    public void Notifications(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "tracking"), MemberData(nameof(TrackingCases))]
    public void Tracking(string script, int resp) => Run(script, resp);

    [Theory, Trait("Family", "client-control"), MemberData(nameof(ClientControlCases))]
    public void ClientControl(string script, int resp) => Run(script, resp);

    private void Run(string scriptName, int resp)
    {
        var script = Registry[scriptName];
        using var session = new DiffSession(servers, $"script {script} (RESP{resp})",
            replay: $"dotnet test tests/AkkaRedis.Tests.EndToEnd --filter \"DisplayName~{script}\"")
        {
            // AKKAREDIS_DIFF_TRACE=1: every step with redis-server's reply in the test output (to review a script).
            Trace = Environment.GetEnvironmentVariable("AKKAREDIS_DIFF_TRACE") == "1" ? output.WriteLine : null,
        };
        session.FlushAll();
        if (resp == 3) session.Prelude(DiffStep.Of("HELLO", "3"), "prelude HELLO 3");
        for (var i = 0; i < script.Steps.Count; i++)
        {
            var step = script.Steps[i];
            session.Run(step, $"step {i + 1}/{script.Steps.Count}" + (step.Line > 0 ? $" (script line {step.Line})" : ""));
        }
    }
}
