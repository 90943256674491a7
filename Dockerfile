# NodeOps on Azure Functions (Elastic Premium, custom container): the Functions .NET isolated base image plus the tools
# NodeOps runs (OpenSSH client and sshpass for Ansible, ansible-core, bubblewrap and setpriv for the sandbox).
# No Docker engine exists on the build machines, so this file is not built in CI; it is kept minimal on purpose.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Functions -c Release -o /home/site/wwwroot

FROM mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0
RUN apt-get update \
    && apt-get install -y --no-install-recommends openssh-client sshpass ansible-core bubblewrap util-linux \
    && rm -rf /var/lib/apt/lists/*
ENV AzureWebJobsScriptRoot=/home/site/wwwroot \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true
COPY --from=build /home/site/wwwroot /home/site/wwwroot
