namespace NodeOps.Safety.Shell;

/// <summary>The simple command being read, until an operator or newline ends it.</summary>
internal sealed class CommandBuilder
{
    public int Start { get; private set; } = -1;

    public int End { get; private set; }

    public List<ShellWord> Words { get; } = [];

    public List<Redirection> Redirections { get; } = [];

    public List<KeyValuePair<string, string>> Assignments { get; } = [];

    public bool IsEmpty => Words.Count == 0 && Redirections.Count == 0 && Assignments.Count == 0;

    public void Cover(int start, int end)
    {
        if (Start < 0)
        {
            Start = start;
        }

        End = end;
    }

    public void Reset()
    {
        Start = -1;
        End = 0;
        Words.Clear();
        Redirections.Clear();
        Assignments.Clear();
    }
}
