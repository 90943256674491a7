using NodeOps.Functions.Hosting;

NodeOpsApp.Create(args).Run();
