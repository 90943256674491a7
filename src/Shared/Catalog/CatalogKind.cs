namespace NodeOps.Catalog;

/// <summary>Which catalog a <see cref="CatalogStore"/> serves: its table, id sequence and words for messages.</summary>
internal sealed record CatalogKind(string Table, string Sequence, string Label, string AuditArea)
{
    public static readonly CatalogKind Playbooks = new("playbooks", "playbook", "Playbook", "playbooks");
    public static readonly CatalogKind Scripts = new("scripts", "script", "脚本", "scripts");
    public static readonly CatalogKind Workflows = new("workflows", "workflow", "工作流", "workflows");
}
