using NodeOps.Processes;

namespace NodeOps.Tests.TestBed;

/// <summary>Runs the real kubectl against a kubeconfig, with its own HOME so no user configuration or cache leaks in.</summary>
public static class FakeKubeApiServerKubectl
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(string kubeconfig, params string[] args)
    {
        var folder = Path.Combine(Path.GetTempPath(), "nodeops-kubectl-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var config = Path.Combine(folder, "kubeconfig");
            await File.WriteAllTextAsync(config, kubeconfig);
            var result = await BoundedProcess.RunAsync(
                new BoundedProcessStart("/usr/bin/kubectl", ["--kubeconfig", config, .. args], TimeSpan.FromSeconds(60))
                {
                    // Its own HOME and nothing else, so no user configuration or cache leaks in.
                    InheritEnvironment = false,
                    Environment = new Dictionary<string, string?> { ["HOME"] = folder, ["PATH"] = "/usr/bin:/bin" },
                    OutputLimitBytes = 4 * 1024 * 1024,
                },
                TimeProvider.System);
            if (result.TimedOut)
            {
                throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in 60 s");
            }

            return new Result(result.ExitCode, result.Stdout, result.Stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
