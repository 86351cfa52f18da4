using System.Globalization;
using System.Text;

namespace AkkaRedis.Tests.EndToEnd.Infrastructure;

/// <summary>
/// The test side's own RESP code: encoding requests, finding where one complete reply ends (RESP2 and RESP3, nested
/// aggregates, attributes, push, verbatim, big numbers, streamed strings and aggregates) and printing bytes readably.
/// Deliberately independent of src/Net so that a bug there cannot hide itself.
/// </summary>
public static class Resp
{
    private static readonly Encoding Latin1 = Encoding.Latin1;

    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    public static byte[][] Args(params string[] args)
    {
        var result = new byte[args.Length][];
        for (var i = 0; i < args.Length; i++) result[i] = Bytes(args[i]);
        return result;
    }

    /// <summary>A request as a RESP array of bulk strings.</summary>
    public static byte[] Encode(IReadOnlyList<byte[]> args)
    {
        var ms = new MemoryStream();
        WriteAscii(ms, "*" + args.Count.ToString(CultureInfo.InvariantCulture) + "\r\n");
        foreach (var a in args)
        {
            WriteAscii(ms, "$" + a.Length.ToString(CultureInfo.InvariantCulture) + "\r\n");
            ms.Write(a);
            ms.Write("\r\n"u8);
        }
        return ms.ToArray();
    }

    public static byte[] Encode(params string[] args) => Encode(Args(args));

    public static byte[] EncodeMany(IEnumerable<IReadOnlyList<byte[]>> commands)
    {
        var ms = new MemoryStream();
        foreach (var c in commands) ms.Write(Encode(c));
        return ms.ToArray();
    }

    private static void WriteAscii(Stream s, string text) => s.Write(Encoding.ASCII.GetBytes(text));

    /// <summary>
    /// Length of the one complete reply at the start of <paramref name="buffer"/> (an attribute and the value it
    /// annotates count as one reply), or -1 when more bytes are needed. Throws <see cref="FormatException"/> on bytes
    /// that cannot be RESP.
    /// </summary>
    public static int MeasureReply(ReadOnlySpan<byte> buffer)
    {
        var pos = 0;
        return MeasureValue(buffer, ref pos) ? pos : -1;
    }

    private static bool MeasureValue(ReadOnlySpan<byte> b, ref int pos)
    {
        if (pos >= b.Length) return false;
        var type = (char)b[pos];
        if (!TryReadLine(b, pos + 1, out var line, out var next)) return false;
        switch (type)
        {
            case '+' or '-' or ':' or '_' or ',' or '#' or '(':
                pos = next;
                return true;
            case '$' or '=' or '!':
            {
                if (line.Length == 1 && line[0] == (byte)'?')
                {
                    if (type != '$') throw new FormatException($"streamed '{type}' is not RESP");
                    return MeasureStreamedString(b, next, ref pos);
                }
                var len = ParseLength(line, type);
                if (len < 0)
                {
                    if (type != '$') throw new FormatException($"negative length for '{type}'");
                    pos = next;
                    return true;
                }
                var end = (long)next + len + 2;
                if (end > b.Length) return false;
                if (b[(int)end - 2] != '\r' || b[(int)end - 1] != '\n') throw new FormatException("bulk payload not followed by CRLF");
                pos = (int)end;
                return true;
            }
            case '*' or '~' or '>' or '%' or '|':
            {
                var p = next;
                if (line.Length == 1 && line[0] == (byte)'?')
                {
                    while (true)
                    {
                        if (p >= b.Length) return false;
                        if (b[p] == (byte)'.')
                        {
                            if (!TryReadLine(b, p + 1, out _, out var afterEnd)) return false;
                            pos = afterEnd;
                            return true;
                        }
                        if (!MeasureValue(b, ref p)) return false;
                    }
                }
                var count = ParseLength(line, type);
                if (count < 0)
                {
                    if (type != '*') throw new FormatException($"negative count for '{type}'");
                    pos = next;
                    return true;
                }
                var elements = type is '%' or '|' ? count * 2 : count;
                for (long i = 0; i < elements; i++)
                    if (!MeasureValue(b, ref p)) return false;
                if (type == '|')
                {
                    // An attribute annotates the value that follows it: both make one reply.
                    if (!MeasureValue(b, ref p)) return false;
                }
                pos = p;
                return true;
            }
            default:
                throw new FormatException($"unknown RESP type byte 0x{(byte)type:x2} ('{Escape([(byte)type])}')");
        }
    }

    private static bool MeasureStreamedString(ReadOnlySpan<byte> b, int p, ref int pos)
    {
        while (true)
        {
            if (p >= b.Length) return false;
            if (b[p] != (byte)';') throw new FormatException("streamed string chunk does not start with ';'");
            if (!TryReadLine(b, p + 1, out var line, out var next)) return false;
            var len = ParseLength(line, ';');
            if (len == 0)
            {
                pos = next;
                return true;
            }
            var end = (long)next + len + 2;
            if (end > b.Length) return false;
            p = (int)end;
        }
    }

    private static bool TryReadLine(ReadOnlySpan<byte> b, int start, out ReadOnlySpan<byte> line, out int next)
    {
        line = default;
        next = 0;
        if (start > b.Length) return false;
        var rel = b[start..].IndexOf("\r\n"u8);
        if (rel < 0) return false;
        line = b.Slice(start, rel);
        next = start + rel + 2;
        return true;
    }

    private static long ParseLength(ReadOnlySpan<byte> line, char type)
    {
        if (!long.TryParse(Latin1.GetString(line), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < -1)
            throw new FormatException($"bad length '{Escape(line)}' after '{type}'");
        return n;
    }

    /// <summary>Bytes as a C-like string: printable ASCII as is, \r \n \t \\ \" and \xNN otherwise.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes, int max = 4000)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < bytes.Length; i++)
        {
            if (sb.Length >= max)
            {
                sb.Append($"...(+{bytes.Length - i} more bytes)");
                break;
            }
            var c = bytes[i];
            switch (c)
            {
                case (byte)'\r': sb.Append("\\r"); break;
                case (byte)'\n': sb.Append("\\n"); break;
                case (byte)'\t': sb.Append("\\t"); break;
                case (byte)'\\': sb.Append("\\\\"); break;
                case (byte)'"': sb.Append("\\\""); break;
                default:
                    if (c >= 0x20 && c < 0x7f) sb.Append((char)c);
                    else sb.Append("\\x").Append(c.ToString("x2", CultureInfo.InvariantCulture));
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>A command as a redis-cli line, each argument quoted when needed.</summary>
    public static string FormatCommand(IReadOnlyList<byte[]> args)
    {
        var sb = new StringBuilder();
        foreach (var a in args)
        {
            if (sb.Length > 0) sb.Append(' ');
            var plain = a.Length > 0;
            foreach (var c in a)
                if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' || c == '\\') plain = false;
            if (plain) sb.Append(Escape(a, 300));
            else sb.Append('"').Append(Escape(a, 300)).Append('"');
        }
        return sb.ToString();
    }

    /// <summary>
    /// Splits a script line like redis-cli / sdssplitargs: whitespace separates arguments, "double quotes" take
    /// \n \r \t \b \a \\ \" and \xHH escapes, 'single quotes' take \' only.
    /// </summary>
    public static byte[][] SplitArgs(string line)
    {
        var result = new List<byte[]>();
        var i = 0;
        while (true)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
            if (i >= line.Length) return result.ToArray();
            var current = new List<byte>();
            if (line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) throw new FormatException($"unbalanced quotes in script line: {line}");
                    var c = line[i];
                    if (c == '\\' && i + 1 < line.Length)
                    {
                        var e = line[i + 1];
                        if (e == 'x' && i + 3 < line.Length && Uri.IsHexDigit(line[i + 2]) && Uri.IsHexDigit(line[i + 3]))
                        {
                            current.Add(byte.Parse(line.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                            i += 4;
                            continue;
                        }
                        current.Add(e switch { 'n' => (byte)'\n', 'r' => (byte)'\r', 't' => (byte)'\t', 'b' => (byte)'\b', 'a' => (byte)'\a', _ => (byte)e });
                        i += 2;
                        continue;
                    }
                    if (c == '"')
                    {
                        i++;
                        break;
                    }
                    current.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                    i++;
                }
            }
            else if (line[i] == '\'')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) throw new FormatException($"unbalanced quotes in script line: {line}");
                    var c = line[i];
                    if (c == '\\' && i + 1 < line.Length && line[i + 1] == '\'')
                    {
                        current.Add((byte)'\'');
                        i += 2;
                        continue;
                    }
                    if (c == '\'')
                    {
                        i++;
                        break;
                    }
                    current.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                    i++;
                }
            }
            else
            {
                while (i < line.Length && !char.IsWhiteSpace(line[i]))
                {
                    current.AddRange(Encoding.UTF8.GetBytes(line[i].ToString()));
                    i++;
                }
            }
            result.Add(current.ToArray());
        }
    }
}
