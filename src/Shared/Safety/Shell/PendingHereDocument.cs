namespace NodeOps.Safety.Shell;

/// <summary>A here-document whose body starts after the current line.</summary>
internal sealed record PendingHereDocument(string Delimiter, bool StripTabs, bool Expands, HereDocument Document);
