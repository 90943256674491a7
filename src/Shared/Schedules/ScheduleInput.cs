using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace NodeOps.Schedules;

/// <summary>The body of POST /schedules and PUT /schedules/{id} (a PUT replaces the whole schedule).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ScheduleInput(
    string Name,
    string Cron,
    JsonObject Target,
    string Timezone = "UTC",
    bool Enabled = true,
    ScheduleWindow? Window = null,
    ScheduleConcurrency Concurrency = ScheduleConcurrency.Skip);
