using AkkaRedis.Actors.Commands;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Tests.Unit.Commands.StringsTestSupport;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>INCRBYFLOAT and the long double emulation behind it. Expected values are redis-server 7.0.15's (x86-64).</summary>
public sealed class StringsIncrByFloatTests
{
    [Theory]
    [InlineData("10.5", "0.1", "10.6")]
    [InlineData("", "0.000003814697265625", "0.00000381469726562")]
    [InlineData("", "0.000011444091796875", "0.00001144409179688")]
    [InlineData("", "0.000019073486328125", "0.00001907348632812")]
    [InlineData("", "-0.000003814697265625", "-0.00000381469726562")]
    [InlineData("", "1.5e-18", "0")]
    [InlineData("1", "1.5e-18", "1")]
    [InlineData("", "-0.0000000000000000049", "0")]
    [InlineData("", "-0.000000000000000005", "0")]
    [InlineData("", "-0.0000000000000000051", "-0.00000000000000001")]
    [InlineData("", "123456789012345678901234567890", "123456789012345678899921813504")]
    [InlineData("", "1e50", "100000000000000000003583830118858923890798487404544")]
    [InlineData("", ".5", "0.5")]
    [InlineData("5", "5.", "10")]
    [InlineData("1", "+1", "2")]
    [InlineData("1", "1e+2", "101")]
    [InlineData("1", "0x1p3", "9")]
    [InlineData("100", "0x.8p1", "101")]
    [InlineData("100", "0X1.8P-1", "100.75")]
    [InlineData("3000", "1.23456789012345678901234567890", "3001.23456789012345669")]
    [InlineData("9223372036854775807", "1", "9223372036854775808")]
    [InlineData("9223372036854775807", "-9223372036854775809", "-2")]
    [InlineData("0.1", "0.2", "0.3")]
    [InlineData("0.3", "0.3", "0.6")]
    [InlineData("", "0e99999999999999999999", "0")]
    [InlineData("", "0x1p-16445", "0")]
    [InlineData("", "0x1.8p-16446", "0")]
    [InlineData("", "1e-4950", "0")]
    [InlineData("-0", "-0", "0")]
    [InlineData("1.1", "-1.1", "0")]
    [InlineData("3.0e3", "-3000", "0")]
    [InlineData("", "5e-4951", "0")]
    [InlineData("", "2e-4951", "0")]
    [InlineData("0.1", "1e-300", "0.1")]
    [InlineData("1e20", "1", "100000000000000000000")]
    [InlineData("1e19", "-1e19", "0")]
    [InlineData("12345.6789", "-0.0000000001", "12345.67889999989999961")]
    [InlineData("-5", "2.5", "-2.5")]
    [InlineData("", "00012.50", "12.5")]
    [InlineData("", "0.99999999999999999999", "1")]
    [InlineData("", "0.999999999999999995", "1")]
    [InlineData("", "0.0000000000000000050000001", "0.00000000000000001")]
    [InlineData("", "90.9603082462819482199", "90.96030824628194822")]
    [InlineData("-86.5797543231", "-5749.186e-10", "-86.5797548980186")]
    [InlineData("-59.7971147104", "-650.529170342366712e8", "-65052917094.03378590941429138")]
    [InlineData("842.684656", "68.995289078666", "911.67994507866599996")]
    [InlineData("", "2459.711777741215e-4", "0.2459711777741215")]
    [InlineData("280.385280", "36.38750047", "316.77278047")]
    [InlineData("957.551313", "2651.7612220297299e10", "26517612221254.85031318664550781")]
    [InlineData("-63.3043483954", "-05.986828288072902", "-69.291176683472902")]
    [InlineData("", "5989.34788783848372616e8", "598934788783.84837263822555542")]
    [InlineData("-24.2731672326", "-635.15058770658e19", "-6351505877065800000000")]
    [InlineData("", "-2.14014193141705e15", "-2140141931417050")]
    [InlineData("492.083124", "000.83873716786843353", "492.92186116786843353")]
    [InlineData("650.201462", "-4.585304352056e-15", "650.20146199999999537")]
    [InlineData("", "-724.20868288909310025167", "-724.20868288909310023")]
    [InlineData("083.740718", "-7.4093192544992070741374e13", "-74093192544908.33002471923828125")]
    [InlineData("", "529.841537760207764265651", "529.84153776020776427")]
    [InlineData("-16.6915640410", "-34.85356068831067", "-51.54512472931067")]
    [InlineData("-44.4463478612", "3.78375762833125815e-5", "-44.44631002362371669")]
    [InlineData("", "-66.764020679701687731322", "-66.76402067970168773")]
    [InlineData("718.002390", "-90.8e-1", "708.92238999999999999")]
    [InlineData("", "-5.56304813734337e-6", "-0.00000556304813734")]
    [InlineData("", "-5112.32870465572", "-5112.32870465572000018")]
    [InlineData("141.561836", "-6.60607104", "134.95576496")]
    [InlineData("955.459045", "-72.4", "883.05904499999999996")]
    [InlineData("", "-3.6772", "-3.6772")]
    public void Results_match_redis_byte_for_byte(string start, string increment, string expected)
    {
        var h = new HandlerHarness();
        if (start.Length > 0) h.Run("SET", "k", start);
        Assert.Equal($"${expected.Length}\r\n{expected}\r\n", h.Run("INCRBYFLOAT", "k", increment));
        Assert.Equal($"${expected.Length}\r\n{expected}\r\n", h.Run("GET", "k"));
    }

    [Fact]
    public void Huge_results_are_written_in_full()
    {
        var h = new HandlerHarness();
        const string OneE300 = "1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382947620994540294772781889620606179267611627097410650567187386105690089424915104006144";
        Assert.Equal($"$301\r\n{OneE300}\r\n", h.Run("INCRBYFLOAT", "k", "1e300"));
        Assert.Equal($"$301\r\n{OneE300}\r\n", h.Run("INCRBYFLOAT", "k", "1")); // 1 is below the last bit
        Assert.Equal("raw", h.EncodingOf("k"));

        var reply = h.Run("INCRBYFLOAT", "big", "1e4932");
        Assert.StartsWith("$4933\r\n1000000000000000000006018949387963891323837774254533114773785041352533019486608722407533327779433142773666525563666277682061860906440460336623416164931097542108653623739947237824273607755646282077337746770628281083461244709457643633409272844851420914666765408339856497738306756454137037618440476182982865954054046320908299555942321302503320602080070208203623921079151881460203745014774931620490030394998719312614654064081373493248877120892455186383753439197870978041502797716880193955403107721911638646256939484197293128160329482360996995779489224859264034146949087194820794222433687849284561987230134006305414553626323614864479565079390052761980633463640128979696615362545507608303960553830866145592644372289102918602696741767741297153998359263135897985849697638678310586803720024647593066044070323761747439375151949994191528876172274034561238465689530914002496208547488452249219821049217690359246594326188537200846025476936856707726986425804304053688317572380292690880454677852210458790733177421098965346383845533016192965653377533421097553773202105452559589360227732550843545717469715211293029277100649951579279463212875228768700827274629951331584994203243708412190948315614798641721054158397351395747758548328754270534225721361640356227816080094892433366902417454242382629232277544026609640255325557814321580325340352330660617642326696140257239552549121071985189443846777623334881929189773707008403466595204838733621633273383631944856989484138444978386656058755310848833689791896484998847550364264104800800578245511762594691161545730891319744107953897993101008217601269310629890308357893793344340072837782716410520818640099771094401772024731084835860689936533035726854175396195351768096519310944631445923638053214575993378468775292865871435742249777979822775014324475845899615096380079899099538453121043851821349178371736640702645304284254885437611441690360616466368202194307769462209963387690446576691969551571041941288302648912827345194286271122230347823246073498285153708579500062656222714954113329293953346495615947784091175883554988117167387650681525781361864450364992605079129770604793291076559668041153558254765774288831330658676910296506538343982699076824147706077401185501337053676875440863113630172067902223837838525802181406003942606507609826320015193807633035586661539150425605940691768637845815434184585255915074081317250319572700370579877977177644345205933505850374212779064837146242765034714569464306865784829936445754893825213995710137567750342556762329137973387913047300554841737506800154984198686923965286147079273203561004647365286049876790788288301130050437207489067798842078443360167772245834103629301041345252122743437501935254370757049878526838283810705343010153283985958550741661374001212323172562230037290597675029278865489570268803618001520280748588481858632332145422181524500970533738858652881625738158955840469334830106366243262210429210258173978186522208306814207038831590332622155464159216193005478809313772661406449321989529908990407599717265354887081027622412165764793106246309910984757869627982700885055259900973567128498437782671492610351088858271463387495833021819318548705558606395846070390500323204636339383655528123657438115225035433947543876805317781492691295772410403746456774175666884503175504415270824258750305653788473882671038340481278188648013647450190431469737277008003041204693859153544058059108384516541261521127088116402349679151317227395183628490922161336429757386698401928682323657056924758648793848799822907606679071280964393541325129231682456669123450140879120137931548652537601508656209183486928384515842973760163601756230697826779237275078471824258664382133759876151537532598429521999758431018087001817485300919479583171049967781322202936864648780744025361452947117776701129210049872555316467204668470989130203733391349501708713181244068921199587314823974568234174792429139799088587794666528769986602820375968045445209219875596678877912103336949894142378173648692130854177898020194629670311101994938157038765957014792056173739623614871557317714453597336202068774935086409386414223375141765601758268418764114651053088281009248246110195084364468926837572992870110411414878770616397817334529367403238061699632089293543118185299881280463481800696201966723511922556078483839325067415562633057448408746541808590342228476964416681055875561781810005936328191844815915658719683522845979901018335050006246392027657149580332319739660376707180429166280658258434773362764563277134220525779869893832824866422909928484939374964071386248088592408142723646533801882861736205992781965360090000802821408763787641023437653119263757280212773694655213507075717622521160227187157631635583682130089364682543007292042009976150135189415923413244100006421082817394988300265734422677548100741829682842668334472314928702968616204691717366798642916146473018363370523427203416579250811577900985980957404830019403600361860520985937973506956557739754741783354728589350876379371163141086538418113791886622720\r\n", reply);
        Assert.Equal(4933 + 9, reply.Length);
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("NaN")]
    [InlineData("-nan")]
    [InlineData("nan(123)")]
    [InlineData("")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("\t1")]
    [InlineData("1\n")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData("e5")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1e-")]
    [InlineData("1..2")]
    [InlineData("--1")]
    [InlineData("+-1")]
    [InlineData("1_0")]
    [InlineData("1,5")]
    [InlineData("0x")]
    [InlineData("0x1p")]
    [InlineData("0x1g")]
    [InlineData("0xp1")]
    [InlineData("0x.")]
    [InlineData("infinit")]
    [InlineData("infinityy")]
    [InlineData("in")]
    [InlineData("abc")]
    [InlineData("1e4933")]                    // overflow
    [InlineData("1.18973149535723176508e+4932")]
    [InlineData("-1e5000")]
    [InlineData("1e99999999999999999999")]
    [InlineData("1e-4952")]                   // underflows to zero
    [InlineData("1e-99999999999999999999")]
    [InlineData("0x1p16384")]
    [InlineData("0x1.ffffffffffffffffp16383")] // rounds up to 2^16384
    [InlineData("0x1p-16446")]                // exactly half the smallest subnormal: ties to even, zero
    [InlineData("0x1p-16447")]
    public void Increments_that_are_not_valid_floats(string increment)
    {
        var h = new HandlerHarness();
        Assert.Equal(NotFloat, h.Run("INCRBYFLOAT", "k", increment));
        Assert.False(h.Exists("k"));
        h.Run("SET", "s", increment);
        Assert.Equal(NotFloat, h.Run("INCRBYFLOAT", "s", "1"));
    }

    [Fact]
    public void Embedded_nul_bytes_are_not_valid_floats()
    {
        var h = new HandlerHarness();
        Assert.Equal(NotFloat, h.Run([B("INCRBYFLOAT"), B("k"), B("2\0abc")]));
        Assert.Equal(NotFloat, h.Run([B("INCRBYFLOAT"), B("k"), B("\0")]));
        h.Run([B("SET"), B("s"), B("\0")]);
        Assert.Equal(NotFloat, h.Run("INCRBYFLOAT", "s", "5"));
    }

    [Fact]
    public void A_too_long_number_is_not_a_valid_float()
    {
        var h = new HandlerHarness();
        Assert.Equal("$1\r\n1\r\n", h.Run("INCRBYFLOAT", "k", "1." + new string('0', 5117)));  // 5119 chars
        Assert.Equal(NotFloat, h.Run("INCRBYFLOAT", "k", "1." + new string('0', 5118)));      // 5120 chars
    }

    [Theory]
    [InlineData("", "inf")]
    [InlineData("", "-inf")]
    [InlineData("", "INFINITY")]
    [InlineData("", "-Infinity")]
    [InlineData("", "+inf")]
    [InlineData("inf", "1")]
    [InlineData("inf", "-inf")]
    [InlineData("0x1p16383", "0x1p16383")]
    [InlineData("1e4932", "1e4932")]
    [InlineData("-1e4932", "-1e4932")]
    public void Infinite_or_nan_results(string start, string increment)
    {
        var h = new HandlerHarness();
        if (start.Length > 0) h.Run("SET", "k", start);
        Assert.Equal("-ERR increment would produce NaN or Infinity\r\n", h.Run("INCRBYFLOAT", "k", increment));
        if (start.Length > 0) Assert.Equal($"${start.Length}\r\n{start}\r\n", h.Run("GET", "k"));
        else Assert.False(h.Exists("k"));
    }

    [Fact]
    public void Wrong_type_is_checked_before_the_increment()
    {
        var h = new HandlerHarness();
        h.PutList("l");
        Assert.Equal(WrongType, h.Run("INCRBYFLOAT", "l", "abc"));
        Assert.Equal(WrongType, h.Run("INCRBYFLOAT", "l", "1"));
        h.Run("SET", "s", "abc");
        Assert.Equal(NotFloat, h.Run("INCRBYFLOAT", "s", "xyz"));
    }

    [Fact]
    public void Result_encoding_and_ttl()
    {
        var h = new HandlerHarness();
        h.Run("SET", "k", "10", "EX", "100");
        Assert.Equal("int", h.EncodingOf("k"));
        Assert.Equal("$2\r\n15\r\n", h.Run("INCRBYFLOAT", "k", "5"));
        Assert.Equal("embstr", h.EncodingOf("k")); // never int, even for an integral result
        h.AssertTtlNear("k", 100_000);
        Assert.Equal(":16\r\n", h.Run("INCR", "k"));
        Assert.Equal("int", h.EncodingOf("k"));
        h.Run("INCRBYFLOAT", "n", "1");
        Assert.Equal("embstr", h.EncodingOf("n"));
        Assert.Equal(-1, h.Pttl("n"));
        h.Run("INCRBYFLOAT", "r", "1e50");
        Assert.Equal("raw", h.EncodingOf("r"));
    }

    [Fact]
    public void Resp3_reply_is_still_a_bulk_string()
    {
        var h = new HandlerHarness(protocol: 3);
        Assert.Equal("$3\r\n1.5\r\n", h.Run("INCRBYFLOAT", "k", "1.5"));
    }

    [Fact]
    public void Arity()
    {
        var h = new HandlerHarness();
        Assert.Equal("-ERR wrong number of arguments for 'incrbyfloat' command\r\n", h.Run("INCRBYFLOAT", "k"));
    }

    // --- LongDouble itself -------------------------------------------------------------------------------------

    private static LongDouble Parse(string s)
    {
        Assert.True(LongDouble.TryParse(B(s), out var v), s);
        return v;
    }

    [Theory]
    [InlineData("1", 1UL, 0)]
    [InlineData("0.5", 1UL << 63, -64)]
    [InlineData("0x1p-16445", 1UL, -16445)]                       // smallest subnormal
    [InlineData("0x1.fffffffffffffffep16383", ulong.MaxValue, 16320)] // largest finite
    [InlineData("3", 3UL, 0)]
    public void Parses_exactly(string text, ulong mantissa, int exponent)
    {
        var v = Parse(text);
        Assert.Equal(Exact(mantissa, exponent), Exact(v.Mantissa, v.Exponent));
    }

    /// <summary>m × 2^e as a fraction scaled by 2^16445 (the smallest subnormal's scale), exact.</summary>
    private static System.Numerics.BigInteger Exact(ulong m, int e) => (System.Numerics.BigInteger)m << (e + 16445);

    [Fact]
    public void Tenth_is_rounded_to_64_bits()
    {
        // 0.1 = 0xCCCCCCCCCCCCCCCD × 2^-67 in x87 extended precision (rounded up).
        var v = Parse("0.1");
        Assert.Equal(0xCCCCCCCCCCCCCCCDUL, v.Mantissa);
        Assert.Equal(-67, v.Exponent);
    }

    [Fact]
    public void Addition_rounds_ties_to_even()
    {
        // 2^64 + 1 is a tie between 2^64 and 2^64 + 2: even wins, giving 2^64.
        var sum = Parse("18446744073709551616") + LongDouble.FromLong(1);
        Assert.Equal("18446744073709551616", sum.ToString());
        // 2^64 + 3 is a tie between 2^64 + 2 and 2^64 + 4: 2^64 + 4 (mantissa even).
        var sum2 = Parse("18446744073709551616") + LongDouble.FromLong(3);
        Assert.Equal("18446744073709551620", sum2.ToString());
    }

    [Fact]
    public void From_long_is_exact_at_the_extremes()
    {
        Assert.Equal("-9223372036854775808", LongDouble.FromLong(long.MinValue).ToString());
        Assert.Equal("9223372036854775807", LongDouble.FromLong(long.MaxValue).ToString());
        Assert.Equal("0", LongDouble.FromLong(0).ToString());
    }

    [Fact]
    public void Negative_zero_prints_as_zero()
    {
        Assert.Equal("0", Parse("-0").ToString());
        Assert.Equal("0", Parse("-1e-30").ToString());
        Assert.True(Parse("-0").IsNegative);
    }
}
