using System.Text.RegularExpressions;
using NodeOps.Errors;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// Evaluates a --limit pattern against the run's own hosts and groups, the way Ansible combines pattern terms
/// (union of the plain terms, then "&amp;" intersections, then "!" exclusions), so a limit can be checked to stay
/// within the targets before anything runs. Terms are host names, group names and "*" / "?" wildcards; regular
/// expressions ("~"), files ("@") and subscripts ("[0:2]") are refused.
/// </summary>
public static class AnsibleLimit
{
    public static IReadOnlyList<string> Select(string pattern, string clusterName, IReadOnlyList<AnsibleHost> hosts)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(hosts);
        var groups = AnsibleInventory.Groups(clusterName, hosts);
        groups["all"] = hosts.Select(h => h.Name).ToList();
        var included = new HashSet<string>(StringComparer.Ordinal);
        var intersections = new List<HashSet<string>>();
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        var terms = pattern.Split([',', ':'], StringSplitOptions.TrimEntries);
        var anyPlain = false;
        foreach (var raw in terms)
        {
            if (raw.Length == 0)
            {
                continue;
            }

            var (kind, term) = raw[0] is '!' or '&' ? (raw[0], raw[1..]) : (' ', raw);
            var matched = Match(term, hosts, groups);
            switch (kind)
            {
                case '!':
                    excluded.UnionWith(matched);
                    break;
                case '&':
                    intersections.Add(matched);
                    break;
                default:
                    anyPlain = true;
                    included.UnionWith(matched);
                    break;
            }
        }

        if (!anyPlain)
        {
            // Ansible starts from every host when a pattern holds only intersections and exclusions.
            included.UnionWith(groups["all"]);
        }

        foreach (var intersection in intersections)
        {
            included.IntersectWith(intersection);
        }

        included.ExceptWith(excluded);
        var selected = hosts.Select(h => h.Name).Where(included.Contains).ToList();
        if (selected.Count == 0)
        {
            throw NodeOpsException.BadRequest(AnsibleArguments.Field, $"extra_args 的 --limit {pattern} 没有选中任何目标节点");
        }

        return selected;
    }

    private static HashSet<string> Match(string term, IReadOnlyList<AnsibleHost> hosts, SortedDictionary<string, List<string>> groups)
    {
        if (term.Length == 0 || term[0] is '~' or '@' || term.Any(c => c is '[' or ']' or '{' or '}' or '(' or ')' or '\\' or '/' || char.IsWhiteSpace(c)))
        {
            throw NodeOpsException.BadRequest(AnsibleArguments.Field, $"extra_args 的 --limit 只接受节点名、组名和 * ? 通配符: {term}");
        }

        var result = new HashSet<string>(StringComparer.Ordinal);
        if (term.Contains('*', StringComparison.Ordinal) || term.Contains('?', StringComparison.Ordinal))
        {
            var regex = new Regex("^" + Regex.Escape(term).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
                RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            result.UnionWith(hosts.Select(h => h.Name).Where(n => regex.IsMatch(n)));
            foreach (var (group, members) in groups)
            {
                if (regex.IsMatch(group))
                {
                    result.UnionWith(members);
                }
            }

            return result;
        }

        if (groups.TryGetValue(term, out var groupMembers))
        {
            result.UnionWith(groupMembers);
        }
        else if (hosts.Any(h => h.Name == term))
        {
            result.Add(term);
        }
        else
        {
            throw NodeOpsException.BadRequest(AnsibleArguments.Field, $"extra_args 的 --limit 只能选择本次的目标节点: {term} 不是目标节点或分组");
        }

        return result;
    }
}
