namespace AkkaRedis.Actors.Persistence;

/// <summary>What <see cref="AofReader.Next"/> found.</summary>
public enum AofReadStatus
{
    /// <summary>A whole command (its arguments in the list).</summary>
    Command,
    /// <summary>The end of the file, between commands.</summary>
    End,
    /// <summary>The file ends inside a command (Redis's readerr at EOF, then uxeof: a short read).</summary>
    Truncated,
    /// <summary>Not the AOF's protocol (Redis's fmterr: "Bad file format reading the append only file").</summary>
    BadFormat,
}

/// <summary>
/// Reads AOF commands exactly as loadSingleAppendOnlyFile does, fgets and fread over the file: '#' lines are
/// annotations (skipped), a command is "*argc" then argc times "$len", len bytes and two bytes that are not checked;
/// argc below 1 or a line not starting with '*' / '$' is a format error; the end of the file anywhere inside a command
/// is a short read. <see cref="Position"/> after each command is Redis's valid_up_to (where aof-load-truncated cuts).
/// </summary>
public sealed class AofReader
{
    /// <summary>AOF_ANNOTATION_LINE_MAX_LEN: fgets reads at most this many bytes minus one per call.</summary>
    private const int LineMax = 1024;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _pos;
    private int _len;
    private long _bufferStart;
    private bool _eof;

    public AofReader(Stream stream, long position = 0)
    {
        _stream = stream;
        _bufferStart = position;
    }

    /// <summary>Offset in the file of the next byte to read: after a command, the end of that command.</summary>
    public long Position => _bufferStart + _pos;

    /// <summary>The next command's arguments into <paramref name="args"/> (cleared first).</summary>
    public AofReadStatus Next(List<byte[]> args)
    {
        args.Clear();
        Span<byte> line = stackalloc byte[LineMax];
        while (true)
        {
            var n = ReadLine(line);
            if (n == 0) return AofReadStatus.End;
            if (line[0] == (byte)'#') continue; // annotations (#TS:...)
            if (line[0] != (byte)'*') return AofReadStatus.BadFormat;
            if (n == 1) return AofReadStatus.Truncated; // "*" and nothing more: fgets stopped at the end of the file
            var argc = Atoi(line[1..n]);
            if (argc < 1) return AofReadStatus.BadFormat;
            for (var j = 0; j < argc; j++)
            {
                n = ReadLine(line);
                if (n == 0) return AofReadStatus.Truncated;
                if (line[0] != (byte)'$') return AofReadStatus.BadFormat;
                var len = Atoi(line[1..n]);
                // strtol of a negative or absurd length: sdsnewlen would fail; Redis has no check, we call it a format error.
                if (len < 0 || len > int.MaxValue - 64) return AofReadStatus.BadFormat;
                var arg = len == 0 ? Array.Empty<byte>() : new byte[len];
                if (len > 0 && !ReadExact(arg)) return AofReadStatus.Truncated;
                if (!Skip(2)) return AofReadStatus.Truncated; // the CRLF, read and not checked
                args.Add(arg);
            }
            return AofReadStatus.Command;
        }
    }

    /// <summary>fgets: up to and including '\n', at most LineMax - 1 bytes; 0 at the end of the file.</summary>
    private int ReadLine(Span<byte> line)
    {
        var n = 0;
        while (n < LineMax - 1)
        {
            if (_pos == _len && !Fill()) break;
            var b = _buffer[_pos++];
            line[n++] = b;
            if (b == (byte)'\n') break;
        }
        return n;
    }

    private bool ReadExact(byte[] target)
    {
        var done = 0;
        while (done < target.Length)
        {
            if (_pos == _len && !Fill()) return false;
            var take = Math.Min(_len - _pos, target.Length - done);
            _buffer.AsSpan(_pos, take).CopyTo(target.AsSpan(done));
            _pos += take;
            done += take;
        }
        return true;
    }

    private bool Skip(int count)
    {
        while (count > 0)
        {
            if (_pos == _len && !Fill()) return false;
            var take = Math.Min(_len - _pos, count);
            _pos += take;
            count -= take;
        }
        return true;
    }

    private bool Fill()
    {
        if (_eof) return false;
        _bufferStart += _len;
        _pos = 0;
        _len = _stream.Read(_buffer, 0, _buffer.Length);
        if (_len > 0) return true;
        _len = 0;
        _eof = true;
        return false;
    }

    /// <summary>atoi / strtol: optional spaces and sign, then digits; what follows them is ignored.</summary>
    private static long Atoi(ReadOnlySpan<byte> s)
    {
        var i = 0;
        while (i < s.Length && s[i] is (byte)' ' or (byte)'\t') i++;
        var negative = i < s.Length && s[i] == (byte)'-';
        if (i < s.Length && s[i] is (byte)'-' or (byte)'+') i++;
        long value = 0;
        for (; i < s.Length && s[i] is >= (byte)'0' and <= (byte)'9'; i++)
        {
            value = value * 10 + (s[i] - '0');
            if (value > int.MaxValue) return negative ? long.MinValue : long.MaxValue;
        }
        return negative ? -value : value;
    }
}
