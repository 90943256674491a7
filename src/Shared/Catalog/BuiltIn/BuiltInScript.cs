namespace NodeOps.Catalog.BuiltIn;

/// <summary>A script shipped with NodeOps.</summary>
internal sealed record BuiltInScript(string Key, string Name, string Description, string Category, IReadOnlyList<string> Tags, string Language, string Resource, IReadOnlyList<ScriptParameter> Parameters)
{
    public string Content => BuiltInCatalog.Read(Resource);
}
