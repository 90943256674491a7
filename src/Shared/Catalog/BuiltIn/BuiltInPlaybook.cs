namespace NodeOps.Catalog.BuiltIn;

/// <summary>A playbook shipped with NodeOps; <see cref="Key"/> identifies it across upgrades, whatever it is called.</summary>
internal sealed record BuiltInPlaybook(string Key, string Name, string Description, string Category, IReadOnlyList<string> Tags, string Resource)
{
    public string Content => BuiltInCatalog.Read(Resource);
}
