using System.Text.Json.Serialization;
using NodeOps.Auth;
using NodeOps.Features;
using NodeOps.Functions.Http;
using NodeOps.Functions.OpenApi;
using NodeOps.Functions.Security;

namespace NodeOps.Functions.Apis;

/// <summary>Feature switches: anyone may read them; only admins change them, and every change is audited.</summary>
internal static class FeaturesApi
{
    public static RouteGroupBuilder MapFeaturesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/features").WithTags("Features");
        group.MapGet("/", GetAsync).AllowAnonymous().ProducesData<FeatureSettings>();
        group.MapPut("/automation/enabled", SetAutomationAsync).RequireRole(Role.Admin);
        group.MapPut("/automation/ansible", SetAnsibleAsync).RequireRole(Role.Admin).ProducesData<AnsibleSettings>();
        group.MapPut("/automation/ssh", SetSshAsync).RequireRole(Role.Admin).ProducesData<SshSettings>();
        group.MapPut("/automation/scripts", SetScriptsAsync).RequireRole(Role.Admin);
        group.MapPut("/automation/workflows", SetWorkflowsAsync).RequireRole(Role.Admin);
        return group;
    }

    private static async Task<IResult> GetAsync(FeatureService features, CancellationToken cancellationToken) =>
        Envelope.Ok(await features.GetAsync(cancellationToken));

    private static async Task<IResult> SetAutomationAsync(EnabledRequest request, HttpContext http, FeatureService features)
    {
        await features.UpdateAsync(s => s with { Automation = s.Automation with { Enabled = request.Enabled } }, http.GetActor(), "automation.enabled", http.RequestAborted);
        return Envelope.Ok("更新成功");
    }

    private static async Task<IResult> SetScriptsAsync(EnabledRequest request, HttpContext http, FeatureService features)
    {
        await features.UpdateAsync(s => s with { Automation = s.Automation with { ScriptsEnabled = request.Enabled } }, http.GetActor(), "automation.scripts", http.RequestAborted);
        return Envelope.Ok("更新成功");
    }

    private static async Task<IResult> SetWorkflowsAsync(EnabledRequest request, HttpContext http, FeatureService features)
    {
        await features.UpdateAsync(s => s with { Automation = s.Automation with { WorkflowsEnabled = request.Enabled } }, http.GetActor(), "automation.workflows", http.RequestAborted);
        return Envelope.Ok("更新成功");
    }

    private static async Task<IResult> SetAnsibleAsync(AnsibleRequest request, HttpContext http, FeatureService features)
    {
        if (request.BinaryPath is not null)
        {
            FeatureValidator.ValidateBinaryPath(request.BinaryPath);
        }

        var updated = await features.UpdateAsync(s => s with
        {
            Automation = s.Automation with { AnsibleEnabled = request.Enabled ?? s.Automation.AnsibleEnabled },
            Ansible = s.Ansible with
            {
                BinaryPath = request.BinaryPath ?? s.Ansible.BinaryPath,
                TempDir = request.TempDir ?? s.Ansible.TempDir,
                Timeout = request.Timeout ?? s.Ansible.Timeout,
                MaxConcurrent = request.MaxConcurrent ?? s.Ansible.MaxConcurrent,
                Forks = request.Forks ?? s.Ansible.Forks,
            },
        }, http.GetActor(), "automation.ansible", http.RequestAborted);
        return Envelope.Ok(updated.Ansible, "更新成功");
    }

    private static async Task<IResult> SetSshAsync(SshRequest request, HttpContext http, FeatureService features)
    {
        var updated = await features.UpdateAsync(s => s with
        {
            Automation = s.Automation with { SshEnabled = request.Enabled ?? s.Automation.SshEnabled },
            Ssh = s.Ssh with
            {
                Timeout = request.Timeout ?? s.Ssh.Timeout,
                MaxConcurrent = request.MaxConcurrent ?? s.Ssh.MaxConcurrent,
                ConnectionPoolSize = request.ConnectionPoolSize ?? s.Ssh.ConnectionPoolSize,
                IdleTimeout = request.IdleTimeout ?? s.Ssh.IdleTimeout,
                OutputLimitBytes = request.OutputLimitBytes ?? s.Ssh.OutputLimitBytes,
            },
        }, http.GetActor(), "automation.ssh", http.RequestAborted);
        return Envelope.Ok(updated.Ssh, "更新成功");
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record EnabledRequest(bool Enabled);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record AnsibleRequest(
        bool? Enabled = null, string? BinaryPath = null, string? TempDir = null, int? Timeout = null, int? MaxConcurrent = null, int? Forks = null);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record SshRequest(
        bool? Enabled = null, int? Timeout = null, int? MaxConcurrent = null, int? ConnectionPoolSize = null, int? IdleTimeout = null, int? OutputLimitBytes = null);
}
