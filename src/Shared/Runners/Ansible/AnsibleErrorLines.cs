namespace NodeOps.Runners.Ansible;

/// <summary>
/// Keeps what ansible-playbook said on stderr about a failure of the run as a whole (a playbook that does not
/// parse, a missing role): its "ERROR!" line when there is one, otherwise its last lines. Only for the message
/// shown to people; results never come from here.
/// </summary>
internal sealed class AnsibleErrorLines
{
    private const int Kept = 3;
    private readonly object _gate = new();
    private readonly Queue<string> _last = new();
    private string? _error;

    public void Add(string line)
    {
        var text = line.Trim();
        if (text.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_error is null && text.StartsWith("ERROR!", StringComparison.Ordinal))
            {
                _error = text;
            }

            _last.Enqueue(text);
            while (_last.Count > Kept)
            {
                _last.Dequeue();
            }
        }
    }

    public string Summary()
    {
        lock (_gate)
        {
            return _error ?? string.Join(" ", _last);
        }
    }
}
