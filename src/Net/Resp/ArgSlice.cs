using System.Runtime.CompilerServices;

namespace AkkaRedis.Net.Resp;

/// <summary>
/// One request argument: a slice of the receive memory it arrived in (as Garnet's ArgSlice). Valid until the batch
/// that holds it is answered, when that memory goes back to the pool: read it as a span, copy what must outlive the
/// command (<see cref="ToArray"/>) exactly once, into storage.
/// </summary>
public readonly struct ArgSlice
{
    private const int OwnedFlag = int.MinValue;

    private readonly byte[] _buffer;
    private readonly int _offset;
    // The length; its top bit marks an argument the parser received into an array of its own (see TakeArray).
    private readonly int _length;

    public ArgSlice(byte[] buffer, int offset, int length)
    {
        _buffer = buffer;
        _offset = offset;
        _length = length;
    }

    private ArgSlice(byte[] buffer, int offset, int length, int flags)
    {
        _buffer = buffer;
        _offset = offset;
        _length = length | flags;
    }

    /// <summary>A big bulk the parser received into <paramref name="array"/>, an array nobody else holds: its
    /// bytes are <paramref name="array"/>[<paramref name="headroom"/>..], the bytes before them are free room.</summary>
    internal static ArgSlice Owned(byte[] array, int headroom) => new(array, headroom, array.Length - headroom, OwnedFlag);

    /// <summary>
    /// Hands the argument's array to the caller when the parser received it into an array of its own (a big bulk)
    /// with exactly <paramref name="headroom"/> free bytes before its bytes: storage keeps such a value without
    /// copying it (Database puts a key and its value in one array; the parser leaves the previous argument's length
    /// free in front, the key of SET/MSET/GETSET). The argument stays readable (the slow log copies it after the
    /// command ran), but from then on storage may change the array: only the handler that stores the value, once,
    /// may take it. Arguments built from whole arrays (tests, MULTI's queued copies, scripts) are never taken.
    /// </summary>
    public bool TryTakeArray(int headroom, out byte[] array)
    {
        if (_length < 0 && _offset == headroom)
        {
            array = _buffer;
            return true;
        }
        array = null!;
        return false;
    }

    /// <summary>An argument that owns its whole array (tests, arguments built by the server itself).</summary>
    public ArgSlice(byte[] whole) : this(whole, 0, whole.Length)
    {
    }

    public int Length
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _length & int.MaxValue;
    }

    public ReadOnlySpan<byte> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(_buffer, _offset, _length & int.MaxValue);
    }

    public byte this[int index] => Span[index];

    public ReadOnlySpan<byte> AsSpan() => Span;

    public ReadOnlySpan<byte> AsSpan(int start, int length) => Span.Slice(start, length);

    public void CopyTo(byte[] destination, int offset) => Span.CopyTo(destination.AsSpan(offset));

    public void CopyTo(Span<byte> destination) => Span.CopyTo(destination);

    public bool IsEmpty => Length == 0;

    /// <summary>A copy that outlives the request: the one copy into storage.</summary>
    public byte[] ToArray() => Length == 0 ? [] : Span.ToArray();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator ReadOnlySpan<byte>(ArgSlice arg) => arg.Span;

    public static implicit operator ArgSlice(byte[] whole) => new(whole);

    /// <summary>Latin-1 text (one char per byte), for error messages and names.</summary>
    public override string ToString() => System.Text.Encoding.Latin1.GetString(Span);
}

/// <summary>
/// One request's arguments (the command name is argument 0): a window over the batch's argument slices. A value
/// type, so passing a command around allocates nothing.
/// </summary>
[System.Runtime.CompilerServices.CollectionBuilder(typeof(CommandArgs), nameof(Create))]
public readonly struct CommandArgs
{
    private readonly ArgSlice[] _slices;
    private readonly int _start;

    public CommandArgs(ArgSlice[] slices, int start, int count)
    {
        _slices = slices;
        _start = start;
        Length = count;
    }

    /// <summary>Arguments the server builds itself (tests, internal calls): each array is one argument.</summary>
    public static CommandArgs Of(params byte[][] args)
    {
        var slices = new ArgSlice[args.Length];
        for (var i = 0; i < args.Length; i++) slices[i] = new ArgSlice(args[i]);
        return new CommandArgs(slices, 0, slices.Length);
    }

    /// <summary>Collection expressions: <c>CommandArgs args = ["get"u8.ToArray(), key];</c>.</summary>
    public static CommandArgs Create(ReadOnlySpan<ArgSlice> args) => new(args.ToArray(), 0, args.Length);

    public static CommandArgs Of(params string[] args)
    {
        var slices = new ArgSlice[args.Length];
        for (var i = 0; i < args.Length; i++) slices[i] = new ArgSlice(System.Text.Encoding.UTF8.GetBytes(args[i]));
        return new CommandArgs(slices, 0, slices.Length);
    }

    public static readonly CommandArgs Empty = new([], 0, 0);

    /// <summary>Whole arrays as arguments (tests, requests the server builds itself).</summary>
    public static implicit operator CommandArgs(byte[][] args) => Of(args);

    public int Length { get; }

    /// <summary>Argument <paramref name="index"/>. Setting one replaces it for what reads the request after the
    /// command ran (AUTH and CONFIG SET redact secrets this way before the slow log and MONITOR see them).</summary>
    public ArgSlice this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)Length) ThrowIndex();
            return _slices[_start + index];
        }
        set
        {
            if ((uint)index >= (uint)Length) ThrowIndex();
            _slices[_start + index] = value;
        }
    }

    /// <summary>A window of these arguments (a subcommand's view, COMMAND GETKEYS's request); also <c>args[2..]</c>.</summary>
    public CommandArgs Slice(int start, int length)
    {
        if ((uint)start > (uint)Length || (uint)length > (uint)(Length - start)) ThrowIndex();
        return new CommandArgs(_slices, _start + start, length);
    }

    public ReadOnlySpan<ArgSlice>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    public ReadOnlySpan<ArgSlice> AsSpan() => new(_slices, _start, Length);

    /// <summary>Copies that outlive the request (slow log entries, queued MULTI commands).</summary>
    public byte[][] ToArrays()
    {
        var copy = new byte[Length][];
        for (var i = 0; i < Length; i++) copy[i] = this[i].ToArray();
        return copy;
    }

    private static void ThrowIndex() => throw new IndexOutOfRangeException();
}
