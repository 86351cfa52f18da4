using System.Buffers.Binary;
using AkkaRedis.Actors.Lua;
using AkkaRedis.Actors.Storage.Rdb;

namespace AkkaRedis.Actors.Commands.Scripting;

/// <summary>Compiles a library's code (after its shebang) and reports what it registered: the engine's create
/// (luaEngineCreate). Null, or the error text as the engine words it.</summary>
public interface ILibraryCompiler
{
    string? Compile(string library, ReadOnlySpan<byte> body, List<LuaFunctionRegistration> registered);
}

/// <summary>FUNCTION RESTORE's policies (restorePolicy).</summary>
public enum FunctionRestorePolicy { Append, Replace, Flush }

/// <summary>
/// The server's function libraries (functions.c's curr_functions_lib_ctx), one per server. Readers (FCALL on any shard,
/// FUNCTION LIST/DUMP, the RDB and AOF writers) take <see cref="Current"/>, an immutable snapshot, without a lock.
/// Changes (FUNCTION LOAD/DELETE/FLUSH/RESTORE, an RDB or AOF load) build the next snapshot under a lock and publish
/// it with a higher version; each shard's function VM (<see cref="FunctionVm"/>) catches up when it next runs a
/// function. The commands that change it run with every shard held, so no FCALL and no snapshot for BGSAVE sees
/// half a change.
/// </summary>
public sealed class FunctionRegistry
{
    private readonly object _lock = new();
    private readonly ILibraryCompiler _compiler;
    private volatile FunctionSnapshot _current = FunctionSnapshot.Empty;

    public FunctionRegistry(ILibraryCompiler? compiler = null) => _compiler = compiler ?? new LuaLibraryCompiler();

    public FunctionSnapshot Current => _current;

    private long _vmMemory;

    /// <summary>The Lua memory of the function VMs (used_memory_vm_functions): the largest one seen when a VM last
    /// loaded libraries, as one Lua state holds every library in Redis (each shard has its own here).</summary>
    public long VmMemory => Interlocked.Read(ref _vmMemory);

    /// <summary>used_memory_functions and MEMORY STATS functions.caches (functionsMemoryEngine): Redis's 200 bytes of
    /// empty dictionaries and engine, plus what the libraries take.</summary>
    public long UsedMemory => 200 + _current.CacheMemory;

    internal void ObserveVmMemory(long used)
    {
        long seen;
        while (used > (seen = Interlocked.Read(ref _vmMemory)) && Interlocked.CompareExchange(ref _vmMemory, used, seen) != seen) { }
    }

    // ---- changes ----------------------------------------------------------------------------------------------

    /// <summary>FUNCTION LOAD (functionsCreateWithLibraryCtx on the current libraries): null and the library's name,
    /// or Redis's error (with its "ERR ").</summary>
    public string? Load(ReadOnlySpan<byte> code, bool replace, out string? library)
    {
        lock (_lock)
        {
            var set = new LibrarySet(_current);
            var error = Create(set, code, replace, out library);
            if (error == null) Publish(set);
            return error;
        }
    }

    /// <summary>FUNCTION DELETE: false when there is no such library.</summary>
    public bool Delete(ReadOnlySpan<byte> name)
    {
        lock (_lock)
        {
            var set = new LibrarySet(_current);
            if (!set.Remove(System.Text.Encoding.Latin1.GetString(name))) return false;
            Publish(set);
            return true;
        }
    }

    /// <summary>FUNCTION FLUSH (functionsLibCtxClearCurrent); DEBUG RELOAD empties them too before it loads.</summary>
    public void Flush()
    {
        lock (_lock) Publish(new LibrarySet(FunctionSnapshot.Empty));
    }

    /// <summary>
    /// FUNCTION RESTORE (functionRestoreCommand): the payload's libraries are created on their own first (a library
    /// twice in it fails), then swapped in (FLUSH) or joined (libraryJoin: APPEND fails on a library that exists,
    /// REPLACE replaces it; either fails on a function another library has). Null, or Redis's error.
    /// </summary>
    public string? Restore(ReadOnlySpan<byte> payload, FunctionRestorePolicy policy, bool skipChecksum)
    {
        if (!DumpPayload.Verify(payload, skipChecksum)) return "ERR DUMP payload version or checksum are wrong";
        var loaded = new LibrarySet(FunctionSnapshot.Empty);
        var reader = new RdbReader(payload[..^10]);
        while (reader.Remaining > 0)
        {
            var type = reader.ReadByte();
            if (type == RdbFormat.OpFunctionPreGa) return "ERR Pre-GA function format not supported";
            if (type != RdbFormat.OpFunction2) return "ERR given type is not a function";
            ReadOnlySpan<byte> code;
            try
            {
                code = reader.ReadStringSpan();
            }
            catch (RdbFormatException)
            {
                return "ERR Failed loading library payload";
            }
            if (Create(loaded, code, replace: false, out _) is { } error) return error;
        }
        lock (_lock)
        {
            if (policy == FunctionRestorePolicy.Flush)
            {
                Publish(loaded);
                return null;
            }
            var set = new LibrarySet(_current);
            if (Join(set, loaded, policy == FunctionRestorePolicy.Replace) is { } error) return error;
            Publish(set);
            return null;
        }
    }

    /// <summary>
    /// The FUNCTION2 records of an RDB file or an AOF's RDB preamble (rdbFunctionLoad), created in order into the
    /// current libraries; <paramref name="replace"/> for DEBUG RELOAD MERGE (RDBFLAGS_ALLOW_DUP). Null, or why the load
    /// fails (the whole file is then refused, as Redis refuses it).
    /// </summary>
    public string? LoadRdb(IReadOnlyList<byte[]> codes, bool replace)
    {
        if (codes.Count == 0) return null;
        lock (_lock)
        {
            var set = new LibrarySet(_current);
            foreach (var code in codes)
                if (Create(set, code, replace, out _) is { } error)
                    return $"Failed loading library, {error}";
            Publish(set);
            return null;
        }
    }

    /// <summary>Which functions are known to reach keys they did not declare (a new version of a library starts
    /// over: its FunctionInfo objects are new).</summary>
    public LearnedRouting Routing { get; } = new();

    /// <summary>The function an FCALL/FCALL_RO names, once some function is known to need every shard (null before).</summary>
    public RoutedScript? Routed(CommandDef def, Net.Resp.CommandArgs args)
    {
        if (!Routing.Any || args.Length < 2 || !def.Name.StartsWith("fcall", StringComparison.Ordinal)) return null;
        return _current.FindFunction(args[1]);
    }

    private void Publish(LibrarySet set) => _current = new FunctionSnapshot(_current.Version + 1, set.Libraries.ToArray());

    // ---- functions.c's steps ----------------------------------------------------------------------------------

    /// <summary>functionsCreateWithLibraryCtx into <paramref name="set"/>, which is left as it was on failure.</summary>
    private string? Create(LibrarySet set, ReadOnlySpan<byte> code, bool replace, out string? library)
    {
        library = null;
        if (FunctionMetadata.TryParse(code, out var metadata) is { } metadataError) return "ERR " + metadataError;
        if (!FunctionMetadata.ValidName(metadata.Name))
            return "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";
        if (!metadata.Engine.Equals(FunctionLibrary.LuaEngine, StringComparison.OrdinalIgnoreCase))
            return $"ERR Engine '{metadata.Engine}' not found";
        var old = set.Find(metadata.Name);
        if (old != null && !replace) return $"ERR Library '{metadata.Name}' already exists";
        var registered = new List<LuaFunctionRegistration>();
        var bytes = code.ToArray();
        if (_compiler.Compile(metadata.Name, bytes.AsSpan(metadata.BodyStart), registered) is { } compileError)
            return ErrorReply(compileError);
        if (registered.Count == 0) return "ERR No functions registered";
        foreach (var function in registered)
            if (set.FindFunction(function.Name) is { } other && other.Library != old)
                return $"ERR Function {function.Name} already exists";
        var created = new FunctionLibrary(metadata.Name, bytes, metadata.BodyStart, registered);
        if (old != null) set.Replace(old, created);
        else set.Add(created);
        library = metadata.Name;
        return null;
    }

    /// <summary>libraryJoin: <paramref name="source"/>'s libraries into <paramref name="target"/>, all or none.</summary>
    private static string? Join(LibrarySet target, LibrarySet source, bool replace)
    {
        foreach (var library in source.Libraries)
        {
            if (target.Find(library.Name) is not { } old) continue;
            if (!replace) return $"ERR Library {library.Name} already exists";
            target.Remove(old.Name);
        }
        foreach (var library in source.Libraries)
        foreach (var function in library.Functions)
            if (target.FindFunction(function.Name) != null)
                return $"ERR Function {function.Name} already exists";
        foreach (var library in source.Libraries) target.Add(library);
        return null;
    }

    /// <summary>The engine's error as FUNCTION LOAD replies it (addReplyErrorSds: "ERR " unless the text has its own
    /// code; the VM may give it either way).</summary>
    private static string ErrorReply(string error) => error.StartsWith("ERR ", StringComparison.Ordinal) ? error : "ERR " + error;

    // ---- FUNCTION DUMP ----------------------------------------------------------------------------------------

    /// <summary>functionDumpCommand: each library as RDB_OPCODE_FUNCTION2 and its code (rdbSaveFunctions: LZF when
    /// rdbcompression allows), then the RDB version and the CRC-64, as a key's DUMP payload ends.</summary>
    public static byte[] Dump(FunctionSnapshot snapshot, bool compress)
    {
        var w = new RdbWriter(64);
        foreach (var code in snapshot.Codes)
        {
            w.WriteByte(RdbFormat.OpFunction2);
            w.WriteString(code, compress);
        }
        DumpPayload.WriteFooter(w);
        return w.Written.ToArray();
    }

    /// <summary>A working copy of the libraries that one change edits before it is published.</summary>
    private sealed class LibrarySet
    {
        public readonly List<FunctionLibrary> Libraries;
        private readonly Dictionary<string, FunctionInfo> _functions = new(StringComparer.OrdinalIgnoreCase);

        public LibrarySet(FunctionSnapshot from)
        {
            Libraries = new List<FunctionLibrary>(from.Libraries);
            foreach (var (name, function) in from.Functions) _functions[name] = function;
        }

        public FunctionLibrary? Find(string name)
        {
            foreach (var library in Libraries)
                if (library.Name == name) return library;
            return null;
        }

        public FunctionInfo? FindFunction(string name) => _functions.GetValueOrDefault(name);

        public void Add(FunctionLibrary library)
        {
            Libraries.Add(library);
            foreach (var function in library.Functions) _functions[function.Name] = function;
        }

        public void Replace(FunctionLibrary old, FunctionLibrary library)
        {
            foreach (var function in old.Functions) _functions.Remove(function.Name);
            Libraries[Libraries.IndexOf(old)] = library;
            foreach (var function in library.Functions) _functions[function.Name] = function;
        }

        public bool Remove(string name)
        {
            if (Find(name) is not { } library) return false;
            Libraries.Remove(library);
            foreach (var function in library.Functions) _functions.Remove(function.Name);
            return true;
        }
    }
}

/// <summary>Compiles with a Lua VM of its own, kept for the purpose (FUNCTION LOAD, RESTORE and RDB loads are rare):
/// the library is loaded to learn what it registers, then dropped; the shards' VMs load it again when they run it.</summary>
public sealed class LuaLibraryCompiler : ILibraryCompiler
{
    private readonly object _lock = new();
    private LuaVm? _vm;

    public string? Compile(string library, ReadOnlySpan<byte> body, List<LuaFunctionRegistration> registered)
    {
        if (!LuaVm.Available) return $"ERR Lua is not available on this server: {LuaVm.UnavailableReason}";
        lock (_lock)
        {
            _vm ??= new LuaVm(LuaVmKind.Function);
            var error = _vm.LoadLibrary(library, body, registered);
            if (error == null) _vm.DropLibrary(library);
            return error;
        }
    }
}
