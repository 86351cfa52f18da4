using System.Buffers;

namespace AkkaRedis.Net.Resp;

/// <summary>
/// The requests parsed from a connection's input, as argument slices of the receive buffers they arrived in. The
/// batch holds those buffers until it is answered; <see cref="Clear"/> gives them back to the pool.
/// </summary>
public sealed class CommandBatch
{
    // Sized for an idle connection's one command at a time; grown by doubling for pipelines, and cut back by
    // Clear after a batch far bigger than usual, so a connection does not keep arrays sized for its busiest moment.
    private const int InitialArgs = 8;
    private const int InitialCommands = 4;
    private const int MaxKeptArgs = 4096;
    private ArgSlice[] _args = new ArgSlice[InitialArgs];
    private int _argCount;
    private (int Start, int Count)[] _commands = new (int, int)[InitialCommands];
    private int _count;
    // Buffers of big arguments it owns (made at the first: most batches have none).
    private List<byte[]>? _pooled;

    /// <summary>An empty batch that stays empty.</summary>
    public static readonly CommandBatch None = new();

    /// <summary>Complete requests in this batch.</summary>
    public int Count => _count;

    public CommandArgs this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count) throw new IndexOutOfRangeException();
            var (start, count) = _commands[index];
            return new CommandArgs(_args, start, count);
        }
    }

    public Enumerator GetEnumerator() => new(this);

    public struct Enumerator(CommandBatch batch)
    {
        private int _index = -1;
        public bool MoveNext() => ++_index < batch._count;
        public CommandArgs Current => batch[_index];
    }

    /// <summary>Buffers from <see cref="ArrayPool{T}.Shared"/> the slices point into.</summary>
    public int PooledBuffers => _pooled?.Count ?? 0;

    /// <summary>Drops the requests from <paramref name="index"/> on (QUIT: nothing after it runs).</summary>
    public void TruncateAt(int index)
    {
        if (index >= _count) return;
        _argCount = _commands[index].Start;
        _count = index;
    }

    /// <summary>Releases the requests and returns their receive memory to the pool. Every slice handed out dies here.</summary>
    public void Clear()
    {
        if (_pooled is { Count: > 0 } pooled)
        {
            foreach (var buffer in pooled) ArrayPool<byte>.Shared.Return(buffer);
            pooled.Clear();
        }
        // Cut back once the load drops (a quarter of the capacity used), not while a big pipeline keeps it busy.
        if (_args.Length > MaxKeptArgs && _argCount < _args.Length / 4)
        {
            _args = new ArgSlice[InitialArgs];
            _commands = new (int, int)[InitialCommands];
        }
        else Array.Clear(_args, 0, _argCount);
        _argCount = 0;
        _count = 0;
    }

    /// <summary>A batch of requests built from whole arrays (tests, requests the server makes itself).</summary>
    public static CommandBatch Of(params byte[][][] commands)
    {
        var batch = new CommandBatch();
        foreach (var command in commands) batch.Add(command);
        return batch;
    }

    /// <summary>Appends a request made of whole arrays (tests, requests the server makes itself).</summary>
    public void Add(byte[][] command)
    {
        foreach (var arg in command) AddArg(new ArgSlice(arg));
        CompleteCommand(command.Length);
    }

    /// <summary>Copies every request out (tests, diagnostics).</summary>
    public List<byte[][]> ToArrays()
    {
        var list = new List<byte[][]>(_count);
        for (var i = 0; i < _count; i++) list.Add(this[i].ToArrays());
        return list;
    }

    // ---- filled by RespParser ----

    internal int ArgCount => _argCount;

    internal void AddArg(ArgSlice arg)
    {
        if (_argCount == _args.Length) Array.Resize(ref _args, _args.Length * 2);
        _args[_argCount++] = arg;
    }

    internal ref ArgSlice ArgAt(int index) => ref _args[index];

    /// <summary>The last <paramref name="argc"/> slices form one complete request.</summary>
    internal void CompleteCommand(int argc)
    {
        if (_count == _commands.Length) Array.Resize(ref _commands, _commands.Length * 2);
        _commands[_count++] = (_argCount - argc, argc);
    }

    /// <summary>Forgets slices added after <paramref name="argCount"/> (a request that did not complete).</summary>
    internal void TruncateArgs(int argCount)
    {
        Array.Clear(_args, argCount, _argCount - argCount);
        _argCount = argCount;
    }

    /// <summary>This batch now owns <paramref name="buffer"/> (rented from the shared pool) and returns it on Clear.</summary>
    internal void Own(byte[] buffer) => (_pooled ??= new List<byte[]>()).Add(buffer);
}
