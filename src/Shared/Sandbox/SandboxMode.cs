namespace NodeOps.Sandbox;

/// <summary>Whether a consumer (Ansible runs, the assistant's tools) runs its processes in the sandbox.</summary>
public enum SandboxMode
{
    /// <summary>The default: processes run in the sandbox, or not at all when it cannot be set up.</summary>
    On,

    /// <summary>An admin's explicit choice in configuration; start-up logs it as a warning.</summary>
    Off,
}
