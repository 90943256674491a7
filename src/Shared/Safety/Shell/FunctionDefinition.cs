namespace NodeOps.Safety.Shell;

/// <summary>A shell function and the commands of its body, kept so a rule can spot self-replicating functions.</summary>
internal sealed record FunctionDefinition(string Name, IReadOnlyList<SimpleCommand> Body, string Source);
