using System.Text.Json.Nodes;
using NodeOps.Errors;
using NodeOps.Runners.Ansible;

namespace NodeOps.Tests.Runners.Ansible;

public sealed class AnsibleExtraVarsTests
{
    [Fact]
    public void ToUnsafe_WrapsEveryStringAndKeepsOtherValues()
    {
        var vars = JsonNode.Parse("""{"a":"{{ x }}","n":1.5,"b":true,"z":null,"list":["s",2],"obj":{"k":"v"}}""")!.AsObject();

        var written = AnsibleExtraVars.ToUnsafe(vars)!.ToJsonString();

        Assert.Equal(
            """{"a":{"__ansible_unsafe":"{{ x }}"},"n":1.5,"b":true,"z":null,"list":[{"__ansible_unsafe":"s"},2],"obj":{"k":{"__ansible_unsafe":"v"}}}""",
            written);
    }

    [Theory]
    [InlineData("ansible_host")]
    [InlineData("ansible_ssh_common_args")]
    [InlineData("ANSIBLE_CONNECTION")]
    [InlineData("hostvars")]
    [InlineData("inventory_hostname")]
    [InlineData("1abc")]
    [InlineData("a-b")]
    [InlineData("a b")]
    public void Validate_ReservedOrInvalidNames_AreRefusedNamingTheVariable(string name)
    {
        var vars = new JsonObject { [name] = "x" };

        var error = Assert.Throws<NodeOpsException>(() => AnsibleExtraVars.Validate(vars));

        Assert.Equal("extra_vars." + name, error.Field);
    }

    [Fact]
    public void Validate_OrdinaryVariables_Pass()
    {
        AnsibleExtraVars.Validate(new JsonObject { ["ntp_server"] = "ntp.example.com", ["timezone"] = "Asia/Shanghai", ["_x"] = 1 });
        AnsibleExtraVars.Validate(null);
    }
}
