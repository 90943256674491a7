using System.Text.RegularExpressions;
using NodeOps.Functions.AzureFunctions;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.AzureFunctions;

/// <summary>
/// The bicep sets every app setting the app reads in Azure, and nothing it does not read; NodeOps's own keys are
/// ones its configuration actually binds.
/// </summary>
public sealed partial class AzureSettingsParityTests
{
    [Fact]
    public void BicepAppSettings_AreExactlyTheKeysTheAppReads()
    {
        var bicep = File.ReadAllText(Path.Combine(RepositoryFolder.Root(), "infra", "bicep", "modules", "functionapp.bicep"));
        var block = AppSettingsBlock().Match(bicep);
        Assert.True(block.Success, "functionapp.bicep has no 'var appSettings = { ... }' block");
        var inBicep = SettingKey().Matches(block.Groups["body"].Value).Select(m => m.Groups["key"].Value).ToHashSet();

        var missing = AzureAppSettings.Keys.Keys.Where(k => !inBicep.Contains(k)).ToList();
        var unread = inBicep.Where(k => !AzureAppSettings.Keys.ContainsKey(k)).ToList();

        Assert.True(missing.Count == 0, "read by the app but not set in functionapp.bicep: " + string.Join(", ", missing));
        Assert.True(unread.Count == 0, "set in functionapp.bicep but not read by the app (AzureAppSettings.Keys): " + string.Join(", ", unread));
    }

    [Fact]
    public void NodeOpsKeys_AreBoundByTheApplication()
    {
        var repository = RepositoryFolder.Root();
        var sources = string.Join("\n", Directory.EnumerateFiles(Path.Combine(repository, "src"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));

        foreach (var key in AzureAppSettings.Keys.Where(kv => kv.Value.StartsWith("NodeOps:", StringComparison.Ordinal)).Select(kv => kv.Key))
        {
            var (section, property) = (key.Split("__")[0], key.Split("__")[1]);
            // Read by name ("Secrets:MasterKey"), or bound: an options class of the section (Section = "Storage") with the property.
            var readByName = sources.Contains($"\"{section}:{property}\"", StringComparison.Ordinal);
            var bound = sources.Contains($"Section = \"{section}\"", StringComparison.Ordinal)
                && Regex.IsMatch(sources, $@"public [\w?<>\[\]]+ {property} \{{ get;");
            Assert.True(readByName || bound, $"{key}: NodeOps neither reads {section}:{property} by name nor binds it to an options property");
        }
    }

    [GeneratedRegex(@"var appSettings = \{(?<body>.*?)\n\}", RegexOptions.Singleline)]
    private static partial Regex AppSettingsBlock();

    [GeneratedRegex(@"^\s+(?<key>[A-Za-z_][A-Za-z0-9_]*):", RegexOptions.Multiline)]
    private static partial Regex SettingKey();
}
