using System.Text.Json.Nodes;
using NodeOps.Errors;

namespace NodeOps.Schedules;

/// <summary>
/// A schedule's target split into its parts: the type, the selector (when nodes are chosen at fire time), and the
/// execute request body (everything else in "target").
/// </summary>
public sealed record ScheduleTarget(string Type, NodeSelector? Selector, JsonObject Body)
{
    public static readonly IReadOnlyList<string> Types = ["ssh", "script", "ansible", "workflow"];

    public string? ClusterName => Body["cluster_name"] is JsonValue value && value.TryGetValue<string>(out var name) ? name : null;

    public static ScheduleTarget Parse(JsonObject? target)
    {
        if (target is null)
        {
            throw NodeOpsException.BadRequest("target", "target 不能为空");
        }

        var type = target["type"] is JsonValue value && value.TryGetValue<string>(out var t) ? t : null;
        if (type is null || !Types.Contains(type, StringComparer.Ordinal))
        {
            throw NodeOpsException.Invalid("target.type", $"target.type 的值 {type ?? "(缺失)"} 无效，允许的值: {string.Join(", ", Types)}");
        }

        var body = (JsonObject)target.DeepClone();
        body.Remove("type");
        NodeSelector? selector = null;
        if (body.Remove("nodes_selector", out var selectorNode))
        {
            if (body.ContainsKey("target_nodes"))
            {
                throw NodeOpsException.Invalid(NodeSelector.Field, "target.nodes_selector 与 target.target_nodes 只能给一个");
            }

            selector = NodeSelector.Parse(selectorNode);
        }

        return new ScheduleTarget(type, selector, body);
    }

    /// <summary>The execute body with the nodes a selector chose as its target_nodes.</summary>
    public JsonObject BodyFor(IReadOnlyList<string> nodes)
    {
        var body = (JsonObject)Body.DeepClone();
        body["target_nodes"] = new JsonArray(nodes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        return body;
    }
}
