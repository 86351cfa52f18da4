namespace AkkaRedis.Actors.Storage;

/// <summary>jemalloc's size classes (x86_64 defaults), which Redis's memory figures and sds capacities follow.</summary>
public static class Jemalloc
{
    /// <summary>The size class (usable bytes) of an allocation of <paramref name="size"/> bytes.</summary>
    public static long SizeClass(long size)
    {
        if (size <= 8) return 8;
        if (size <= 128) return (size + 15) & ~15L;
        var power = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(size - 1));
        var spacing = 1L << (power - 2);
        return (size + spacing - 1) & ~(spacing - 1);
    }
}
