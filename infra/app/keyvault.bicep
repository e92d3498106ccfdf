// Key Vault in RBAC mode holding the app's secrets. The app reads them through Key Vault
// references in its settings (api.bicep), resolved with its user-assigned identity.
@description('Name of the key vault (3-24 letters, digits and hyphens).')
param name string

@description('Azure region.')
param location string

@description('Tags for the resource.')
param tags object

@secure()
@description('SendGrid API key (app setting SendGrid__ApiKey).')
param sendGridApiKey string

@secure()
@description('Secret that keys the anonymity hashes and signs unsubscribe tokens (app setting Anonymity__Secret).')
param anonymitySecret string

@secure()
@description('Earlier anonymity secrets, newest first, comma-separated, kept for reading and matching after a rotation (app setting Anonymity__PreviousSecrets). Empty: none, and no secret is stored.')
param anonymityPreviousSecrets string = ''

@description('Whether anonymityPreviousSecrets holds any (main.bicep works it out, so no output depends on a secure value).')
param hasPreviousSecrets bool = false

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  // Secret names allow only letters, digits and hyphens: '--' stands for the '__' of the setting name.
  resource sendGridApiKeySecret 'secrets' = {
    name: 'SendGrid--ApiKey'
    properties: {
      value: sendGridApiKey
      contentType: 'text/plain'
    }
  }

  resource anonymitySecretSecret 'secrets' = {
    name: 'Anonymity--Secret'
    properties: {
      value: anonymitySecret
      contentType: 'text/plain'
    }
  }

  resource anonymityPreviousSecretsSecret 'secrets' = if (hasPreviousSecrets) {
    name: 'Anonymity--PreviousSecrets'
    properties: {
      value: anonymityPreviousSecrets
      contentType: 'text/plain'
    }
  }
}

output name string = vault.name
// Versionless URIs: a rotated secret is picked up without redeploying the settings.
output sendGridApiKeyUri string = vault::sendGridApiKeySecret.properties.secretUri
output anonymitySecretUri string = vault::anonymitySecretSecret.properties.secretUri
// Empty when there are no previous secrets: the app setting is then empty too, with no reference to resolve.
output anonymityPreviousSecretUri string = hasPreviousSecrets ? vault::anonymityPreviousSecretsSecret!.properties.secretUri : ''
