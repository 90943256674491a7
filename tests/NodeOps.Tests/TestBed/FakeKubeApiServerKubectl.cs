using System.Diagnostics;

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
            var start = new ProcessStartInfo("/usr/bin/kubectl")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment.Clear();
            start.Environment["HOME"] = folder;
            start.Environment["PATH"] = "/usr/bin:/bin";
            start.ArgumentList.Add("--kubeconfig");
            start.ArgumentList.Add(config);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in 60 s");
            }

            return new Result(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
