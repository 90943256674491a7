using NodeOps.Json;

namespace NodeOps.Scheduling;

/// <summary>The body of a work-item message on the executions queue.</summary>
public sealed record WorkItemMessage(string TaskId, string Item)
{
    public string ToBody() => NodeOpsJson.Serialize(this);

    public static WorkItemMessage? TryParse(string body)
    {
        try
        {
            var message = NodeOpsJson.Deserialize<WorkItemMessage>(body);
            return string.IsNullOrEmpty(message.TaskId) || string.IsNullOrEmpty(message.Item) ? null : message;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
