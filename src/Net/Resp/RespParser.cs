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
    /// <summary>PROTO_MBULK_BIG_ARG: bulks at least this long are read straight into their final array.</summary>
    private const int BigArgThreshold = 32 * 1024;

    /// <summary>Most we allocate for a big bulk before its bytes actually arrive; grows by doubling afterwards.</summary>
    private const int BigArgMaxPreallocation = 1024 * 1024;

    /// <summary>When bytes are already pending, new input is appended to the internal buffer in pieces of this size.</summary>
    private const int AppendPiece = 64 * 1024;

    private const int InitialBufferSize = 16 * 1024;

    /// <summary>When the buffer becomes empty and is larger than this it is released.</summary>
    private const int MaxIdleBufferSize = 128 * 1024;

    private const int MaxPreallocatedArgs = 1024;

    private const string ErrInvalidMultibulkLength = "ERR Protocol error: invalid multibulk length";
    private const string ErrInvalidBulkLength = "ERR Protocol error: invalid bulk length";
    private const string ErrUnauthenticatedMultibulkLength = "ERR Protocol error: unauthenticated multibulk length";
    private const string ErrUnauthenticatedBulkLength = "ERR Protocol error: unauthenticated bulk length";
    private const string ErrUnbalancedQuotes = "ERR Protocol error: unbalanced quotes in request";
    private const string ErrTooBigInline = "ERR Protocol error: too big inline request";
    private const string ErrTooBigMbulkCount = "ERR Protocol error: too big mbulk count string";
    private const string ErrTooBigBulkCount = "ERR Protocol error: too big bulk count string";

    private readonly RespLimits _limits;

    // Pending input that could not be parsed yet (a partial header line, a partial small bulk, a partial inline line).
    private byte[] _buf = Array.Empty<byte>();
    private int _bufStart;
    private int _bufEnd;

    // Multibulk command in progress.
    private byte[][]? _args;
    private int _argc;
    private int _argTotal;      // declared argument count of the command in progress (0 = none in progress)
    private long _bulkLen = -1; // declared length of the small bulk whose payload we are waiting for (-1 = need '$' header)

    // Big bulk in progress (payload goes straight into _big, which reaches exactly _bigLen bytes when complete).
    private byte[]? _big;
    private int _bigLen;
    private int _bigFilled;
    private int _bigTrailer;    // bytes after the payload ("\r\n") still to skip

    // Inline splitting scratch (reused).
    private byte[] _token = new byte[64];
    private readonly List<byte[]> _inlineArgs = new();

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

    /// <summary>
    /// Parses as many complete commands as possible from everything fed so far, appending each to
    /// <paramref name="output"/> (one exactly-sized byte[] per argument). Returns false once the connection must be
    /// closed (see <see cref="ProtocolError"/> and <see cref="QueryBufferLimitExceeded"/>); commands completed
    /// before the problem are still appended.
    /// </summary>
    public bool Feed(ReadOnlySpan<byte> data, List<byte[][]> output)
    {
        if (_failed) return false;

        var rest = data;
        while (true)
        {
            if (_bufEnd == _bufStart)
            {
                // Nothing pending: parse straight from the caller's data, stash only the incomplete tail.
                _bufStart = _bufEnd = 0;
                var consumed = Parse(rest, output);
                if (_failed) return false;
                rest = rest.Slice(consumed);
                if (!rest.IsEmpty) Append(rest);
                break;
            }

            if (rest.IsEmpty) break;

            // Something is pending: append a bounded piece and parse the buffer; once the buffer drains we go back
            // to parsing directly from the caller's data.
            var take = Math.Min(rest.Length, AppendPiece);
            Append(rest.Slice(0, take));
            rest = rest.Slice(take);
            var used = Parse(new ReadOnlySpan<byte>(_buf, _bufStart, _bufEnd - _bufStart), output);
            if (_failed) return false;
            _bufStart += used;
        }

        if (_bufStart == _bufEnd)
        {
            _bufStart = _bufEnd = 0;
            if (_buf.Length > MaxIdleBufferSize) _buf = Array.Empty<byte>();
        }

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

    /// <summary>Parses from <paramref name="s"/>, returns how many bytes were consumed (the rest is incomplete).</summary>
    private int Parse(ReadOnlySpan<byte> s, List<byte[][]> output)
    {
        var pos = 0;
        while (true)
        {
            if (_big is not null)
            {
                var avail = s.Length - pos;
                if (avail == 0) return pos;
                var need = _bigLen - _bigFilled;
                if (need > 0)
                {
                    var n = Math.Min(need, avail);
                    EnsureBigCapacity(_bigFilled + n, _bigFilled + avail);
                    s.Slice(pos, n).CopyTo(new Span<byte>(_big, _bigFilled, n));
                    _bigFilled += n;
                    pos += n;
                    avail -= n;
                    if (_bigFilled < _bigLen) return pos;
                }
                var t = Math.Min(_bigTrailer, avail);
                _bigTrailer -= t;
                pos += t;
                if (_bigTrailer > 0) return pos;
                var arg = _big;
                _big = null;
                AddArg(arg, output);
                continue;
            }

            if (_argTotal > 0)
            {
                if (_bulkLen < 0)
                {
                    var cr = FindTerminator(s, pos, (byte)'\r');
                    if (cr == -2) return Fail(ErrTooBigBulkCount);
                    if (cr < 0 || cr + 1 >= s.Length) return pos; // need the line and one byte after '\r'
                    var first = s[pos];
                    if (first != (byte)'$') return Fail(ExpectedDollar(first));
                    if (!RedisNumbers.TryParseLong(s.Slice(pos + 1, cr - pos - 1), out var ll) || ll < 0 || ll > _limits.MaxBulkLength || ll > Array.MaxLength)
                        return Fail(ErrInvalidBulkLength);
                    if (ll > RespLimits.UnauthenticatedMaxBulkLength && _limits.AuthRequired?.Invoke(output) == true)
                        return Fail(ErrUnauthenticatedBulkLength);
                    pos = cr + 2;
                    if (ll >= BigArgThreshold)
                    {
                        _bigLen = (int)ll;
                        _bigFilled = 0;
                        _bigTrailer = 2;
                        var initial = (int)Math.Min(ll, Math.Max(BigArgMaxPreallocation, s.Length - pos));
                        _big = new byte[initial];
                        continue;
                    }
                    _bulkLen = ll;
                }

                var len = (int)_bulkLen;
                if (s.Length - pos < len + 2) return pos;
                var bulk = len == 0 ? Array.Empty<byte>() : s.Slice(pos, len).ToArray();
                pos += len + 2;
                _bulkLen = -1;
                AddArg(bulk, output);
                continue;
            }

            if (pos >= s.Length) return pos;

            if (s[pos] == (byte)'*')
            {
                var cr = FindTerminator(s, pos, (byte)'\r');
                if (cr == -2) return Fail(ErrTooBigMbulkCount);
                if (cr < 0 || cr + 1 >= s.Length) return pos;
                if (!RedisNumbers.TryParseLong(s.Slice(pos + 1, cr - pos - 1), out var count) || count > _limits.MaxMultibulkLength)
                    return Fail(ErrInvalidMultibulkLength);
                if (count > RespLimits.UnauthenticatedMaxArgs && _limits.AuthRequired?.Invoke(output) == true)
                    return Fail(ErrUnauthenticatedMultibulkLength);
                pos = cr + 2;
                if (count <= 0) continue; // "*0" / "*-1": no command
                _argTotal = (int)count;
                _argc = 0;
                _args = new byte[Math.Min(_argTotal, MaxPreallocatedArgs)][];
                continue;
            }

            // Inline command.
            var nl = FindTerminator(s, pos, (byte)'\n');
            if (nl == -2) return Fail(ErrTooBigInline);
            if (nl < 0) return pos;
            var lineEnd = nl;
            if (lineEnd > pos && s[lineEnd - 1] == (byte)'\r') lineEnd--;
            var line = s.Slice(pos, lineEnd - pos);
            pos = nl + 1;
            if (!SplitInline(line)) return Fail(ErrUnbalancedQuotes);
            if (_inlineArgs.Count > 0)
            {
                var cmd = new byte[_inlineArgs.Count][];
                for (var i = 0; i < cmd.Length; i++) cmd[i] = _inlineArgs[i];
                _inlineArgs.Clear();
                output.Add(cmd);
            }
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

    private void AddArg(byte[] arg, List<byte[][]> output)
    {
        var args = _args!;
        if (_argc == args.Length)
        {
            var grown = new byte[(int)Math.Min(_argTotal, (long)args.Length * 2)][];
            Array.Copy(args, grown, _argc);
            _args = args = grown;
        }
        args[_argc++] = arg;
        if (_argc == _argTotal)
        {
            output.Add(args);
            _args = null;
            _argc = 0;
            _argTotal = 0;
        }
    }

    private void EnsureBigCapacity(int needed, int hint)
    {
        var big = _big!;
        if (needed <= big.Length) return;
        var newSize = (int)Math.Min(_bigLen, Math.Max(Math.Max((long)big.Length * 2, needed), hint));
        var grown = new byte[newSize];
        Buffer.BlockCopy(big, 0, grown, 0, _bigFilled);
        _big = grown;
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
                var size = Math.Max(_buf.Length, InitialBufferSize);
                while (size < pending + data.Length) size = checked(size * 2);
                var grown = new byte[size];
                Buffer.BlockCopy(_buf, _bufStart, grown, 0, pending);
                _buf = grown;
            }
            _bufStart = 0;
            _bufEnd = pending;
        }
        data.CopyTo(new Span<byte>(_buf, _bufEnd, data.Length));
        _bufEnd += data.Length;
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
        _buf = Array.Empty<byte>();
        _bufStart = _bufEnd = 0;
        _args = null;
        _big = null;
        _inlineArgs.Clear();
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
        _inlineArgs.Clear();
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
            _inlineArgs.Add(len == 0 ? Array.Empty<byte>() : _token.AsSpan(0, len).ToArray());
        }
    }

    private void AppendToken(ref int len, byte b)
    {
        if (len == _token.Length) Array.Resize(ref _token, _token.Length * 2);
        _token[len++] = b;
    }
}
