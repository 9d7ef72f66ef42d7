// Azure Health Data Services workspace with a DICOM service, for deployments that do not bring an
// existing one.

@description('Azure region (one where Azure Health Data Services is offered).')
param location string

@description('Tags for every resource.')
param tags object

@description('Workspace name: 3 to 24 lowercase letters and digits.')
@minLength(3)
@maxLength(24)
param workspaceName string

@description('DICOM service name: 3 to 24 lowercase letters and digits.')
@minLength(3)
@maxLength(24)
param dicomServiceName string

@description('Enable data partitions (cannot be turned off once on).')
param enableDataPartitions bool

@description('Deny public network access; clients then come through a private endpoint on the workspace.')
param disablePublicNetworkAccess bool

resource workspace 'Microsoft.HealthcareApis/workspaces@2024-03-31' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    publicNetworkAccess: disablePublicNetworkAccess ? 'Disabled' : 'Enabled'
  }
}

resource dicomService 'Microsoft.HealthcareApis/workspaces/dicomservices@2024-03-31' = {
  parent: workspace
  name: dicomServiceName
  location: location
  tags: tags
  properties: {
    enableDataPartitions: enableDataPartitions
    publicNetworkAccess: disablePublicNetworkAccess ? 'Disabled' : 'Enabled'
  }
}

output workspaceId string = workspace.id
output dicomServiceId string = dicomService.id
output serviceUrl string = dicomService.properties.serviceUrl
