namespace NodeOps.Safety.Shell;

/// <summary>One redirection of a simple command, e.g. <c>2&gt;&amp;1</c>, <c>&gt;/dev/sda</c> or <c>&lt;&lt;EOF</c>.</summary>
internal sealed record Redirection(string Operator, int? Descriptor, ShellWord Target, HereDocument? HereDocument = null)
{
    /// <summary>True for <c>2&gt;&amp;1</c> and <c>&lt;&amp;-</c>: no file is opened.</summary>
    public bool DuplicatesDescriptor =>
        Operator is ">&" or "<&" && (Target.Value == "-" || (Target.Value.Length > 0 && Target.Value.All(char.IsAsciiDigit)));

    /// <summary>True when the target file is opened for writing (<c>&lt;&gt;</c> opens it read-write).</summary>
    public bool Writes => !DuplicatesDescriptor && Operator is ">" or ">>" or ">|" or "&>" or "&>>" or "<>" or ">&";

    /// <summary>The text fed to the command's standard input by a here-document or here-string, if any.</summary>
    public string? StandardInputText => Operator == "<<<" ? Target.Value : HereDocument?.Body;
}
