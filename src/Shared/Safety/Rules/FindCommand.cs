using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>
/// Reads "find [options] paths... expression" far enough to tell a clean-up of matching files from a sweep that
/// deletes or re-permissions everything under a system directory.
/// </summary>
internal sealed class FindCommand
{
    /// <summary>Tests that select files by name or identity; with one of these, -delete removes a chosen few.</summary>
    private static readonly string[] NameTests =
    [
        "-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex", "-lname", "-ilname",
        "-inum", "-samefile",
    ];

    private FindCommand(IReadOnlyList<ShellWord> startPaths, IReadOnlyList<ShellWord> expression)
    {
        StartPaths = startPaths;
        Expression = expression;
    }

    public IReadOnlyList<ShellWord> StartPaths { get; }

    public IReadOnlyList<ShellWord> Expression { get; }

    /// <summary>True when a name test picks files; "-name '*'" picks everything and does not count.</summary>
    public bool SelectsByName
    {
        get
        {
            for (var i = 0; i + 1 < Expression.Count; i++)
            {
                var pattern = Expression[i + 1].Value;
                if (NameTests.Contains(Expression[i].Value) && pattern.Length > 0 && !pattern.All(c => c == '*') && pattern != ".*")
                {
                    return true;
                }
            }

            return false;
        }
    }

    public static FindCommand? From(SimpleCommand command)
    {
        if (command.Name != "find")
        {
            return null;
        }

        var words = command.Words;
        var i = 1;
        while (i < words.Count && (words[i].Value is "-H" or "-L" or "-P" || words[i].Value.StartsWith("-O", StringComparison.Ordinal) || words[i].Value == "-D"))
        {
            i += words[i].Value == "-D" ? 2 : 1;
        }

        var paths = new List<ShellWord>();
        while (i < words.Count && !words[i].Value.StartsWith('-') && words[i].Value is not ("(" or "!" or ")"))
        {
            paths.Add(words[i++]);
        }

        // With no path, find starts in the working directory.
        if (paths.Count == 0)
        {
            paths.Add(new ShellWord("."));
        }

        return new FindCommand(paths, words.Skip(i).ToArray());
    }

    public bool Deletes => Expression.Any(w => w.Value == "-delete");

    /// <summary>The programs run by -exec, -execdir, -ok and -okdir.</summary>
    public IEnumerable<string> ExecutedPrograms()
    {
        for (var i = 0; i + 1 < Expression.Count; i++)
        {
            if (Expression[i].Value is "-exec" or "-execdir" or "-ok" or "-okdir")
            {
                yield return SimpleCommand.BaseName(Expression[i + 1].Value);
            }
        }
    }
}
