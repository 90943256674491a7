using System.Text.Json;
using System.Text.Json.Nodes;
using NodeOps.Json;
using NodeOps.Secrets;

namespace NodeOps.Schedules;

/// <summary>The API's views of schedules and their runs.</summary>
public static class ScheduleViews
{
    public const int NextRunCount = 3;

    public static JsonObject Schedule(ScheduleRecord schedule, ScheduleRun? lastRun, DateTimeOffset now, ISecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var next = schedule.Enabled ? ScheduleTiming.Parse(schedule.Cron, schedule.Timezone).Next(now, NextRunCount) : [];
        return new JsonObject
        {
            ["id"] = schedule.Id,
            ["name"] = schedule.Name,
            ["cron"] = schedule.Cron,
            ["timezone"] = schedule.Timezone,
            ["enabled"] = schedule.Enabled,
            ["window"] = ToNode(schedule.Window),
            ["concurrency"] = ToNode(schedule.Concurrency),
            ["target"] = ScheduleSecrets.Shown(schedule, protector),
            ["next_run_at"] = ToNode(next),
            ["last_run"] = lastRun is null ? null : Run(lastRun),
            ["created_at"] = ToNode(schedule.CreatedAt),
            ["created_by"] = schedule.CreatedBy,
            ["updated_at"] = ToNode(schedule.UpdatedAt),
            ["updated_by"] = schedule.UpdatedBy,
        };
    }

    public static JsonObject Run(ScheduleRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new JsonObject
        {
            ["due_time"] = ToNode(run.DueTime),
            ["trigger"] = ToNode(run.Trigger),
            ["status"] = ToNode(run.Status),
            ["task_id"] = run.Status == ScheduleRunStatus.Started ? run.TaskId : null,
            ["reason"] = run.Reason,
            ["nodes"] = ToNode(run.Nodes),
            ["recorded_at"] = ToNode(run.RecordedAt),
        };
    }

    private static JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, NodeOpsJson.Options);
}
