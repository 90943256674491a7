namespace NodeOps.Catalog;

/// <summary>
/// A parameter a script declares; it reaches the script as an environment variable of the same name. A
/// <see cref="Secret"/> parameter's value is never shown, logged or stored in clear, so it cannot have a default
/// (the default would sit in the catalog in clear).
/// </summary>
public sealed record ScriptParameter(string Name, string? Description, string? Default, bool Required, bool Secret = false);
