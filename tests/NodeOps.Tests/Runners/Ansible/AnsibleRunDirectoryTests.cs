using NodeOps.Runners.Ansible;

namespace NodeOps.Tests.Runners.Ansible;

public sealed class AnsibleRunDirectoryTests
{
    [Fact]
    public void Create_ForTheSandboxUnderAFolderOthersCannotEnter_IsRefusedNamingIt()
    {
        var closed = Directory.CreateTempSubdirectory("nodeops-closed-").FullName;
        try
        {
            var parent = Path.Combine(closed, "runs");

            var refused = Assert.Throws<InvalidOperationException>(() => AnsibleRunDirectory.Create(parent, "abc", traversableParent: true));

            Assert.Contains(closed, refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(closed, recursive: true);
        }
    }

    [Fact]
    public void Create_ForTheSandbox_LeavesTheParentPassableButNotListable()
    {
        var parent = Path.Combine(Path.GetTempPath(), "nodeops-runs-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var directory = AnsibleRunDirectory.Create(parent, "abc", traversableParent: true);

            Assert.Equal((UnixFileMode)0b111_001_001, File.GetUnixFileMode(parent));
            Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(directory.Path));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
