// Container Apps environment with a GPU workload profile, and the inference service in it. The
// environment is internal to the virtual network, so the service has no public address; a private DNS
// zone resolves its host name for the Functions app. The service scales to zero when idle.
// Dedicated NC48-A100 and NC96-A100 nodes carry two and four GPUs; they are left out because one
// replica of this service uses one GPU.

@description('Azure region (one that offers the chosen GPU workload profile).')
param location string

@description('Tags for the environment and DNS zone.')
param tags object

@description('Tags for the container app, including azd-service-name.')
param appTags object

@description('Container Apps environment name.')
param environmentName string

@description('Container app name.')
param appName string

@description('Log Analytics workspace that receives the environment\'s logs through diagnostic settings.')
param logAnalyticsId string

@description('Subnet of the environment (delegated to Microsoft.App/environments, /27 or larger).')
param subnetId string

@description('Virtual network the private DNS zone is linked to.')
param virtualNetworkId string

@description('GPU workload profile type; see docs/deploy.md for the sizes, quotas and regions.')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
  'NC24-A100'
])
param gpuProfileType string

@description('Most replicas of the inference service.')
@minValue(1)
@maxValue(20)
param maxReplicas int

@description('Image to run; empty runs a placeholder until azd deploy pushes the service image.')
param image string

@description('Registry login server the image is pulled from.')
param registryLoginServer string

@description('Resource ID of the user-assigned identity of the service (AcrPull, blob reader on models).')
param identityId string

@description('Client ID of that identity, for DefaultAzureCredential in the container.')
param identityClientId string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Blob URL of the ONNX model.')
param modelBlobUrl string

@description('Execution provider the service asks for first.')
@allowed(['Cuda', 'Cpu'])
param executionProvider string

@description('Run the model in FP16.')
param useFp16 bool

@description('Dynamic batching and request limits (keys of the Serving options section).')
param serving {
  maxBatchSize: int
  maxQueueDelayMilliseconds: int
  maxQueueLength: int
  maxRequestBytes: int
}

@description('Accepted Entra token audience (application ID URI or client ID of the service\'s app registration).')
param audience string

// One replica takes the whole profile size (one GPU). NC24-A100 is 24 vCPU and 220 GiB per the Container
// Apps workload profile table.
// NOTE: the consumption GPU sizes are not confirmed against that table; if a deployment rejects them,
// set them to the CPU and memory the portal lists for the profile.
var gpuResources = {
  'Consumption-GPU-NC8as-T4': { cpu: '8.0', memory: '56Gi' }
  'Consumption-GPU-NC24-A100': { cpu: '24.0', memory: '220Gi' }
  'NC24-A100': { cpu: '24.0', memory: '220Gi' }
}
var isConsumptionGpu = startsWith(gpuProfileType, 'Consumption-')
// Until azd deploys the service image, a public sample image that listens on port 80 holds the place.
var placeholderImage = 'mcr.microsoft.com/azuredocs/containerapps-helloworld:latest'
var port = empty(image) ? 80 : 8080

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    vnetConfiguration: {
      infrastructureSubnetId: subnetId
      internal: true
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      union(
        {
          name: 'gpu'
          workloadProfileType: gpuProfileType
        },
        // Dedicated profiles are sized by node counts; consumption profiles take none.
        isConsumptionGpu ? {} : { minimumCount: 0, maximumCount: maxReplicas }
      )
    ]
  }
}

resource environmentLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'logs'
  scope: environment
  properties: {
    workspaceId: logAnalyticsId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

module dns 'private-dns-wildcard.bicep' = {
  name: 'container-apps-dns'
  params: {
    tags: tags
    zoneName: environment.properties.defaultDomain
    ipAddress: environment.properties.staticIp
    virtualNetworkId: virtualNetworkId
  }
}

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: appName
  location: location
  tags: appTags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: 'gpu'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        // In an internal environment, external means reachable from the virtual network (the Functions
        // app) and still without a public address; false would limit callers to this environment.
        external: true
        targetPort: port
        transport: 'http'
        allowInsecure: false
      }
      registries: [
        {
          server: registryLoginServer
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'inference'
          image: empty(image) ? placeholderImage : image
          resources: {
            cpu: json(gpuResources[gpuProfileType].cpu)
            memory: gpuResources[gpuProfileType].memory
          }
          env: [
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
            // Options sections of the service (inference/Options).
            { name: 'Model__BlobUrl', value: modelBlobUrl }
            { name: 'Model__ExecutionProvider', value: executionProvider }
            { name: 'Model__UseFp16', value: string(useFp16) }
            { name: 'Serving__MaxBatchSize', value: string(serving.maxBatchSize) }
            { name: 'Serving__MaxQueueDelayMilliseconds', value: string(serving.maxQueueDelayMilliseconds) }
            { name: 'Serving__MaxQueueLength', value: string(serving.maxQueueLength) }
            { name: 'Serving__MaxRequestBytes', value: string(serving.maxRequestBytes) }
            { name: 'Authentication__Audience', value: audience }
            { name: 'Authentication__TenantId', value: tenant().tenantId }
          ]
          probes: empty(image)
            ? []
            : [
                {
                  type: 'Startup'
                  httpGet: { path: '/v2/health/live', port: port }
                  periodSeconds: 10
                  failureThreshold: 30
                }
                {
                  type: 'Liveness'
                  httpGet: { path: '/v2/health/live', port: port }
                  periodSeconds: 30
                }
                {
                  // Ready only after the model is loaded and a warm-up inference ran.
                  type: 'Readiness'
                  httpGet: { path: '/v2/health/ready', port: port }
                  periodSeconds: 10
                }
              ]
        }
      ]
      scale: {
        minReplicas: 0
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'http'
            http: {
              metadata: {
                concurrentRequests: '32'
              }
            }
          }
        ]
      }
    }
  }
}

output name string = app.name
output endpoint string = 'https://${app.properties.configuration.ingress.fqdn}/'
