using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace NodeOps.Hosting;

/// <summary>
/// The local data folder: the embedded database and the keys a local run generates for itself.
/// Key files are created once with owner-only permissions so restarts keep tokens and secrets readable.
/// </summary>
public sealed class DataFolder
{
    public DataFolder(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(Path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Path { get; }

    public string Resolve(string relativeOrAbsolute) => System.IO.Path.IsPathRooted(relativeOrAbsolute)
        ? relativeOrAbsolute
        : System.IO.Path.Combine(Path, relativeOrAbsolute);

    /// <summary>Reads a generated key, creating it (random bytes, mode 0600) on first use.</summary>
    public byte[] GetOrCreateKey(string fileName, int length, ILogger logger, string purpose)
    {
        var file = Resolve(fileName);
        if (File.Exists(file))
        {
            var existing = Convert.FromBase64String(File.ReadAllText(file).Trim());
            if (existing.Length == length)
            {
                return existing;
            }

            throw new InvalidOperationException($"The key file {file} does not hold a {length}-byte key.");
        }

        var key = RandomNumberGenerator.GetBytes(length);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(file, options);
            using var writer = new StreamWriter(stream);
            writer.Write(Convert.ToBase64String(key));
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process created it first; theirs is the one to use.
            return GetOrCreateKey(fileName, length, logger, purpose);
        }

        logger.LogWarning("Generated a new {Purpose} in {File}. Configure one explicitly for production.", purpose, file);
        return key;
    }
}
