using System.Diagnostics;
using System.Text;
using AkkaRedis.Tests.EndToEnd.Differential.Scripts;
using AkkaRedis.Tests.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.EndToEnd.Differential;

/// <summary>
/// The write effects of every write command (<see cref="EffectScripts"/>) against what redis-server 7.0 sends its
/// replicas for the same commands: AkkaRedis's DEBUG EFFECTS stream next to redis-server's SYNC stream, compared
/// after every line by <see cref="EffectsDiff"/>.
/// Replies are compared too, as in the other differential scripts.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Effects")]
public sealed class EffectsDifferentialTests(E2EServers servers, ITestOutputHelper output)
{
    private static readonly Dictionary<string, EffectScripts.Script> Registry = EffectScripts.All().Concat(HashScripts.Effects()).Concat(ScriptingScripts.Effects()).Concat(SetScripts.Effects())
        .Concat(ZSetScripts.Effects()).Concat(SortScripts.Effects())
        .Concat(StreamScripts.Effects()).Concat(StreamGroupScripts.Effects()).Concat(BitmapScripts.Effects()).Concat(HyperLogLogScripts.Effects())
        .Concat(GeoScripts.Effects()).Concat(DumpScripts.Effects()).Concat(TransactionScripts.Effects()).Concat(BlockingScripts.Effects()).Concat(NotificationScripts.Effects()).Concat(PubSubScripts.Effects())
        .Concat(FunctionScripts.Effects())
        .ToDictionary(s => s.Name);

    public static TheoryData<string> Cases
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in Registry.Keys) data.Add(name);
            return data;
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void Script(string script)
    {
        var s = Registry[script];
        using var diff = new EffectsDiff(servers, $"effects script {script}",
            $"dotnet test tests/AkkaRedis.Tests.EndToEnd -c Release --no-build --filter \"FullyQualifiedName~EffectsDifferentialTests&DisplayName~{script}\"")
        {
            // AKKAREDIS_DIFF_TRACE=1: redis-server's effects after every line in the test output (to review a script).
            Trace = Environment.GetEnvironmentVariable("AKKAREDIS_DIFF_TRACE") == "1" ? output.WriteLine : null,
        };
        try
        {
            RunLines(s, diff);
        }
        finally
        {
            foreach (var command in s.Cleanup) EffectsDiff.OnBoth(servers, command);
        }
        output.WriteLine($"{diff.Checks} comparisons, {diff.Effects} effects equal on both servers");
    }

    private static void RunLines(EffectScripts.Script s, EffectsDiff diff)
    {
        var lines = s.Text.Split('\n');
        var since = new List<string>();
        var inMulti = false;
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            since.Add($"line {n + 1}: {line}");
            if (line.StartsWith("@wait ", StringComparison.Ordinal))
            {
                // A TTL running out on both servers' clocks (it was set before the previous reply was sent).
                var ms = int.Parse(line["@wait ".Length..]);
                var clock = Stopwatch.StartNew();
                Assert.True(Poll.Until(() => clock.ElapsedMilliseconds >= ms, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1)));
                continue;
            }
            // Lines may use the scripts' connection markers ([c2] [send] BLPOP q 0, [waitblocked] 1, [c2] [read]).
            var step = new DiffScript("effects", s.Name, line).Steps[0] with { Line = n + 1 };
            diff.Session.Run(step, $"line {n + 1}");
            if (step.Kind == StepKind.Send) continue; // a blocked command: checked once answered
            // Inside MULTI the check's marker would be queued: the lines up to EXEC/DISCARD are checked together.
            if (step.Kind == StepKind.Reply && step.Conn == 1)
            {
                var command = Encoding.UTF8.GetString(step.Args[0]).ToUpperInvariant();
                if (command == "MULTI") inMulti = true;
                else if (command is "EXEC" or "DISCARD") inMulti = false;
            }
            if (inMulti) continue;
            // A push that serves a waiter is checked with the waiter's answer: a BLMOVE across shards is served through
            // the Transaction actor just after the push's own reply.
            if (NextLine(lines, n) is { } next && next.Contains("[read]", StringComparison.Ordinal)) continue;
            diff.Check($"after line {n + 1} ({line})", since);
            since.Clear();
        }
    }

    private static string? NextLine(string[] lines, int n)
    {
        for (var i = n + 1; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length > 0 && !line.StartsWith('#')) return line;
        }
        return null;
    }

    /// <summary>Every command our table flags as a write has an effect script (a new write command needs one).</summary>
    [SkippableFact]
    public void EveryWriteCommandHasAScript()
    {
        Skip.If(AkkaRedisProcess.TargetIsRealRedis, "AKKAREDIS_E2E_TARGET=redis: redis-server has every write command, the scripts cover AkkaRedis's");
        using var client = servers.Akka.Connect();
        var reply = RespValue.Parse(client.Call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "write"));
        Assert.NotNull(reply.Items);
        var covered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in Registry.Values)
        foreach (var line in s.Text.Split('\n'))
        {
            var args = line.Trim();
            if (args.Length == 0 || args.StartsWith('#') || args.StartsWith('@')) continue;
            var split = Resp.SplitArgs(args);
            covered.Add(Encoding.UTF8.GetString(split[0]));
            // Subcommands are listed as "container|sub" (xgroup|create).
            if (split.Length > 1) covered.Add(Encoding.UTF8.GetString(split[0]) + "|" + Encoding.UTF8.GetString(split[1]));
        }
        var writes = reply.Items!.Select(i => Encoding.UTF8.GetString(i.Payload!)).ToList();
        Assert.NotEmpty(writes);
        var missing = writes.Where(w => !covered.Contains(w)).OrderBy(w => w, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "write commands without an effect script: " + string.Join(", ", missing));
    }
}
