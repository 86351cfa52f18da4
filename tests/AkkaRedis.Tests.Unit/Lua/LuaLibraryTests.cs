using System.Text;
using AkkaRedis.Actors.Lua;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit.Lua;

/// <summary>cmsgpack, struct, cjson and bit against redis-server 7.0.15: each script's reply as `redis-cli eval`
/// prints it (lines joined with '|'), recorded from the real server.</summary>
public sealed class LuaLibraryTests : IDisposable
{
    private readonly LuaVm? _vm;
    private readonly FakeBridge _bridge = new();

    public LuaLibraryTests()
    {
        if (LuaVm.Available) _vm = new LuaVm(LuaVmKind.Eval);
    }

    public void Dispose() => _vm?.Dispose();

    public static readonly Dictionary<string, string> Cases = new()
    {
        ["local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end return hex(cmsgpack.pack(1, -1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649, 1.5, 0.1, 1e300, -0.0, 1/0))"] = "01ff7fcc80ccffcd0100cdffffce00010000ceffffffffcf0000000100000000e0d0dfd080d1ff7fd18000d2ffff7fffd280000000d3ffffffff7fffffffca3fc00000cb3fb999999999999acb7e37e43c8800759c00caff800000|",
        ["local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end return hex(cmsgpack.pack('', string.rep('a', 31), string.rep('b', 32), true, false, nil, {}, {1,2,3}, {a=1}, {[1]=1,[3]=3}, {1,{2,{3}}}))"] = "a0bf61616161616161616161616161616161616161616161616161616161616161d9206262626262626262626262626262626262626262626262626262626262626262c3c2c0909301020381a161018201010303920192029103|",
        ["local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end return hex(cmsgpack.pack(string.rep('x', 300), string.rep('y', 70000):sub(1, 10)))"] = "da012c787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878aa79797979797979797979|",
        ["local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end return hex(cmsgpack.pack(t))"] = "91919191919191919191919191919191c0|",
        ["local a, b, c, d = cmsgpack.unpack(cmsgpack.pack(1, 'two', {3, 4}, {x = 'y'})) return {a, b, c[2], d.x}"] = "1|two|4|y|",
        ["return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3), 0)}"] = "1|1|",
        ["return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2, 1)}"] = "-1|2|3|",
        ["return {cmsgpack.unpack(cmsgpack.pack(0.1, 1e300, 2^53))}"] = "0|-9223372036854775808|9007199254740992|",
        ["return tostring(cmsgpack.unpack(cmsgpack.pack(0.1)))"] = "0.1|",
        ["local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end return hex(struct.pack('>i2<I4!4bdfc3s', -2, 70000, 1, 0.5, 1.25, 'abcdef', 'zz'))"] = "fffe701101000100000000000000e03f0000a03f6162637a7a00|",
        ["return {struct.unpack('>i2<I4!4bdfc3s', struct.pack('>i2<I4!4bdfc3s', -2, 70000, 1, 0.5, 1.25, 'abcdef', 'zz'))}"] = "-2|70000|1|0|1|abc|zz|27|",
        ["return {struct.unpack('<I8', struct.pack('<I8', 2^53+1))}"] = "9007199254740992|9|",
        ["return {struct.unpack('bc0', '\\2ab')}"] = "ab|4|",
        ["return {struct.size('i'), struct.size('>!4bi'), struct.size('!8bd'), struct.size('c5'), struct.size('lhT')}"] = "4|8|16|5|18|",
        ["local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end return hex(struct.pack('i3 i17 I8 i', 1, 1, -1, -2.5) .. struct.pack('i', 1e20) .. struct.pack('i', '12'))"] = "0100000100000000000000000000000000000000fffffffffffffffffeffffff000000000c000000|",
        ["return struct.pack('c10', 'abc')"] = "ERR user_script:1: bad argument #3 to 'pack' (string too short) script: 34c874c372eef5c594ef90a5922204ca9e845fef, on @user_script:1.||",
        ["return struct.size('s')"] = "ERR user_script:1: bad argument #1 to 'size' (option 's' has no fixed size) script: a2a0525826ab7939ccd3f54427a862205642f28f, on @user_script:1.||",
        ["return struct.pack('q')"] = "ERR user_script:1: bad argument #1 to 'pack' (invalid format option 'q') script: ceed8871645dbc32a5ec4d2b94216628f8932066, on @user_script:1.||",
        ["return struct.pack('!3i', 1)"] = "ERR user_script:1: alignment 3 is not a power of 2 script: 9c4f4d70ace09806881a064330127afb155d9415, on @user_script:1.||",
        ["return struct.pack('i33', 1)"] = "ERR user_script:1: integral size 33 is larger than limit of 32 script: 0a76c071d82805e752befa6958961c98c39f358f, on @user_script:1.||",
        ["return {struct.unpack('i', 'abcd', 0)}"] = "ERR user_script:1: bad argument #3 to 'unpack' (offset must be 1 or greater) script: b75b006a2f3f6e8d842a94e5f3579ac1cd346c4f, on @user_script:1.||",
        ["return {struct.unpack('i', 'abcd', -1)}"] = "ERR user_script:1: bad argument #2 to 'unpack' (data string too short) script: ca1c70a821b293c73b5c8a37b5507efa1dfb7bbe, on @user_script:1.||",
        ["return struct.pack()"] = "ERR user_script:1: bad argument #1 to 'pack' (string expected, got no value) script: c9b8aed4f0633591e6252db264bf8b86b82828d5, on @user_script:1.||",
        ["return cmsgpack.pack()"] = "ERR user_script:1: bad argument #0 to 'pack' (MessagePack pack needs input.) script: 6bc235afa55de88253e203cc5fe5844792e25209, on @user_script:1.||",
        ["return cmsgpack.unpack('\\193')"] = "ERR user_script:1: Bad data format in input. script: dc135bd7bc2955014f03280e151acf74360378e7, on @user_script:1.||",
        ["return cmsgpack.unpack('\\205\\1')"] = "ERR user_script:1: Missing bytes in input. script: 4679240a23ff9735759d614fd4b677cab6fb1b9a, on @user_script:1.||",
        ["return {cmsgpack.unpack_one(cmsgpack.pack(1,2), 5)}"] = "ERR user_script:1: Start offset 5 greater than input length 2. script: 98c877382e69c0c4a4b06fbd1f427f082d223483, on @user_script:1.||",
        ["return {cmsgpack.unpack_one(cmsgpack.pack(1,2), -1)}"] = "ERR user_script:1: Invalid request to unpack with offset of -1 and limit of 2. script: 468ebaf953af27ea71a437b940fc8c7e29da4cd0, on @user_script:1.||",
        ["return cjson.encode({1, 2, 3, {a = 'b'}})"] = "[1,2,3,{\"a\":\"b\"}]|",
        ["return cjson.encode({a = {b = {c = 1.5}}})"] = "{\"a\":{\"b\":{\"c\":1.5}}}|",
        ["return cjson.encode(cjson.decode('{\"x\":[1,2,{\"y\":null}],\"z\":\"\\\\u00e9\"}'))"] = "{\"z\":\"Ã©\",\"x\":[1,2,{\"y\":null}]}|",
        ["return cjson.decode('[1,2,3]')[3]"] = "3|",
        ["return tostring(cjson.decode('{\"a\":null}').a == cjson.null)"] = "true|",
        ["return cjson.encode({1/3, 1e300, -0.5, 100})"] = "[0.33333333333333,1e+300,-0.5,100]|",
        ["return cjson.decode('{bad')"] = "ERR user_script:1: Expected object key string but found invalid token at character 2 script: 30ef5270b6812bc00d57c0e3376f7ab6f31d9da0, on @user_script:1.||",
        ["return cjson.encode(function() end)"] = "ERR user_script:1: Cannot serialise function: type not supported script: c6600573aa08cdf0af5da6e0ef682db69a3acc00, on @user_script:1.||",
        ["return {bit.band(0xff, 0x0f), bit.bor(1, 2), bit.bxor(3, 1), bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-16, 2), bit.bnot(0), bit.tohex(255), bit.tobit(2^32 + 1), bit.rol(1, 33), bit.bswap(0x12345678)}"] = "15|3|2|-2147483648|15|-4|-1|000000ff|1|2|2018915346|",
        ["return bit.tohex(-1, -4)"] = "FFFF|",
    };

    public static IEnumerable<object[]> CaseNames() => Cases.Keys.Select(k => new object[] { k });

    [SkippableTheory]
    [MemberData(nameof(CaseNames))]
    public void Reply_as_redis_server(string script)
    {
        Skip.IfNot(LuaVm.Available, LuaVm.UnavailableReason);
        var name = "f_" + LuaVmTests.Sha(script);
        var w = new RespWriter();
        var err = _vm!.Define(name, Encoding.UTF8.GetBytes(script));
        Assert.Null(err);
        _vm.Call(name, CommandArgs.Empty, CommandArgs.Empty, _bridge, w);
        Assert.Equal(Cases[script], RenderAsRedisCli(w.Written));
    }

    /// <summary>What redis-cli prints for a reply when its output is not a terminal, newlines as '|'.</summary>
    internal static string RenderAsRedisCli(ReadOnlySpan<byte> reply)
    {
        var sb = new StringBuilder();
        var pos = 0;
        Render(reply, ref pos, sb, top: true);
        return sb.ToString();
    }

    private static void Render(ReadOnlySpan<byte> r, ref int pos, StringBuilder sb, bool top)
    {
        var type = (char)r[pos];
        var end = r[pos..].IndexOf("\r\n"u8) + pos;
        var line = Encoding.Latin1.GetString(r[(pos + 1)..end]);
        pos = end + 2;
        switch (type)
        {
            case '+': case ':': sb.Append(line).Append('|'); break;
            case '-': sb.Append(line).Append(top ? "||" : "|"); break;
            case '$':
                var n = int.Parse(line);
                if (n < 0) { sb.Append('|'); break; }
                sb.Append(Encoding.Latin1.GetString(r.Slice(pos, n))).Append('|');
                pos += n + 2;
                break;
            case '*':
                var count = int.Parse(line);
                if (count <= 0 && top) { sb.Append('|'); break; }
                for (var i = 0; i < count; i++) Render(r, ref pos, sb, top: false);
                break;
            default: throw new InvalidOperationException("unexpected " + type);
        }
    }
}
