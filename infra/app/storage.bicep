// The storage account behind AzureWebJobsStorage: the app's tables and queues, the Functions host's
// blobs (keys, timer leases) and the Flex Consumption deployment container.
// Shared keys are disabled, so the only way in is Entra ID (the app's identity, via rbac.bicep).
@description('Name of the storage account (3-24 lowercase letters and digits).')
param name string

@description('Azure region.')
param location string

@description('Tags for the resource.')
param tags object

@description('Blob container that Flex Consumption deploys the app package to.')
param deploymentContainerName string

// Every table and queue the app uses, in one place; they mirror TableNames.All and QueueNames.All
// in functions/SurveyBackend/Storage/StorageNames.cs (a unit test keeps the two in step).
var tableNames = [
  'surveys'
  'submissions'
  'aggregates'
  'recipients'
  'reports'
  'releases'
  'deliveries'
  'unsubscribes'
  'challenges'
  'intakecounts'
]
var queueNames = [
  'submissions'
  'submissions-poison'
]

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }

  resource tableService 'tableServices' = {
    name: 'default'

    resource tables 'tables' = [
      for tableName in tableNames: {
        name: tableName
      }
    ]
  }

  resource queueService 'queueServices' = {
    name: 'default'

    resource queues 'queues' = [
      for queueName in queueNames: {
        name: queueName
      }
    ]
  }
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
