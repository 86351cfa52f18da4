using System.Diagnostics;
using Akka.Event;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using Microsoft.Win32.SafeHandles;

namespace AkkaRedis.Actors.Persistence;

/// <summary>
/// The AOF's append side (aof.c's feedAppendOnlyFile, flushAppendOnlyFile and the bio fsync job): a subscriber of the
/// write-effect stream that formats each block as Redis writes it into the AOF buffer, and gets it to the open incr
/// file as appendfsync says.
/// <list type="bullet">
/// <item><c>always</c>: the publishing shard writes and fsyncs before its subscriber call returns, so before its
/// replies leave. Group commit: whoever takes the file writes everything appended so far, and a shard whose bytes
/// someone else made durable meanwhile returns at once.</item>
/// <item><c>everysec</c>: a writer thread writes what is appended (woken only when it sleeps, so a busy server costs the
/// shards no syscall per batch) and starts an fsync once a second on another thread (Redis's bio job); an fsync due
/// while the last one still runs is postponed and counted (aof_delayed_fsync).</item>
/// <item><c>no</c>: the writer thread writes; the kernel flushes when it likes.</item>
/// </list>
/// A failed write keeps the bytes in the buffer and truncates what a partial write left (Redis's
/// flushAppendOnlyFile error path); the status turns to err (MISCONF for writes) until a later write succeeds. With
/// <c>always</c> Redis cannot keep its promise after a failed write and exits; so does this.
/// </summary>
public sealed class AofAppender : IDisposable
{
    private readonly AofSettings _settings;
    private readonly PersistenceStatus _status;
    private readonly ILoggingAdapter _log;
    private readonly Action _fatal;

    // _lock guards the buffer and the formatting state; _io serialises writes to the file (taken first when both are).
    private readonly object _lock = new();
    private readonly object _io = new();
    private byte[] _buffer = new byte[64 * 1024];
    private int _length;
    /// <summary>Bytes a write under way took from the buffer (0 when none): aof_buf until they are on file.</summary>
    private int _writing;
    private byte[] _spare = new byte[64 * 1024];
    private int _selectedDb = -1;
    private long _lastTimestamp;
    private long _appended;
    private bool _writerWaiting;
    private bool _stopping;

    // Guarded by _io.
    private SafeFileHandle? _file;
    private long _fileSize;
    private long _written;
    private long _synced;
    private long _lastFsyncTicks;
    private long _fsyncDueSinceTicks;
    private Task? _fsyncTask;

    private readonly Thread _writer;

    public AofAppender(AofSettings settings, PersistenceStatus status, ILoggingAdapter log, Action fatal)
    {
        _settings = settings;
        _status = status;
        _log = log;
        _fatal = fatal;
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "aof-writer" };
        _writer.Start();
    }

    /// <summary>Bytes of the base and every earlier incr file (the current incr's own size is added live).</summary>
    public long OtherFilesSize { get; set; }

    /// <summary>The incr file being appended to (its path), null before <see cref="Open"/>.</summary>
    public string? CurrentPath { get; private set; }

    /// <summary>Opens (or creates) <paramref name="path"/> for appending; later effects go there.</summary>
    public void Open(string path)
    {
        lock (_io)
        {
            _file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            _fileSize = RandomAccess.GetLength(_file);
            CurrentPath = path;
            PublishSize();
        }
    }

    /// <summary>
    /// The start of a rewrite, every shard held (so nothing is being appended): what is buffered goes to the current
    /// file, made durable, and later effects go to <paramref name="path"/>, starting with a SELECT as Redis's new incr
    /// file does (aof_selected_db = -1). Returns the finished file's size.
    /// </summary>
    public long SwitchTo(string path)
    {
        lock (_io)
        {
            WriteBuffered(sync: true);
            var finished = _fileSize;
            _file?.Dispose();
            lock (_lock)
            {
                _selectedDb = -1;
                _lastTimestamp = 0;
            }
            OtherFilesSize += finished;
            Open(path);
            return finished;
        }
    }

    /// <summary>The subscriber: formats <paramref name="block"/> into the buffer (called on the publishing shard's thread).</summary>
    public void Append(EffectBlock block)
    {
        long target;
        var always = false;
        lock (_lock)
        {
            var start = _length;
            Format(block);
            if (_length == start) return;
            _appended += _length - start;
            target = _appended;
            _status.AofBufferLength = _length + _writing;
            if (_settings.Fsync == AofFsync.Always) always = true;
            else if (_writerWaiting) Monitor.Pulse(_lock);
        }
        if (always) MakeDurable(target);
    }

    /// <summary>Everything appended so far is written and fsync'ed (SHUTDOWN, switching files, appendfsync always).</summary>
    public void Flush()
    {
        long target;
        lock (_lock) target = _appended;
        MakeDurable(target);
    }

    private void MakeDurable(long target)
    {
        lock (_io)
        {
            // Group commit: another shard's flush may have covered these bytes while this one waited for the file.
            if (_synced >= target) return;
            if (WriteBuffered(sync: true) || _settings.Fsync != AofFsync.Always) return;
        }
        // flushAppendOnlyFile: "Can't recover from AOF write error when the AOF fsync policy is 'always'". Outside the
        // lock: exiting runs the shutdown, which closes this appender.
        _log.Warning("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
        _fatal();
    }

    // ---- formatting (feedAppendOnlyFile) -------------------------------------------------------------------------

    private void Format(EffectBlock block)
    {
        foreach (var entry in block.Entries)
        {
            var command = block.Bytes.AsSpan(entry.Start, entry.End - entry.Start);
            // PUBLISH / SPUBLISH reach replicas only (forceCommandPropagation(c, PROPAGATE_REPL)).
            if (IsPublish(command)) continue;
            if (_settings.Timestamps)
            {
                // genAofTimestampAnnotationIfNeeded: "#TS:<unix seconds>" whenever the second changed.
                var now = ServerClock.UnixMs() / 1000;
                if (now > _lastTimestamp)
                {
                    _lastTimestamp = now;
                    WriteAscii($"#TS:{now}\r\n");
                }
            }
            if (entry.Db != _selectedDb)
            {
                var db = entry.Db.ToString(System.Globalization.CultureInfo.InvariantCulture);
                WriteAscii($"*2\r\n$6\r\nSELECT\r\n${db.Length}\r\n{db}\r\n");
                _selectedDb = entry.Db;
            }
            Write(command);
        }
    }

    /// <summary>Whether a RESP command is PUBLISH or SPUBLISH (its first bulk, in any case).</summary>
    internal static bool IsPublish(ReadOnlySpan<byte> command)
    {
        var first = command.IndexOf((byte)'\n');
        if (first < 0 || first + 1 >= command.Length || command[first + 1] != (byte)'$') return false;
        var second = command[(first + 1)..].IndexOf((byte)'\n');
        if (second < 0) return false;
        var name = command[(first + 1 + second + 1)..];
        var end = name.IndexOf((byte)'\r');
        if (end < 0) return false;
        name = name[..end];
        return System.Text.Ascii.EqualsIgnoreCase(name, "publish"u8) || System.Text.Ascii.EqualsIgnoreCase(name, "spublish"u8);
    }

    private void WriteAscii(string text)
    {
        Span<byte> bytes = stackalloc byte[text.Length];
        for (var i = 0; i < text.Length; i++) bytes[i] = (byte)text[i];
        Write(bytes);
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes.Length));
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    // ---- writing (flushAppendOnlyFile) ------------------------------------------------------------------------------

    /// <summary>Writes what is buffered (caller holds _io), fsyncs if asked; false when the write or fsync failed (the
    /// bytes stay buffered, the file is cut back to its last good size).</summary>
    private bool WriteBuffered(bool sync)
    {
        byte[] chunk;
        int count;
        long upTo;
        lock (_lock)
        {
            chunk = _buffer;
            count = _length;
            upTo = _appended;
            _buffer = _spare;
            _length = 0;
            _spare = chunk;
            // Still Redis's aof_buf until written: INFO's aof_buffer_length counts it (and a failed write keeps it).
            _writing = count;
        }
        if (_file == null)
        {
            // No file (appendonly turned off meanwhile): the bytes have nowhere to go.
            WriteTaken();
            return true;
        }
        try
        {
            if (count > 0)
            {
                RandomAccess.Write(_file, chunk.AsSpan(0, count), _fileSize);
                _fileSize += count;
                _written = upTo;
                PublishSize();
            }
            WriteTaken();
            if (sync && _synced < _written)
            {
                RandomAccess.FlushToDisk(_file);
                _synced = _written;
                _lastFsyncTicks = Stopwatch.GetTimestamp();
            }
            if (_status.AofWriteError != null)
            {
                _log.Warning("AOF write error looks solved, Redis can write again.");
                _status.AofWriteError = null;
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Failed(e, chunk, count);
            return false;
        }
    }

    /// <summary>The bytes a write took are on file (or had nowhere to go): aof_buf is what was appended since.</summary>
    private void WriteTaken()
    {
        lock (_lock)
        {
            _writing = 0;
            _status.AofBufferLength = _length;
        }
    }

    /// <summary>The write failed: cut a partial write off (ftruncate to the last good size, as Redis does) and put
    /// the bytes back in front of what was appended meanwhile.</summary>
    private void Failed(Exception e, byte[] chunk, int count)
    {
        var reason = Reason(e);
        if (_status.AofWriteError == null) _log.Warning("Error writing to the AOF file: {0}", reason);
        try
        {
            if (_file != null && RandomAccess.GetLength(_file) != _fileSize) RandomAccess.SetLength(_file, _fileSize);
        }
        catch (IOException)
        {
            // Redis logs it and lets the next write try again (its aof_last_incr_size stays the good size).
        }
        lock (_lock)
        {
            var merged = new byte[Math.Max(_buffer.Length, count + _length)];
            chunk.AsSpan(0, count).CopyTo(merged);
            _buffer.AsSpan(0, _length).CopyTo(merged.AsSpan(count));
            _buffer = merged;
            _length += count;
            _writing = 0;
            _status.AofBufferLength = _length;
        }
        // Set once the bytes are back: whoever sees the error sees them buffered.
        _status.AofWriteError = reason;
    }

    /// <summary>strerror's text for the common cases (MISCONF shows it).</summary>
    private static string Reason(Exception e) => e.HResult switch
    {
        28 or unchecked((int)0x80070070) => "No space left on device",
        13 => "Permission denied",
        _ => e.Message,
    };

    private void PublishSize() => _status.AofCurrentSize = OtherFilesSize + _fileSize;

    /// <summary>aof_current_size as this appender sees it.</summary>
    public long CurrentSize
    {
        get
        {
            lock (_io) return OtherFilesSize + _fileSize;
        }
    }

    private void WriterLoop()
    {
        while (true)
        {
            lock (_lock)
            {
                while (!_stopping && !HasWork())
                {
                    _writerWaiting = true;
                    Monitor.Wait(_lock, 200);
                    _writerWaiting = false;
                }
                if (_stopping) return;
            }
            lock (_io)
            {
                var fsync = _settings.Fsync;
                // appendfsync always: the shards write themselves; the thread only retries a failed write.
                if (fsync != AofFsync.Always || _status.AofWriteError != null) WriteBuffered(sync: false);
                if (fsync == AofFsync.EverySec) MaybeFsyncInBackground();
            }
            // After a failure, retry about once a second (Redis retries from serverCron), not in a busy loop.
            if (_status.AofWriteError != null) Thread.Sleep(1000);
        }
    }

    /// <summary>Bytes for the writer thread (with appendfsync always the shards write them, unless a write failed and
    /// waits for a retry), or an fsync that is due.</summary>
    private bool HasWork() =>
        (_length > 0 && (_settings.Fsync != AofFsync.Always || _status.AofWriteError != null)) || FsyncDue();

    private bool FsyncDue()
    {
        if (_settings.Fsync != AofFsync.EverySec) return false;
        return Volatile.Read(ref _written) > Volatile.Read(ref _synced) &&
               Stopwatch.GetElapsedTime(Volatile.Read(ref _lastFsyncTicks)) >= TimeSpan.FromSeconds(1);
    }

    /// <summary>everysec: once a second, an fsync on a background thread (aof_background_fsync); while one still
    /// runs, the next waits, counted once it has waited two seconds as Redis counts aof_delayed_fsync.</summary>
    private void MaybeFsyncInBackground()
    {
        if (_file == null || _synced >= _written) return;
        var now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(_lastFsyncTicks, now) < TimeSpan.FromSeconds(1)) return;
        if (_fsyncTask is { IsCompleted: false })
        {
            if (_fsyncDueSinceTicks == 0) _fsyncDueSinceTicks = now;
            else if (Stopwatch.GetElapsedTime(_fsyncDueSinceTicks, now) >= TimeSpan.FromSeconds(2))
            {
                Interlocked.Increment(ref _status.AofDelayedFsync);
                _fsyncDueSinceTicks = 0;
            }
            return;
        }
        _fsyncDueSinceTicks = 0;
        var file = _file;
        var upTo = _written;
        _lastFsyncTicks = now;
        _status.AofPendingFsync = true;
        _fsyncTask = Task.Run(() =>
        {
            try
            {
                RandomAccess.FlushToDisk(file);
                lock (_io)
                    if (upTo > _synced && ReferenceEquals(file, _file)) _synced = upTo;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                if (e is IOException io) _status.AofWriteError = Reason(io);
            }
            finally
            {
                _status.AofPendingFsync = false;
            }
        });
    }

    /// <summary>Stops appending: everything buffered is written and fsync'ed, the file closed (appendonly no,
    /// SHUTDOWN).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _stopping = true;
            Monitor.PulseAll(_lock);
        }
        _writer.Join();
        try
        {
            // Outside _io: the background fsync takes it to record what it made durable.
            _fsyncTask?.Wait();
        }
        catch (AggregateException)
        {
            // Reported by the task itself.
        }
        lock (_io)
        {
            WriteBuffered(sync: true);
            _file?.Dispose();
            _file = null;
        }
    }
}
