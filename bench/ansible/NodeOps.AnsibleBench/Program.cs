using NodeOps.AnsibleBench;

return await AnsibleBenchmark.RunAsync(args);
