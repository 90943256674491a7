using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// The inventory of one run, generated from the resolved nodes: each host with ansible_host, ansible_port,
/// ansible_user and the alias its pinned host key is filed under, grouped by cluster ("cluster_NAME") and by
/// label ("KEY_VALUE", or "KEY" for an empty value), with names reduced to what Ansible accepts as a group name.
/// </summary>
public static class AnsibleInventory
{
    /// <summary>The known_hosts name of the host at <paramref name="index"/>; ssh looks its key up under it (HostKeyAlias).</summary>
    public static string HostKeyAlias(int index) => "nodeops-node-" + index.ToString(CultureInfo.InvariantCulture);

    public static string ClusterGroup(string clusterName) => GroupName("cluster_" + clusterName);

    /// <summary>Every group and its members, in a stable order; "all" is implicit and not listed.</summary>
    public static SortedDictionary<string, List<string>> Groups(string clusterName, IReadOnlyList<AnsibleHost> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var groups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal)
        {
            [ClusterGroup(clusterName)] = hosts.Select(h => h.Name).ToList(),
        };
        var hostNames = hosts.Select(h => h.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var host in hosts)
        {
            foreach (var (key, value) in host.Labels)
            {
                var name = GroupName(string.IsNullOrEmpty(value) ? key : key + "_" + value);
                // A group may not share a name with a host or with Ansible's own groups.
                if (hostNames.Contains(name) || name is "all" or "ungrouped")
                {
                    continue;
                }

                if (!groups.TryGetValue(name, out var members))
                {
                    groups[name] = members = [];
                }

                if (!members.Contains(host.Name, StringComparer.Ordinal))
                {
                    members.Add(host.Name);
                }
            }
        }

        return groups;
    }

    /// <summary>The inventory document (YAML-inventory structure, written as JSON).</summary>
    public static JsonObject Build(string clusterName, IReadOnlyList<AnsibleHost> hosts, string user, JsonObject allVars)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(allVars);
        var hostsNode = new JsonObject();
        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[i];
            hostsNode[host.Name] = new JsonObject
            {
                ["ansible_host"] = host.Address,
                ["ansible_port"] = host.Port,
                ["ansible_user"] = user,
                ["ansible_ssh_extra_args"] = "-o HostKeyAlias=" + HostKeyAlias(i),
            };
        }

        var children = new JsonObject();
        foreach (var (group, members) in Groups(clusterName, hosts))
        {
            children[group] = new JsonObject { ["hosts"] = new JsonObject(members.Select(m => KeyValuePair.Create(m, (JsonNode?)new JsonObject()))) };
        }

        return new JsonObject
        {
            ["all"] = new JsonObject
            {
                ["hosts"] = hostsNode,
                ["vars"] = allVars,
                ["children"] = children,
            },
        };
    }

    /// <summary>Letters, digits and underscores, not starting with a digit: what Ansible takes as a group name without a warning.</summary>
    public static string GroupName(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 1);
        foreach (var c in text)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }
}
