// Log Analytics workspace and workspace-based Application Insights.
// Local (key) authentication is off: telemetry is accepted only with an Entra token, which the
// Functions host gets for the app's identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING in api.bicep).
@description('Name of the Log Analytics workspace.')
param logAnalyticsName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object

@description('Daily ingestion cap in GB for the workspace; a runaway log loop cannot run up a bill past it. -1 for no cap.')
param dailyQuotaGb int

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
    workspaceCapping: {
      dailyQuotaGb: dailyQuotaGb
    }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: true
    IngestionMode: 'LogAnalytics'
  }
}

output applicationInsightsName string = applicationInsights.name
// The connection string names the ingestion endpoint; with local auth disabled it is not a credential.
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
