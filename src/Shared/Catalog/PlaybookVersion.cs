namespace NodeOps.Catalog;

/// <summary>One earlier (or the current) version of a playbook's content.</summary>
public sealed record PlaybookVersion(long Id, string Name, int Version, string Content, string ContentHash, DateTimeOffset CreatedAt, string CreatedBy);
