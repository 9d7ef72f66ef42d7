// The Functions app on the Flex Consumption plan (.NET isolated worker) with a system-assigned
// identity. Every storage connection is identity-based (AzureWebJobsStorage__*ServiceUri), and the
// pipeline settings below are the app's options sections; a test compares both lists.

@description('Azure region (one that offers Flex Consumption).')
param location string

@description('Tags for the plan.')
param tags object

@description('Tags for the app, including azd-service-name.')
param appTags object

@description('Flex Consumption plan name.')
param planName string

@description('Function app name (globally unique host name).')
param appName string

@description('Storage account name of AzureWebJobsStorage.')
param storageAccountName string

@description('Blob container that holds the deployment package.')
param deploymentContainerName string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Subnet for VNet integration (delegated to Microsoft.App/environments).')
param subnetId string

@description('Maximum instances the app scales out to (Flex Consumption allows 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('DICOMweb base URL with the API version, for example https://ws-dicom.dicom.azurehealthcareapis.com/v2/.')
param dicomBaseUrl string

@description('DICOM service data partition; empty for none.')
param dicomDataPartition string

@description('KServe v2 base URL of the inference service.')
param inferenceEndpoint string

@description('Model name the inference service serves.')
param inferenceModelName string

@description('Scope of the tokens sent to the inference service (its audience followed by /.default).')
param inferenceTokenScope string

@description('Blob containers and queues (keys of the Storage options section).')
param storageNames {
  incomingContainer: string
  resultsContainer: string
  workContainer: string
  modelsContainer: string
  dicomEventsQueue: string
  alertsQueue: string
}

@description('Operating point name from the model contract.')
param operatingPoint string

@description('Slices per fetch and inference activity.')
param chunkSlices int

@description('Seconds without a new instance before a study is scored.')
param quietPeriodSeconds int

@description('NCRONTAB schedule of the change feed sweep (six fields, UTC).')
param sweepSchedule string

@description('ScoreStudy orchestrations a sweep runs at once.')
param sweepMaxConcurrentOrchestrations int

@description('Optional https webhook for positive exams; empty for none.')
@secure()
param alertWebhookUrl string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: appTags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: subnetId
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        // Functions host and Durable Task state: identity-based connection, no account key.
        { name: 'AzureWebJobsStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: storage.properties.primaryEndpoints.table }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD' }
        // Options sections of the app (functions/Options).
        { name: 'DicomService__BaseUrl', value: dicomBaseUrl }
        { name: 'DicomService__DataPartition', value: dicomDataPartition }
        { name: 'DicomService__TokenScope', value: 'https://dicom.healthcareapis.azure.com/.default' }
        // Empty: DefaultAzureCredential, which uses the app's system-assigned identity.
        { name: 'DicomService__ManagedIdentityClientId', value: '' }
        { name: 'DicomService__MaxRetryAttempts', value: '5' }
        { name: 'DicomService__RetryBaseDelayMilliseconds', value: '1000' }
        { name: 'DicomService__AttemptTimeoutSeconds', value: '100' }
        { name: 'DicomService__TotalTimeoutSeconds', value: '600' }
        { name: 'DicomService__MaxConcurrentRetrievals', value: '8' }
        { name: 'Inference__Endpoint', value: inferenceEndpoint }
        { name: 'Inference__ModelName', value: inferenceModelName }
        { name: 'Inference__TokenScope', value: inferenceTokenScope }
        { name: 'Storage__IncomingContainer', value: storageNames.incomingContainer }
        { name: 'Storage__ResultsContainer', value: storageNames.resultsContainer }
        { name: 'Storage__WorkContainer', value: storageNames.workContainer }
        { name: 'Storage__ModelsContainer', value: storageNames.modelsContainer }
        { name: 'Storage__DicomEventsQueue', value: storageNames.dicomEventsQueue }
        { name: 'Storage__AlertsQueue', value: storageNames.alertsQueue }
        { name: 'Scoring__OperatingPoint', value: operatingPoint }
        { name: 'Scoring__ChunkSlices', value: string(chunkSlices) }
        { name: 'Scoring__VoxelCacheMegabytes', value: '256' }
        { name: 'Scoring__QuietPeriodSeconds', value: string(quietPeriodSeconds) }
        { name: 'Sweep__Schedule', value: sweepSchedule }
        { name: 'Sweep__MaxConcurrentOrchestrations', value: string(sweepMaxConcurrentOrchestrations) }
        { name: 'Alerts__WebhookUrl', value: alertWebhookUrl }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Deployments go through Microsoft Entra ID (azd uses the signed-in user), never FTP or basic-auth SCM.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = app.name
output principalId string = app.identity.principalId
output defaultHostName string = app.properties.defaultHostName
