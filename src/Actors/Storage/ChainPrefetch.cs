using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// The staged cache hints of a chained hash table (<see cref="KeyTable"/>, <see cref="MemberTable{TValue}"/>): a batch
/// of lookups asks for stage 0 (each bucket head) for all its entries, then stage 1 (the first slot of each chain),
/// then stage 2 (that slot's key or member bytes, or the chain's second slot when the first holds another hash), then
/// stage 3 (that second slot's bytes), so that their cache misses overlap, as Valkey 8 batches its lookups. Only
/// hints: reading a line that is not there yet stalls, but no wrong answer comes of it.
/// </summary>
public static class ChainPrefetch
{
    /// <summary>How many stages a lookup's hints have (0, 1, 2, 3: the fourth for a key second in its chain).</summary>
    public const int Stages = 4;

    /// <summary>Stage 0 (the bucket head, prefetched) or the head to go on from: true when there is nothing more to
    /// do at this stage (no SSE, stage 0 done, an empty bucket), else <paramref name="head"/> is the first slot plus one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe bool Bucket(int[] buckets, int hash, int stage, out int head)
    {
        head = 0;
        if (!Sse.IsSupported) return true;
        ref var slot = ref buckets[hash & (buckets.Length - 1)];
        if (stage == 0)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref slot));
            return true;
        }
        head = slot;
        return head == 0;
    }

    /// <summary>Stage 1: the slot itself, both its ends: slots of 24 or 32 bytes from an array's 16-byte header
    /// straddle two cache lines about half the time, and the hint for the first line alone left the second (a
    /// KeyTable slot's hash, next and key length) to be missed at the lookup (EXEC of 10 INCRs on random keys: 8.5 % of
    /// the socket thread stalled there). Its bytes' address is read only at the next stage, once the slot is there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Line<TSlot>(ref TSlot slot)
    {
        var start = (byte*)Unsafe.AsPointer(ref slot);
        Sse.Prefetch0(start);
        Sse.Prefetch0(start + Unsafe.SizeOf<TSlot>() - 1);
    }

    /// <summary>Stage 2: the key or member bytes the slot points to: the array's length (the lookup's bounds check
    /// reads it) up to its <paramref name="used"/>th byte, which may be the next line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Bytes(byte[]? bytes, int used)
    {
        if (bytes == null) return;
        var data = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(bytes));
        Sse.Prefetch0(data - sizeof(nint));
        Sse.Prefetch0(data + Math.Max(used, 1) - 1);
    }
}
