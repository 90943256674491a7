using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// A run's private working folder (0700, files 0600): ansible.cfg, inventory, known_hosts, the playbook, vars
/// files, a private key, the callback plugin, HOME and Ansible's local temp. Removed when the run ends. A folder
/// left by a process that died (it may hold a key) is removed by the next run in the same parent folder.
/// </summary>
internal sealed class AnsibleRunDirectory : IDisposable
{
    private const string Prefix = "run-";
    private const string OwnerFile = "owner";
    private static readonly UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private AnsibleRunDirectory(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>
    /// Creates the folder under <paramref name="parent"/>; its name carries <paramref name="tag"/> so a run's
    /// processes can be told apart. With <paramref name="traversableParent"/> (a sandbox entered as another user
    /// must reach its folder) the parent is 0711: others may pass through but not list it, and the folder's name
    /// ends in 64 random bits, so no other run or user can find it.
    /// </summary>
    public static AnsibleRunDirectory Create(string parent, string tag, bool traversableParent = false)
    {
        CreatePrivate(parent);
        if (traversableParent && !OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(parent, PrivateFolder | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            if (ClosedAncestor(parent) is { } closed)
            {
                throw new InvalidOperationException($"temp_dir 的上级目录 {closed} 不允许其他用户进入 (缺少 o+x)，沙箱用户无法到达运行目录；请把 temp_dir 设在可进入的目录下 (如 /tmp)，或给该目录加上 o+x");
            }
        }

        RemoveAbandoned(parent);
        var name = Prefix + tag + "-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        var directory = new AnsibleRunDirectory(System.IO.Path.Combine(parent, name));
        CreatePrivate(directory.Path);
        directory.WriteFile(OwnerFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return directory;
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The first folder above <paramref name="folder"/> that others may not pass through, if any.</summary>
    private static string? ClosedAncestor(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        for (var current = System.IO.Path.GetDirectoryName(folder); current is not null; current = System.IO.Path.GetDirectoryName(current))
        {
            if ((System.IO.File.GetUnixFileMode(current) & UnixFileMode.OtherExecute) == 0)
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>A private sub-folder.</summary>
    public string Folder(string name)
    {
        var path = File(name);
        CreatePrivate(path);
        return path;
    }

    /// <summary>Writes a new 0600 file (it never exists before: the folder is fresh).</summary>
    public string WriteFile(string name, string content)
    {
        var path = File(name);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(content));
        return path;
    }

    public void Dispose() => Remove(Path);

    private static void CreatePrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, PrivateFolder);
        // An existing folder keeps its mode; make sure nobody else can look in.
        System.IO.File.SetUnixFileMode(path, PrivateFolder);
    }

    private static void RemoveAbandoned(string parent)
    {
        try
        {
            foreach (var folder in Directory.EnumerateDirectories(parent, Prefix + "*"))
            {
                var owner = System.IO.Path.Combine(folder, OwnerFile);
                if (OperatingSystem.IsLinux()
                    && System.IO.File.Exists(owner)
                    && int.TryParse(System.IO.File.ReadAllText(owner), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && pid != Environment.ProcessId
                    && !Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture)))
                {
                    Remove(folder);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a folder that cannot be read now is looked at again by the next run.
        }
    }

    private static void Remove(string path)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A socket or file still being closed by a process that is going away; try again shortly.
                Thread.Sleep(50);
            }
        }
    }
}
