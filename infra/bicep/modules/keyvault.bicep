// The master key (secrets at rest), the token-signing key and the first admin's password, read by the app through
// Key Vault references. A secret parameter left empty leaves the vault's secret as it is, so a later deployment
// never rotates the master key by accident (that would make every stored secret unreadable).
param name string
param location string
param tags object
@description('Name of the user-assigned identity (in this resource group) the roles go to.')
param identityName string

@secure()
param masterKey string
@secure()
param signingKey string
@secure()
param bootstrapAdminPassword string

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource masterKeySecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(masterKey)) {
  parent: vault
  name: 'master-key'
  properties: { value: masterKey }
}

resource signingKeySecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(signingKey)) {
  parent: vault
  name: 'token-signing-key'
  properties: { value: signingKey }
}

resource adminPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(bootstrapAdminPassword)) {
  parent: vault
  name: 'bootstrap-admin-password'
  properties: { value: bootstrapAdminPassword }
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityName, keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

// Secret URIs without a version: the app follows the current version on restart.
output masterKeyUri string = '${vault.properties.vaultUri}secrets/master-key'
output signingKeyUri string = '${vault.properties.vaultUri}secrets/token-signing-key'
output bootstrapAdminUri string = '${vault.properties.vaultUri}secrets/bootstrap-admin-password'
