namespace NodeOps.Tests.TestBed;

/// <summary>
/// A crash test's own temp folder (catalog file, data folder) and every child NodeOps it started; Dispose kills the
/// children and removes the folder, whether the test passed or not. Every child gets <paramref name="settings"/>
/// (a shared Azure store, say) on top of the bed's data folder.
/// </summary>
public sealed class CrashTestBed(string name, IReadOnlyDictionary<string, string?>? settings = null) : IDisposable
{
    private readonly List<ChildHostProcess> _children = [];

    public string Folder { get; } = Directory.CreateTempSubdirectory("nodeops-" + name + "-").FullName;

    public string CatalogFile => Path.Combine(Folder, "catalog.json");

    public string DataPath => Path.Combine(Folder, "data");

    /// <summary>A new child on the bed's catalog and data folder, as a restarted instance would be.</summary>
    public async Task<ChildHostProcess> StartAsync()
    {
        var child = await ChildHostProcess.StartAsync(CatalogFile, DataPath, settings);
        _children.Add(child);
        return child;
    }

    public void Dispose()
    {
        foreach (var child in _children)
        {
            child.Dispose();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file a killed process still held; the temp folder is cleaned by the OS eventually.
        }
    }
}
