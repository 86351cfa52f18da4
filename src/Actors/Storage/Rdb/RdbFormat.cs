namespace AkkaRedis.Actors.Storage.Rdb;

/// <summary>
/// rdb.h's constants: the version, value types, opcodes and length/string encodings. Redis 7.0 (RDB 10) is what we
/// write; the 7.2 types (set listpack, stream listpacks 3) are here so the loader can read them too.
/// </summary>
public static class RdbFormat
{
    /// <summary>RDB_VERSION of Redis 7.0 (also the version field of a DUMP payload).</summary>
    public const int Version = 10;

    // Length encodings (rdbSaveLen / rdbLoadLenByRef): the top two bits of the first byte.
    public const byte Len6Bit = 0;
    public const byte Len14Bit = 1;
    public const byte Len32 = 0x80;
    public const byte Len64 = 0x81;
    public const byte EncVal = 3;

    // String encodings after an RDB_ENCVAL length byte (RDB_ENC_*).
    public const byte EncInt8 = 0;
    public const byte EncInt16 = 1;
    public const byte EncInt32 = 2;
    public const byte EncLzf = 3;

    // Value types (RDB_TYPE_*).
    public const byte TypeString = 0;
    public const byte TypeList = 1;
    public const byte TypeSet = 2;
    public const byte TypeZSet = 3;
    public const byte TypeHash = 4;
    public const byte TypeZSet2 = 5;
    public const byte TypeModulePreGa = 6;
    public const byte TypeModule2 = 7;
    public const byte TypeHashZipmap = 9;
    public const byte TypeListZiplist = 10;
    public const byte TypeSetIntset = 11;
    public const byte TypeZSetZiplist = 12;
    public const byte TypeHashZiplist = 13;
    public const byte TypeListQuicklist = 14;
    public const byte TypeStreamListpacks = 15;
    public const byte TypeHashListpack = 16;
    public const byte TypeZSetListpack = 17;
    public const byte TypeListQuicklist2 = 18;
    public const byte TypeStreamListpacks2 = 19;
    /// <summary>Redis 7.2 (RDB 11): read only.</summary>
    public const byte TypeSetListpack = 20;
    /// <summary>Redis 7.2 (RDB 11): read only.</summary>
    public const byte TypeStreamListpacks3 = 21;

    /// <summary>rdbIsObjectType for the types this version can load (7.0's plus the 7.2 bonus ones).</summary>
    public static bool IsObjectType(byte type) => type <= TypeModule2 || (type >= TypeHashZipmap && type <= TypeStreamListpacks3);

    // Opcodes (RDB_OPCODE_*).
    public const byte OpFunction2 = 245;
    public const byte OpFunctionPreGa = 246;
    public const byte OpModuleAux = 247;
    public const byte OpIdle = 248;
    public const byte OpFreq = 249;
    public const byte OpAux = 250;
    public const byte OpResizeDb = 251;
    public const byte OpExpireTimeMs = 252;
    public const byte OpExpireTime = 253;
    public const byte OpSelectDb = 254;
    public const byte OpEof = 255;

    // Module value opcodes (RDB_MODULE_OPCODE_*), for skipping module aux data.
    public const byte ModuleOpEof = 0;
    public const byte ModuleOpSInt = 1;
    public const byte ModuleOpUInt = 2;
    public const byte ModuleOpFloat = 3;
    public const byte ModuleOpDouble = 4;
    public const byte ModuleOpString = 5;

    // Quicklist node containers in RDB_TYPE_LIST_QUICKLIST_2 (QUICKLIST_NODE_CONTAINER_*).
    public const int QuicklistNodePlain = 1;
    public const int QuicklistNodePacked = 2;

    /// <summary>The 1-byte-length text doubles of RDB_TYPE_ZSET (rdbSaveDoubleValue): these lengths stand for
    /// NaN, +inf and -inf.</summary>
    public const byte DoubleNaN = 253;
    public const byte DoublePosInf = 254;
    public const byte DoubleNegInf = 255;
}
