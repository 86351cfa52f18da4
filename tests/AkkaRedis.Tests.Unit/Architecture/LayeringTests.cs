namespace AkkaRedis.Tests.Unit.Architecture;

/// <summary>
/// Keeps the layers as ARCHITECTURE.md draws them: Storage ← Server services ← Tracing ← Commands ← Keyspace ← Session and
/// the dedicated actors ← the composition (AkkaRedis.Actors.ServerActors); Net references nothing of Actors.
/// Reads the built assemblies (signatures and IL), so a reference hidden in a method body counts too.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>Namespace (first segment under AkkaRedis.Actors) → layer. Equal layers are siblings: they must not
    /// reference each other (the session talks to the dedicated actors through messages and refs of Keyspace).</summary>
    private static readonly Dictionary<string, int> ActorLayers = new()
    {
        ["Storage"] = 0,
        ["Server"] = 1, // configuration, slow log/latency data, runtime ids: used by every layer above
        ["Lua"] = 1, // the Lua 5.1 states scripts run in (binding, sandbox, libraries): knows nothing of commands
        ["Tracing"] = 2, // command traces (reads the configuration)
        ["Commands"] = 3,
        ["Keyspace"] = 4,
        ["Session"] = 5,
        ["Transactions"] = 5,
        ["Expiry"] = 5,
        ["PubSub"] = 5,
        ["Replication"] = 5,
        ["Persistence"] = 5,
        [""] = 6, // AkkaRedis.Actors itself: the composition root of the actor layers
    };

    private static string? ActorsGroup(string ns)
    {
        if (ns == "AkkaRedis.Actors") return "";
        if (!ns.StartsWith("AkkaRedis.Actors.", StringComparison.Ordinal)) return null;
        var rest = ns["AkkaRedis.Actors.".Length..];
        var dot = rest.IndexOf('.');
        return dot < 0 ? rest : rest[..dot];
    }

    private static string AssemblyPath(Type type) => type.Assembly.Location;

    [Fact]
    public void Actors_layers_reference_only_lower_layers()
    {
        var violations = new List<string>();
        foreach (var (from, to, where) in AssemblyReferences.Read(AssemblyPath(typeof(Actors.ServerActors))))
        {
            var fromGroup = ActorsGroup(from.Namespace);
            var toGroup = ActorsGroup(to.Namespace);
            if (fromGroup == null || toGroup == null || fromGroup == toGroup) continue;
            if (!ActorLayers.TryGetValue(fromGroup, out var fromLayer))
            {
                violations.Add($"{from.Name}: namespace {from.Namespace} has no layer (add it to LayeringTests.ActorLayers)");
                continue;
            }
            if (!ActorLayers.TryGetValue(toGroup, out var toLayer) || toLayer >= fromLayer)
                violations.Add($"{from.Name} ({fromGroup}) -> {to.Name} ({toGroup}) in {where}");
        }
        Assert.True(violations.Count == 0, "References pointing up or sideways:\n" + string.Join("\n", violations.Distinct().Take(50)));
    }

    [Fact]
    public void Net_references_nothing_of_Actors()
    {
        var violations = AssemblyReferences.Read(AssemblyPath(typeof(Net.Resp.RespWriter)))
            .Where(r => r.To.Namespace.StartsWith("AkkaRedis.Actors", StringComparison.Ordinal))
            .Select(r => $"{r.From.Name} -> {r.To.Name} in {r.Where}")
            .Distinct().ToList();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void Every_actors_namespace_has_a_layer()
    {
        var unknown = typeof(Actors.ServerActors).Assembly.GetTypes()
            .Select(t => t.Namespace ?? "")
            .Where(ns => ns.Length > 0)
            .Select(ns => ActorsGroup(ns))
            .Where(g => g != null && !ActorLayers.ContainsKey(g))
            .Distinct().ToList();
        Assert.Empty(unknown);
    }

    /// <summary>The reader must see references in every place they hide: a probe type in this assembly that uses
    /// another one in a field, a signature, a local, a lambda and a call is found in each.</summary>
    [Fact]
    public void The_reader_finds_references_in_signatures_bodies_and_closures()
    {
        var found = AssemblyReferences.Read(AssemblyPath(typeof(LayeringTests)))
            .Where(r => r.From.Namespace == typeof(global::Probe.Low.Uses).Namespace && r.To.Namespace == typeof(global::Probe.High.Target).Namespace)
            .Select(r => r.Where.Split(' ')[0])
            .ToHashSet();
        Assert.Contains("field", found);
        Assert.Contains("signature", found);
        Assert.Contains("local", found);
        Assert.Contains("il", found);
    }
}
