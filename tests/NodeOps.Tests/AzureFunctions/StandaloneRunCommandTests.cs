using System.Diagnostics;
using System.Text.Json;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.AzureFunctions;

/// <summary>
/// The README's first command, `dotnet run --project src/Functions`, starts the standalone host: the Worker SDK would
/// make `dotnet run` launch Core Tools (`func start`), which is not installed where NodeOps runs standalone.
/// </summary>
public sealed class StandaloneRunCommandTests
{
    [Fact]
    public async Task DotnetRun_StartsTheAppItself_FromTheProjectFolder_NotCoreTools()
    {
        var project = Path.Combine(RepositoryFolder.Root(), "src", "Functions");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "msbuild", Path.Combine(project, "NodeOps.Functions.csproj"), "-t:ComputeRunArguments", "-getProperty:RunCommand", "-getProperty:RunWorkingDirectory", "-nologo" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await output + await error);

        var text = await output;
        var properties = JsonDocument.Parse(text[text.IndexOf('{', StringComparison.Ordinal)..]).RootElement.GetProperty("Properties");
        var command = properties.GetProperty("RunCommand").GetString()!;
        Assert.Equal("NodeOps.Functions", Path.GetFileName(command));
        Assert.Equal(Path.GetFullPath(project).TrimEnd('/'), properties.GetProperty("RunWorkingDirectory").GetString()!.TrimEnd('/'));
    }
}
