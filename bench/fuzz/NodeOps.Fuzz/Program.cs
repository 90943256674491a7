using NodeOps.Fuzz;

return await FuzzRun.RunAsync(FuzzOptions.Parse(args));
