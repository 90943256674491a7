namespace NodeOps.Runners.Ansible;

/// <summary>What a run reports while it goes, on the runner's threads; implementations must be quick and thread-safe.</summary>
public interface IAnsibleRunObserver
{
    /// <summary>A callback-plugin event (task started, host result, recap), in the order the plugin wrote them.</summary>
    void OnEvent(AnsibleEvent runEvent);

    /// <summary>A line of ansible-playbook's own output (stdout and stderr as they come), ending in a newline.</summary>
    void OnOutput(string text);
}
