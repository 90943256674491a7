// The Function App: NodeOps's container (the Functions isolated base image plus OpenSSH, sshpass, ansible-core and
// bubblewrap) on an Elastic Premium plan, integrated into the VNet, running as the user-assigned identity.
param namePrefix string
param location string
param tags object
param planSku string
param maximumInstances int
param image string
param identityId string
param identityClientId string
param subnetId string
param storageAccountName string
param appInsightsConnectionString string
param masterKeyUri string
param signingKeyUri string
param bootstrapAdminUri string
param signalrConnectionStringUri string

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: '${namePrefix}-plan'
  location: location
  tags: tags
  kind: 'elastic'
  sku: { name: planSku, tier: 'ElasticPremium' }
  properties: {
    reserved: true
    maximumElasticWorkerCount: maximumInstances
  }
}

// Every setting the app reads in Azure, and nothing else: NodeOps.Tests checks this block against AzureAppSettings.Keys.
var appSettings = {
  FUNCTIONS_EXTENSION_VERSION: '~4'
  FUNCTIONS_WORKER_RUNTIME: 'dotnet-isolated'
  WEBSITES_ENABLE_APP_SERVICE_STORAGE: 'false'
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identityClientId}'
  Storage__Provider: 'AzureStorage'
  Storage__ConnectionString: 'AccountName=${storageAccountName}'
  Storage__ManagedIdentityClientId: identityClientId
  Host__DataPath: '/tmp/nodeops-data'
  Secrets__MasterKey: '@Microsoft.KeyVault(SecretUri=${masterKeyUri})'
  Auth__SigningKey: '@Microsoft.KeyVault(SecretUri=${signingKeyUri})'
  Auth__BootstrapAdminPassword: '@Microsoft.KeyVault(SecretUri=${bootstrapAdminUri})'
  SignalR__Mode: 'Serverless'
  SignalR__ConnectionString: '@Microsoft.KeyVault(SecretUri=${signalrConnectionStringUri})'
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: '${namePrefix}-func'
  location: location
  tags: tags
  kind: 'functionapp,linux,container'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: subnetId
    outboundVnetRouting: { allTraffic: true }
    siteConfig: {
      linuxFxVersion: 'DOCKER|${image}'
      acrUseManagedIdentityCreds: true
      acrUserManagedIdentityID: identityClientId
      minimumElasticInstanceCount: 1
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
      appSettings: [for setting in items(appSettings): { name: setting.key, value: setting.value }]
    }
  }
}

resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

output name string = site.name
output hostName string = site.properties.defaultHostName
