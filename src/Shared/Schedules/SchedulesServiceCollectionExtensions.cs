using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NodeOps.Scheduling;

namespace NodeOps.Schedules;

public static partial class SchedulesServiceCollectionExtensions
{
    /// <summary>
    /// Schedules: store, evaluator, firer, node selection, and one <see cref="IScheduleTargetStarter"/> per target type
    /// (ssh, script, ansible, workflow).
    /// </summary>
    public static IServiceCollection AddSchedules(this IServiceCollection services)
    {
        services.AddOptions<SchedulesOptions>().BindConfiguration(SchedulesOptions.Section)
            .Validate(o => o.EvaluationInterval >= TimeSpan.FromSeconds(1) && o.EvaluationInterval <= TimeSpan.FromHours(1), "Schedules:EvaluationInterval must be between 00:00:01 and 01:00:00.")
            .Validate(o => o.MissedAfter >= TimeSpan.FromSeconds(10), "Schedules:MissedAfter must be at least 00:00:10.")
            .Validate(o => o.MaxCatchUp >= o.MissedAfter, "Schedules:MaxCatchUp must be at least Schedules:MissedAfter.")
            .Validate(o => o.MaxMissedRecorded is >= 1 and <= 10_000, "Schedules:MaxMissedRecorded must be between 1 and 10000.")
            .Validate(o => o.SelectorCheckTimeout >= TimeSpan.FromSeconds(1), "Schedules:SelectorCheckTimeout must be at least 00:00:01.")
            .Validate(o => SentinelPathRegex().IsMatch(o.RebootSentinelPath ?? ""),
                "Schedules:RebootSentinelPath must be a path of letters, digits, '_', '.', '-', '/' and $VAR or ${VAR} (no spaces, quotes or command substitution).")
            .ValidateOnStart();
        services.AddSingleton<ScheduleStore>();
        services.AddSingleton<IRetentionParticipant>(sp => sp.GetRequiredService<ScheduleStore>());
        services.AddSingleton<ScheduleTargets>();
        services.AddSingleton<NodeSelection>();
        services.AddSingleton<ScheduleFirer>();
        services.AddSingleton<ScheduleEvaluator>();
        services.AddSingleton<ScheduleService>();
        services.AddSingleton<InProcessScheduler>();
        services.AddSingleton<IScheduleTargetStarter, SshTargetStarter>();
        services.AddSingleton<IScheduleTargetStarter, ScriptTargetStarter>();
        services.AddSingleton<IScheduleTargetStarter, AnsibleTargetStarter>();
        services.AddSingleton<IScheduleTargetStarter, WorkflowTargetStarter>();
        return services;
    }

    /// <summary>Put inside double quotes on the node: variables expand, nothing else can.</summary>
    [GeneratedRegex(@"^(/|\$)(?:[A-Za-z0-9_./-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})+$")]
    private static partial Regex SentinelPathRegex();
}
