using Microsoft.Extensions.DependencyInjection;
using NodeOps.Catalog;
using NodeOps.Clusters;
using NodeOps.Credentials;
using NodeOps.Errors;

namespace NodeOps.Executions;

/// <summary>
/// The catalog's ports, looked up when needed rather than at start-up: an instance without a catalog still starts,
/// and a request that needs one gets a clear 503 naming what is missing.
/// </summary>
public sealed class CatalogPorts(IServiceProvider services)
{
    public INodeResolver Nodes => Required<INodeResolver>("集群目录");

    public ICredentialVault Credentials => Required<ICredentialVault>("凭据库");

    public ICatalogSource Catalog => Required<ICatalogSource>("脚本与 Playbook 目录");

    private T Required<T>(string what)
        where T : class =>
        services.GetService<T>() ?? throw new NodeOpsException(ErrorKind.Unavailable, $"{what}未配置: 没有注册 {typeof(T).Name}", code: "CATALOG_UNAVAILABLE");
}
