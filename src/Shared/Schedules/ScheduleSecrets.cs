using System.Text.Json.Nodes;
using NodeOps.Executions.Kinds;
using NodeOps.Secrets;

namespace NodeOps.Schedules;

/// <summary>
/// A script target's parameter values may be secrets: they are stored encrypted (never in the target as stored) and
/// shown as names with masked values.
/// </summary>
public static class ScheduleSecrets
{
    private const string Purpose = "schedule-parameters";

    /// <summary>The target to store, without its parameter values, and those values encrypted (null when there are none).</summary>
    public static (JsonObject Target, string? Parameters) Seal(JsonObject target, ISecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(protector);
        var stored = (JsonObject)target.DeepClone();
        return stored.Remove("parameters", out var parameters) && parameters is not null
            ? (stored, protector.Protect(parameters.ToJsonString(), Purpose))
            : (stored, null);
    }

    /// <summary>The target as it was given, parameter values included; for firing only.</summary>
    public static JsonObject Open(ScheduleRecord schedule, ISecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(protector);
        var target = (JsonObject)schedule.Target.DeepClone();
        if (schedule.SealedParameters is { } sealedText)
        {
            target["parameters"] = JsonNode.Parse(protector.Unprotect(sealedText, Purpose));
        }

        return target;
    }

    /// <summary>The target for a view: parameter names with every value masked.</summary>
    public static JsonObject Shown(ScheduleRecord schedule, ISecretProtector protector)
    {
        var target = Open(schedule, protector);
        if (target["parameters"] is JsonObject parameters)
        {
            ScriptSecrets.MaskAll(parameters);
        }

        return target;
    }
}
