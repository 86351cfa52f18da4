using System.Buffers.Binary;
using System.Text;

namespace AkkaRedis.Actors.Storage.Rdb;

/// <summary>The aux fields a file starts with (rdbSaveInfoAuxFields), in Redis 7.0's order.</summary>
public sealed record RdbAux
{
    public string RedisVersion { get; init; } = "7.0.15";
    public int RedisBits { get; init; } = 64;
    /// <summary>Unix seconds when the save started.</summary>
    public long CTime { get; init; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    public long UsedMem { get; init; }
    /// <summary>The replication fields (repl-stream-db, repl-id, repl-offset): written when <see cref="ReplId"/> is set,
    /// as rdbSaveInfoAuxFields writes them when it is given an rdbSaveInfo (every save of a master in 7.0).</summary>
    public string? ReplId { get; init; }
    public int ReplStreamDb { get; init; }
    public long ReplOffset { get; init; }
    /// <summary>aof-base: 1 in the RDB preamble of an AOF base file.</summary>
    public bool AofBase { get; init; }
}

/// <summary>
/// One database's part of a snapshot (rdbSaveDb's body): its index, its key and expire counts for RESIZEDB, and its key
/// records (<see cref="RdbValues.WriteKeyRecord"/>'s bytes) as chunks, in any split: one per shard, or many smaller
/// ones (the point-in-time snapshot cuts each shard's keys into steps). Several parts with one index are merged under
/// one SELECTDB; their counts add up.
/// </summary>
public sealed class RdbDbPart
{
    public RdbDbPart(int db, long keys, long expires, IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        Db = db;
        Keys = keys;
        Expires = expires;
        Chunks = chunks;
    }

    public int Db { get; }
    public long Keys { get; }
    public long Expires { get; }
    public IReadOnlyList<ReadOnlyMemory<byte>> Chunks { get; }
}

/// <summary>
/// A whole RDB file as rdbSaveRio writes it: <c>REDIS0010</c>, the aux fields, FUNCTION2 records, then per non-empty
/// database SELECTDB, RESIZEDB and its key records, EOF, and the CRC64 of everything before it (8 bytes, little endian;
/// zero when rdbchecksum is off). <see cref="RdbFileWriter"/> streams one; <see cref="Write"/> writes one from parts
/// assembled elsewhere; <see cref="Save"/> is rdbSave's temp-file-fsync-rename around either.
/// </summary>
public static partial class RdbFile
{
    /// <summary>"REDIS" and the four-digit version.</summary>
    public static ReadOnlySpan<byte> Magic => "REDIS0010"u8;

    /// <summary>A file from parts (see <see cref="RdbDbPart"/>), in database order.</summary>
    public static void Write(Stream output, RdbAux aux, IReadOnlyList<RdbDbPart> parts, bool checksum, bool compress = true,
        IReadOnlyList<byte[]>? functions = null)
    {
        var file = new RdbFileWriter(output, checksum, compress);
        file.WriteHeader(aux, functions);
        foreach (var group in parts.Where(p => p.Keys > 0).GroupBy(p => p.Db).OrderBy(g => g.Key))
        {
            file.SelectDb(group.Key, group.Sum(p => p.Keys), group.Sum(p => p.Expires));
            foreach (var part in group)
            foreach (var chunk in part.Chunks)
                file.WriteRecords(chunk.Span);
        }
        file.Finish();
    }

    /// <summary>
    /// rdbSave: writes a file into <c>temp-&lt;pid&gt;.rdb</c> in <paramref name="dir"/> with <paramref name="write"/>,
    /// flushes it to the disk (fsync), then renames it over <paramref name="fileName"/>, so a crash leaves the old file
    /// or the new one, never half of one. A failure deletes the temp file and throws (IOException,
    /// UnauthorizedAccessException): the caller reports it as Redis's "Failed opening / Write error saving DB on disk".
    /// A background save names its own <paramref name="tempName"/> (Redis's child writes temp-&lt;child pid&gt;.rdb), so a
    /// foreground save (FLUSHALL, SHUTDOWN) while it runs never opens the same temp file.
    /// </summary>
    /// <param name="renameGate">When given, the rename happens under this lock and only if <paramref name="cancel"/> was
    /// not cancelled by then (whoever cancels under the same lock knows the file is either in place already or never
    /// will be).</param>
    public static void Save(string dir, string fileName, Action<Stream> write, string? tempName = null, object? renameGate = null,
        CancellationToken cancel = default)
    {
        var temp = Path.Combine(dir, tempName ?? $"temp-{Environment.ProcessId}.rdb");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            if (renameGate == null) File.Move(temp, Path.Combine(dir, fileName), overwrite: true);
            else
            {
                lock (renameGate)
                {
                    cancel.ThrowIfCancellationRequested();
                    File.Move(temp, Path.Combine(dir, fileName), overwrite: true);
                }
            }
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
            throw;
        }
    }

    /// <summary>The bytes of a file with no keys (FLUSHALL's save, and tests).</summary>
    public static byte[] Empty(RdbAux aux, bool checksum = true)
    {
        using var memory = new MemoryStream();
        Write(memory, aux, [], checksum);
        return memory.ToArray();
    }
}

/// <summary>
/// Streams an RDB file into a <see cref="Stream"/>: the header, then databases and their records, then the trailer,
/// buffering in <see cref="Body"/> (flushed past 64 KB) and keeping the CRC64 of every byte as rioGenericUpdateChecksum
/// does.
/// </summary>
public sealed class RdbFileWriter
{
    private const int FlushThreshold = 1 << 16;
    private readonly Stream _output;
    private readonly bool _checksum;
    private readonly bool _compress;
    private ulong _crc;

    public RdbFileWriter(Stream output, bool checksum, bool compress)
    {
        _output = output;
        _checksum = checksum;
        _compress = compress;
    }

    /// <summary>The buffer records are written into (<see cref="RdbValues.WriteKeyRecord"/>); call
    /// <see cref="FlushIfFull"/> now and then.</summary>
    public RdbWriter Body { get; } = new(FlushThreshold + 1024);

    /// <summary>Bytes handed to the stream so far.</summary>
    public long Written { get; private set; }

    /// <summary>Magic, aux fields, then the function libraries (RDB_OPCODE_FUNCTION2, each library's code as a
    /// string), as rdbSaveRio orders them.</summary>
    public void WriteHeader(RdbAux aux, IReadOnlyList<byte[]>? functions = null)
    {
        var w = Body;
        w.WriteBytes(RdbFile.Magic);
        Aux(w, "redis-ver", aux.RedisVersion);
        Aux(w, "redis-bits", aux.RedisBits);
        Aux(w, "ctime", aux.CTime);
        Aux(w, "used-mem", aux.UsedMem);
        if (aux.ReplId != null)
        {
            Aux(w, "repl-stream-db", aux.ReplStreamDb);
            Aux(w, "repl-id", aux.ReplId);
            Aux(w, "repl-offset", aux.ReplOffset);
        }
        Aux(w, "aof-base", aux.AofBase ? 1 : 0);
        if (functions != null)
            foreach (var library in functions)
            {
                w.WriteByte(RdbFormat.OpFunction2);
                w.WriteString(library, _compress);
            }
        FlushIfFull();
    }

    private void Aux(RdbWriter w, string key, long value) =>
        Aux(w, key, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>rdbSaveAuxField: the opcode, then key and value as rdbSaveRawString writes them (integer-encoded when
    /// they look like one, so "64" is two bytes).</summary>
    private void Aux(RdbWriter w, string key, string value)
    {
        w.WriteByte(RdbFormat.OpAux);
        w.WriteString(Encoding.ASCII.GetBytes(key), _compress);
        w.WriteString(Encoding.UTF8.GetBytes(value), _compress);
    }

    /// <summary>rdbSaveDb's start: SELECTDB <paramref name="db"/>, RESIZEDB (key count, expire count).</summary>
    public void SelectDb(int db, long keys, long expires)
    {
        var w = Body;
        w.WriteByte(RdbFormat.OpSelectDb);
        w.WriteLength((ulong)db);
        w.WriteByte(RdbFormat.OpResizeDb);
        w.WriteLength((ulong)keys);
        w.WriteLength((ulong)expires);
    }

    /// <summary>Key records encoded elsewhere (a shard's snapshot chunk).</summary>
    public void WriteRecords(ReadOnlySpan<byte> records)
    {
        if (records.Length >= FlushThreshold)
        {
            Flush();
            Emit(records);
            return;
        }
        Body.WriteBytes(records);
        FlushIfFull();
    }

    public void FlushIfFull()
    {
        if (Body.Length >= FlushThreshold) Flush();
    }

    /// <summary>EOF, the checksum, and a flush of the stream (rdbSaveRio's end).</summary>
    public void Finish()
    {
        Body.WriteByte(RdbFormat.OpEof);
        Flush();
        Span<byte> crc = stackalloc byte[8];
        // rdbSaveRio: the checksum is 0 when rdbchecksum is off (the loader then skips the check).
        BinaryPrimitives.WriteUInt64LittleEndian(crc, _checksum ? _crc : 0);
        _output.Write(crc);
        Written += 8;
        _output.Flush();
    }

    private void Flush()
    {
        if (Body.Length == 0) return;
        Emit(Body.Written);
        Body.Clear();
    }

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        if (_checksum) _crc = Crc64.Compute(_crc, bytes);
        _output.Write(bytes);
        Written += bytes.Length;
    }
}
