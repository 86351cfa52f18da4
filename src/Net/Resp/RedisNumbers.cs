using System.Buffers.Text;
using System.Globalization;

namespace AkkaRedis.Net.Resp;

/// <summary>Number parsing and formatting with Redis's exact rules (string2ll, strtod, d2string).</summary>
public static class RedisNumbers
{
    /// <summary>Redis's string2ll: optional '-', no '+', no leading zeros, no spaces, fits in a long.</summary>
    public static bool TryParseLong(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        if (s.Length == 0 || s.Length > 20) return false;
        if (s.Length == 1 && s[0] == '0') return true;
        var i = 0;
        var negative = false;
        if (s[0] == '-')
        {
            negative = true;
            i = 1;
            if (s.Length == 1) return false;
        }
        if (s[i] < '1' || s[i] > '9') return false;
        ulong v = 0;
        for (; i < s.Length; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d > 9) return false;
            if (v > (ulong.MaxValue - d) / 10) return false;
            v = v * 10 + d;
        }
        if (negative)
        {
            if (v > (ulong)long.MaxValue + 1) return false;
            value = (long)(0 - v);
        }
        else
        {
            if (v > long.MaxValue) return false;
            value = (long)v;
        }
        return true;
    }

    /// <summary>Like strtod as Redis uses it: the whole string must be a number, no leading space, no NaN.</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        if (s.Length == 0 || s.Length > 5120) return false;
        if (IsSpace(s[0]) || IsSpace(s[^1])) return false;
        if (TryParseLong(s, out var l) && Math.Abs(l) < (1L << 53))
        {
            value = l;
            return true;
        }
        Span<char> chars = s.Length <= 256 ? stackalloc char[s.Length] : new char[s.Length];
        for (var i = 0; i < s.Length; i++)
        {
            var c = (char)s[i];
            if (c > 127) return false;
            chars[i] = c;
        }
        var str = chars;
        var sign = 1.0;
        var body = str;
        if (body.Length > 0 && (body[0] == '+' || body[0] == '-'))
        {
            if (body[0] == '-') sign = -1.0;
            body = body[1..];
        }
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }
        if (body.Length > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X'))
            return TryParseHexDouble(body[2..], sign, out value);
        foreach (var c in body)
            if (!(char.IsAsciiDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return false;
        if (!double.TryParse(str, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return false;
        if (double.IsNaN(value)) return false;
        // strtod reports ERANGE on overflow, which Redis treats as "not a valid float".
        if (double.IsInfinity(value)) return false;
        return true;
    }

    private static bool TryParseHexDouble(ReadOnlySpan<char> s, double sign, out double value)
    {
        value = 0;
        double mantissa = 0;
        var exponent = 0;
        var seenDigit = false;
        var seenDot = false;
        var i = 0;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '.')
            {
                if (seenDot) return false;
                seenDot = true;
                continue;
            }
            var d = HexValue(c);
            if (d < 0) break;
            seenDigit = true;
            mantissa = mantissa * 16 + d;
            if (seenDot) exponent -= 4;
        }
        if (!seenDigit) return false;
        if (i < s.Length)
        {
            if (s[i] != 'p' && s[i] != 'P') return false;
            if (!int.TryParse(s[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var e)) return false;
            exponent += e;
        }
        value = sign * mantissa * Math.Pow(2, exponent);
        return !double.IsInfinity(value) && !double.IsNaN(value);
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0b or 0x0c;

    /// <summary>Formats a long into <paramref name="destination"/>; returns the length.</summary>
    public static int FormatLong(long value, Span<byte> destination)
    {
        Utf8Formatter.TryFormat(value, destination, out var n);
        return n;
    }

    public static byte[] LongToBytes(long value)
    {
        Span<byte> tmp = stackalloc byte[24];
        var n = FormatLong(value, tmp);
        return tmp[..n].ToArray();
    }

    /// <summary>Redis 7.0's d2string: integers within ±2^53 as integers, inf/-inf/nan, otherwise C's "%.17g".</summary>
    public static int FormatDouble(double value, Span<byte> destination)
    {
        string s;
        if (double.IsNaN(value)) s = "nan";
        else if (double.IsPositiveInfinity(value)) s = "inf";
        else if (double.IsNegativeInfinity(value)) s = "-inf";
        else if (value == 0) s = double.IsNegative(value) ? "-0" : "0";
        else if (value == Math.Floor(value) && Math.Abs(value) < 9007199254740992.0) s = ((long)value).ToString(CultureInfo.InvariantCulture);
        else s = FormatG17(value);
        for (var i = 0; i < s.Length; i++) destination[i] = (byte)s[i];
        return s.Length;
    }

    /// <summary>C's printf("%.17g").</summary>
    public static string FormatG17(double value)
    {
        // "E16" gives 17 significant digits: d.dddddddddddddddde+XXX
        var e = value.ToString("E16", CultureInfo.InvariantCulture);
        var ePos = e.IndexOf('E');
        var exp = int.Parse(e.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var negative = e[0] == '-';
        var digits = e.Substring(negative ? 1 : 0, ePos - (negative ? 1 : 0)).Replace(".", "");
        string result;
        if (exp < -4 || exp >= 17)
        {
            var mant = digits[..1] + "." + digits[1..];
            mant = mant.TrimEnd('0').TrimEnd('.');
            result = mant + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
        }
        else if (exp >= 0)
        {
            var intPart = digits[..(exp + 1)];
            var frac = digits[(exp + 1)..].TrimEnd('0');
            result = frac.Length > 0 ? intPart + "." + frac : intPart;
        }
        else
        {
            var frac = (new string('0', -exp - 1) + digits).TrimEnd('0');
            result = "0." + frac;
        }
        return negative ? "-" + result : result;
    }
}
