using AkkaRedis.Actors.Lua;

namespace AkkaRedis.Actors.Commands.Scripting;

/// <summary>One function a library registered (functions.h's functionInfo): immutable, shared by every snapshot that
/// holds its library.</summary>
public sealed class FunctionInfo : RoutedScript
{
    public FunctionInfo(string name, string? description, ScriptFlags flags, FunctionLibrary library)
    {
        Name = name;
        Description = description;
        Flags = flags;
        Library = library;
    }

    public string Name { get; }
    public string? Description { get; }
    public ScriptFlags Flags { get; }
    public FunctionLibrary Library { get; }
}

/// <summary>
/// One library (functionLibInfo): its name, engine, code as loaded (shebang included: FUNCTION LIST WITHCODE, DUMP and
/// the RDB keep the whole text) and the functions it registered, in registration order. Immutable: a library object
/// is the identity a function VM compares to know whether it has loaded this very version.
/// </summary>
public sealed class FunctionLibrary
{
    /// <summary>The only engine Redis 7.0 has, as FUNCTION LIST and STATS name it.</summary>
    public const string LuaEngine = "LUA";

    public FunctionLibrary(string name, byte[] code, int bodyStart, IReadOnlyList<LuaFunctionRegistration> registered)
    {
        Name = name;
        Code = code;
        BodyStart = bodyStart;
        var functions = new FunctionInfo[registered.Count];
        for (var i = 0; i < functions.Length; i++)
            functions[i] = new FunctionInfo(registered[i].Name, registered[i].Description, registered[i].Flags, this);
        Functions = functions;
    }

    public string Name { get; }
    public string Engine => LuaEngine;
    public byte[] Code { get; }

    /// <summary>Where the engine's part of <see cref="Code"/> starts: at the newline that ends the shebang, which the
    /// engine gets too (functionExtractLibMetaData's md.code), so Lua's line numbers count the shebang line.</summary>
    public int BodyStart { get; }

    public ReadOnlySpan<byte> Body => Code.AsSpan(BodyStart);
    public IReadOnlyList<FunctionInfo> Functions { get; }

    /// <summary>Bytes Redis counts for the library and its functions in used_memory_functions (libraryMallocSize +
    /// functionMallocSize, roughly: the structs, the names, the code).</summary>
    public long CacheMemory
    {
        get
        {
            long bytes = 64 + Name.Length + Code.Length;
            foreach (var f in Functions) bytes += 64 + f.Name.Length + (f.Description?.Length ?? 0);
            return bytes;
        }
    }

    /// <summary>scripts_flags_def's names, in its order (FUNCTION LIST's flags; EVAL shebang flags use the same).</summary>
    public static readonly (ScriptFlags Flag, string Name)[] FlagNames =
    [
        (ScriptFlags.NoWrites, "no-writes"),
        (ScriptFlags.AllowOom, "allow-oom"),
        (ScriptFlags.AllowStale, "allow-stale"),
        (ScriptFlags.NoCluster, "no-cluster"),
        (ScriptFlags.AllowCrossSlotKeys, "allow-cross-slot-keys"),
    ];
}

/// <summary>
/// The libraries at one moment (functionsLibCtx), never changed once published: FUNCTION LIST/DUMP, FCALL on every
/// shard and the RDB writers read it without a lock; the registry publishes a new one per change with a higher
/// <see cref="Version"/>.
/// </summary>
public sealed class FunctionSnapshot
{
    public static readonly FunctionSnapshot Empty = new(0, []);

    public FunctionSnapshot(long version, IReadOnlyList<FunctionLibrary> libraries)
    {
        Version = version;
        _lookup = Functions.GetAlternateLookup<ReadOnlySpan<char>>();
        Libraries = libraries;
        foreach (var library in libraries)
        {
            ByName[library.Name] = library;
            FunctionCount += library.Functions.Count;
            foreach (var function in library.Functions) Functions[function.Name] = function;
            CacheMemory += library.CacheMemory;
        }
        var codes = new byte[libraries.Count][];
        for (var i = 0; i < codes.Length; i++) codes[i] = libraries[i].Code;
        Codes = codes;
    }

    public long Version { get; }

    /// <summary>In load order (Redis lists them in its dict's order, which depends on a random hash seed).</summary>
    public IReadOnlyList<FunctionLibrary> Libraries { get; }

    /// <summary>Library names are case-sensitive (librariesDictType).</summary>
    public Dictionary<string, FunctionLibrary> ByName { get; } = new(StringComparer.Ordinal);

    /// <summary>Function names are not, across libraries (functionDictType: dictSdsCaseHash): FCALL F runs f, and a
    /// library may not register F when another has f.</summary>
    public Dictionary<string, FunctionInfo> Functions { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>FUNCTION STATS's functions_count: every library's functions (engines_stats n_functions), which is
    /// more than <see cref="Functions"/> holds (INFO's number_of_functions) when one library registered f and F.</summary>
    public int FunctionCount { get; }

    /// <summary>Each library's code, in order: the FUNCTION2 records of an RDB file or a FUNCTION DUMP payload.</summary>
    public IReadOnlyList<byte[]> Codes { get; }

    public long CacheMemory { get; }

    private readonly Dictionary<string, FunctionInfo>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>FCALL's lookup without allocating for names of up to 256 bytes (longer ones are looked up through a
    /// heap copy; bytes map to chars one to one, as valid names are ASCII).</summary>
    public FunctionInfo? FindFunction(ReadOnlySpan<byte> name)
    {
        if (Functions.Count == 0) return null;
        Span<char> chars = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        for (var i = 0; i < name.Length; i++) chars[i] = (char)name[i];
        return _lookup.TryGetValue(chars, out var function) ? function : null;
    }
}
