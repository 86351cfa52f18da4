using System.Buffers.Text;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// A stream entry ID, Redis's streamID: milliseconds and a sequence number, both unsigned 64-bit, ordered as the pair.
/// Formatted "ms-seq" (Redis's "%llu-%llu"). Parsing an argument, with Redis's errors, is in
/// <c>Commands.StreamIdArgs</c>.
/// </summary>
public readonly struct StreamId : IComparable<StreamId>, IEquatable<StreamId>
{
    /// <summary>"18446744073709551615-18446744073709551615".</summary>
    public const int MaxFormattedLength = 41;

    public readonly ulong Ms;
    public readonly ulong Seq;

    public StreamId(ulong ms, ulong seq)
    {
        Ms = ms;
        Seq = seq;
    }

    /// <summary>0-0: "-" in a range, and the last ID of a stream nothing was ever added to.</summary>
    public static StreamId Min => default;

    /// <summary>UINT64_MAX-UINT64_MAX: "+" in a range.</summary>
    public static StreamId Max => new(ulong.MaxValue, ulong.MaxValue);

    public bool IsZero => Ms == 0 && Seq == 0;

    /// <summary>Redis's streamIncrID: the next ID, carrying into ms; false (and this ID) at <see cref="Max"/>.</summary>
    public bool TryIncrement(out StreamId next)
    {
        if (Seq != ulong.MaxValue) next = new(Ms, Seq + 1);
        else if (Ms != ulong.MaxValue) next = new(Ms + 1, 0);
        else
        {
            next = this;
            return false;
        }
        return true;
    }

    /// <summary>Redis's streamDecrID: the previous ID, borrowing from ms; false (and this ID) at 0-0.</summary>
    public bool TryDecrement(out StreamId previous)
    {
        if (Seq != 0) previous = new(Ms, Seq - 1);
        else if (Ms != 0) previous = new(Ms - 1, ulong.MaxValue);
        else
        {
            previous = this;
            return false;
        }
        return true;
    }

    /// <summary>Writes "ms-seq" and returns its length (at most <see cref="MaxFormattedLength"/>).</summary>
    public int Format(Span<byte> destination)
    {
        Utf8Formatter.TryFormat(Ms, destination, out var n);
        destination[n++] = (byte)'-';
        Utf8Formatter.TryFormat(Seq, destination[n..], out var m);
        return n + m;
    }

    public byte[] ToBytes()
    {
        Span<byte> buffer = stackalloc byte[MaxFormattedLength];
        return buffer[..Format(buffer)].ToArray();
    }

    public override string ToString() => $"{Ms}-{Seq}";

    public int CompareTo(StreamId other) => Ms != other.Ms ? Ms.CompareTo(other.Ms) : Seq.CompareTo(other.Seq);
    public bool Equals(StreamId other) => Ms == other.Ms && Seq == other.Seq;
    public override bool Equals(object? obj) => obj is StreamId other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Ms, Seq);

    public static bool operator ==(StreamId a, StreamId b) => a.Equals(b);
    public static bool operator !=(StreamId a, StreamId b) => !a.Equals(b);
    public static bool operator <(StreamId a, StreamId b) => a.CompareTo(b) < 0;
    public static bool operator >(StreamId a, StreamId b) => a.CompareTo(b) > 0;
    public static bool operator <=(StreamId a, StreamId b) => a.CompareTo(b) <= 0;
    public static bool operator >=(StreamId a, StreamId b) => a.CompareTo(b) >= 0;
}
