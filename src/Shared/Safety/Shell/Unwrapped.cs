namespace NodeOps.Safety.Shell;

/// <summary>What a wrapper command runs, and how.</summary>
/// <param name="Kind">How the command runs the parts.</param>
/// <param name="Name">The wrapper as shown in messages ("sudo", "bash -c").</param>
/// <param name="Parts">What it runs; empty when it runs something unknowable (a script file) or nothing.</param>
internal sealed record Unwrapped(WrapperKind Kind, string Name, IReadOnlyList<WrappedPart> Parts)
{
    public static Unwrapped None { get; } = new(WrapperKind.None, string.Empty, []);

    /// <summary>The words from <paramref name="index"/> on are the command; nothing to run leaves a plain command.</summary>
    public static Unwrapped Transparent(string name, IReadOnlyList<ShellWord> words, int index) =>
        index < words.Count ? new(WrapperKind.Transparent, name, [WrappedPart.Command(words.Skip(index).ToArray())]) : None;

    public static Unwrapped Delegating(string name, params IReadOnlyList<WrappedPart> parts) => new(WrapperKind.Delegating, name, parts);
}
