namespace AkkaRedis.Actors.Storage;

/// <summary>One element of a sorted set read out of either encoding: the member's bytes (a slice of a listpack
/// array, which is never written once published, or a skip-list node's member array) and its score.</summary>
public readonly record struct ZItem(byte[] Array, int Offset, int Length, double Score)
{
    public ReadOnlySpan<byte> Member => Array.AsSpan(Offset, Length);
}

/// <summary>What a walk over a skip list asks of a range, by score or by member: Redis writes each such walk twice
/// (zslDeleteRangeByScore / zslDeleteRangeByLex, the two zrangeGeneric loops); here one generic walk serves both.</summary>
public interface IElementRange
{
    /// <summary>The element is not below the range's min end.</summary>
    bool GteMin(double score, ReadOnlySpan<byte> member);

    /// <summary>The element is not above the range's max end.</summary>
    bool LteMax(double score, ReadOnlySpan<byte> member);
}

/// <summary>A score interval as Redis's zrangespec (zslParseRange): min and max, each inclusive or exclusive.</summary>
public readonly record struct ScoreRange(double Min, double Max, bool MinExclusive, bool MaxExclusive) : IElementRange
{
    bool IElementRange.GteMin(double score, ReadOnlySpan<byte> member) => GteMin(score);
    bool IElementRange.LteMax(double score, ReadOnlySpan<byte> member) => LteMax(score);

    /// <summary>zslValueGteMin.</summary>
    public bool GteMin(double value) => MinExclusive ? value > Min : value >= Min;

    /// <summary>zslValueLteMax.</summary>
    public bool LteMax(double value) => MaxExclusive ? value < Max : value <= Max;

    public bool Contains(double value) => GteMin(value) && LteMax(value);

    /// <summary>The test zslIsInRange starts with: ranges that can hold nothing.</summary>
    public bool IsEmpty => Min > Max || (Min == Max && (MinExclusive || MaxExclusive));
}

/// <summary>A member interval as Redis's zlexrangespec (zslParseLexRange): each end is "-" (below everything),
/// "+" (above everything) or a string, inclusive ("[") or exclusive ("(").</summary>
public readonly struct LexRange : IElementRange
{
    bool IElementRange.GteMin(double score, ReadOnlySpan<byte> member) => GteMin(member);
    bool IElementRange.LteMax(double score, ReadOnlySpan<byte> member) => LteMax(member);

    public enum Bound : byte { NegativeInfinity, Value, PositiveInfinity }

    public readonly Bound MinKind, MaxKind;
    public readonly byte[] Min, Max;
    public readonly bool MinExclusive, MaxExclusive;

    public LexRange(Bound minKind, byte[] min, bool minExclusive, Bound maxKind, byte[] max, bool maxExclusive)
    {
        MinKind = minKind;
        Min = min;
        MinExclusive = minExclusive;
        MaxKind = maxKind;
        Max = max;
        MaxExclusive = maxExclusive;
    }

    /// <summary>zslParseLexRangeItem: "+", "-", "(value" or "[value"; false for anything else.</summary>
    public static bool TryParseItem(ReadOnlySpan<byte> item, out Bound kind, out byte[] value, out bool exclusive)
    {
        kind = Bound.Value;
        value = [];
        exclusive = false;
        if (item.Length == 0) return false;
        switch (item[0])
        {
            // The C code tests c[1] != '\0': a "+" followed by a NUL byte still counts as "+".
            case (byte)'+':
                if (item.Length > 1 && item[1] != 0) return false;
                kind = Bound.PositiveInfinity;
                exclusive = true;
                return true;
            case (byte)'-':
                if (item.Length > 1 && item[1] != 0) return false;
                kind = Bound.NegativeInfinity;
                exclusive = true;
                return true;
            case (byte)'(':
                exclusive = true;
                value = item[1..].ToArray();
                return true;
            case (byte)'[':
                value = item[1..].ToArray();
                return true;
            default:
                return false;
        }
    }

    public static bool TryParse(ReadOnlySpan<byte> min, ReadOnlySpan<byte> max, out LexRange range)
    {
        range = default;
        if (!TryParseItem(min, out var minKind, out var minValue, out var minEx)) return false;
        if (!TryParseItem(max, out var maxKind, out var maxValue, out var maxEx)) return false;
        range = new LexRange(minKind, minValue, minEx, maxKind, maxValue, maxEx);
        return true;
    }

    /// <summary>sdscmplex: a member against a bound, with "-" below and "+" above every string.</summary>
    private static int CompareToBound(ReadOnlySpan<byte> member, Bound kind, byte[] bound) => kind switch
    {
        Bound.NegativeInfinity => 1,
        Bound.PositiveInfinity => -1,
        _ => member.SequenceCompareTo(bound),
    };

    /// <summary>zslLexValueGteMin.</summary>
    public bool GteMin(ReadOnlySpan<byte> member)
    {
        var cmp = CompareToBound(member, MinKind, Min);
        return MinExclusive ? cmp > 0 : cmp >= 0;
    }

    /// <summary>zslLexValueLteMax.</summary>
    public bool LteMax(ReadOnlySpan<byte> member)
    {
        var cmp = CompareToBound(member, MaxKind, Max);
        return MaxExclusive ? cmp < 0 : cmp <= 0;
    }

    public bool Contains(ReadOnlySpan<byte> member) => GteMin(member) && LteMax(member);

    /// <summary>zslIsInLexRange's first test: min above max, or equal with an exclusive end.</summary>
    public bool IsEmpty
    {
        get
        {
            int cmp;
            if (MinKind == MaxKind && MinKind != Bound.Value) cmp = 0;
            else if (MinKind == Bound.PositiveInfinity || MaxKind == Bound.NegativeInfinity) cmp = 1;
            else if (MinKind == Bound.NegativeInfinity || MaxKind == Bound.PositiveInfinity) cmp = -1;
            else cmp = Min.AsSpan().SequenceCompareTo(Max);
            return cmp > 0 || (cmp == 0 && (MinExclusive || MaxExclusive));
        }
    }
}
