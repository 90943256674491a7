namespace NodeOps.Sandbox;

/// <summary>
/// Bound from the "Sandbox" section: how the sandbox is built. Whether a consumer uses it is that consumer's own
/// setting (Ansible:Sandbox, Assistant:Tools:Sandbox).
/// </summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>Debian's bubblewrap.</summary>
    public string BwrapPath { get; set; } = "/usr/bin/bwrap";

    /// <summary>util-linux setpriv: when NodeOps runs as root, the sandbox is entered as <see cref="UserId"/>, never as root.</summary>
    public string SetprivPath { get; set; } = "/usr/bin/setpriv";

    /// <summary>The unprivileged user sandboxed processes run as (nobody by default), inside and, when NodeOps is root, outside too.</summary>
    public int UserId { get; set; } = 65534;

    public int GroupId { get; set; } = 65534;

    /// <summary>How long the availability probe may take.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
