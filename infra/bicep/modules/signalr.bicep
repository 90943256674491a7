// Progress in Azure (serverless mode: the app publishes through the REST API, serves negotiate and answers the
// service's upstream calls for Subscribe and Unsubscribe).
param name string
param location string
param tags object
@description('Name of the user-assigned identity (in this resource group) the roles go to.')
param identityName string
@description('Host name of the Function App, whose upstream endpoint receives Subscribe and Unsubscribe.')
param functionAppHostName string
@description('Key Vault (in this resource group) that keeps the connection string the app signs client tokens with.')
param keyVaultName string

resource signalr 'Microsoft.SignalRService/signalR@2024-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'SignalR'
  sku: { name: 'Standard_S1', capacity: 1 }
  properties: {
    features: [
      { flag: 'ServiceMode', value: 'Serverless' }
    ]
    // NodeOps signs client tokens and checks upstream signatures with the access key, so local auth stays on; the key
    // itself only ever lives in Key Vault (below).
    disableLocalAuth: false
    publicNetworkAccess: 'Enabled'
    tls: { clientCertEnabled: false }
    upstream: {
      templates: [
        {
          hubPattern: 'progress'
          eventPattern: '*'
          categoryPattern: 'messages,connections'
          urlTemplate: 'https://${functionAppHostName}/api/v1/hubs/progress/upstream'
        }
      ]
    }
  }
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource connectionString 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'signalr-connection-string'
  properties: { value: signalr.listKeys().primaryConnectionString }
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

var signalrAppServer = '420fcaa2-552c-430f-98ca-3264be4806c7'

resource appServer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(signalr.id, identityName, signalrAppServer)
  scope: signalr
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', signalrAppServer)
  }
}

output hostName string = signalr.properties.hostName

// A secret URI without a version: the app follows the current key on restart.
output connectionStringUri string = '${vault.properties.vaultUri}secrets/${connectionString.name}'
