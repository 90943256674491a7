namespace NodeOps.Tests.TestBed;

/// <summary>The repository the tests run from: where .tools (Azurite, the SignalR JS client) and tests/js live.</summary>
internal static class RepositoryFolder
{
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NodeOps.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"NodeOps.sln was not found above {AppContext.BaseDirectory}.");
    }
}
