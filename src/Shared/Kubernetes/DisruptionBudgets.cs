using System.Text.RegularExpressions;
using k8s;

namespace NodeOps.Kubernetes;

/// <summary>Names the PodDisruptionBudget behind a refused eviction, so progress and errors can say which one blocks.</summary>
internal static partial class DisruptionBudgets
{
    /// <summary>The API server's cause reads "The disruption budget web-pdb needs 2 healthy pods and has 1 currently".</summary>
    public static string? FromCauses(IReadOnlyList<string> causes) =>
        causes.Select(c => BudgetInCause().Match(c)).FirstOrDefault(m => m.Success)?.Groups[1].Value;

    /// <summary>When the refusal does not name it: the first budget in the pod's namespace whose matchLabels select the pod.</summary>
    public static async Task<string?> FindAsync(k8s.Kubernetes client, KubernetesPod pod, CancellationToken cancellationToken)
    {
        var budgets = await client.PolicyV1.ListNamespacedPodDisruptionBudgetAsync(pod.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        return budgets.Items.FirstOrDefault(b => b.Spec?.Selector?.MatchLabels is { Count: > 0 } match
            && match.All(kv => pod.Labels.TryGetValue(kv.Key, out var value) && value == kv.Value))?.Metadata?.Name;
    }

    [GeneratedRegex(@"disruption budget (\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex BudgetInCause();
}
