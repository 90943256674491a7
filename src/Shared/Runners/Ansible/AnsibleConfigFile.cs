using System.Globalization;
using System.Text;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// The ansible.cfg of one run, pointed to by ANSIBLE_CONFIG, so nothing from the machine's or the user's Ansible
/// configuration applies. Host-key checking stays on, against the run's own known_hosts (the pinned keys);
/// ~/.ssh and the system known_hosts are never read. The NodeOps callback plugin is enabled next to the default
/// human-readable output.
/// </summary>
internal static class AnsibleConfigFile
{
    public const string CallbackName = "nodeops_events";

    public static string Build(AnsibleRunPaths paths, string runTag, int forks, int connectTimeoutSeconds, bool useAgent)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var ssh = new List<string>
        {
            "-F /dev/null",
            "-o UserKnownHostsFile=" + Quoted(paths.KnownHosts),
            "-o GlobalKnownHostsFile=/dev/null",
            "-o StrictHostKeyChecking=yes",
            "-o UpdateHostKeys=no",
            "-o CheckHostIP=no",
            "-o ForwardAgent=no",
            "-o ForwardX11=no",
            "-o ClearAllForwardings=yes",
            "-o ServerAliveInterval=15",
            "-o ServerAliveCountMax=3",
            "-o ControlMaster=auto",
            "-o ControlPersist=60s",
            // Tags the run's remote processes, so a cancel can find and stop them (AnsibleRemoteStop).
            "-o SetEnv=" + AnsibleRemoteStop.Variable + "=" + runTag,
        };
        if (!useAgent)
        {
            // The key file alone. With a passphrase key the run's private agent holds the one key, and HOME is the
            // run's own empty folder, so no other identity can be offered either way.
            ssh.Add("-o IdentitiesOnly=yes");
            ssh.Add("-o IdentityAgent=none");
        }

        var text = new StringBuilder();
        text.AppendLine("[defaults]");
        Line(text, "inventory", paths.Inventory);
        Line(text, "forks", forks.ToString(CultureInfo.InvariantCulture));
        Line(text, "host_key_checking", "True");
        Line(text, "stdout_callback", "default");
        Line(text, "callbacks_enabled", CallbackName);
        Line(text, "callback_plugins", paths.CallbackPlugins);
        Line(text, "local_tmp", paths.LocalTemp);
        Line(text, "remote_tmp", "~/.ansible/tmp");
        Line(text, "retry_files_enabled", "False");
        Line(text, "interpreter_python", "auto_silent");
        Line(text, "nocows", "True");
        Line(text, "nocolor", "True");
        Line(text, "timeout", connectTimeoutSeconds.ToString(CultureInfo.InvariantCulture));
        Line(text, "roles_path", paths.Roles);
        text.AppendLine();
        text.AppendLine("[ssh_connection]");
        Line(text, "ssh_args", string.Join(' ', ssh));
        Line(text, "control_path_dir", paths.ControlSockets);
        Line(text, "pipelining", "True");
        return text.ToString();
    }

    /// <summary>Whether a folder can be named in ansible.cfg: no line breaks, no "%" (interpolation), no ";" (comments), no quotes.</summary>
    public static bool IsUsablePath(string path) => path.IndexOfAny(['\n', '\r', '%', ';', '"', '\'']) < 0;

    private static void Line(StringBuilder text, string key, string value)
    {
        // Values are NodeOps' own paths and numbers, checked by IsUsablePath before the run starts.
        if (!IsUsablePath(value.Replace("\"", "", StringComparison.Ordinal)))
        {
            throw new ArgumentException($"The ansible.cfg value of {key} cannot be written.", nameof(value));
        }

        text.Append(key).Append(" = ").AppendLine(value);
    }

    // ssh_args is split like a shell line; a quoted path may hold spaces.
    private static string Quoted(string path) => "\"" + path + "\"";
}
