namespace NodeOps.Safety.Rules;

/// <summary>How a path relates to the directories a node cannot live without.</summary>
internal enum PathRisk
{
    None,

    /// <summary>"/", a top-level system directory such as /etc, or the home directory ("~").</summary>
    SystemDirectory,

    /// <summary>Everything inside one of those: "/*", "/etc/*", "~/*".</summary>
    SystemDirectoryContents,
}
