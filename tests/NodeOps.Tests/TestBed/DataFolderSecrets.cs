namespace NodeOps.Tests.TestBed;

/// <summary>Checks that text (an output, a tool result, a response) holds none of a data folder's keys, in any encoding.</summary>
public static class DataFolderSecrets
{
    public static readonly string[] KeyFiles = ["master.key", "token-signing.key"];

    public static void AssertAbsent(string text, string dataPath, params string[] otherSecrets)
    {
        foreach (var secret in otherSecrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        foreach (var name in KeyFiles)
        {
            var file = Path.Combine(dataPath, name);
            Assert.True(File.Exists(file), $"{name} should exist in the data folder");
            var bytes = File.ReadAllBytes(file);
            Assert.DoesNotContain(System.Text.Encoding.UTF8.GetString(bytes).Trim(), text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(bytes), text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(bytes), text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
