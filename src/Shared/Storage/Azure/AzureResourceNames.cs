using System.Text.RegularExpressions;

namespace NodeOps.Storage.Azure;

/// <summary>
/// Turns the port's table names into the account's names by adding the deployment's prefix,
/// so several deployments can share one storage account.
/// </summary>
internal sealed partial class AzureResourceNames
{
    private const int MaxNameLength = 63;
    private readonly string _tablePrefix;

    public AzureResourceNames(string? prefix)
    {
        prefix ??= "";
        if (prefix.Length > 0 && !PrefixRegex().IsMatch(prefix))
        {
            throw new ArgumentException($"Storage:TablePrefix '{prefix}' must be up to 32 letters or digits, starting with a letter.", nameof(prefix));
        }

        _tablePrefix = prefix;
    }

    public string Table(string table)
    {
        TableNames.EnsureValidTable(table);
        return Bounded(_tablePrefix + table, table);
    }

    private static string Bounded(string name, string logical) => name.Length <= MaxNameLength
        ? name
        : throw new ArgumentException($"'{logical}' with the storage prefix is longer than {MaxNameLength} characters.", nameof(logical));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,31}$")]
    private static partial Regex PrefixRegex();
}
