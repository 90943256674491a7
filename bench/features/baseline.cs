#:sdk Microsoft.NET.Sdk.Web
#:property PublishAot=false
// The baseline for bench/features.sh: bare Kestrel answering the same JSON body as GET /api/v1/features,
// with none of NodeOps's pipeline (request ids, CORS, authentication, storage), so the table shows its cost.
var app = WebApplication.CreateSlimBuilder(args).Build();
var body = """{"code":200,"message":"获取成功","data":{"automation":{"enabled":true,"ansible_enabled":true,"ssh_enabled":true,"scripts_enabled":true,"workflows_enabled":true},"ansible":{"binary_path":"/usr/bin/ansible-playbook","temp_dir":"/tmp/nodeops-ansible","timeout":3600,"max_concurrent":10,"forks":10},"ssh":{"timeout":300,"max_concurrent":50,"connection_pool_size":20,"idle_timeout":60,"output_limit_bytes":1048576}}}""";
app.MapGet("/api/v1/features", () => Results.Text(body, "application/json; charset=utf-8"));
app.Run();
