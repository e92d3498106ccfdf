// The Function App on the Flex Consumption plan: .NET 10 isolated, running as its user-assigned
// identity. Every setting the app reads is written out literally below, so a test can check the
// built template against local.settings.sample.json.
@description('Name of the function app.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object

@description('azd service name: azd deploy finds the app by this tag.')
param serviceName string

@description('Resource id of the app\'s user-assigned identity.')
param identityId string

@description('Client id of the app\'s user-assigned identity.')
param identityClientId string

@description('Blob endpoint of the storage account behind AzureWebJobsStorage.')
param blobEndpoint string

@description('Queue endpoint of the storage account behind AzureWebJobsStorage.')
param queueEndpoint string

@description('Table endpoint of the storage account behind AzureWebJobsStorage.')
param tableEndpoint string

@description('Blob container that Flex Consumption deploys the app package to.')
param deploymentContainerName string

@description('Application Insights connection string (with local auth disabled it is not a credential).')
param applicationInsightsConnectionString string

@description('Versionless Key Vault URI of the SendGrid API key secret.')
param sendGridApiKeyUri string

@description('Versionless Key Vault URI of the anonymity secret.')
param anonymitySecretUri string

@description('Versionless Key Vault URI of the previous anonymity secrets; empty when there are none.')
param anonymityPreviousSecretUri string = ''

@description('Browser origins allowed to call the public routes (the community site that embeds the form).')
param allowedOrigins array

@description('Sender address of report emails.')
param emailFrom string

@description('SendGrid API base address override; empty for SendGrid\'s own API.')
param sendGridHost string

@description('How many report addresses must wait before they are written, all at once, to the recipients table (10 at least).')
@minValue(10)
param recipientBatchSize int

@description('NCRONTAB schedule of the report mailing timer.')
param reportEmailSchedule string

@description('Public base URL that report and unsubscribe links point at; empty for the app\'s own address.')
param reportPublicBaseUrl string

@description('Days after the mailing of a survey\'s final report completes before its report addresses and delivery rows are deleted.')
param mailingRetentionDays int

@description('In any case, months after a survey closes (or opened, with no close date) before its report addresses and delivery rows are deleted.')
param mailingMaxRetentionMonths int

@description('Memory per instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int

@description('Upper bound on instances the app scales out to: a ceiling on cost as well as load.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Always-ready instances for the http group (all HTTP functions); 0 for none.')
@minValue(0)
@maxValue(3)
param alwaysReadyHttp int

@description('Header the flood guard takes the client\'s address from: Client-IP directly, X-Azure-SocketIP behind Front Door, empty for the connection\'s.')
param clientAddressHeader string

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    // Key Vault references in the settings below resolve as the user-assigned identity.
    keyVaultReferenceIdentity: identityId
    // No ftpsState: Flex Consumption rejects it (FTP is off through the publishing-credentials policy below).
    siteConfig: {
      minTlsVersion: '1.2'
      http20Enabled: true
      cors: {
        allowedOrigins: allowedOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        // Set here, not only by the CLI, so that a later `azd provision` keeps what the owner chose.
        alwaysReady: alwaysReadyHttp > 0 ? [
          {
            name: 'http'
            instanceCount: alwaysReadyHttp
          }
        ] : []
      }
      // On Flex Consumption the runtime is set here; FUNCTIONS_WORKER_RUNTIME is not an app setting.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Identity-based AzureWebJobsStorage: no connection string, no account key.
      AzureWebJobsStorage__blobServiceUri: blobEndpoint
      AzureWebJobsStorage__queueServiceUri: queueEndpoint
      AzureWebJobsStorage__tableServiceUri: tableEndpoint
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      // Lets DefaultAzureCredential pick the user-assigned identity wherever the app falls back to it.
      AZURE_CLIENT_ID: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      Survey__AllowedOrigins: join(allowedOrigins, ',')
      Anonymity__Secret: '@Microsoft.KeyVault(SecretUri=${anonymitySecretUri})'
      Anonymity__PreviousSecrets: empty(anonymityPreviousSecretUri) ? '' : '@Microsoft.KeyVault(SecretUri=${anonymityPreviousSecretUri})'
      Anonymity__RecipientBatchSize: string(recipientBatchSize)
      Email__Provider: 'SendGrid'
      Email__From: emailFrom
      SendGrid__ApiKey: '@Microsoft.KeyVault(SecretUri=${sendGridApiKeyUri})'
      SendGrid__Host: sendGridHost
      ReportEmailSchedule: reportEmailSchedule
      Report__PublicBaseUrl: empty(reportPublicBaseUrl) ? 'https://${site.properties.defaultHostName}' : reportPublicBaseUrl
      Mailing__RetentionDays: string(mailingRetentionDays)
      Mailing__MaxRetentionMonths: string(mailingMaxRetentionMonths)
      // Timers wake the idle app: each schedule is as slow as its job allows (docs/deploy.md, "Cost at idle").
      // Report addresses are written ten at a time (or all at once for a mailing): a 15-minute tick is plenty.
      RecipientFlushSchedule: '0 */15 * * * *'
      // Fixed once counting starts: changing it needs an aggregates rebuild.
      Aggregation__Shards: '16'
      Aggregation__MaxResponsesPerTransaction: '32'
      // Re-sends the rare row whose message was never sent: minutes late is fine.
      IntakeSweepSchedule: '0 */5 * * * *'
      Intake__RequestsPerMinute: '60'
      Intake__Burst: '20'
      Intake__SweepAge: '00:02:00'
      Intake__TombstoneRetention: '30.00:00:00'
      // A submission never processed gives up its sealed report address after this; its answers stay for a replay.
      Intake__PendingRetention: '7.00:00:00'
      TombstonePurgeSchedule: '0 20 3 * * *'
      // Who a client is, for the flood guard: written by the platform's front end, never taken from the client.
      Intake__ClientAddressHeader: clientAddressHeader
      // Scripts pay for each JSON submission with a solved challenge (docs/intake.md, docs/benchmarks.md).
      Intake__ProofOfWork: 'on'
      Intake__ProofOfWorkCost: '5000'
      Intake__ProofOfWorkMaxNumber: '1600'
      // Used challenges expire within the hour; deleting them once a day keeps the table small and the app asleep.
      ChallengePurgeSchedule: '0 40 3 * * *'
      // The demo host page is for local use only.
      DemoPage__Enabled: 'false'
      // No AzureWebJobsFeatureFlags=EnableResponseCompression: the app codes its own responses (Web/ResponseCompression.cs),
      // so Azure sends what the local host and the tests send; docs/deploy.md, "Compression", says why.
    }
  }

  // No FTP or basic-auth deployment: azd deploys with an Entra token.
  resource ftpCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output name string = site.name
output uri string = 'https://${site.properties.defaultHostName}'
