namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's bitmap commands (bitops.c). They run on the string family's keys, so they meet int,
// embstr and raw strings (and turn them raw), other types (WRONGTYPE), and BITOP spans shards. Offsets stay small
// (a string of at most a few hundred bytes) except for the refused ones at the proto-max-bulk-len limit.
public sealed partial class CommandGenerator
{
    private static readonly string[] BitOffsets = ["0", "1", "7", "8", "13", "100", "1000", "-1", "abc", "4294967296"];
    private static readonly string[] BitValues = ["0", "1", "1", "0", "2", "-1", "abc"];
    private static readonly string[] BitRangeIndexes = ["0", "1", "2", "-1", "-2", "5", "10", "-100", "100", "abc", "9223372036854775807"];
    private static readonly string[] BitfieldTypes = ["u1", "u4", "u8", "i8", "u16", "i16", "i5", "u63", "i64", "i32", "u64", "i0", "x8"];
    private static readonly string[] BitfieldOffsets = ["0", "1", "3", "8", "13", "#0", "#1", "#3", "-1", "abc", "4294967296"];
    private static readonly string[] BitfieldValues = ["0", "1", "-1", "5", "100", "-100", "255", "300", "9223372036854775807", "-9223372036854775808", "abc"];

    partial void BuildBitmaps()
    {
        Add("setbit", 6, () => [Cmd("SETBIT"), Key(), Pick(BitOffsets), Pick(BitValues)]);
        Add("getbit", 3, () => [Cmd("GETBIT"), Key(), Pick(BitOffsets)]);
        Add("bitcount", 3, BitCount);
        Add("bitpos", 3, BitPos);
        Add("bitop", 3, () =>
        {
            var op = Pick(["AND", "OR", "XOR", "NOT", "NOT", "NAND"]);
            return [Cmd("BITOP"), Word(op), Key(), .. op == "NOT" && _rng.Next(4) != 0 ? [Key()] : KeyList(1, 3)];
        });
        Add("bitfield", 4, () => BitField("BITFIELD"));
        Add("bitfield_ro", 2, () => BitField("BITFIELD_RO"));
    }

    private List<string> BitCount()
    {
        List<string> args = [Cmd("BITCOUNT"), Key()];
        if (_rng.Next(3) == 0) return args;
        args.AddRange([Pick(BitRangeIndexes), Pick(BitRangeIndexes)]);
        if (_rng.Next(2) == 0) args.Add(Word(Pick(["BIT", "BYTE", "BITS"])));
        return args;
    }

    private List<string> BitPos()
    {
        List<string> args = [Cmd("BITPOS"), Key(), Pick(["0", "1", "0", "1", "2", "abc"])];
        var extra = _rng.Next(4); // none, start, start end, start end unit
        if (extra >= 1) args.Add(Pick(BitRangeIndexes));
        if (extra >= 2) args.Add(Pick(BitRangeIndexes));
        if (extra >= 3) args.Add(Word(Pick(["BIT", "BYTE", "BITS"])));
        return args;
    }

    private List<string> BitField(string name)
    {
        List<string> args = [Cmd(name), Key()];
        var ops = 1 + _rng.Next(3);
        for (var i = 0; i < ops; i++)
        {
            switch (_rng.Next(name == "BITFIELD_RO" ? 6 : 9))
            {
                case 0:
                    args.AddRange([Word("OVERFLOW"), Word(Pick(["WRAP", "SAT", "FAIL", "BAD"]))]);
                    break;
                case 1: case 2: case 3: case 4:
                    args.AddRange([Word("GET"), Pick(BitfieldTypes), Pick(BitfieldOffsets)]);
                    break;
                case 5:
                    args.Add(Word(Pick(["SET", "INCRBY", "FOO"])));
                    args.AddRange([Pick(BitfieldTypes), Pick(BitfieldOffsets), Pick(BitfieldValues)]);
                    break;
                case 6: case 7:
                    args.AddRange([Word("SET"), Pick(BitfieldTypes), Pick(BitfieldOffsets), Pick(BitfieldValues)]);
                    break;
                default:
                    args.AddRange([Word("INCRBY"), Pick(BitfieldTypes), Pick(BitfieldOffsets), Pick(BitfieldValues)]);
                    break;
            }
        }
        return args;
    }
}
