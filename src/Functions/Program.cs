using NodeOps.Functions.AzureFunctions;
using NodeOps.Functions.Hosting;

if (AdminCommand.Matches(args))
{
    return await AdminCommand.RunAsync(args, Console.Out, Console.Error);
}

if (FunctionsHostSignal.StartedByFunctionsHost(args))
{
    await FunctionsWorker.RunAsync(args);
    return 0;
}

NodeOpsApp.Create(args).Run();
return 0;
