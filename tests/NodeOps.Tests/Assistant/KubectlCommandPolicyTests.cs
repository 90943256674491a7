using NodeOps.Assistant;

namespace NodeOps.Tests.Assistant;

public sealed class KubectlCommandPolicyTests
{
    [Theory]
    [InlineData("get pods -A")]
    [InlineData("-n kube-system get pods -o wide")]
    [InlineData("describe node node-1")]
    [InlineData("logs web-1 --tail 100")]
    [InlineData("top nodes")]
    [InlineData("events -n default")]
    [InlineData("rollout status deployment/web")]
    [InlineData("rollout history deployment/web")]
    [InlineData("auth can-i list pods")]
    [InlineData("api-resources")]
    [InlineData("version")]
    [InlineData("delete pod web-1 --dry-run=server")]
    [InlineData("drain node-1 --dry-run=client --ignore-daemonsets")]
    public void Evaluate_ReadCommands_AreReadsAndAllowed(string command)
    {
        var verdict = KubectlCommandPolicy.Evaluate(command.Split(' '));

        Assert.Equal(CommandSafety.Read, verdict.Safety);
        Assert.Null(verdict.Refusal);
    }

    [Theory]
    [InlineData("delete pod web-1")]
    [InlineData("cordon node-1")]
    [InlineData("drain node-1 --ignore-daemonsets")]
    [InlineData("apply --dry-run=none -k x")]
    [InlineData("scale deployment web --replicas 3")]
    [InlineData("rollout restart deployment/web")]
    [InlineData("label node node-1 a=b")]
    [InlineData("taint nodes node-1 key=value:NoSchedule")]
    [InlineData("exec web-1 -- ls")]
    [InlineData("delete pod web-1 --dry-run=none")]
    [InlineData("frobnicate everything")]
    [InlineData("auth reconcile")]
    public void Evaluate_WritesAndUnknownVerbs_AreWrites(string command)
    {
        var verdict = KubectlCommandPolicy.Evaluate(command.Split(' '));

        Assert.Equal(CommandSafety.Write, verdict.Safety);
    }

    [Theory]
    [InlineData("exec -it web-1 -- sh")]
    [InlineData("exec web-1 -i -t -- sh")]
    [InlineData("run debug --image=busybox -it")]
    [InlineData("attach web-1")]
    [InlineData("edit node node-1")]
    [InlineData("port-forward web-1 8080:80")]
    [InlineData("proxy")]
    [InlineData("logs -f web-1")]
    [InlineData("logs --follow web-1")]
    [InlineData("get pods -w")]
    [InlineData("get pods --watch")]
    [InlineData("cp web-1:/etc/passwd ./passwd")]
    [InlineData("config view --raw")]
    [InlineData("get pods --token=abc")]
    [InlineData("get pods --server https://evil")]
    [InlineData("--kubeconfig /root/.kube/config get pods")]
    [InlineData("apply -f /etc/manifest.yaml")]
    [InlineData("get --raw /api/v1/secrets")]
    public void Evaluate_InteractiveEndlessLocalFileOrCredentialForms_AreRefused(string command)
    {
        var verdict = KubectlCommandPolicy.Evaluate(command.Split(' '));

        Assert.NotNull(verdict.Refusal);
    }

    [Fact]
    public void Evaluate_NoVerb_IsRefused()
    {
        Assert.NotNull(KubectlCommandPolicy.Evaluate(["-n", "default"]).Refusal);
    }
}
