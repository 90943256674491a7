// NodeOps on Azure Functions: az deployment group create -g <group> -f infra/bicep/main.bicep -p ... (see README).
targetScope = 'resourceGroup'

@description('Short prefix of every resource name (letters and digits).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'nodeops'

param location string = resourceGroup().location

@description('Elastic Premium size: EP1 (1 core, 3.5 GB), EP2, EP3.')
@allowed(['EP1', 'EP2', 'EP3'])
param planSku string = 'EP1'

@minValue(1)
@maxValue(20)
param maximumInstances int = 4

@description('Tag of the nodeops image in this deployment\'s registry (push it before or after; the app pulls on restart).')
param imageTag string = 'latest'

param vnetAddressPrefix string = '10.40.0.0/16'
param functionsSubnetPrefix string = '10.40.0.0/24'

@description('Base64 of 32 random bytes (openssl rand -base64 32). First deployment only: empty keeps the vault\'s secret.')
@secure()
param masterKey string = ''

@description('Base64 of 32 or more random bytes. First deployment only: empty keeps the vault\'s secret.')
@secure()
param signingKey string = ''

@description('Password of the first admin, created on first start. First deployment only: empty keeps the vault\'s secret.')
@secure()
param bootstrapAdminPassword string = ''

param tags object = { app: 'nodeops' }

var suffix = uniqueString(resourceGroup().id, namePrefix)
var identityName = '${namePrefix}-id'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: identityName, location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { namePrefix: namePrefix, location: location, tags: tags, identityName: identityName }
  // The roles go to the identity by name (known before deployment), so the dependency is explicit.
  dependsOn: [identity]
}

module network 'modules/network.bicep' = {
  name: 'network'
  params: {
    namePrefix: namePrefix
    location: location
    tags: tags
    addressPrefix: vnetAddressPrefix
    functionsSubnetPrefix: functionsSubnetPrefix
  }
}

var keyVaultName = take('${namePrefix}-kv-${suffix}', 24)

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: { name: take('${namePrefix}${suffix}', 24), location: location, tags: tags, identityName: identityName }
  // The roles go to the identity by name (known before deployment), so the dependency is explicit.
  dependsOn: [identity]
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: keyVaultName
    location: location
    tags: tags
    identityName: identityName
    masterKey: masterKey
    signingKey: signingKey
    bootstrapAdminPassword: bootstrapAdminPassword
  }
  // The roles go to the identity by name (known before deployment), so the dependency is explicit.
  dependsOn: [identity]
}

module signalr 'modules/signalr.bicep' = {
  name: 'signalr'
  params: {
    name: '${namePrefix}-signalr-${suffix}'
    location: location
    tags: tags
    identityName: identityName
    // The Function App's default host name is known before it exists: its name plus the App Service domain.
    functionAppHostName: '${namePrefix}-${suffix}-func.azurewebsites.net'
    keyVaultName: keyVaultName
  }
  // The secret goes into the vault by name, so that dependency is explicit too.
  dependsOn: [identity, vault]
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: { name: take('${namePrefix}acr${suffix}', 50), location: location, tags: tags, identityName: identityName }
  // The roles go to the identity by name (known before deployment), so the dependency is explicit.
  dependsOn: [identity]
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    namePrefix: '${namePrefix}-${suffix}'
    location: location
    tags: tags
    planSku: planSku
    maximumInstances: maximumInstances
    image: '${registry.outputs.loginServer}/nodeops:${imageTag}'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    subnetId: network.outputs.functionsSubnetId
    storageAccountName: storage.outputs.name
    appInsightsConnectionString: monitoring.outputs.connectionString
    masterKeyUri: vault.outputs.masterKeyUri
    signingKeyUri: vault.outputs.signingKeyUri
    bootstrapAdminUri: vault.outputs.bootstrapAdminUri
    signalrConnectionStringUri: signalr.outputs.connectionStringUri
  }
}

// Names and endpoints only: no keys, no connection strings with secrets.
output functionAppName string = functionApp.outputs.name
output functionAppUrl string = 'https://${functionApp.outputs.hostName}'
output registryLoginServer string = registry.outputs.loginServer
output signalrHostName string = signalr.outputs.hostName
output storageAccountName string = storage.outputs.name
