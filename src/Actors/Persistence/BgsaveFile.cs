using System.Buffers;
using System.Collections.Concurrent;
using AkkaRedis.Actors.Storage.Rdb;

namespace AkkaRedis.Actors.Persistence;

/// <summary>
/// A BGSAVE's file, written by a task of its own while the snapshot runs (Redis's child writes as it walks): the header
/// as soon as the shards are marked, then the records of the first database with keys as their chunks arrive (most
/// datasets live in one database, so they are on their way to the disk instead of piling up in memory until the end),
/// then every other database's records, held until the snapshot is complete, in database order. rdbSave's temp file,
/// fsync and rename (<see cref="RdbFile.Save"/>) around it.
/// </summary>
internal sealed class BgsaveFile
{
    /// <summary>Chunks to write; a rented one (streamed) goes back to ArrayPool&lt;byte&gt;.Shared once written.</summary>
    private readonly BlockingCollection<(int Db, ArraySegment<byte> Records, bool Rented)> _queue = new();
    private readonly SnapshotImage _image;
    /// <summary>The database whose chunks are written as they come; -1 when the snapshot has no key.</summary>
    private readonly int _streamed;

    private BgsaveFile(SnapshotImage image)
    {
        _image = image;
        _streamed = Array.FindIndex(image.Keys, k => k > 0);
    }

    /// <summary>The writer: the file's size once it is in place, or the reason it is not.</summary>
    public Task<long> Writing { get; private set; } = null!;

    /// <summary>Starts writing <paramref name="image"/> (marked, with its counts: the hold's moment) to
    /// <paramref name="fileName"/> in <paramref name="dir"/>; <paramref name="cancel"/> gives it up (the temp file goes).</summary>
    /// <param name="renameGate">The lock the rename takes (PersistenceStatus.BgsaveRenameGate: FLUSHALL's kill).</param>
    public static BgsaveFile Start(SnapshotImage image, string dir, string fileName, bool checksum, bool compress, object renameGate,
        CancellationToken cancel)
    {
        var file = new BgsaveFile(image);
        file.Writing = Task.Factory.StartNew(() => file.Write(dir, fileName, checksum, compress, renameGate, cancel), cancel,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return file;
    }

    private long Write(string dir, string fileName, bool checksum, bool compress, object renameGate, CancellationToken cancel)
    {
        long bytes = 0;
        RdbFile.Save(dir, fileName, stream =>
        {
            var file = new RdbFileWriter(stream, checksum, compress);
            file.WriteHeader(PersistenceActor.Aux(_image, aofBase: false), _image.Functions);
            var current = -1;
            foreach (var (db, records, rented) in _queue.GetConsumingEnumerable(cancel))
            {
                if (db != current)
                {
                    file.SelectDb(db, _image.Keys[db], _image.Expires[db]);
                    current = db;
                }
                file.WriteRecords(records);
                if (rented) ArrayPool<byte>.Shared.Return(records.Array!);
            }
            file.Finish();
            bytes = stream.Position;
            // Given up after the last record (FLUSHALL, SHUTDOWN): the temp file goes, the old file stays.
            cancel.ThrowIfCancellationRequested();
        }, $"temp-bgsave-{Environment.ProcessId}.rdb", renameGate, cancel);
        return bytes;
    }

    /// <summary>A chunk of records as it arrives: taken (true) when it belongs to the database written live, else the
    /// image keeps it for <see cref="Finish"/>.</summary>
    public bool TryStream(int db, ArraySegment<byte> records)
    {
        if (db != _streamed) return false;
        _queue.Add((db, records, true));
        return true;
    }

    /// <summary>Every chunk is in: the other databases' records follow, in order, then the file ends.</summary>
    public void Finish()
    {
        for (var db = 0; db < _image.Chunks.Length; db++)
        {
            if (db == _streamed) continue;
            foreach (var chunk in _image.Chunks[db]) _queue.Add((db, chunk, false));
        }
        _queue.CompleteAdding();
    }
}
