// IchFunctions on Azure: the Functions app (Flex Consumption), its storage, the GPU inference service
// on Container Apps, a DICOM service (new or existing) with Event Grid events into a storage queue,
// monitoring, and the role assignments that let each identity do its part. Deployed by `azd up`;
// docs/deploy.md explains every parameter.

targetScope = 'subscription'

import { roleIds } from 'modules/roles.bicep'

// ---- Environment ------------------------------------------------------------------------------

@description('azd environment name; it prefixes the resource group and makes resource names unique.')
@minLength(1)
@maxLength(40)
param environmentName string

@description('Azure region of every resource (except an existing DICOM service and its events).')
param location string

@description('Object ID of the deploying user; when set, the user may upload models to the models container.')
param principalId string = ''

@description('Add private endpoints for storage and the new DICOM workspace, and turn their public access off.')
param enablePrivateEndpoints bool = false

@description('Address space of the virtual network.')
param virtualNetworkAddressPrefix string = '10.40.0.0/16'

// ---- DICOM service ----------------------------------------------------------------------------

@description('Resource ID of an existing DICOM service (.../workspaces/{ws}/dicomservices/{name}); empty creates one.')
param existingDicomServiceId string = ''

@description('Name of the existing workspace\'s Event Grid system topic, if it has one (a workspace allows one); empty creates it.')
param existingDicomSystemTopicName string = ''

@description('Enable data partitions on a new DICOM service (cannot be undone).')
param enableDataPartitions bool = false

@description('Data partition the app reads and writes; empty when partitions are off.')
param dicomDataPartition string = ''

// ---- Inference service ------------------------------------------------------------------------

@description('GPU workload profile of the inference service. A100 profiles need quota; V100 sizes are retired.')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
  'NC24-A100'
])
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

@description('Maximum replicas of the inference service (each takes one GPU).')
@minValue(1)
@maxValue(20)
param inferenceMaxReplicas int = 1

@description('Inference image set by azd deploy; empty runs a placeholder until the first deploy.')
param inferenceImage string = ''

@description('Application ID URI (or client ID) of the inference service\'s Entra app registration: the token audience.')
@minLength(1)
param inferenceAudience string

@description('Model name the inference service serves (from the model contract).')
param inferenceModelName string = 'patchfcn-demo'

@description('Blob name of the ONNX model in the models container.')
param modelBlobName string = 'patchfcn-demo.onnx'

@description('Execution provider the inference service asks for first.')
@allowed(['Cuda', 'Cpu'])
param inferenceExecutionProvider string = 'Cuda'

@description('Run the model in FP16 on the GPU.')
param inferenceUseFp16 bool = false

@description('Maximum slices merged into one model run.')
@minValue(1)
@maxValue(512)
param inferenceMaxBatchSize int = 16

@description('Maximum wait for a batch to fill, in milliseconds.')
@minValue(0)
@maxValue(1000)
param inferenceMaxQueueDelayMilliseconds int = 5

@description('Maximum requests waiting for a batch before the service returns 429.')
@minValue(1)
@maxValue(100000)
param inferenceMaxQueueLength int = 256

@description('Maximum inference request body size, in bytes.')
@minValue(1024)
@maxValue(1073741824)
param inferenceMaxRequestBytes int = 67108864

// ---- Pipeline ---------------------------------------------------------------------------------

@description('Operating point from the model contract that decides positive exams.')
param operatingPoint string = 'high_sensitivity'

@description('Slices per fetch and inference activity.')
@minValue(1)
@maxValue(256)
param chunkSlices int = 16

@description('Seconds without a new instance before a study is scored.')
@minValue(0)
@maxValue(3600)
param quietPeriodSeconds int = 120

@description('NCRONTAB schedule of the change feed sweep (six fields, UTC).')
param sweepSchedule string = '0 0 2 * * *'

@description('ScoreStudy orchestrations a sweep runs at once.')
@minValue(1)
@maxValue(64)
param sweepMaxConcurrentOrchestrations int = 4

@description('Optional https webhook that receives positive exams; empty for none.')
@secure()
param alertWebhookUrl string = ''

@description('Maximum Functions instances (Flex Consumption allows 40 to 1000).')
@minValue(40)
@maxValue(1000)
param functionsMaximumInstanceCount int = 40

// ---- Names ------------------------------------------------------------------------------------

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var storageNames = {
  incomingContainer: 'incoming'
  resultsContainer: 'results'
  workContainer: 'work'
  modelsContainer: 'models'
  dicomEventsQueue: 'dicom-events'
  alertsQueue: 'alerts'
}
var deploymentContainerName = 'app-package'

var createDicomService = empty(existingDicomServiceId)
var existingDicomParts = split(existingDicomServiceId, '/')
var dicomSubscriptionId = createDicomService ? subscription().subscriptionId : existingDicomParts[2]
var dicomResourceGroupName = createDicomService ? resourceGroup.name : existingDicomParts[4]
var dicomWorkspaceName = createDicomService ? 'hdsws${resourceToken}' : existingDicomParts[8]
var dicomServiceName = createDicomService ? 'dicom${take(resourceToken, 10)}' : existingDicomParts[10]
var dicomScope = az.resourceGroup(dicomSubscriptionId, dicomResourceGroupName)

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

resource existingDicomWorkspace 'Microsoft.HealthcareApis/workspaces@2024-03-31' existing = if (!createDicomService) {
  name: dicomWorkspaceName
  scope: dicomScope
}

// ---- Shared resources -------------------------------------------------------------------------

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
  }
}

module network 'modules/network.bicep' = {
  name: 'network'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    name: 'vnet-${resourceToken}'
    addressPrefix: virtualNetworkAddressPrefix
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    name: 'st${resourceToken}'
    containerNames: [
      storageNames.incomingContainer
      storageNames.resultsContainer
      storageNames.workContainer
      storageNames.modelsContainer
      deploymentContainerName
    ]
    queueNames: [storageNames.dicomEventsQueue, storageNames.alertsQueue]
    disablePublicNetworkAccess: enablePrivateEndpoints
  }
}

module storageEvents 'modules/storage-events.bicep' = {
  name: 'storage-events'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    name: 'evgt-storage-${resourceToken}'
    storageAccountName: storage.outputs.name
  }
}

module identities 'modules/identities.bicep' = {
  name: 'identities'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    inferenceIdentityName: 'id-inference-${resourceToken}'
    eventsIdentityName: 'id-events-${resourceToken}'
  }
}

// ---- DICOM service and its events -------------------------------------------------------------

module dicom 'modules/dicom.bicep' = if (createDicomService) {
  name: 'dicom'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    workspaceName: dicomWorkspaceName
    dicomServiceName: dicomServiceName
    enableDataPartitions: enableDataPartitions
    disablePublicNetworkAccess: enablePrivateEndpoints
  }
}

module dicomReference 'modules/dicom-reference.bicep' = {
  name: 'dicom-reference'
  scope: dicomScope
  params: {
    workspaceName: dicomWorkspaceName
    dicomServiceName: dicomServiceName
  }
  dependsOn: [
    dicom
  ]
}

var dicomServiceUrl = dicomReference.outputs.serviceUrl
var dicomBaseUrl = endsWith(dicomServiceUrl, '/') ? '${dicomServiceUrl}v2/' : '${dicomServiceUrl}/v2/'

module eventsSenderRole 'modules/storage-roles.bicep' = {
  name: 'events-sender-role'
  scope: resourceGroup
  params: {
    storageAccountName: storage.outputs.name
    principalId: identities.outputs.eventsPrincipalId
    roleDefinitionIds: [roleIds.storageQueueDataMessageSender]
  }
}

module dicomEvents 'modules/dicom-events.bicep' = {
  name: 'dicom-events'
  scope: dicomScope
  params: {
    location: createDicomService ? location : existingDicomWorkspace!.location
    tags: tags
    workspaceName: dicomWorkspaceName
    systemTopicName: empty(existingDicomSystemTopicName) ? 'evgt-dicom-${resourceToken}' : existingDicomSystemTopicName
    useExistingSystemTopic: !empty(existingDicomSystemTopicName)
    deliveryIdentityId: identities.outputs.eventsId
    storageAccountId: storage.outputs.id
    queueName: storageNames.dicomEventsQueue
  }
  dependsOn: [
    dicom
    eventsSenderRole
  ]
}

// ---- Inference service ------------------------------------------------------------------------

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    name: 'cr${resourceToken}'
    pullPrincipalId: identities.outputs.inferencePrincipalId
  }
}

module inferenceModelsRole 'modules/storage-roles.bicep' = {
  name: 'inference-models-role'
  scope: resourceGroup
  params: {
    storageAccountName: storage.outputs.name
    containerName: storageNames.modelsContainer
    principalId: identities.outputs.inferencePrincipalId
    roleDefinitionIds: [roleIds.storageBlobDataReader]
  }
}

module containerApps 'modules/container-apps.bicep' = {
  name: 'container-apps'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    appTags: union(tags, { 'azd-service-name': 'inference' })
    environmentName: 'cae-${resourceToken}'
    appName: 'ca-inference-${resourceToken}'
    logAnalyticsId: monitoring.outputs.logAnalyticsId
    subnetId: network.outputs.containerAppsSubnetId
    virtualNetworkId: network.outputs.id
    gpuProfileType: gpuProfileType
    maxReplicas: inferenceMaxReplicas
    image: inferenceImage
    registryLoginServer: registry.outputs.loginServer
    identityId: identities.outputs.inferenceId
    identityClientId: identities.outputs.inferenceClientId
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    modelBlobUrl: '${storage.outputs.blobEndpoint}${storageNames.modelsContainer}/${modelBlobName}'
    executionProvider: inferenceExecutionProvider
    useFp16: inferenceUseFp16
    serving: {
      maxBatchSize: inferenceMaxBatchSize
      maxQueueDelayMilliseconds: inferenceMaxQueueDelayMilliseconds
      maxQueueLength: inferenceMaxQueueLength
      maxRequestBytes: inferenceMaxRequestBytes
    }
    audience: inferenceAudience
  }
  dependsOn: [
    inferenceModelsRole
  ]
}

// ---- Functions app ----------------------------------------------------------------------------

module functions 'modules/functions.bicep' = {
  name: 'functions'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    appTags: union(tags, { 'azd-service-name': 'functions' })
    planName: 'plan-${resourceToken}'
    appName: 'func-${resourceToken}'
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    subnetId: network.outputs.functionsSubnetId
    maximumInstanceCount: functionsMaximumInstanceCount
    dicomBaseUrl: dicomBaseUrl
    dicomDataPartition: dicomDataPartition
    inferenceEndpoint: containerApps.outputs.endpoint
    inferenceModelName: inferenceModelName
    inferenceTokenScope: '${inferenceAudience}/.default'
    storageNames: storageNames
    operatingPoint: operatingPoint
    chunkSlices: chunkSlices
    quietPeriodSeconds: quietPeriodSeconds
    sweepSchedule: sweepSchedule
    sweepMaxConcurrentOrchestrations: sweepMaxConcurrentOrchestrations
    alertWebhookUrl: alertWebhookUrl
  }
}

module functionsStorageRoles 'modules/storage-roles.bicep' = {
  name: 'functions-storage-roles'
  scope: resourceGroup
  params: {
    storageAccountName: storage.outputs.name
    principalId: functions.outputs.principalId
    // Host, Durable Task state (blobs, queues, tables), pipeline containers and queues.
    roleDefinitionIds: [
      roleIds.storageBlobDataOwner
      roleIds.storageQueueDataContributor
      roleIds.storageTableDataContributor
    ]
  }
}

module functionsDicomAccess 'modules/dicom-access.bicep' = {
  name: 'functions-dicom-access'
  scope: dicomScope
  params: {
    workspaceName: dicomWorkspaceName
    dicomServiceName: dicomServiceName
    principalId: functions.outputs.principalId
  }
  dependsOn: [
    dicom
  ]
}

module telemetryPublishers 'modules/monitoring-access.bicep' = {
  name: 'telemetry-publishers'
  scope: resourceGroup
  params: {
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    principalIds: [functions.outputs.principalId, identities.outputs.inferencePrincipalId]
  }
}

module deployingUserModelsRole 'modules/storage-roles.bicep' = if (!empty(principalId)) {
  name: 'deploying-user-models-role'
  scope: resourceGroup
  params: {
    storageAccountName: storage.outputs.name
    containerName: storageNames.modelsContainer
    principalId: principalId
    principalType: 'User'
    roleDefinitionIds: [roleIds.storageBlobDataContributor]
  }
}

// ---- Private endpoints ------------------------------------------------------------------------

var storagePrivateEndpoints = enablePrivateEndpoints ? ['blob', 'queue', 'table'] : []

module storageEndpoints 'modules/private-endpoint.bicep' = [
  for service in storagePrivateEndpoints: {
    name: 'pe-storage-${service}'
    scope: resourceGroup
    params: {
      location: location
      tags: tags
      name: 'pe-${service}-${resourceToken}'
      subnetId: network.outputs.privateEndpointsSubnetId
      virtualNetworkId: network.outputs.id
      targetResourceId: storage.outputs.id
      groupId: service
      dnsZoneNames: ['privatelink.${service}.${environment().suffixes.storage}']
    }
  }
]

module dicomEndpoint 'modules/private-endpoint.bicep' = if (enablePrivateEndpoints && createDicomService) {
  name: 'pe-dicom'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    name: 'pe-dicom-${resourceToken}'
    subnetId: network.outputs.privateEndpointsSubnetId
    virtualNetworkId: network.outputs.id
    targetResourceId: dicom!.outputs.workspaceId
    groupId: 'healthcareworkspace'
    dnsZoneNames: ['privatelink.azurehealthcareapis.com', 'privatelink.dicom.azurehealthcareapis.com']
  }
}


// ---- Outputs (azd stores them in the environment) ---------------------------------------------

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output STORAGE_EVENTS_TOPIC_NAME string = storageEvents.outputs.name
output INCOMING_CONTAINER_NAME string = storageNames.incomingContainer
output FUNCTIONS_APP_NAME string = functions.outputs.name
output INFERENCE_APP_NAME string = containerApps.outputs.name
output INFERENCE_ENDPOINT string = containerApps.outputs.endpoint
output DICOM_SERVICE_URL string = dicomBaseUrl
