using System.Buffers.Binary;

namespace AkkaRedis.Actors.Storage.Rdb;

/// <summary>
/// DUMP / RESTORE payloads (cluster.c's createDumpPayload / verifyDumpPayload): the value as rdbSaveObjectType +
/// rdbSaveObject write it, then the RDB version (2 bytes, little endian), then the CRC-64 of everything before it
/// (8 bytes, little endian). The same bytes redis-server produces and accepts.
/// </summary>
public static class DumpPayload
{
    /// <summary>The payload of <paramref name="entry"/> into <paramref name="w"/> (cleared first).</summary>
    public static void Create(RdbWriter w, KeyEntry entry, bool compress, int listFill)
    {
        w.Clear();
        RdbValues.WriteValue(w, entry, compress, listFill);
        WriteFooter(w);
    }

    /// <summary>The payload's end after what <paramref name="w"/> holds: the RDB version and the CRC-64 of everything
    /// (a key's DUMP, and FUNCTION DUMP's libraries).</summary>
    public static void WriteFooter(RdbWriter w)
    {
        Span<byte> footer = stackalloc byte[10];
        BinaryPrimitives.WriteUInt16LittleEndian(footer, RdbFormat.Version);
        w.WriteBytes(footer[..2]);
        BinaryPrimitives.WriteUInt64LittleEndian(footer[2..], Crc64.Compute(0, w.Written));
        w.WriteBytes(footer[2..]);
    }

    /// <summary>verifyDumpPayload: at least the 10 footer bytes, a version this server can read, and (unless
    /// DEBUG SET-SKIP-CHECKSUM-VALIDATION) a matching CRC-64.</summary>
    public static bool Verify(ReadOnlySpan<byte> payload, bool skipChecksum)
    {
        if (payload.Length < 10) return false;
        var footer = payload[^10..];
        if (BinaryPrimitives.ReadUInt16LittleEndian(footer) > RdbFormat.Version) return false;
        if (skipChecksum) return true;
        return Crc64.Compute(0, payload[..^8]) == BinaryPrimitives.ReadUInt64LittleEndian(footer[2..]);
    }

    /// <summary>RESTORE's rdbLoadObjectType + rdbLoadObject on a verified payload: the value, or a
    /// <see cref="RdbFormatException"/> ("Bad data format"). Bytes after the value are ignored, as in Redis.</summary>
    public static RdbValue Read(ReadOnlySpan<byte> payload, in RdbLoadLimits limits)
    {
        var body = payload[..^10];
        if (body.Length == 0 || !RdbFormat.IsObjectType(body[0])) throw new RdbFormatException("Bad data format");
        var reader = new RdbReader(body[1..]);
        return RdbValues.ReadValue(ref reader, body[0], limits);
    }
}
