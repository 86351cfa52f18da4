using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// The staged cache hints of a chained hash table (<see cref="KeyTable"/>, <see cref="MemberTable{TValue}"/>): a batch
/// of lookups asks for stage 0 (each bucket head) for all its entries, then stage 1 (the first slot of each chain),
/// then stage 2 (that slot's key or member bytes), so that their cache misses overlap, as Valkey 8 batches its
/// lookups. Only hints: reading a line that is not there yet stalls, but no wrong answer comes of it.
/// </summary>
public static class ChainPrefetch
{
    /// <summary>How many stages a lookup's hints have (0, 1, 2).</summary>
    public const int Stages = 3;

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

    /// <summary>Stage 1: the slot itself. Its bytes' address is read only at the next stage, once the slot is there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Line<TSlot>(ref TSlot slot) => Sse.Prefetch0(Unsafe.AsPointer(ref slot));

    /// <summary>Stage 2: the key or member bytes the slot points to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Bytes(byte[]? bytes)
    {
        if (bytes != null) Sse.Prefetch0(Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(bytes)));
    }
}
