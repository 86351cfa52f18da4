namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>
/// Server family: TIME, CONFIG GET/SET, COMMAND INFO/DOCS/GETKEYS, INFO shape, help texts. COMMAND COUNT/LIST and
/// the whole table are compared by CommandTableDifferentialTests, restricted to the implemented commands.
/// </summary>
public static class ServerScripts
{
    public const string Family = "server";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "time-info", """
            TIME
            time
            TIME extra
            INFO
            INFO server
            INFO keyspace
            INFO clients memory
            INFO everything
            INFO all
            INFO default
            INFO nosuchsection
            DBSIZE
            """);

        yield return new(Family, "command-info-docs", """
            COMMAND INFO get
            COMMAND INFO GET
            COMMAND INFO set
            COMMAND INFO get set mget
            COMMAND INFO nosuchcommand
            COMMAND INFO get nosuchcommand ping
            COMMAND INFO client
            COMMAND INFO client|setname
            COMMAND INFO object
            COMMAND INFO ping echo select
            COMMAND INFO incr incrbyfloat lcs getex
            COMMAND INFO del exists expire copy rename scan
            COMMAND INFO config
            COMMAND DOCS get
            COMMAND DOCS set
            COMMAND DOCS nosuchcommand
            COMMAND DOCS getex lcs
            COMMAND DOCS expire
            COMMAND DOCS client
            COMMAND DOCS object config
            """);

        yield return new(Family, "command-getkeys", """
            COMMAND GETKEYS get k
            COMMAND GETKEYS GET k
            COMMAND GETKEYS set k v
            COMMAND GETKEYS set k v EX 10
            COMMAND GETKEYS mset a 1 b 2 c 3
            COMMAND GETKEYS mget a b c
            COMMAND GETKEYS del a b
            COMMAND GETKEYS rename a b
            COMMAND GETKEYS copy a b DB 1
            COMMAND GETKEYS lcs a b
            COMMAND GETKEYS expire k 10
            COMMAND GETKEYS get
            COMMAND GETKEYS mset a
            COMMAND GETKEYS nosuchcommand a
            COMMAND GETKEYS ping x
            COMMAND GETKEYS echo x
            COMMAND GETKEYS object encoding k
            COMMAND GETKEYS
            COMMAND GETKEYS get
            COMMAND GETKEYSANDFLAGS set k v
            COMMAND GETKEYSANDFLAGS mget a b
            COMMAND FOO
            COMMAND foo bar
            """);

        yield return new(Family, "config", """
            CONFIG GET databases
            CONFIG GET hz
            CONFIG GET proto-max-bulk-len
            CONFIG GET client-query-buffer-limit
            CONFIG GET DATABASES
            CONFIG GET hz databases
            CONFIG GET nosuchparameter
            CONFIG GET
            CONFIG SET hz abc
            CONFIG SET hz -1
            CONFIG SET hz 10
            CONFIG GET hz
            CONFIG SET nosuchparameter 1
            CONFIG SET hz
            CONFIG SET hz 10 hz 10
            CONFIG SET hz 10 databases
            CONFIG SET databases 5
            CONFIG SET proto-max-bulk-len abc
            CONFIG SET proto-max-bulk-len 1
            CONFIG SET client-query-buffer-limit 1
            CONFIG SET client-query-buffer-limit 1gb
            CONFIG GET client-query-buffer-limit
            CONFIG FOO
            CONFIG
            config get HZ
            """);

        yield return new(Family, "help-texts", """
            CLIENT HELP
            OBJECT HELP
            CONFIG HELP
            COMMAND HELP
            client help
            CLIENT HELP extra
            CONFIG HELP extra
            COMMAND HELP extra
            """);
    }
}
