// The survey backend in Azure: `azd up` provisions this and deploys functions/SurveyBackend to it.
// Keyless throughout: the app reaches Storage, Key Vault and Application Insights as its
// user-assigned identity; the only secrets live in Key Vault.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; seeds the resource names and the resource group.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@minLength(1)
@description('Browser origins allowed to call the public routes, e.g. ["https://community.example.org"]. No trailing slash.')
param allowedOrigins array

@minLength(3)
@description('Sender address of report emails; must be a verified SendGrid sender.')
param emailFrom string

@secure()
@minLength(1)
@description('SendGrid API key (mail send permission only). Stored in Key Vault as SendGrid--ApiKey.')
param sendGridApiKey string

@secure()
@minLength(32)
@description('Long random secret for anonymity hashes and unsubscribe tokens, e.g. `openssl rand -base64 48`. Stored in Key Vault as Anonymity--Secret. Rotate it, never just replace it: the old one goes to anonymityPreviousSecrets (docs/deploy.md).')
param anonymitySecret string

@secure()
@description('After a rotation of anonymitySecret: the secrets used before it, newest first, comma-separated (docs/deploy.md, "Rotating the secret"). Stored in Key Vault as Anonymity--PreviousSecrets. Empty (the default): none.')
param anonymityPreviousSecrets string = ''

@description('SendGrid API base address override. Empty: SendGrid\'s own API (the app\'s default).')
param sendGridHost string = ''

@description('How many report addresses must wait before they are written, all at once, to the recipients table (10 at least; a mailing writes whatever waits).')
@minValue(10)
param recipientBatchSize int = 10

@description('NCRONTAB schedule of the report mailing timer (default: every five minutes).')
param reportEmailSchedule string = '0 */5 * * * *'

@description('Public base URL that report and unsubscribe links point at. Empty: the function app\'s own https address.')
param reportPublicBaseUrl string = ''

@minValue(0)
@description('Days after the mailing of a survey\'s final report completes before its report addresses and delivery rows are deleted (each report keeps one row of counts).')
param mailingRetentionDays int = 30

@minValue(1)
@maxValue(120)
@description('In any case, months after a survey closes (or opened, with no close date) before its report addresses and delivery rows are deleted.')
param mailingMaxRetentionMonths int = 12

@description('Memory per Flex Consumption instance in MB. 512 keeps the idle timers at a quarter of the GB-s of 2048.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 512

@minValue(40) // the lowest maximum Flex Consumption accepts
@maxValue(1000)
@description('Most instances the app scales out to: a ceiling on cost as well as on load.')
param maximumInstanceCount int = 40

@description('Always-ready instances for the HTTP functions, as text (azd passes ALWAYS_READY_HTTP): 0 scales to zero; 1 keeps one instance warm, so no respondent waits for a cold start (about EUR 0.16 a day at 512 MB; docs/deploy.md, "Cold starts").')
@allowed(['0', '1', '2', '3'])
param alwaysReadyHttp string = '0'

@description('Daily ingestion cap in GB for the Log Analytics workspace (-1 for none).')
param logDailyQuotaGb int = 1

@allowed([
  'Client-IP'
  'X-Azure-SocketIP'
  'X-Forwarded-For'
  ''
])
@description('Header the flood guard takes the client\'s address from (docs/deploy.md, "Client addresses"): Client-IP, which the App Service front end writes and overwrites, when clients reach the app directly; X-Azure-SocketIP behind Azure Front Door, with the app open to Front Door alone; empty for the connection\'s address.')
param clientAddressHeader string = 'Client-IP'

@allowed([
  'key'
  'entra'
])
@description('How staff reach the console (/api/console) and the admin API: the function key alone (key), or also a Microsoft Entra ID work-account sign-in through App Service Authentication (entra).')
param adminSignIn string = 'key'

@description('With adminSignIn = entra: the application (client) id of the Entra app registration staff sign in to.')
param adminSignInClientId string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = 'func-api-${resourceToken}'
var deploymentContainerName = 'app-package-${resourceToken}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-api-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
    dailyQuotaGb: logDailyQuotaGb
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    sendGridApiKey: sendGridApiKey
    anonymitySecret: anonymitySecret
    anonymityPreviousSecrets: anonymityPreviousSecrets
    hasPreviousSecrets: !empty(anonymityPreviousSecrets)
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  // The app resolves its Key Vault references and opens storage at start-up: give it its roles first.
  dependsOn: [
    rbac
  ]
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'api'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    sendGridApiKeyUri: keyVault.outputs.sendGridApiKeyUri
    anonymitySecretUri: keyVault.outputs.anonymitySecretUri
    anonymityPreviousSecretUri: keyVault.outputs.anonymityPreviousSecretUri
    allowedOrigins: allowedOrigins
    emailFrom: emailFrom
    sendGridHost: sendGridHost
    recipientBatchSize: recipientBatchSize
    reportEmailSchedule: reportEmailSchedule
    reportPublicBaseUrl: reportPublicBaseUrl
    mailingRetentionDays: mailingRetentionDays
    mailingMaxRetentionMonths: mailingMaxRetentionMonths
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyHttp: int(alwaysReadyHttp)
    clientAddressHeader: clientAddressHeader
  }
}

// Staff sign in with their work account before the console or an admin route answers; the key is still required.
module auth 'app/auth.bicep' = if (adminSignIn == 'entra') {
  name: 'auth'
  scope: rg
  params: {
    functionAppName: api.outputs.name
    clientId: adminSignInClientId
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output CONSOLE_URL string = '${api.outputs.uri}/api/console'
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
// The runtime the app is published for. azd passes its environment, these outputs among it, to `dotnet publish`
// (azd 1.23.7 and later, azure-dev PR #6905), where MSBuild takes it as `-r linux-x64` would set it: the plan runs
// Linux x64 workers, and a runtime makes the app's PublishReadyToRun take effect (docs/deploy.md, "Cold starts").
output RuntimeIdentifier string = 'linux-x64'
