// Progress and chat deltas in Azure (serverless mode: the app publishes through the REST API and serves negotiate).
param name string
param location string
param tags object
@description('Name of the user-assigned identity (in this resource group) the roles go to.')
param identityName string

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
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
    tls: { clientCertEnabled: false }
  }
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
