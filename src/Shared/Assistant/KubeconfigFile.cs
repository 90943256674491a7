namespace NodeOps.Assistant;

/// <summary>A kubeconfig written to a private temporary file (mode 0600 from creation), deleted on dispose.</summary>
internal sealed class KubeconfigFile : IDisposable
{
    private KubeconfigFile(string folder, string path)
    {
        Folder = folder;
        Path = path;
    }

    /// <summary>A private folder for this run, also used as kubectl's HOME.</summary>
    public string Folder { get; }

    public string Path { get; }

    public static KubeconfigFile Write(string kubeconfig)
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nodeops-tool-" + Guid.NewGuid().ToString("N"));
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var path = System.IO.Path.Combine(folder, "kubeconfig");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(kubeconfig);
        }

        return new KubeconfigFile(folder, path);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A process still holding the folder; the OS cleans temp eventually, and the file was private.
        }
    }
}
