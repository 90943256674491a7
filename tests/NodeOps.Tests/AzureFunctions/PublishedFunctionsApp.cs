using System.Diagnostics;
using System.Reflection;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.AzureFunctions;

/// <summary>
/// `dotnet publish src/Functions` into a temp folder, once for every test that reads it. It publishes the build the
/// tests already made (--no-build, same configuration), so it copies rather than compiles.
/// </summary>
public sealed class PublishedFunctionsApp : IDisposable
{
    public PublishedFunctionsApp()
    {
        RepositoryRoot = RepositoryFolder.Root();
        Folder = Directory.CreateTempSubdirectory("nodeops-publish-").FullName;
        var configuration = typeof(PublishedFunctionsApp).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", Path.Combine(RepositoryRoot, "src", "Functions", "NodeOps.Functions.csproj"), "--no-build", "-c", configuration, "-o", Folder, "-v", "q", "-nologo" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet publish did not end within 15 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{output.Result}\n{error.Result}");
        }
    }

    public string RepositoryRoot { get; }

    public string Folder { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleaning.
        }
    }
}
