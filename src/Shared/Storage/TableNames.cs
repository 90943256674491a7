using System.Text.RegularExpressions;

namespace NodeOps.Storage;

/// <summary>Name rules shared by both adapters, so that what works on SQLite also works on Azure.</summary>
public static partial class TableNames
{
    /// <summary>Azure table names: alphanumeric, starting with a letter, 3 to 63 characters.</summary>
    public static void EnsureValidTable(string table)
    {
        if (!TableNameRegex().IsMatch(table))
        {
            throw new ArgumentException($"Table name '{table}' must be 3-63 letters or digits and start with a letter.", nameof(table));
        }
    }

    /// <summary>Property names are identifiers, which both OData filters and SQLite JSON paths accept unquoted.</summary>
    public static void EnsureValidProperty(string property)
    {
        if (!PropertyRegex().IsMatch(property))
        {
            throw new ArgumentException($"Property name '{property}' must be an identifier.", nameof(property));
        }
    }

    /// <summary>Keys may not hold the characters the Table service forbids in keys.</summary>
    public static void EnsureValidKey(string key, string paramName)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (key.Length > 1024 || key.AsSpan().IndexOfAny("/\\#?") >= 0 || key.Any(char.IsControl))
        {
            throw new ArgumentException($"Key '{key}' contains a character the table store forbids (/ \\ # ? or a control character).", paramName);
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableNameRegex();


    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,254}$")]
    private static partial Regex PropertyRegex();
}
