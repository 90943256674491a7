namespace NodeOps.Safety;

/// <summary>What the caller allows beyond the default.</summary>
public sealed record GuardOptions
{
    public static GuardOptions Default { get; } = new();

    /// <summary>
    /// Lets halt, poweroff, reboot, shutdown, init 0/6 and systemctl's power verbs through, e.g. for an admin's
    /// planned node restart. Writes to /proc/sysrq-trigger stay blocked.
    /// </summary>
    public bool AllowPowerActions { get; init; }
}
