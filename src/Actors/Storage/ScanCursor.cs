namespace AkkaRedis.Actors.Storage;

/// <summary>
/// Redis's dictScan cursor arithmetic: the cursor counts up in reversed bits, so that a scan over a power-of-two
/// table visits every bucket once, and an element present for the whole scan is returned even when the table grows
/// or shrinks between calls (a bucket of a bigger table maps onto one of a smaller, and back).
/// </summary>
public static class ScanCursor
{
    /// <summary>The cursor after the bucket <paramref name="cursor"/> of a table with <paramref name="bucketCount"/>
    /// (a power of two) buckets; 0 when the scan is complete.</summary>
    public static ulong Next(ulong cursor, int bucketCount)
    {
        var mask = (ulong)(bucketCount - 1);
        cursor |= ~mask;
        cursor = ReverseBits(cursor);
        cursor++;
        return ReverseBits(cursor);
    }

    private static ulong ReverseBits(ulong v)
    {
        v = ((v >> 1) & 0x5555555555555555UL) | ((v & 0x5555555555555555UL) << 1);
        v = ((v >> 2) & 0x3333333333333333UL) | ((v & 0x3333333333333333UL) << 2);
        v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FUL) | ((v & 0x0F0F0F0F0F0F0F0FUL) << 4);
        v = ((v >> 8) & 0x00FF00FF00FF00FFUL) | ((v & 0x00FF00FF00FF00FFUL) << 8);
        v = ((v >> 16) & 0x0000FFFF0000FFFFUL) | ((v & 0x0000FFFF0000FFFFUL) << 16);
        return (v >> 32) | (v << 32);
    }
}
