namespace NodeOps.Runners.Ansible;

/// <summary>A host's line of the PLAY RECAP: task results by outcome.</summary>
public sealed record AnsibleHostRecap
{
    public int Ok { get; init; }

    public int Changed { get; init; }

    public int Failed { get; init; }

    public int Unreachable { get; init; }

    public int Skipped { get; init; }

    public int Rescued { get; init; }

    public int Ignored { get; init; }

    public override string ToString() =>
        $"ok={Ok} changed={Changed} unreachable={Unreachable} failed={Failed} skipped={Skipped} rescued={Rescued} ignored={Ignored}";
}
