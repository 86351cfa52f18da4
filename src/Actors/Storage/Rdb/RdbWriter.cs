using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Storage.Rdb;

/// <summary>
/// A growable buffer that RDB bytes are written into (a DUMP payload, one shard's part of a snapshot, a whole file's
/// header), with rdb.c's primitive encodings: lengths (rdbSaveLen), strings (rdbSaveRawString: integer-encoded when
/// short and canonical, LZF-compressed when asked and it pays), binary doubles, little-endian integers.
/// </summary>
public sealed class RdbWriter
{
    private byte[] _buffer;
    private int _length;

    public RdbWriter(int capacity = 256) => _buffer = new byte[Math.Max(16, capacity)];

    public int Length => _length;
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public void Clear() => _length = 0;

    /// <summary><paramref name="size"/> bytes to write into at the end; <see cref="Advance"/> commits them.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (_buffer.Length - _length < size) Grow(size);
        return _buffer.AsSpan(_length);
    }

    public void Advance(int count) => _length += count;

    private void Grow(int size) =>
        Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_length + size)));

    public void WriteByte(byte value)
    {
        if (_length == _buffer.Length) Grow(1);
        _buffer[_length++] = value;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>rdbSaveLen: 6-bit, 14-bit, 32-bit or 64-bit (big endian) length.</summary>
    public void WriteLength(ulong length)
    {
        var span = GetSpan(9);
        if (length < 1 << 6)
        {
            span[0] = (byte)length;
            _length += 1;
        }
        else if (length < 1 << 14)
        {
            span[0] = (byte)((length >> 8) | 0x40);
            span[1] = (byte)length;
            _length += 2;
        }
        else if (length <= uint.MaxValue)
        {
            span[0] = RdbFormat.Len32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
            _length += 5;
        }
        else
        {
            span[0] = RdbFormat.Len64;
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], length);
            _length += 9;
        }
    }

    /// <summary>A string exactly as rdbSaveRawString writes it: up to 11 bytes that are a canonical integer within
    /// 32 bits as RDB_ENC_INT8/16/32 (rdbTryIntegerEncoding); over 20 bytes, when <paramref name="compress"/>
    /// (rdbcompression), LZF if it saves at least four bytes (rdbSaveLzfStringObject); otherwise length + bytes.</summary>
    public void WriteString(ReadOnlySpan<byte> value, bool compress)
    {
        if (value.Length <= 11 && RedisNumbers.TryParseLong(value, out var integer) && TryWriteEncodedInteger(integer))
            return;
        if (compress && value.Length > 20 && TryWriteLzf(value)) return;
        WriteLength((ulong)value.Length);
        WriteBytes(value);
    }

    /// <summary>rdbSaveLongLongAsStringObject: an integer as RDB_ENC_INT8/16/32 when it fits, else its decimal
    /// digits as a plain string (an int-encoded string value, a listpack/intset integer written as a string).</summary>
    public void WriteLongString(long value)
    {
        if (TryWriteEncodedInteger(value)) return;
        Span<byte> digits = stackalloc byte[20];
        System.Buffers.Text.Utf8Formatter.TryFormat(value, digits, out var written);
        WriteLength((ulong)written);
        WriteBytes(digits[..written]);
    }

    /// <summary>rdbEncodeInteger: the smallest of INT8/16/32 holding <paramref name="value"/>, or false.</summary>
    private bool TryWriteEncodedInteger(long value)
    {
        var span = GetSpan(5);
        if (value >= sbyte.MinValue && value <= sbyte.MaxValue)
        {
            span[0] = (RdbFormat.EncVal << 6) | RdbFormat.EncInt8;
            span[1] = (byte)(sbyte)value;
            _length += 2;
        }
        else if (value >= short.MinValue && value <= short.MaxValue)
        {
            span[0] = (RdbFormat.EncVal << 6) | RdbFormat.EncInt16;
            BinaryPrimitives.WriteInt16LittleEndian(span[1..], (short)value);
            _length += 3;
        }
        else if (value >= int.MinValue && value <= int.MaxValue)
        {
            span[0] = (RdbFormat.EncVal << 6) | RdbFormat.EncInt32;
            BinaryPrimitives.WriteInt32LittleEndian(span[1..], (int)value);
            _length += 5;
        }
        else return false;
        return true;
    }

    /// <summary>rdbSaveLzfStringObject: compressed into room for len-4 bytes (it must save four); the blob is
    /// RDB_ENC_LZF, compressed length, original length, bytes (rdbSaveLzfBlob).</summary>
    private bool TryWriteLzf(ReadOnlySpan<byte> value)
    {
        var room = value.Length - 4;
        var scratch = ArrayPool<byte>.Shared.Rent(room);
        try
        {
            var compressed = Lzf.Compress(value, scratch.AsSpan(0, room));
            if (compressed == 0) return false;
            WriteByte((RdbFormat.EncVal << 6) | RdbFormat.EncLzf);
            WriteLength((ulong)compressed);
            WriteLength((ulong)value.Length);
            WriteBytes(scratch.AsSpan(0, compressed));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>rdbSaveDoubleValue: the old text double of RDB_TYPE_ZSET (a length byte, 253/254/255 for
    /// NaN/+inf/-inf, then "%.17g", integral values within 2^52 as plain integers). Redis 7.0 writes binary doubles;
    /// this exists for tests and completeness.</summary>
    public void WriteTextDouble(double value)
    {
        if (double.IsNaN(value)) { WriteByte(RdbFormat.DoubleNaN); return; }
        if (double.IsInfinity(value)) { WriteByte(value > 0 ? RdbFormat.DoublePosInf : RdbFormat.DoubleNegInf); return; }
        string text;
        if (value > -4503599627370495d && value < 4503599627370496d && value == (long)value)
            text = ((long)value).ToString(CultureInfo.InvariantCulture);
        else
            text = FormatG17(value);
        WriteByte((byte)text.Length);
        foreach (var c in text) WriteByte((byte)c);
    }

    /// <summary>C's "%.17g": 17 significant digits, exponent form with at least two exponent digits when the
    /// exponent is below -4 or at least 17, trailing zeros removed.</summary>
    internal static string FormatG17(double value)
    {
        var r = value.ToString("E16", CultureInfo.InvariantCulture); // d.dddddddddddddddde+ddd
        var ePos = r.IndexOf('E');
        var exponent = int.Parse(r.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var negative = r[0] == '-';
        var digits = r[(negative ? 1 : 0)..ePos].Replace(".", "");
        string body;
        if (exponent < -4 || exponent >= 17)
        {
            var mantissa = digits.TrimEnd('0');
            body = mantissa.Length > 1 ? mantissa[0] + "." + mantissa[1..] : mantissa;
            body += (exponent < 0 ? "e-" : "e+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }
        else if (exponent >= 0)
        {
            var intPart = digits[..(exponent + 1)];
            var frac = digits[(exponent + 1)..].TrimEnd('0');
            body = frac.Length > 0 ? intPart + "." + frac : intPart;
        }
        else
        {
            var frac = (new string('0', -exponent - 1) + digits).TrimEnd('0');
            body = "0." + frac;
        }
        return negative ? "-" + body : body;
    }

    /// <summary>8 bytes, little endian (expiry times in ms, rdbSaveMillisecondTime).</summary>
    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(GetSpan(8), value);
        _length += 8;
    }

    /// <summary>rdbSaveBinaryDoubleValue: the IEEE 754 bytes, little endian.</summary>
    public void WriteBinaryDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(GetSpan(8), value);
        _length += 8;
    }
}
