// Types for LayeringTests.The_reader_finds_references_in_signatures_bodies_and_closures: a "low" namespace that
// references a "high" one in each place the reader must look.

namespace Probe.High
{
    public sealed class Target
    {
        public static int Count() => 1;
    }
}

namespace Probe.Low
{
    public sealed class Uses
    {
        private High.Target? _field;

        public High.Target? Signature(High.Target? t) => t ?? _field;

        public int Local()
        {
            High.Target? local = null;
            return local == null ? 0 : 1;
        }

        public Func<int> Lambda() => () => High.Target.Count();
    }
}
