using System.Runtime.InteropServices;

namespace NodeOps.Sandbox;

/// <summary>The two libc calls .NET has no API for: the effective user id, and changing a file's owner.</summary>
internal static class Native
{
    public static bool IsRoot => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    // Plain blittable imports: LibraryImport would need unsafe code in the project for no gain here.
    [DllImport("libc", EntryPoint = "geteuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint GetEffectiveUserId();

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int LChown(string path, int owner, int group);
}
