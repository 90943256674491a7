using System.Collections.Frozen;
using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Classification;

/// <summary>
/// kubectl by verb. Global flags may come before the verb ("kubectl -n ns --context c get pods"), so the verb is the
/// first word that is neither a flag nor a flag's value. Verbs not known to read are Write, plugins included.
/// </summary>
internal static class KubectlAccess
{
    private static readonly FrozenSet<string> ReadVerbs = Set(
        "get", "describe", "logs", "top", "explain", "api-resources", "api-versions", "version", "cluster-info", "events",
        "diff", "wait", "completion", "kustomize", "options", "help");

    /// <summary>Verbs whose second word decides: "config view" reads, "config use-context" writes.</summary>
    private static readonly FrozenDictionary<string, FrozenSet<string>> ReadSubverbs = new Dictionary<string, FrozenSet<string>>
    {
        ["config"] = Set("view", "get-contexts", "current-context", "get-clusters", "get-users"),
        ["auth"] = Set("can-i", "whoami"),
        ["rollout"] = Set("status", "history"),
        ["apply"] = Set("view-last-applied"),
        ["plugin"] = Set("list"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Verbs that honour --dry-run; with client or server dry-run they persist nothing.</summary>
    private static readonly FrozenSet<string> DryRunVerbs = Set(
        "apply", "create", "delete", "patch", "replace", "scale", "rollout", "cordon", "uncordon", "drain", "taint", "label",
        "annotate", "run", "expose", "set", "autoscale");

    /// <summary>Flags that take a value as the next word when written without "=".</summary>
    private static readonly FrozenSet<string> ValueFlags = Set(
        "-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user", "-s", "--server", "--token", "--as",
        "--as-group", "--as-uid", "--certificate-authority", "--client-certificate", "--client-key", "--request-timeout",
        "--tls-server-name", "--cache-dir", "-v", "--v", "--vmodule", "--log-file", "--profile", "--profile-output",
        "--password", "--username", "-o", "--output", "-l", "--selector", "--field-selector", "-c", "--container", "-f",
        "--filename", "--sort-by", "--template", "-L", "--label-columns", "-k", "--kustomize", "--chunk-size");

    public static string? WhyWrite(SimpleCommand command)
    {
        var positional = Positional(command.Words);
        if (positional.Count == 0)
        {
            return null;
        }

        var verb = positional[0];
        var sub = positional.Count > 1 ? positional[1] : null;
        if (ReadVerbs.Contains(verb) && !command.Words.Any(w => w.Value.StartsWith("--output-directory", StringComparison.Ordinal)))
        {
            return null;
        }

        if (ReadSubverbs.TryGetValue(verb, out var reads) && sub is not null && reads.Contains(sub))
        {
            return null;
        }

        if (DryRunVerbs.Contains(verb) && command.Words.Any(w => w.Value is "--dry-run=client" or "--dry-run=server"))
        {
            return null;
        }

        return $"kubectl {verb}{(sub is null ? string.Empty : " " + sub)}: 会修改集群或执行命令 / changes the cluster or runs commands";
    }

    /// <summary>The words that are neither flags nor flag values, in order.</summary>
    private static List<string> Positional(IReadOnlyList<ShellWord> words)
    {
        var positional = new List<string>();
        for (var i = 1; i < words.Count; i++)
        {
            var word = words[i].Value;
            if (word == "--")
            {
                break;
            }

            if (word.Length > 1 && word[0] == '-')
            {
                if (ValueFlags.Contains(word))
                {
                    i++;
                }

                continue;
            }

            positional.Add(word);
        }

        return positional;
    }

    private static FrozenSet<string> Set(params string[] names) => names.ToFrozenSet(StringComparer.Ordinal);
}
