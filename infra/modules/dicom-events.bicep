// Event Grid system topic on the Health Data Services workspace, with a subscription that delivers
// DicomImageCreated events to the app's storage queue. Event Grid authenticates to the queue with a
// user-assigned managed identity (Storage Queue Data Message Sender), so no keys or SAS are involved.
// A workspace can have one system topic only: reuse an existing one with useExistingSystemTopic.

@description('Azure region of the workspace.')
param location string

@description('Tags for every resource.')
param tags object

@description('Workspace whose DICOM services raise the events.')
param workspaceName string

@description('System topic name (existing or new).')
param systemTopicName string

@description('Use the workspace\'s existing system topic instead of creating one.')
param useExistingSystemTopic bool

@description('Resource ID of the user-assigned identity Event Grid delivers with; it must be attached to the topic.')
param deliveryIdentityId string

@description('Resource ID of the storage account that holds the queue.')
param storageAccountId string

@description('Queue that receives the events.')
param queueName string

@description('Event subscription name.')
param subscriptionName string = 'dicom-image-created'

resource workspace 'Microsoft.HealthcareApis/workspaces@2024-03-31' existing = {
  name: workspaceName
}

resource newTopic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = if (!useExistingSystemTopic) {
  name: systemTopicName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${deliveryIdentityId}': {}
    }
  }
  properties: {
    source: workspace.id
    topicType: 'Microsoft.HealthcareApis.Workspaces'
  }
}

resource existingTopic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' existing = if (useExistingSystemTopic) {
  name: systemTopicName
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = {
  // The parent is one of two conditional resources, so the name path selects it instead of parent.
  #disable-next-line use-parent-property
  name: '${systemTopicName}/${subscriptionName}'
  properties: {
    deliveryWithResourceIdentity: {
      identity: {
        type: 'UserAssigned'
        userAssignedIdentity: deliveryIdentityId
      }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: storageAccountId
          queueName: queueName
          // -1 keeps messages until the app reads them; the queue trigger moves bad ones to the poison queue.
          queueMessageTimeToLiveInSeconds: -1
        }
      }
    }
    filter: {
      includedEventTypes: ['Microsoft.HealthcareApis.DicomImageCreated']
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
  dependsOn: [
    newTopic
    existingTopic
  ]
}
