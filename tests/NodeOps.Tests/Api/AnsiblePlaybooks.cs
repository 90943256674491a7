namespace NodeOps.Tests.Api;

/// <summary>The playbooks the Ansible tests run on the sshd nodes. Node folders come from the sessions' NODEOPS_NODE_DIR.</summary>
public static class AnsiblePlaybooks
{
    public const long WriteMarker = 101;
    public const long FailOnOne = 102;
    public const long Sleep = 103;
    public const long EchoVars = 104;
    public const long ShowPassword = 105;
    public const long Quick = 106;

    /// <summary>Writes "{host} {greeting}" to {node folder}/{marker}.txt; the folder lookup also runs in check mode.</summary>
    public const string WriteMarkerYaml = """
        - name: Write a marker on every node
          hosts: all
          gather_facts: false
          tasks:
            - name: Find the node folder
              ansible.builtin.command: printenv NODEOPS_NODE_DIR
              register: node_dir
              changed_when: false
              check_mode: false
            - name: Write the marker
              ansible.builtin.copy:
                dest: "{{ node_dir.stdout }}/{{ marker }}.txt"
                content: "{{ inventory_hostname }} {{ greeting }}\n"
                mode: "0644"
        """;

    public const string FailOnOneYaml = """
        - name: Fail on one node
          hosts: all
          gather_facts: false
          tasks:
            - name: Everyone passes here
              ansible.builtin.command: "true"
              changed_when: false
            - name: One node breaks
              ansible.builtin.fail:
                msg: "broken on purpose on {{ inventory_hostname }}"
              when: inventory_hostname == bad_node
            - name: The others go on
              ansible.builtin.debug:
                msg: still fine
        """;

    public const string SleepYaml = """
        - name: Take a long time
          hosts: all
          gather_facts: false
          tasks:
            - name: Sleep for a long time
              ansible.builtin.command: sleep {{ seconds | default(300) }}
        """;

    /// <summary>Writes the extra vars it got, as JSON, to {node folder}/{marker}.json.</summary>
    public const string EchoVarsYaml = """
        - name: Echo the extra vars
          hosts: all
          gather_facts: false
          tasks:
            - name: Find the node folder
              ansible.builtin.command: printenv NODEOPS_NODE_DIR
              register: node_dir
              changed_when: false
            - name: Write what arrived
              ansible.builtin.copy:
                dest: "{{ node_dir.stdout }}/{{ marker }}.json"
                content: "{{ {'text': text, 'numbers': numbers, 'nested': nested} | to_json }}"
            - name: Show the text
              ansible.builtin.debug:
                msg: "{{ text }}"
        """;

    public const string ShowPasswordYaml = """
        - name: Print the connection password (a careless playbook)
          hosts: all
          gather_facts: false
          tasks:
            - name: Show it
              ansible.builtin.debug:
                msg: "the password is {{ ansible_password }}"
        """;

    public const string QuickYaml = """
        - name: Quick
          hosts: all
          gather_facts: false
          tasks:
            - name: Say hello
              ansible.builtin.command: echo hello
        """;
}
