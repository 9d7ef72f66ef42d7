// Event Grid system topic on the app's storage account. Flex Consumption runs blob triggers from
// BlobCreated events, and the subscription to the app's blob extension endpoint is added after the
// code is deployed (infra/hooks/subscribe-uploads.sh), because the endpoint's key exists only then.

@description('Azure region of the storage account.')
param location string

@description('Tags for every resource.')
param tags object

@description('System topic name.')
param name string

@description('Storage account name.')
param storageAccountName string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource topic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: name
  location: location
  tags: tags
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = topic.name
