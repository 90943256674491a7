namespace NodeOps.Safety;

/// <summary>The guard's answer for one command, script or Python source.</summary>
/// <param name="IsBlocked">True when a rule matched.</param>
/// <param name="RuleId">The matching rule, one of <see cref="GuardRuleIds"/>.</param>
/// <param name="Reason">The rule's description, in Chinese and English.</param>
/// <param name="Command">The offending simple command (or function, or Python call), as written, shortened if long.</param>
public sealed record GuardVerdict(bool IsBlocked, string? RuleId, string? Reason, string? Command)
{
    public static GuardVerdict Allowed { get; } = new(false, null, null, null);

    /// <summary>The "error" text of the 422 body: "危险命令已拦截: reason [rule]: command".</summary>
    public string? Error => IsBlocked ? $"危险命令已拦截: {Reason} [{RuleId}]: {Command}" : null;
}
