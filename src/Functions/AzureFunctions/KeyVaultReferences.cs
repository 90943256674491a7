namespace NodeOps.Functions.AzureFunctions;

/// <summary>
/// A Key Vault reference the platform could not resolve (missing secret, identity without Key Vault Secrets User)
/// reaches the app as its literal text. For a key that fails validation anyway; for the first admin's password it
/// would silently become the password, so start-up refuses any such value and names the setting.
/// </summary>
internal static class KeyVaultReferences
{
    private const string Prefix = "@Microsoft.KeyVault(";

    public static void ThrowIfUnresolved(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var unresolved = configuration.AsEnumerable()
            .Where(kv => kv.Value?.TrimStart().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) == true)
            .Select(kv => kv.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (unresolved.Count > 0)
        {
            throw new InvalidOperationException(
                "Key Vault references were not resolved for: " + string.Join(", ", unresolved)
                + ". Check that each secret exists and that the app's identity (keyVaultReferenceIdentity) has Key Vault Secrets User on the vault.");
        }
    }
}
