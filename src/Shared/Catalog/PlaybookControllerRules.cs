using System.Net;
using NodeOps.Errors;
using YamlDotNet.RepresentationModel;

namespace NodeOps.Catalog;

/// <summary>
/// Refuses plays aimed at the controller, the NodeOps host itself: <c>hosts</c> or <c>delegate_to</c> naming
/// Ansible's implicit localhost (localhost, 127.0.0.1, ::1) or this server's own names, unless the name is a node of
/// the run's inventory; <c>connection</c> other than ssh; <c>local_action</c>; <c>ansible_connection</c>, or an ssh
/// option that runs a program on the controller (ansible_ssh_common_args with a ProxyCommand, ansible_ssh_executable,
/// ...), set anywhere (play or task vars, set_fact, add_host). Templated values in those places cannot be checked before they run, so
/// they are refused too. Each problem names the play, the task and the field. A seatbelt: the boundary is the sandbox
/// every run executes in, where a play that did reach the controller would see only the sandbox.
/// </summary>
public static class PlaybookControllerRules
{
    private static readonly string[] TaskLists = ["tasks", "pre_tasks", "post_tasks", "handlers", "block", "rescue", "always"];
    private static readonly HashSet<string> RemoteConnections = new(StringComparer.Ordinal)
    {
        "ssh", "smart", "paramiko", "paramiko_ssh", "ansible.builtin.ssh", "ansible.builtin.paramiko_ssh",
    };

    // Variables whose value decides what runs on the controller rather than on the node.
    private static readonly string[] ControllerVariables =
    [
        "ansible_connection", "ansible_ssh_executable", "ansible_ssh_args", "ansible_ssh_common_args",
        "ansible_ssh_extra_args", "ansible_scp_extra_args", "ansible_sftp_extra_args", "ansible_sshpass_prompt",
    ];

    private static readonly Lazy<HashSet<string>> ServerNames = new(() =>
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "::1", "localhost.localdomain", "ip6-localhost" };
        try
        {
            var host = Dns.GetHostName();
            names.Add(host);
            names.Add(host.Split('.')[0]);
        }
        catch (System.Net.Sockets.SocketException)
        {
            // No host name: the implicit localhost names are what matters most.
        }

        return names;
    });

    /// <summary>Checks stored playbook text (it passed <see cref="PlaybookStructure"/> when it was saved).</summary>
    /// <param name="inventoryNames">The run's node names, which may be aimed at even when they look like the controller's.</param>
    public static void Check(string content, IReadOnlySet<string> inventoryNames, List<FieldError> errors, string field = "content")
    {
        ArgumentNullException.ThrowIfNull(errors);
        var stream = new YamlStream();
        stream.Load(new StringReader(content));
        if (stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlSequenceNode plays)
        {
            Check(plays, inventoryNames, errors, field);
        }
    }

    /// <summary>Checks the plays <see cref="PlaybookStructure.Check"/> parsed.</summary>
    public static void Check(YamlSequenceNode plays, IReadOnlySet<string> inventoryNames, List<FieldError> errors, string field = "content")
    {
        ArgumentNullException.ThrowIfNull(plays);
        ArgumentNullException.ThrowIfNull(errors);
        var check = new Walker(inventoryNames, errors, field);
        for (var i = 0; i < plays.Children.Count; i++)
        {
            if (plays.Children[i] is YamlMappingNode play)
            {
                check.Play(play, $"play {Label(play, i)}");
            }
        }
    }

    private static string Label(YamlMappingNode node, int index) =>
        Scalar(node, "name") is { Length: > 0 } name ? $"'{name}' (第 {index + 1} 个)" : $"第 {index + 1} 个";

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private sealed class Walker(IReadOnlySet<string> inventory, List<FieldError> errors, string field)
    {
        public void Play(YamlMappingNode play, string where)
        {
            if (play.Children.TryGetValue(new YamlScalarNode("hosts"), out var hosts))
            {
                foreach (var value in Values(hosts))
                {
                    Target(value, where, "hosts");
                }
            }

            Keywords(play, where);
            foreach (var list in TaskLists)
            {
                Tasks(play, list, where);
            }

            if (play.Children.TryGetValue(new YamlScalarNode("roles"), out var roles) && roles is YamlSequenceNode roleList)
            {
                foreach (var role in roleList.Children.OfType<YamlMappingNode>())
                {
                    Keywords(role, $"{where}, role '{Scalar(role, "role") ?? Scalar(role, "name")}'");
                }
            }
        }

        private void Tasks(YamlMappingNode owner, string list, string where)
        {
            if (!owner.Children.TryGetValue(new YamlScalarNode(list), out var tasks) || tasks is not YamlSequenceNode sequence)
            {
                return;
            }

            for (var i = 0; i < sequence.Children.Count; i++)
            {
                if (sequence.Children[i] is not YamlMappingNode task)
                {
                    continue;
                }

                var taskWhere = $"{where}, {list} 中的任务 {Label(task, i)}";
                Keywords(task, taskWhere);
                foreach (var (key, value) in task.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? "";
                    if (name is "block" or "rescue" or "always")
                    {
                        continue;
                    }

                    SearchConnectionVariable(value, taskWhere, name);
                }

                foreach (var nested in new[] { "block", "rescue", "always" })
                {
                    Tasks(task, nested, taskWhere);
                }
            }
        }

        /// <summary>The keywords any play, role, block or task may carry.</summary>
        private void Keywords(YamlMappingNode node, string where)
        {
            if (node.Children.ContainsKey(new YamlScalarNode("local_action")) || node.Children.ContainsKey(new YamlScalarNode("ansible.builtin.local_action")))
            {
                Refuse(where, "local_action", "在 NodeOps 主机上运行");
            }

            if (node.Children.TryGetValue(new YamlScalarNode("delegate_to"), out var delegateTo))
            {
                foreach (var value in Values(delegateTo))
                {
                    Target(value, where, "delegate_to");
                }
            }

            if (Scalar(node, "connection") is { } connection)
            {
                if (IsTemplated(connection))
                {
                    Refuse(where, "connection", $"'{connection}' 是模板，运行前无法检查");
                }
                else if (!RemoteConnections.Contains(connection))
                {
                    Refuse(where, "connection", $"'{connection}' 不经 SSH 连接节点 (只允许 ssh)");
                }
            }

            if (node.Children.TryGetValue(new YamlScalarNode("vars"), out var vars))
            {
                SearchConnectionVariable(vars, where, "vars");
            }
        }

        /// <summary>A controller variable anywhere below a value: vars, set_fact, add_host, or "k=v" free-form arguments.</summary>
        private void SearchConnectionVariable(YamlNode node, string where, string fieldName)
        {
            switch (node)
            {
                case YamlScalarNode { Value: { } text } when ControllerVariables.FirstOrDefault(v => text.Contains(v, StringComparison.Ordinal)) is { } variable:
                    Refuse(where, fieldName, $"设置了 {variable}");
                    break;
                case YamlMappingNode mapping:
                    foreach (var (key, value) in mapping.Children)
                    {
                        if (key is YamlScalarNode { Value: { } name } && ControllerVariables.Contains(name))
                        {
                            Refuse(where, fieldName + "." + name, $"不允许设置 {name} (它决定在 NodeOps 主机上运行什么)");
                        }
                        else
                        {
                            SearchConnectionVariable(value, where, fieldName);
                        }
                    }

                    break;
                case YamlSequenceNode sequence:
                    foreach (var item in sequence.Children)
                    {
                        SearchConnectionVariable(item, where, fieldName);
                    }

                    break;
            }
        }

        private void Target(string value, string where, string fieldName)
        {
            if (IsTemplated(value))
            {
                Refuse(where, fieldName, $"'{value}' 是模板，运行前无法检查它是否指向 NodeOps 主机");
                return;
            }

            foreach (var pattern in Patterns(value))
            {
                if (ServerNames.Value.Contains(pattern) && !inventory.Contains(pattern))
                {
                    Refuse(where, fieldName, $"'{pattern}' 指向 NodeOps 主机本身");
                }
            }
        }

        private void Refuse(string where, string fieldName, string why) =>
            errors.Add(new FieldError(field, $"{where}: {fieldName} {why}，已拒绝 (管理员可设置 Ansible:AllowControllerPlays，仍在沙箱内运行)"));

        private static IEnumerable<string> Values(YamlNode node) => node switch
        {
            YamlScalarNode { Value: { } text } => [text],
            YamlSequenceNode sequence => sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? ""),
            _ => [],
        };

        /// <summary>Ansible's host patterns: comma (or colon, except in IPv6 addresses) separated, with ! and &amp; prefixes.</summary>
        private static IEnumerable<string> Patterns(string value)
        {
            foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var pieces = part.Contains("::", StringComparison.Ordinal) || IPAddress.TryParse(part, out _) ? [part] : part.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                foreach (var piece in pieces)
                {
                    yield return piece.TrimStart('!', '&').Trim('[', ']');
                }
            }
        }

        private static bool IsTemplated(string value) => value.Contains("{{", StringComparison.Ordinal) || value.Contains("{%", StringComparison.Ordinal);
    }
}
