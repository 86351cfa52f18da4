using System.Buffers;

namespace AkkaRedis.Net.Resp;

/// <summary>
/// Incremental request parser with the semantics of Redis 7.0's processInlineBuffer / processMultibulkBuffer
/// (networking.c). One instance per connection; not thread-safe.
/// </summary>
/// <remarks>
/// Redis quirks that are reproduced on purpose (all checked against redis-server 7.0.15):
/// <list type="bullet">
/// <item>'*' and '$' header lines end at the first '\r'; the byte after it is skipped without checking it is '\n'.</item>
/// <item>The two bytes after a bulk payload are skipped without checking they are "\r\n".</item>
/// <item>Inline lines end at '\n' (one preceding '\r' is stripped).</item>
/// <item>A NUL byte inside a header line or inline line hides the terminator (Redis uses strchr), so such a
///       request waits until more than <see cref="RespLimits.MaxInlineSize"/> bytes are pending and then fails
///       with the "too big" error.</item>
/// </list>
/// One deliberate difference: Redis applies the "too big inline request / count string" check only to whatever
/// happens to be in its buffer after a read, so a 70 KB inline line arriving in one read is accepted while the
/// same line arriving slowly is rejected. This parser always behaves like the slowly-arriving case
/// (error as soon as more than MaxInlineSize bytes precede the terminator), so results never depend on how the
/// input was chunked.
/// </remarks>
public sealed class RespParser
{
    /// <summary>PROTO_MBULK_BIG_ARG: bulks at least this long are read straight into an array of their exact size
    /// (Redis also allocates the whole declared length up front for these).</summary>
    private const int BigArgThreshold = 32 * 1024;

    private const int InitialBufferSize = 16 * 1024;

    private const string ErrInvalidMultibulkLength = "ERR Protocol error: invalid multibulk length";
    private const string ErrInvalidBulkLength = "ERR Protocol error: invalid bulk length";
    private const string ErrUnauthenticatedMultibulkLength = "ERR Protocol error: unauthenticated multibulk length";
    private const string ErrUnauthenticatedBulkLength = "ERR Protocol error: unauthenticated bulk length";
    private const string ErrUnbalancedQuotes = "ERR Protocol error: unbalanced quotes in request";
    private const string ErrTooBigInline = "ERR Protocol error: too big inline request";
    private const string ErrTooBigMbulkCount = "ERR Protocol error: too big mbulk count string";
    private const string ErrTooBigBulkCount = "ERR Protocol error: too big bulk count string";

    private readonly RespLimits _limits;

    // Pending input that could not be parsed yet (a partial header line, a partial small bulk, a partial inline
    // line), in a buffer rented from the shared pool. Once a request parsed from it completes, the buffer goes to the
    // output batch (its slices point into it) and the rest moves to a new one.
    private byte[] _buf = Array.Empty<byte>();
    private int _bufStart;
    private int _bufEnd;

    // Multibulk request in progress: its complete arguments so far. They point into the buffer being parsed until
    // the end of a Feed, when they are copied out (Spill) because that buffer is handed over or recycled.
    private readonly List<ArgSlice> _pending = new();
    private int _spilled;       // _pending[0.._spilled) own their memory
    private int _argTotal;      // declared argument count of the request in progress (0 = none in progress)
    private long _bulkLen = -1; // declared length of the small bulk whose payload we are waiting for (-1 = need '$' header)

    // Big bulk in progress (payload goes straight into _big, allocated at its exact size; a bulk that cannot fit in
    // the query buffer limit gets no array: its bytes are only counted until the limit closes the connection).
    private byte[]? _big;
    private long _bigLen;
    private long _bigFilled;
    private int _bigTrailer;    // bytes after the payload ("\r\n") still to skip
    private int _bigRoom;       // free bytes in front of the payload in _big (room for a key)
    private const int MaxBigRoom = 1024;

    // Inline splitting scratch, for the inline request being split only (dropped after it, see Parse).
    private byte[]? _token;
    private List<byte[]>? _inlineArgs;

    private bool _failed;
    private long _bufferedAtFailure;

    public RespParser(RespLimits limits)
    {
        _limits = limits ?? throw new ArgumentNullException(nameof(limits));
    }

    /// <summary>The error reply (without '-' and CRLF) once <see cref="Feed"/> has returned false for a protocol error.</summary>
    public string? ProtocolError { get; private set; }

    /// <summary>True once <see cref="Feed"/> has returned false because the pending input exceeded the query buffer limit.</summary>
    public bool QueryBufferLimitExceeded { get; private set; }

    /// <summary>
    /// Bytes held for the incomplete command: unparsed pending input plus the bytes received so far of a big bulk
    /// being filled (Redis's qbuf). Arguments of the current command that are already complete are not counted,
    /// exactly like Redis (they live in argv, not in the query buffer).
    /// After the query buffer limit was exceeded it keeps reporting the amount that tripped the limit (for logging).
    /// </summary>
    public long BufferedBytes => _failed ? _bufferedAtFailure : CurrentBufferedBytes;

    private long CurrentBufferedBytes => (_bufEnd - _bufStart) + (_big is null ? 0L : _bigFilled + (2 - _bigTrailer));

    /// <summary>Parses a copy of <paramref name="data"/> (tests, non-contiguous input): see <see cref="Feed(byte[], int, int, CommandBatch)"/>.</summary>
    public bool Feed(ReadOnlySpan<byte> data, CommandBatch output)
    {
        if (data.IsEmpty) return !_failed;
        var chunk = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(chunk);
        return Feed(chunk, 0, data.Length, output);
    }

    /// <summary>
    /// Parses as many complete requests as possible from everything fed so far, appending each to
    /// <paramref name="output"/> as slices of the receive memory. Takes ownership of <paramref name="chunk"/> (rented
    /// from <see cref="ArrayPool{T}.Shared"/>): it ends up owned by <paramref name="output"/> when requests point into
    /// it, kept as pending input, or returned to the pool. Returns false once the connection must be closed (see
    /// <see cref="ProtocolError"/> and <see cref="QueryBufferLimitExceeded"/>); requests completed before the problem
    /// are still appended.
    /// </summary>
    public bool Feed(byte[] chunk, int offset, int count, CommandBatch output)
    {
        if (_failed)
        {
            ArrayPool<byte>.Shared.Return(chunk);
            return false;
        }

        if (_bufEnd == _bufStart)
        {
            // Nothing pending: parse straight from the received memory (the common case: no copy at all).
            ReturnBuffer();
            var completedBefore = output.Count;
            var consumed = Parse(chunk, offset, offset + count, output);
            var handedOver = output.Count > completedBefore;
            if (_failed)
            {
                // Requests completed before the error are still answered: they keep their memory.
                if (handedOver) output.Own(chunk);
                else ArrayPool<byte>.Shared.Return(chunk);
                return false;
            }
            Spill();
            if (handedOver) output.Own(chunk);
            var rest = count - (consumed - offset);
            if (rest > 0 && !handedOver)
            {
                // Keep the chunk itself as the pending buffer.
                _buf = chunk;
                _bufStart = consumed;
                _bufEnd = offset + count;
            }
            else
            {
                if (rest > 0) Append(chunk.AsSpan(consumed, rest));
                if (!handedOver) ArrayPool<byte>.Shared.Return(chunk);
            }
        }
        else
        {
            Append(chunk.AsSpan(offset, count));
            ArrayPool<byte>.Shared.Return(chunk);
            var completedBefore = output.Count;
            var parsed = _buf;
            var consumed = Parse(parsed, _bufStart, _bufEnd, output);
            if (_failed)
            {
                // ReleaseState dropped the pending buffer without pooling it: requests completed from it still
                // point into it, so the batch owns it (and pools it once they are answered).
                if (output.Count > completedBefore) output.Own(parsed);
                return false;
            }
            Spill();
            if (output.Count > completedBefore)
            {
                // Requests point into _buf: it belongs to the batch now; the rest moves to a new buffer.
                var old = _buf;
                var restStart = consumed;
                var restEnd = _bufEnd;
                output.Own(old);
                _buf = Array.Empty<byte>();
                _bufStart = _bufEnd = 0;
                if (restEnd > restStart) Append(old.AsSpan(restStart, restEnd - restStart));
            }
            else _bufStart = consumed;
        }

        if (_bufStart == _bufEnd) ReturnBuffer();

        var buffered = CurrentBufferedBytes;
        if (buffered > _limits.QueryBufferLimit)
        {
            QueryBufferLimitExceeded = true;
            _bufferedAtFailure = buffered;
            _failed = true;
            ReleaseState();
            return false;
        }
        return true;
    }

    /// <summary>Parses <paramref name="a"/>[<paramref name="start"/>..<paramref name="end"/>), returns the index up to
    /// which it was consumed (the rest is incomplete).</summary>
    private int Parse(byte[] a, int start, int end, CommandBatch output)
    {
        var s = new ReadOnlySpan<byte>(a, 0, end);
        var pos = start;
        while (true)
        {
            if (_big is not null)
            {
                var avail = end - pos;
                if (avail == 0) return pos;
                var need = _bigLen - _bigFilled;
                if (need > 0)
                {
                    var n = (int)Math.Min(need, avail);
                    if (_big.Length > 0) s.Slice(pos, n).CopyTo(new Span<byte>(_big, _bigRoom + (int)_bigFilled, n));
                    _bigFilled += n;
                    pos += n;
                    avail -= n;
                    if (_bigFilled > _limits.QueryBufferLimit) return FailQueryBufferLimit();
                    if (_bigFilled < _bigLen) return pos;
                }
                var t = Math.Min(_bigTrailer, avail);
                _bigTrailer -= t;
                pos += t;
                if (_bigTrailer > 0) return pos;
                var arg = _big;
                _big = null;
                _pending.Add(arg.Length == 0 ? new ArgSlice(arg) : ArgSlice.Owned(arg, _bigRoom));
                _spilled = _pending.Count == _spilled + 1 ? _pending.Count : _spilled;
                CompleteIfDone(output);
                continue;
            }

            if (_argTotal > 0)
            {
                if (_bulkLen < 0)
                {
                    var cr = FindTerminator(s, pos, (byte)'\r');
                    if (cr == -2) return Fail(ErrTooBigBulkCount);
                    if (cr < 0 || cr + 1 >= end) return pos; // need the line and one byte after '\r'
                    var first = s[pos];
                    if (first != (byte)'$') return Fail(ExpectedDollar(first));
                    if (!RedisNumbers.TryParseLong(s.Slice(pos + 1, cr - pos - 1), out var ll) || ll < 0 || ll > _limits.MaxBulkLength || ll > Array.MaxLength)
                        return Fail(ErrInvalidBulkLength);
                    if (ll > RespLimits.UnauthenticatedMaxBulkLength && _limits.AuthGate?.AuthRequired(output) == true)
                        return Fail(ErrUnauthenticatedBulkLength);
                    pos = cr + 2;
                    if (ll >= BigArgThreshold)
                    {
                        Spill(); // earlier arguments must not point into memory this request outlives
                        // Redis's sdsMakeRoomForNonGreedy(querybuf, ll+2): the whole declared size at once, so the
                        // value is never copied to grow. Uninitialised: pages are touched only as bytes arrive.
                        _bigLen = ll;
                        // The previous argument's length is left free in front of the value (a key, for SET k v and
                        // MSET): storage then keeps key and value in this very array (ArgSlice.TryTakeArray).
                        _bigRoom = _pending.Count > 0 && _pending[^1].Length <= MaxBigRoom ? _pending[^1].Length : 0;
                        _big = ll <= _limits.QueryBufferLimit && ll + _bigRoom <= Array.MaxLength
                            ? GC.AllocateUninitializedArray<byte>(_bigRoom + (int)ll)
                            : Array.Empty<byte>();
                        _bigFilled = 0;
                        _bigTrailer = 2;
                        continue;
                    }
                    _bulkLen = ll;
                }

                var len = (int)_bulkLen;
                if (end - pos < len + 2) return pos;
                _pending.Add(len == 0 ? new ArgSlice(Array.Empty<byte>()) : new ArgSlice(a, pos, len));
                if (len == 0 && _spilled == _pending.Count - 1) _spilled++;
                pos += len + 2;
                _bulkLen = -1;
                CompleteIfDone(output);
                continue;
            }

            if (pos >= end) return pos;

            if (s[pos] == (byte)'*')
            {
                var cr = FindTerminator(s, pos, (byte)'\r');
                if (cr == -2) return Fail(ErrTooBigMbulkCount);
                if (cr < 0 || cr + 1 >= end) return pos;
                if (!RedisNumbers.TryParseLong(s.Slice(pos + 1, cr - pos - 1), out var count) || count > _limits.MaxMultibulkLength)
                    return Fail(ErrInvalidMultibulkLength);
                if (count > RespLimits.UnauthenticatedMaxArgs && _limits.AuthGate?.AuthRequired(output) == true)
                    return Fail(ErrUnauthenticatedMultibulkLength);
                pos = cr + 2;
                if (count <= 0) continue; // "*0" / "*-1": no command
                _argTotal = (int)count;
                _pending.Clear();
                _spilled = 0;
                continue;
            }

            // Inline command (rare: telnet, redis-cli's inline mode): its arguments are copied.
            var nl = FindTerminator(s, pos, (byte)'\n');
            if (nl == -2) return Fail(ErrTooBigInline);
            if (nl < 0) return pos;
            var lineEnd = nl;
            if (lineEnd > pos && s[lineEnd - 1] == (byte)'\r') lineEnd--;
            var line = s.Slice(pos, lineEnd - pos);
            pos = nl + 1;
            if (!SplitInline(line)) return Fail(ErrUnbalancedQuotes);
            if (_inlineArgs!.Count > 0)
            {
                foreach (var arg in _inlineArgs) output.AddArg(new ArgSlice(arg));
                output.CompleteCommand(_inlineArgs.Count);
            }
            // Not kept: inline requests are rare, and an idle connection should not hold what one of them needed.
            _inlineArgs = null;
            _token = null;
        }
    }

    /// <summary>
    /// Finds <paramref name="terminator"/> like Redis's strchr does (a NUL byte ends the search), looking at no more
    /// than MaxInlineSize+1 bytes. Returns its absolute index, -1 if more input is needed, -2 for "too big".
    /// </summary>
    private int FindTerminator(ReadOnlySpan<byte> s, int pos, byte terminator)
    {
        var avail = s.Length - pos;
        var window = (int)Math.Min(avail, (long)_limits.MaxInlineSize + 1);
        var i = s.Slice(pos, window).IndexOfAny(terminator, (byte)0);
        if (i >= 0 && s[pos + i] == terminator) return pos + i;
        return avail > _limits.MaxInlineSize ? -2 : -1;
    }

    /// <summary>Moves the request in progress to the batch once its last argument is complete.</summary>
    private void CompleteIfDone(CommandBatch output)
    {
        if (_pending.Count < _argTotal) return;
        foreach (var arg in _pending) output.AddArg(arg);
        output.CompleteCommand(_pending.Count);
        _pending.Clear();
        _spilled = 0;
        _argTotal = 0;
    }

    /// <summary>Copies the complete arguments of the request in progress out of the buffer being parsed, which is about
    /// to be handed to a batch or recycled (rare: only a request split across reads, and only its small arguments).</summary>
    private void Spill()
    {
        for (var i = _spilled; i < _pending.Count; i++) _pending[i] = new ArgSlice(_pending[i].ToArray());
        _spilled = _pending.Count;
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        var pending = _bufEnd - _bufStart;
        if (_buf.Length - _bufEnd < data.Length)
        {
            if (pending + data.Length <= _buf.Length && _bufStart > 0)
            {
                Buffer.BlockCopy(_buf, _bufStart, _buf, 0, pending);
            }
            else
            {
                var grown = ArrayPool<byte>.Shared.Rent(Math.Max(InitialBufferSize, pending + data.Length));
                Buffer.BlockCopy(_buf, _bufStart, grown, 0, pending);
                ReturnBuffer();
                _buf = grown;
            }
            _bufStart = 0;
            _bufEnd = pending;
        }
        data.CopyTo(new Span<byte>(_buf, _bufEnd, data.Length));
        _bufEnd += data.Length;
    }

    /// <summary>Gives the (empty) pending buffer back to the pool: an idle connection holds no receive memory.</summary>
    private void ReturnBuffer()
    {
        if (_buf.Length > 0) ArrayPool<byte>.Shared.Return(_buf);
        _buf = Array.Empty<byte>();
        _bufStart = _bufEnd = 0;
    }

    /// <summary>The query buffer limit tripped in the middle of a big bulk.</summary>
    private int FailQueryBufferLimit()
    {
        QueryBufferLimitExceeded = true;
        _bufferedAtFailure = CurrentBufferedBytes;
        _failed = true;
        ReleaseState();
        return 0;
    }

    private int Fail(string error)
    {
        ProtocolError = error;
        _failed = true;
        ReleaseState();
        return 0;
    }

    private void ReleaseState()
    {
        // Not returned to the pool: requests completed from it before the failure may still point into it.
        _buf = Array.Empty<byte>();
        _bufStart = _bufEnd = 0;
        _pending.Clear();
        _spilled = 0;
        _argTotal = 0;
        _big = null;
        _inlineArgs?.Clear();
    }

    private static string ExpectedDollar(byte got)
    {
        // Redis's addReplyErrorFormat replaces '\r' and '\n' with spaces; other bytes are sent raw (one byte = one char here).
        var c = got is (byte)'\r' or (byte)'\n' ? ' ' : (char)got;
        return "ERR Protocol error: expected '$', got '" + c + "'";
    }

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    private static bool IsHex(byte c) => c is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte c) => c <= (byte)'9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>
    /// sdssplitargs over one inline line (which never contains NUL). Fills _inlineArgs; false = unbalanced quotes.
    /// </summary>
    private bool SplitInline(ReadOnlySpan<byte> line)
    {
        var args = _inlineArgs ??= new List<byte[]>();
        args.Clear();
        var n = line.Length;
        var p = 0;
        while (true)
        {
            while (p < n && IsSpace(line[p])) p++;
            if (p >= n) return true;

            var inq = false;
            var insq = false;
            var done = false;
            var len = 0;
            while (!done)
            {
                // Past the end of the line behaves like C's terminating NUL.
                var c = p < n ? line[p] : (byte)0;
                var next = p + 1 < n ? line[p + 1] : (byte)0;
                if (inq)
                {
                    if (c == (byte)'\\' && next == (byte)'x' && p + 3 < n && IsHex(line[p + 2]) && IsHex(line[p + 3]))
                    {
                        AppendToken(ref len, (byte)(HexValue(line[p + 2]) * 16 + HexValue(line[p + 3])));
                        p += 3;
                    }
                    else if (c == (byte)'\\' && next != 0)
                    {
                        p++;
                        var e = line[p] switch
                        {
                            (byte)'n' => (byte)'\n',
                            (byte)'r' => (byte)'\r',
                            (byte)'t' => (byte)'\t',
                            (byte)'b' => (byte)'\b',
                            (byte)'a' => (byte)'\a',
                            var other => other,
                        };
                        AppendToken(ref len, e);
                    }
                    else if (c == (byte)'"')
                    {
                        // The closing quote must be followed by a space or nothing at all.
                        if (next != 0 && !IsSpace(next)) return false;
                        done = true;
                    }
                    else if (p >= n)
                    {
                        return false; // unterminated quotes
                    }
                    else
                    {
                        AppendToken(ref len, c);
                    }
                }
                else if (insq)
                {
                    if (c == (byte)'\\' && next == (byte)'\'')
                    {
                        p++;
                        AppendToken(ref len, (byte)'\'');
                    }
                    else if (c == (byte)'\'')
                    {
                        if (next != 0 && !IsSpace(next)) return false;
                        done = true;
                    }
                    else if (p >= n)
                    {
                        return false;
                    }
                    else
                    {
                        AppendToken(ref len, c);
                    }
                }
                else
                {
                    switch (c)
                    {
                        case (byte)' ':
                        case (byte)'\n':
                        case (byte)'\r':
                        case (byte)'\t':
                        case 0:
                            done = true;
                            break;
                        case (byte)'"':
                            inq = true;
                            break;
                        case (byte)'\'':
                            insq = true;
                            break;
                        default:
                            AppendToken(ref len, c);
                            break;
                    }
                }
                if (p < n) p++;
            }
            args.Add(len == 0 ? Array.Empty<byte>() : _token!.AsSpan(0, len).ToArray());
        }
    }

    private void AppendToken(ref int len, byte b)
    {
        _token ??= new byte[64];
        if (len == _token.Length) Array.Resize(ref _token, _token.Length * 2);
        _token[len++] = b;
    }
}
