using AkkaRedis.Actors.Lua;

namespace AkkaRedis.Actors.Commands.Scripting;

/// <summary>
/// One execution context's Lua state for functions (a shard's, or the Transaction actor's): it loads the libraries of
/// the registry's snapshot lazily, when it is about to run a function and the snapshot's version moved, so no lock
/// and no message is on the FCALL path. Used by its owner's thread only.
/// </summary>
public sealed class FunctionVm : IDisposable
{
    private readonly FunctionRegistry _registry;
    private LuaVm? _vm;
    private long _version = -1;
    private readonly Dictionary<string, FunctionLibrary> _loaded = new(StringComparer.Ordinal);

    public FunctionVm(FunctionRegistry registry) => _registry = registry;

    /// <summary>The VM with every library of the registry's current snapshot loaded, and no other: null and the error
    /// (Redis's words) when a library that the registry compiled fails here (a VM in a bad state, out of memory).</summary>
    public LuaVm? Sync(out string? error)
    {
        error = null;
        var snapshot = _registry.Current;
        if (_vm != null && snapshot.Version == _version) return _vm;
        _vm ??= new LuaVm(LuaVmKind.Function);
        // Libraries gone or replaced by another version are dropped; new ones loaded (functions are found by the
        // library they belong to, so a replaced library's functions never run from the old code).
        List<string>? gone = null;
        foreach (var (name, library) in _loaded)
            if (!snapshot.ByName.TryGetValue(name, out var current) || !ReferenceEquals(current, library))
                (gone ??= []).Add(name);
        if (gone != null)
            foreach (var name in gone)
            {
                _vm.DropLibrary(name);
                _loaded.Remove(name);
            }
        var registered = new List<LuaFunctionRegistration>();
        foreach (var library in snapshot.Libraries)
        {
            if (_loaded.ContainsKey(library.Name)) continue;
            registered.Clear();
            if (_vm.LoadLibrary(library.Name, library.Body, registered) is { } loadError)
            {
                error = loadError;
                return null;
            }
            _loaded[library.Name] = library;
        }
        _version = snapshot.Version;
        _registry.ObserveVmMemory(_vm.UsedMemory);
        return _vm;
    }

    public void Dispose()
    {
        _vm?.Dispose();
        _vm = null;
        _loaded.Clear();
        _version = -1;
    }
}
