// Grants the Functions app DICOM Data Owner on a DICOM service (new or existing, in any resource group
// of the tenant), so it can query, retrieve and store instances and read the change feed.

import { roleIds } from 'roles.bicep'

@description('Workspace that contains the DICOM service.')
param workspaceName string

@description('DICOM service name.')
param dicomServiceName string

@description('Object ID of the Functions app\'s managed identity.')
param principalId string

resource workspace 'Microsoft.HealthcareApis/workspaces@2024-03-31' existing = {
  name: workspaceName

  resource dicomService 'dicomservices' existing = {
    name: dicomServiceName
  }
}

resource dicomDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace::dicomService.id, principalId, roleIds.dicomDataOwner)
  scope: workspace::dicomService
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.dicomDataOwner)
  }
}
