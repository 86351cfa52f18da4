using System.Globalization;
using System.Numerics;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// C's <c>long double</c> as redis-server on x86-64 Linux has it (the x87 80-bit extended format: 64-bit significand,
/// subnormals down to 2^-16445, largest finite value just under 2^16384), emulated exactly so that INCRBYFLOAT
/// replies byte for byte as Redis: glibc strtold parsing (correctly rounded), correctly rounded addition, and
/// printf("%.17Lf") formatting (exact decimal expansion, ties to even).
/// </summary>
public readonly struct LongDouble
{
    private enum Kind : byte { Finite, Infinity, NaN }

    /// <summary>Exponent of the least significant bit of the smallest subnormal value.</summary>
    private const int MinExponent = -16445;
    /// <summary>(2^64 - 1) * 2^16320 is the largest finite value.</summary>
    private const int MaxExponent = 16320;
    /// <summary>Redis's MAX_LONG_DOUBLE_CHARS: string2ld rejects inputs that long or longer.</summary>
    private const int MaxChars = 5 * 1024;

    private readonly Kind _kind;

    private LongDouble(bool negative, ulong mantissa, int exponent, Kind kind)
    {
        IsNegative = negative;
        Mantissa = mantissa;
        Exponent = exponent;
        _kind = kind;
    }

    /// <summary>The value is ±<see cref="Mantissa"/> × 2^<see cref="Exponent"/> (for finite values).</summary>
    public ulong Mantissa { get; }
    public int Exponent { get; }
    public bool IsNegative { get; }
    public bool IsInfinity => _kind == Kind.Infinity;
    public bool IsNaN => _kind == Kind.NaN;
    public bool IsFinite => _kind == Kind.Finite;
    public bool IsZero => _kind == Kind.Finite && Mantissa == 0;

    public static LongDouble Zero => default;

    public static LongDouble FromLong(long value)
    {
        if (value == 0) return Zero;
        var magnitude = value < 0 ? (ulong)(-(value + 1)) + 1 : (ulong)value;
        return new LongDouble(value < 0, magnitude, 0, Kind.Finite);
    }

    private static LongDouble SignedZero(bool negative) => new(negative, 0, 0, Kind.Finite);
    private static LongDouble Infinity(bool negative) => new(negative, 0, 0, Kind.Infinity);
    private static readonly LongDouble NaNValue = new(false, 0, 0, Kind.NaN);

    // ---------------------------------------------------------------------------------------------------------
    // Parsing: Redis's string2ld (strtold over the whole string; no leading space; overflow, underflow to zero and
    // NaN rejected; infinities accepted).
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>Parses <paramref name="s"/> as Redis's string2ld does; false for what Redis calls "not a valid float".</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out LongDouble value)
    {
        value = Zero;
        if (s.Length == 0 || s.Length >= MaxChars) return false;
        if (IsSpace(s[0])) return false;
        var negative = false;
        var body = s;
        if (body[0] == '+' || body[0] == '-')
        {
            negative = body[0] == '-';
            body = body[1..];
        }
        if (AsciiEqualsIgnoreCase(body, "inf") || AsciiEqualsIgnoreCase(body, "infinity"))
        {
            value = Infinity(negative);
            return true;
        }
        if (body.Length >= 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X'))
            return TryParseHex(negative, body[2..], out value);
        return TryParseDecimal(negative, body, out value);
    }

    private static bool TryParseDecimal(bool negative, ReadOnlySpan<byte> s, out LongDouble value)
    {
        value = Zero;
        var i = 0;
        var intStart = i;
        while (i < s.Length && IsDigit(s[i])) i++;
        var intDigits = s[intStart..i];
        var fracDigits = ReadOnlySpan<byte>.Empty;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            var fracStart = i;
            while (i < s.Length && IsDigit(s[i])) i++;
            fracDigits = s[fracStart..i];
        }
        if (intDigits.Length == 0 && fracDigits.Length == 0) return false;
        long exponent = 0;
        if (i < s.Length)
        {
            if (s[i] != 'e' && s[i] != 'E') return false;
            if (!TryParseExponent(s[(i + 1)..], out exponent)) return false;
        }

        // The significand's digits without leading zeros, and the power of ten that scales them.
        Span<byte> digitsBuffer = intDigits.Length + fracDigits.Length <= 256
            ? stackalloc byte[intDigits.Length + fracDigits.Length]
            : new byte[intDigits.Length + fracDigits.Length];
        intDigits.CopyTo(digitsBuffer);
        fracDigits.CopyTo(digitsBuffer[intDigits.Length..]);
        var digits = digitsBuffer;
        var firstNonZero = 0;
        while (firstNonZero < digits.Length && digits[firstNonZero] == '0') firstNonZero++;
        digits = digits[firstNonZero..];
        if (digits.Length == 0)
        {
            value = SignedZero(negative);
            return true;
        }
        var decimalExponent = exponent - fracDigits.Length;

        // Decide overflow and underflow to zero from magnitudes alone when they are far out of range:
        // the value lies in [10^(n-1+e), 10^(n+e)) for n significant digits.
        long magnitude = digits.Length + decimalExponent;
        if (magnitude - 1 >= 4933) return false; // >= 1e4933: beyond the largest finite value
        if (magnitude <= -4952) return false;    // < 1e-4952: below half the smallest subnormal, rounds to zero

        var significand = ParseDigits(digits);
        LongDouble result;
        if (decimalExponent >= 0)
        {
            result = Round(negative, significand * BigInteger.Pow(10, (int)decimalExponent), 0, sticky: false);
        }
        else
        {
            var denominator = BigInteger.Pow(10, (int)-decimalExponent);
            // Scale so that the quotient has at least 66 significant bits: enough for a rounding bit and a guard.
            var shift = (int)Math.Max(0, 66 + denominator.GetBitLength() - significand.GetBitLength());
            var quotient = BigInteger.DivRem(significand << shift, denominator, out var remainder);
            result = Round(negative, quotient, -shift, sticky: !remainder.IsZero);
        }
        if (!result.IsFinite || result.IsZero) return false; // strtold's ERANGE: overflow, or underflow to zero
        value = result;
        return true;
    }

    private static bool TryParseHex(bool negative, ReadOnlySpan<byte> s, out LongDouble value)
    {
        value = Zero;
        var i = 0;
        var significand = BigInteger.Zero;
        ulong chunk = 0;
        var chunkDigits = 0;
        var fractionDigits = 0;
        var anyDigit = false;
        var seenPoint = false;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '.' && !seenPoint)
            {
                seenPoint = true;
                continue;
            }
            var d = HexValue(c);
            if (d < 0) break;
            anyDigit = true;
            chunk = chunk << 4 | (uint)d;
            if (++chunkDigits == 15)
            {
                significand = (significand << 60) | chunk;
                chunk = 0;
                chunkDigits = 0;
            }
            if (seenPoint) fractionDigits++;
        }
        if (!anyDigit) return false;
        significand = (significand << (4 * chunkDigits)) | chunk;
        long exponent = 0;
        if (i < s.Length)
        {
            if (s[i] != 'p' && s[i] != 'P') return false;
            if (!TryParseExponent(s[(i + 1)..], out exponent)) return false;
        }
        if (significand.IsZero)
        {
            value = SignedZero(negative);
            return true;
        }
        var binaryExponent = exponent - 4L * fractionDigits;
        var magnitude = significand.GetBitLength() + binaryExponent; // value in [2^(m-1), 2^m)
        if (magnitude - 1 >= 16384) return false;
        if (magnitude < -16446) return false;
        var result = Round(negative, significand, binaryExponent, sticky: false);
        if (!result.IsFinite || result.IsZero) return false;
        value = result;
        return true;
    }

    /// <summary>An exponent: optional sign, at least one digit, to the end of the string; saturates far beyond any meaningful range.</summary>
    private static bool TryParseExponent(ReadOnlySpan<byte> s, out long exponent)
    {
        exponent = 0;
        var i = 0;
        var negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-'))
        {
            negative = s[i] == '-';
            i++;
        }
        if (i == s.Length) return false;
        for (; i < s.Length; i++)
        {
            if (!IsDigit(s[i])) return false;
            if (exponent < 100_000_000) exponent = exponent * 10 + (s[i] - '0');
        }
        if (negative) exponent = -exponent;
        return true;
    }

    private static BigInteger ParseDigits(ReadOnlySpan<byte> digits)
    {
        if (digits.Length <= 19)
        {
            ulong v = 0;
            foreach (var d in digits) v = v * 10 + (ulong)(d - '0');
            return v;
        }
        Span<char> chars = digits.Length <= 512 ? stackalloc char[digits.Length] : new char[digits.Length];
        for (var i = 0; i < digits.Length; i++) chars[i] = (char)digits[i];
        return BigInteger.Parse(chars, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Arithmetic
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>The sum, correctly rounded to the 64-bit significand (round to nearest, ties to even), as the x87 FPU adds.</summary>
    public static LongDouble operator +(LongDouble a, LongDouble b)
    {
        if (a.IsNaN || b.IsNaN) return NaNValue;
        if (a.IsInfinity || b.IsInfinity)
        {
            if (a.IsInfinity && b.IsInfinity && a.IsNegative != b.IsNegative) return NaNValue;
            return a.IsInfinity ? a : b;
        }
        if (a.Mantissa == 0 && b.Mantissa == 0) return SignedZero(a.IsNegative && b.IsNegative);
        if (a.Mantissa == 0) return b;
        if (b.Mantissa == 0) return a;

        var exponent = Math.Min(a.Exponent, b.Exponent);
        var sa = (BigInteger)a.Mantissa << (a.Exponent - exponent);
        var sb = (BigInteger)b.Mantissa << (b.Exponent - exponent);
        var sum = (a.IsNegative ? -sa : sa) + (b.IsNegative ? -sb : sb);
        if (sum.IsZero) return Zero; // x - x is +0 when rounding to nearest
        return Round(sum.Sign < 0, BigInteger.Abs(sum), exponent, sticky: false);
    }

    /// <summary>
    /// Rounds (<paramref name="n"/> + δ) × 2^<paramref name="exponent"/> to the format, where δ is 0, or strictly
    /// between 0 and 1 when <paramref name="sticky"/> (a nonzero remainder lies below the last bit of n).
    /// </summary>
    private static LongDouble Round(bool negative, BigInteger n, long exponent, bool sticky)
    {
        var lsb = Math.Max(exponent + n.GetBitLength() - 64, MinExponent);
        var shift = lsb - exponent;
        BigInteger q;
        if (shift <= 0)
        {
            q = n << (int)-shift;
        }
        else
        {
            q = n >> (int)shift;
            var remainder = n - (q << (int)shift);
            var half = BigInteger.One << (int)(shift - 1);
            var cmp = remainder.CompareTo(half);
            if (cmp > 0 || (cmp == 0 && (sticky || !q.IsEven))) q += 1;
            if (q.GetBitLength() > 64)
            {
                q >>= 1;
                lsb++;
            }
        }
        if (q.IsZero) return SignedZero(negative);
        if (lsb > MaxExponent) return Infinity(negative);
        return new LongDouble(negative, (ulong)q, (int)lsb, Kind.Finite);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Formatting: Redis's ld2string(..., LD_STR_HUMAN)
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>
    /// printf("%.17Lf") with trailing zeros (and a trailing '.') removed and "-0" turned into "0", as Redis formats
    /// INCRBYFLOAT results. Only for finite values.
    /// </summary>
    public byte[] ToHumanBytes()
    {
        if (!IsFinite) throw new InvalidOperationException("only finite values have a human form");
        BigInteger scaled; // |value| × 10^17, rounded to an integer, ties to even (glibc printf is exact)
        if (Exponent >= 0)
        {
            scaled = ((BigInteger)Mantissa << Exponent) * Pow10_17;
        }
        else
        {
            var product = Mantissa * Pow10_17;
            var shift = -Exponent;
            scaled = product >> shift;
            var remainder = product - (scaled << shift);
            var cmp = remainder.CompareTo(BigInteger.One << (shift - 1));
            if (cmp > 0 || (cmp == 0 && !scaled.IsEven)) scaled += 1;
        }

        var digits = scaled.ToString(CultureInfo.InvariantCulture);
        if (digits.Length < 18) digits = new string('0', 18 - digits.Length) + digits;
        var intLength = digits.Length - 17;
        var fracLength = 17;
        while (fracLength > 0 && digits[intLength + fracLength - 1] == '0') fracLength--;
        var negative = IsNegative;
        if (negative && fracLength == 0 && intLength == 1 && digits[0] == '0') negative = false; // "-0" → "0"

        var length = (negative ? 1 : 0) + intLength + (fracLength > 0 ? 1 + fracLength : 0);
        var bytes = new byte[length];
        var p = 0;
        if (negative) bytes[p++] = (byte)'-';
        for (var i = 0; i < intLength; i++) bytes[p++] = (byte)digits[i];
        if (fracLength > 0)
        {
            bytes[p++] = (byte)'.';
            for (var i = 0; i < fracLength; i++) bytes[p++] = (byte)digits[intLength + i];
        }
        return bytes;
    }

    private static readonly BigInteger Pow10_17 = BigInteger.Pow(10, 17);

    public override string ToString() => IsNaN ? "nan" : IsInfinity ? (IsNegative ? "-inf" : "inf")
        : System.Text.Encoding.ASCII.GetString(ToHumanBytes());

    private static bool IsDigit(byte c) => c >= '0' && c <= '9';

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0b or 0x0c;

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static bool AsciiEqualsIgnoreCase(ReadOnlySpan<byte> s, string word)
    {
        if (s.Length != word.Length) return false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c >= 'A' && c <= 'Z') c = (byte)(c + 32);
            if (c != word[i]) return false;
        }
        return true;
    }
}
