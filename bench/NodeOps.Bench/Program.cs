using NodeOps.Bench;

return args is ["ssh", ..] ? await SshBenchmark.RunAsync(args[1..]) : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: bench/run-ssh.sh [--nodes N] [--repeat N]");
    return 2;
}
