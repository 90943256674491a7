using NodeOps.Bench;

return args switch
{
    ["ssh", ..] => await SshBenchmark.RunAsync(args[1..]),
    ["ansible", ..] => await AnsibleBenchmark.RunAsync(args[1..]),
    ["first-delta", ..] => await FirstDeltaBenchmark.RunAsync(args[1..]),
    ["workflow", ..] => await WorkflowBenchmark.RunAsync(args[1..]),
    ["signalr", ..] => await SignalRBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: NodeOps.Bench ssh [--nodes N] [--repeat N] | ansible [--nodes N] [--repeat N] | first-delta [ITERATIONS] | workflow [--nodes N] [--repeat N] | signalr [--seconds N] [--rate N] [--tasks N]");
    return 2;
}
