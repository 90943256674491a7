using System.Text.Json.Nodes;
using NodeOps.Clusters;
using NodeOps.Errors;

namespace NodeOps.Schedules;

/// <summary>
/// target.nodes_selector: which of the cluster's nodes enter a run, decided at each fire. <see cref="Label"/> ("k=v")
/// asks the cluster's Kubernetes API for nodes with that label; <see cref="RebootRequired"/> keeps the nodes where
/// the reboot sentinel file exists, checked over SSH (like kured).
/// </summary>
public sealed record NodeSelector(string? Label, bool RebootRequired)
{
    public const string Field = "target.nodes_selector";

    public static NodeSelector Parse(JsonNode? node)
    {
        if (node is not JsonObject selector || selector.Count != 1)
        {
            throw NodeOpsException.Invalid(Field, $"{Field} 必须是只有一个键的对象: {{\"label\": \"k=v\"}} 或 {{\"reboot_required\": true}}");
        }

        var (key, value) = selector.First();
        switch (key)
        {
            case "label":
                var label = value is JsonValue text && text.TryGetValue<string>(out var s) ? s : null;
                var parts = label?.Split('=', 2);
                if (parts is not { Length: 2 } || !ClusterNames.IsValidLabelKey(parts[0]) || !ClusterNames.IsValidLabelValue(parts[1]))
                {
                    throw NodeOpsException.Invalid(Field + ".label", $"{Field}.label 必须是 Kubernetes 标签 \"key=value\"，例如 \"node-role.kubernetes.io/worker=\"");
                }

                return new NodeSelector(label, false);
            case "reboot_required":
                return value is JsonValue flag && flag.TryGetValue<bool>(out var b) && b
                    ? new NodeSelector(null, true)
                    : throw NodeOpsException.Invalid(Field + ".reboot_required", $"{Field}.reboot_required 只能是 true");
            default:
                throw NodeOpsException.Invalid(Field, $"未知的选择器 {key}，允许的值: label, reboot_required");
        }
    }

    public JsonObject ToJson() => Label is not null ? new JsonObject { ["label"] = Label } : new JsonObject { ["reboot_required"] = true };
}
