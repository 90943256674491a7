using NodeOps.Functions.Hosting;

if (AdminCommand.Matches(args))
{
    return await AdminCommand.RunAsync(args, Console.Out, Console.Error);
}

NodeOpsApp.Create(args).Run();
return 0;
