namespace AkkaRedis.Actors.Storage.Rdb;

public static partial class RdbFile
{
    /// <summary>
    /// rdbSaveRio over databases that are not changing meanwhile (every shard held: SAVE, FLUSHALL's save, DEBUG RELOAD,
    /// SHUTDOWN): for each database index, the parts of it that <paramref name="partsOf"/> gives (one per shard) under
    /// one SELECTDB, with their summed sizes in RESIZEDB. Keys whose time has passed but that no one deleted yet are
    /// written with their expiry time, as rdbSaveDb writes them (the loader drops them).
    /// </summary>
    public static void WriteDatabases(Stream output, RdbAux aux, int databases, Func<int, IEnumerable<Database>> partsOf,
        in RdbSaveOptions options, bool checksum, IReadOnlyList<byte[]>? functions = null)
    {
        var file = new RdbFileWriter(output, checksum, options.Compress);
        file.WriteHeader(aux, functions);
        for (var db = 0; db < databases; db++)
        {
            long keys = 0, expires = 0;
            foreach (var part in partsOf(db))
            {
                keys += part.Count;
                expires += part.VolatileCount;
            }
            if (keys == 0) continue;
            file.SelectDb(db, keys, expires);
            foreach (var part in partsOf(db))
            {
                foreach (var entry in part.AllKeys())
                {
                    RdbValues.WriteKeyRecord(file.Body, entry, options);
                    file.FlushIfFull();
                }
            }
        }
        file.Finish();
    }
}
