using NodeOps.Errors;

namespace NodeOps.Features;

/// <summary>The ranges a setting may take. Out-of-range values are refused with the field named.</summary>
public static class FeatureValidator
{
    public static void Validate(FeatureSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new List<FieldError>();
        Range(errors, "ansible.timeout", settings.Ansible.Timeout, 1, 86_400);
        Range(errors, "ansible.max_concurrent", settings.Ansible.MaxConcurrent, 1, 100);
        Range(errors, "ansible.forks", settings.Ansible.Forks, 1, 500);
        Range(errors, "ssh.timeout", settings.Ssh.Timeout, 1, 86_400);
        Range(errors, "ssh.max_concurrent", settings.Ssh.MaxConcurrent, 1, 1000);
        Range(errors, "ssh.connection_pool_size", settings.Ssh.ConnectionPoolSize, 1, 2000);
        Range(errors, "ssh.idle_timeout", settings.Ssh.IdleTimeout, 1, 3600);
        Range(errors, "ssh.output_limit_bytes", settings.Ssh.OutputLimitBytes, 1024, 16 * 1024 * 1024);
        if (string.IsNullOrWhiteSpace(settings.Ansible.TempDir) || !Path.IsPathFullyQualified(settings.Ansible.TempDir))
        {
            errors.Add(new FieldError("ansible.temp_dir", "必须是绝对路径"));
        }

        NodeOpsException.ThrowIfAny(errors);
    }

    /// <summary>A binary path must name an existing executable file; checked only when an admin sets it.</summary>
    public static void ValidateBinaryPath(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path))
        {
            throw NodeOpsException.Invalid("binary_path", "必须是可执行文件的绝对路径");
        }

        if (!File.Exists(path))
        {
            throw NodeOpsException.Invalid("binary_path", $"文件不存在: {path}");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            throw NodeOpsException.Invalid("binary_path", $"文件不可执行: {path}");
        }
    }

    private static void Range(List<FieldError> errors, string field, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add(new FieldError(field, $"必须在 {min} 到 {max} 之间"));
        }
    }
}
